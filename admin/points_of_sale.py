"""Points of sale: the farm shop, the gift shop, the bistro."""

from __future__ import annotations

from admin.blueprint import bp  # noqa: F401 (the routes of this module go on it)

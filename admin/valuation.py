"""Stock valuation at purchase price, and margin per product and category."""

from __future__ import annotations

from admin.blueprint import bp  # noqa: F401 (the routes of this module go on it)

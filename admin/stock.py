"""Stock levels, waste, transfers and the printable morning lists."""

from __future__ import annotations

from admin.blueprint import bp  # noqa: F401 (the routes of this module go on it)

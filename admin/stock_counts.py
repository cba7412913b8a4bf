"""Stock counts on a tablet; the difference is booked as a correction."""

from __future__ import annotations

from admin.blueprint import bp  # noqa: F401 (the routes of this module go on it)

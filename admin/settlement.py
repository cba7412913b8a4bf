"""Consignment settlement per producer and period: statement, CSV and XLSX."""

from __future__ import annotations

from admin.blueprint import bp  # noqa: F401 (the routes of this module go on it)

"""The products file: import from CSV or XLSX (with a dry run) and export."""

from __future__ import annotations

from admin.blueprint import bp  # noqa: F401 (the routes of this module go on it)

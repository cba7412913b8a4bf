"""Placeholder for the dashboard pages."""

from __future__ import annotations

from admin.blueprint import bp  # noqa: F401 (the routes of this module go on it)

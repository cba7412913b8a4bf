"""Producers: who delivers, on consignment or sold outright, and their commission."""

from __future__ import annotations

from admin.blueprint import bp  # noqa: F401 (the routes of this module go on it)

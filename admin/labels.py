"""Barcodes and labels: A4 sticker sheets and single labels on the receipt printer."""

from __future__ import annotations

from admin.blueprint import bp  # noqa: F401 (the routes of this module go on it)

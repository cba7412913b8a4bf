"""Refunds and voids at the till: find a sale, pay some or all of it back as a new sale."""

from __future__ import annotations

"""Decimal numbers as the API and receipts write them: rates and quantities as plain strings."""

from __future__ import annotations

from decimal import Decimal

from kiosk.models.types import Unit


def rate_text(rate: Decimal) -> str:
    """Write a VAT rate as the API spells it: '6', '12', '5.5'."""
    return format(rate, "f")


def quantity_text(quantity: Decimal, unit: str) -> str:
    """Write a quantity as a decimal string: whole pieces, or kg to the gram."""
    return format(
        quantity.quantize(Decimal("0.001")) if unit == Unit.KG else quantity.to_integral(), "f"
    )

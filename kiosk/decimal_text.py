"""Decimal numbers as the API and receipts write them: rates and quantities as plain strings."""

from __future__ import annotations

from decimal import Decimal

from kiosk.models.types import Unit


def rate_text(rate: Decimal) -> str:
    """Write a VAT rate as the API spells it: '6', '12', '5.5'."""
    return format(rate, "f")


def quantity_text(quantity: Decimal, unit: str) -> str:
    """Write a quantity as a decimal string: whole pieces, or kg to the gram.

    A share of a piece (a bistro bill split in equal parts) keeps its thousandths: "0.333".
    """
    if unit == Unit.KG:
        return format(quantity.quantize(Decimal("0.001")), "f")
    if quantity == quantity.to_integral():
        return format(quantity.to_integral(), "f")
    return format(quantity.quantize(Decimal("0.001")).normalize(), "f")

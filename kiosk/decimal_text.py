"""Decimal numbers as text: rates and quantities for the API and receipts, and as pages show them.

One home for every way a quantity or a VAT rate is written:
- `quantity_text`, `rate_text`: the API's and receipts' plain strings ("1.250", "5.5");
- `milli_text`: thousandths as staff type them, decimal comma ("1,250" kg, "3" pieces, "2,5");
- `unit_quantity_text`: the same with its unit, as the stock pages show it ("1,250 kg", "3 st.");
- `local_quantity_text`, `local_rate_text`: in the reader's language ("1.234,5", "5,5 %");
- `unit_word`: a unit in exports ("stuk", "kg").
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from kiosk.models.types import Unit

UNIT_LABELS = {Unit.PIECE: _l("st."), Unit.KG: _l("kg")}


def unit_word(unit: str) -> str:
    """Return a unit as exports write it: "stuk" or "kg" (fixed Dutch words, never translated)."""
    return "kg" if unit == Unit.KG else "stuk"


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


def milli_text(milli: int | None, unit: str | None = None) -> str:
    """Write thousandths with a decimal comma: kg to the gram ('1,250'), else '3' or '2,5'.

    Without a unit no needless zeros are written ("2,5" kg in the products file); None is "".
    """
    if milli is None:
        return ""
    return quantity_text(Decimal(milli) / 1000, unit or Unit.PIECE).replace(".", ",")


def unit_quantity_text(milli: int, unit: str) -> str:
    """Write thousandths with their unit: '3 st.', '1,250 kg'."""
    return f"{milli_text(milli, unit)} {UNIT_LABELS.get(Unit(unit), unit)}"


def local_quantity_text(milli: int) -> str:
    """Write thousandths of a unit in the reader's language (0,347 or 0.347)."""
    return str(format_decimal(Decimal(milli) / 1000, format="#,##0.###"))


def local_rate_text(rate: Decimal) -> str:
    """Write a VAT rate in the reader's language: '6 %', '5,5 %'."""
    return f"{format_decimal(rate, format='#,##0.##')} %"

"""Euro amounts, quantities, dates and whole numbers as staff type them in back-office forms.

Every form reads typed text through this module, so one input has one answer everywhere.

Euro amounts (prices, purchase prices, the cash float, cash in and out):
- a decimal comma or a decimal point with at most two decimals: "3,80", "3.80", "3,8", "3";
- thousands dots only together with a decimal comma: "1.250,50" (1250,50 €); a lone dot is a
  decimal point, so "1.250" is refused (three decimals), never read as 1250 €;
- spaces anywhere are ignored, and a euro sign may come first or last: "€ 3,80", "3,80 €";
- never negative: where money goes out (cash taken from the drawer) the form says so apart;
- at most 99.999,99 €; no signs, exponents or other digits than 0-9 ("1e3", "NaN", "٣").
Quantities (pieces or kg, read as thousandths): "3", "1,250", "0.5"; at most three decimals
that count ("1,2500" is 1,250), whole for pieces, not negative, at most 99.999, zero only where
the field allows it. Days: "2026-11-27" (what a date box sends) or "27-11-2026" (also with / or .).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, IntegerField, ValidationError
from wtforms.widgets import TextInput

from kiosk.catalog.operations import MAX_PRICE_CENTS
from kiosk.models.types import Unit
from kiosk.periods import read_day

#: whitespace people type in numbers: spaces, and the non-breaking ones a copied amount carries
SPACES = re.compile(r"[ \u00a0\u202f]")
PLAIN_AMOUNT = re.compile(r"(?P<whole>[0-9]+)(?:[.,](?P<fraction>[0-9]+))?")
GROUPED_AMOUNT = re.compile(r"(?P<whole>[0-9]{1,3}(?:\.[0-9]{3})+),(?P<fraction>[0-9]+)")
QUANTITY = re.compile(r"[0-9]{1,9}(?:[.,][0-9]+)?")
#: the largest amount a form takes: a price, a float or a purchase price above it is a slip
MAX_AMOUNT_CENTS = MAX_PRICE_CENTS
#: more than this many pieces or kg in one line is a slip of the finger
MAX_UNITS = 99_999


def parse_euro(text: str, *, example: str = "3,80") -> int:
    """Read a euro amount as cents (grammar in the module docstring); raise ValueError in Dutch."""
    typed = SPACES.sub("", text)
    typed = typed.removeprefix("€") if typed.startswith("€") else typed.removesuffix("€")
    if typed.startswith("-"):
        raise ValueError(_("Een bedrag kan niet negatief zijn."))
    match = GROUPED_AMOUNT.fullmatch(typed) or PLAIN_AMOUNT.fullmatch(typed)
    if match is None:
        raise ValueError(_("Schrijf een bedrag zoals %(example)s.", example=example))
    whole, fraction = match["whole"].replace(".", "").lstrip("0"), match["fraction"] or ""
    if len(fraction) > 2:
        raise ValueError(_("Een bedrag heeft hoogstens twee cijfers na de komma."))
    cents = int(whole or "0") * 100 + int(fraction.ljust(2, "0")) if len(whole) <= 9 else None
    if cents is None or cents > MAX_AMOUNT_CENTS:
        raise ValueError(_("Dat bedrag is te groot."))
    return cents


class EuroAmount:
    """A validator: refuse text that is not a euro amount; an empty field is left to others."""

    def __init__(self, example: str = "3,80") -> None:
        self.example = example

    def __call__(self, form: Form, field: Field) -> None:
        """Refuse the field's text when it is not a euro amount."""
        if field.data and field.data.strip():
            try:
                parse_euro(field.data, example=self.example)
            except ValueError as error:
                raise ValidationError(str(error.args[0])) from error


euro_amount = EuroAmount()


def parse_quantity(text: str, unit: str, *, allow_zero: bool = False) -> int:
    """Read a quantity in pieces or kg as thousandths (module docstring); raise ValueError."""
    typed = SPACES.sub("", text)
    if typed.startswith("-"):
        raise ValueError(_("Een hoeveelheid kan niet negatief zijn."))
    if not QUANTITY.fullmatch(typed):
        raise ValueError(_("Typ een getal, bv. 3 of 1,250."))
    value = Decimal(typed.replace(",", "."))
    if value == 0 and not allow_zero:
        raise ValueError(_("Het aantal moet groter dan nul zijn."))
    if value > MAX_UNITS:
        raise ValueError(_("Dat is te veel: hoogstens %(most)s.", most="99.999"))
    if unit == Unit.PIECE and value != value.to_integral_value():
        raise ValueError(_("Geef een geheel aantal stuks."))
    if value * 1000 != (value * 1000).to_integral_value():
        raise ValueError(_("Geef het gewicht tot op de gram: hoogstens 3 cijfers na de komma."))
    return int(value * 1000)


def parse_day(text: str) -> date:
    """Read a day typed as 27-11-2026 or sent by a date box as 2026-11-27; raise ValueError."""
    day = read_day(text, belgian=True)
    if day is None:
        raise ValueError(_("Typ een datum als dd-mm-jjjj."))
    return day


class WholeNumberField(IntegerField):
    """A whole number with a Dutch message when something else is typed."""

    # a text box: a browser's number box drops what it cannot read, so nothing would be kept
    widget = TextInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the number, or say in Dutch that it is none."""
        if valuelist and str(valuelist[0]).strip():
            text = str(valuelist[0]).strip()
            if not (text.isascii() and text.lstrip("-").isdigit() and len(text) <= 9):
                self.data = None
                raise ValueError(_l("Schrijf een geheel getal, bv. 3."))
            self.data = int(text)
        elif valuelist:
            self.data = None

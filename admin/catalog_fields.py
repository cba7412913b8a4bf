"""Fields of the catalogue forms: euro amounts, quantities, barcodes, pictograms, whole numbers."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, IntegerField, StringField, ValidationError
from wtforms.validators import Length, Optional
from wtforms.widgets import TextInput

from kiosk.catalog.operations import MAX_PRICE_CENTS
from kiosk.catalog.pictograms import pictogram_exists
from kiosk.identifiers import is_valid_ean13
from kiosk.models.types import Unit

AMOUNT = re.compile(r"(?P<whole>[0-9]+)(?:[.,](?P<fraction>[0-9]+))?")
GROUPED_AMOUNT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]{1,2}")  # 1.250,50
QUANTITY = re.compile(r"[0-9]{1,6}(?:[.,][0-9]+)?")


def euro_to_cents(text: str) -> int:
    """Read a euro amount typed as '3,80', '3.80', '3' or '1.250,50'; raise ValueError in Dutch."""
    typed = text.strip().replace("€", "").replace(" ", "")
    if typed.startswith("-"):
        raise ValueError(_l("Een bedrag kan niet negatief zijn."))
    if GROUPED_AMOUNT.fullmatch(typed):
        typed = typed.replace(".", "")
    match = AMOUNT.fullmatch(typed)
    if match is None:
        raise ValueError(_l("Schrijf een bedrag zoals 3,80."))
    fraction = match["fraction"] or ""
    if len(fraction) > 2:
        raise ValueError(_l("Een bedrag heeft hoogstens twee cijfers na de komma."))
    cents = int(match["whole"]) * 100 + int(fraction.ljust(2, "0"))
    if cents > MAX_PRICE_CENTS:
        raise ValueError(_l("Dat bedrag is te groot."))
    return cents


def quantity_to_milli(text: str, unit: str) -> int:
    """Read a quantity in pieces or kg ('2,5') as thousandths; pieces must be whole."""
    typed = text.strip().replace(" ", "")
    if typed.startswith("-"):
        raise ValueError(_l("Een hoeveelheid kan niet negatief zijn."))
    if not QUANTITY.fullmatch(typed):
        raise ValueError(_l("Schrijf een getal zoals 4 of 2,5."))
    milli = Decimal(typed.replace(",", ".")) * 1000
    if milli != milli.to_integral_value():
        raise ValueError(_l("Hoogstens drie cijfers na de komma (tot op de gram)."))
    if unit == Unit.PIECE and milli % 1000:
        raise ValueError(_l("Geef een heel aantal stuks."))
    return int(milli)


def euro_amount(form: Form, field: Field) -> None:
    """Refuse text that is not a euro amount."""
    if field.data and field.data.strip():
        try:
            euro_to_cents(field.data)
        except ValueError as error:
            raise ValidationError(str(error.args[0])) from error


def ean13(form: Form, field: Field) -> None:
    """Refuse a barcode that is not an EAN-13 with the right check digit."""
    code = normalise_barcode(field.data)
    if code and not is_valid_ean13(code):
        raise ValidationError(
            _l("Geen geldige EAN-13: 13 cijfers met het juiste controlecijfer.")
            if code.isdigit() and len(code) == 13
            else _l("Een EAN-13 heeft 13 cijfers.")
        )


def known_pictogram(form: Form, field: Field) -> None:
    """Refuse a pictogram code OpenMoji has no picture for."""
    if field.data and not pictogram_exists(field.data):
        raise ValidationError(_l("Kies een pictogram uit de lijst."))


def normalise_barcode(text: str | None) -> str:
    """Drop the spaces people type in barcodes."""
    return re.sub(r"\s", "", text or "")


class PictogramMixin:
    """The pictogram, chosen from search results shown as radio buttons, and its search box."""

    pictogram = StringField(_l("Pictogram"), validators=[Optional(), known_pictogram])
    pictogram_query = StringField(
        _l("Zoek een pictogram (Nederlands of Engels, bv. brood, kaas, bread)"),
        validators=[Optional(), Length(max=60)],
        render_kw={"type": "search", "autocomplete": "off"},
    )


def wants_pictogram_search() -> bool:
    """Return whether the form was sent by the pictogram search button (nothing is saved)."""
    return request.method == "POST" and request.form.get("action") == "search"


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

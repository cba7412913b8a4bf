"""Fields of the catalogue forms: barcodes and pictograms (amounts and numbers: admin/fields.py)."""

from __future__ import annotations

import re

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, StringField, ValidationError
from wtforms.validators import Length, Optional

from kiosk.catalog.pictograms import pictogram_exists
from kiosk.identifiers import is_valid_ean13


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

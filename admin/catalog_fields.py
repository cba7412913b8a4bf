"""Fields of the catalogue forms: barcodes and pictograms (amounts and numbers: admin/fields.py)."""

from __future__ import annotations

import re

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, StringField, ValidationError
from wtforms.validators import Length, Optional

from kiosk.catalog.pictograms import pictogram_exists
from kiosk.identifiers import ean13_problem


def ean13(form: Form, field: Field) -> None:
    """Refuse a barcode that is not an EAN-13, saying what is wrong with it."""
    code = normalise_barcode(field.data)
    problem = ean13_problem(code) if code else None
    if problem is not None:
        raise ValidationError(problem)


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

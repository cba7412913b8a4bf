"""The vending machines' forms: a machine, a compartment, and the −/+ counts of a visit."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from admin.fields import EuroAmount, WholeNumberField, parse_quantity
from admin.forms import BackOfficeForm
from admin.points_of_sale import code_field
from admin.stock_fields import choose
from kiosk.extensions import db
from kiosk.models import Location, Product, VendingCompartment
from kiosk.models.types import Unit
from kiosk.vending.machines import MAX_CAPACITY, MAX_COMPARTMENT_NUMBER


class MachineForm(BackOfficeForm):
    """A new machine's code and name."""

    code = code_field(_l("Code (bv. AU)"), 10)
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=80)])


class CompartmentForm(BackOfficeForm):
    """A compartment's number, product, capacity and price (empty: the product's price)."""

    number = WholeNumberField(
        _l("Vak (nummer)"),
        validators=[InputRequired(), NumberRange(1, MAX_COMPARTMENT_NUMBER)],
    )
    product = SelectField(_l("Product"), validators=[DataRequired(_l("Kies een product."))])
    capacity = WholeNumberField(
        _l("Er passen (stuks)"), validators=[InputRequired(), NumberRange(1, MAX_CAPACITY)]
    )
    price = StringField(
        _l("Prijs in de automaat (euro; leeg: de prijs van het product)"),
        validators=[Optional(), EuroAmount("2,50")],
        render_kw={"inputmode": "decimal", "placeholder": "2,50", "autocomplete": "off"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        products = db.session.scalars(
            select(Product)
            .where(Product.active.is_(True), Product.unit == Unit.PIECE)
            .order_by(Product.name, Product.id)
        )
        self.product.choices = [choose(_l("Kies een product"))] + [
            SelectChoice(str(product.id), product.name) for product in products
        ]


class DexForm(BackOfficeForm):
    """A machine's EVA-DTS audit file, read instead of counting."""

    audit_file = FileField(
        _l("Auditbestand van de automaat (EVA-DTS, DEX)"),
        validators=[FileRequired(_l("Kies een bestand."))],
        render_kw={"accept": ".dex,.txt,text/plain"},
    )


class VisitForm(BackOfficeForm):
    """A refill or count sheet: CSRF only; its −/+ fields are read per compartment."""


class RefillForm(VisitForm):
    """The refill round: where the goods come from (and the pieces per compartment)."""

    source = SelectField(_l("Uit"), validators=[DataRequired(_l("Kies waar de goederen liggen."))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        locations = db.session.scalars(
            select(Location).where(Location.kind != "vending").order_by(Location.name)
        )
        self.source.choices = [choose(_l("Kies een plaats"))] + [
            SelectChoice(str(location.id), location.name) for location in locations
        ]


def default_source() -> Location | None:
    """Return where a refill round usually starts: the stock room, else a shop's shelf."""
    for kind in ("stockroom", "shelf"):
        location = db.session.scalar(
            select(Location).where(Location.kind == kind).order_by(Location.code).limit(1)
        )
        if location is not None:
            return location
    return None


def read_pieces(
    compartments: list[VendingCompartment],
    typed: MultiDict[str, str],
    prefix: str,
    errors: dict[str, str],
) -> dict[int, int]:
    """Read a whole number of pieces per compartment (`<prefix>-<id>`); note what is wrong."""
    pieces = {}
    for compartment in compartments:
        name = f"{prefix}-{compartment.id}"
        text = typed.get(name, "").strip()
        if not text:
            errors[name] = _("Vul een aantal in (0 als er geen zijn).")
            continue
        try:
            pieces[compartment.id] = parse_quantity(text, Unit.PIECE, allow_zero=True) // 1000
        except ValueError as error:
            errors[name] = str(error)
    return pieces

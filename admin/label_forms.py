"""The forms of the label pages, and the sheet page's address (what to print, in its query)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select
from werkzeug.datastructures import MultiDict
from wtforms import (
    DateField,
    Field,
    Form,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import AnyOf, InputRequired, NumberRange, Optional, ValidationError

from admin.forms import BackOfficeForm
from kiosk.catalog.label_sheets import SHEET_LAYOUTS, SheetLayout
from kiosk.catalog.labels import parse_weight, product_label
from kiosk.database import get_row
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Printer, Product
from kiosk.models.types import utcnow
from kiosk.periods import business_day
from printers.labels import MAX_COPIES, Label

#: the most labels of one product, and on one sheet page, per print
MAX_PER_PRODUCT = 500
MAX_PER_PAGE = 1000


def check_best_before(form: Form, field: DateField) -> None:
    """Refuse a best-before date that has already passed."""
    if field.data is not None and field.data < business_day(utcnow()):
        raise ValidationError(_l("Die datum is al voorbij."))


def layout_choice(layout: SheetLayout) -> SelectChoice:
    """Describe a sheet layout for the choice list: grid, label size and a sheet sold so."""
    text = _(
        "%(columns)s × %(rows)s = %(count)s etiketten van %(width)s × %(height)s mm",
        columns=layout.columns,
        rows=layout.rows,
        count=layout.per_sheet,
        width=format_decimal(layout.label_width_mm),
        height=format_decimal(layout.label_height_mm),
    )
    return SelectChoice(layout.key, f"{text} ({layout.examples})")


class SheetForm(BackOfficeForm):
    """The sheet layout, where a partly used sheet starts, and per product a count and a date.

    Make it with :meth:`for_products`: every product gets its own two fields.
    """

    layout = SelectField(
        _l("Etikettenvel"),
        validate_choice=False,
        validators=[AnyOf(list(SHEET_LAYOUTS), message=_l("Kies een etikettenvel."))],
    )
    start = IntegerField(
        _l("Begin bij etiket nummer (1 = linksboven; sla gebruikte etiketten over)"),
        default=1,
        validators=[InputRequired(message=_l("Geef een nummer.")), NumberRange(min=1)],
        render_kw={"inputmode": "numeric", "min": 1},
    )
    product_ids: tuple[int, ...] = ()

    @classmethod
    def for_products(cls, products: Iterable[Product], **kwargs: Any) -> SheetForm:
        """Make the form with a count and a best-before field for each product."""
        fields: dict[str, Any] = {"product_ids": ()}
        for product in products:
            fields["product_ids"] += (product.id,)
            fields[f"count_{product.id}"] = IntegerField(
                _("Aantal etiketten van %(name)s", name=product.name),
                default=0,
                validators=[
                    Optional(),
                    NumberRange(0, MAX_PER_PRODUCT, message=_l("Kies 0 tot 500 etiketten.")),
                ],
                render_kw={"inputmode": "numeric", "min": 0, "max": MAX_PER_PRODUCT},
            )
            fields[f"best_before_{product.id}"] = DateField(
                _("Ten minste houdbaar tot, %(name)s", name=product.name),
                validators=[Optional(), check_best_before],
            )
        form_class = type("ProductSheetForm", (cls,), fields)
        form: SheetForm = form_class(**kwargs)
        form.layout.choices = [layout_choice(layout) for layout in SHEET_LAYOUTS.values()]
        return form

    def count(self, product_id: int) -> Field:
        """Return the field with how many labels of a product."""
        return self[f"count_{product_id}"]

    def best_before(self, product_id: int) -> Field:
        """Return the field with a product's best-before date."""
        return self[f"best_before_{product_id}"]

    def validate_start(self, field: IntegerField) -> None:
        """Start on the chosen sheet."""
        layout = SHEET_LAYOUTS.get(self.layout.data or "")
        if layout is not None and field.data is not None and field.data > layout.per_sheet:
            raise ValidationError(_("Dit vel heeft %(count)s etiketten.", count=layout.per_sheet))

    def validate(self, extra_validators: Any = None) -> bool:
        """Check every field, then print at least one label and not a whole ream at once."""
        valid = super().validate(extra_validators)
        total = sum(self.count(product_id).data or 0 for product_id in self.product_ids)
        if total < 1:
            self.form_errors.append(_("Kies minstens één etiket."))
        elif total > MAX_PER_PAGE:
            self.form_errors.append(
                _("Druk hoogstens %(count)s etiketten per keer af.", count=MAX_PER_PAGE)
            )
        return valid and 1 <= total <= MAX_PER_PAGE


@dataclass(frozen=True)
class SheetOrder:
    """What a sheet page prints: which layout, from which place, and labels per product."""

    layout: SheetLayout
    start: int
    items: tuple[tuple[int, int, date | None], ...]  # product id, count, best-before


def sheet_query(form: SheetForm) -> dict[str, Any]:
    """Return the sheet page's query for a valid form: layout, start and label=id:count[:date]."""
    labels = []
    for product_id in form.product_ids:
        count = form.count(product_id).data
        if count:
            best_before = form.best_before(product_id).data
            item = f"{product_id}:{count}"
            labels.append(f"{item}:{best_before.isoformat()}" if best_before else item)
    return {"layout": form.layout.data, "start": form.start.data, "label": labels}


def parse_sheet_order(args: MultiDict[str, str]) -> SheetOrder:
    """Read a sheet page's query; refuse (OperationError) what the form would not make."""
    layout = SHEET_LAYOUTS.get(args.get("layout", ""))
    if layout is None:
        raise OperationError(400, "unknown_layout", _("Kies een etikettenvel."))
    start = args.get("start", "1")
    if not (start.isascii() and start.isdigit() and 1 <= int(start) <= layout.per_sheet):
        raise OperationError(400, "invalid_start", _("Dat beginnummer ligt niet op het vel."))
    items = tuple(parse_item(text) for text in args.getlist("label"))
    total = sum(count for _id, count, _day in items)
    if not 1 <= total <= MAX_PER_PAGE:
        raise OperationError(
            400, "invalid_count", _("Kies 1 tot %(count)s etiketten.", count=MAX_PER_PAGE)
        )
    return SheetOrder(layout, int(start), items)


def order_labels(order: SheetOrder) -> list[Label]:
    """Return every label a sheet order asks for, in order; refuse products without a code."""
    labels: list[Label] = []
    for product_id, count, best_before in order.items:
        product = get_row(Product, product_id)
        if product is None:
            raise OperationError(404, "unknown_product", _("Dit product bestaat niet meer."))
        labels += [product_label(product, best_before)] * count
    return labels


def parse_item(text: str) -> tuple[int, int, date | None]:
    """Read one label=id:count[:yyyy-mm-dd] item."""
    parts = text.split(":")
    try:
        if len(parts) not in (2, 3) or not all(p.isascii() and p.isdigit() for p in parts[:2]):
            raise ValueError(text)
        best_before = date.fromisoformat(parts[2]) if len(parts) == 3 else None
    except ValueError:
        raise OperationError(
            400, "invalid_label", _("Deze etikettenlijst is onleesbaar.")
        ) from None
    count = int(parts[1])
    if not 1 <= count <= MAX_PER_PRODUCT:
        raise OperationError(400, "invalid_count", _("Kies 1 tot 500 etiketten per product."))
    return int(parts[0]), count, best_before


def check_weight(form: Form, field: StringField) -> None:
    """Read the weight in kg, or say what is wrong with it."""
    try:
        parse_weight(field.data or "")
    except OperationError as error:
        raise ValidationError(error.message) from error


class LabelForm(BackOfficeForm):
    """A single label: the weight of a weighed pack, and the best-before date."""

    weight = StringField(
        _l("Gewicht in kg (bv. 0,750)"),
        validators=[InputRequired(message=_l("Geef het gewicht.")), check_weight],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    best_before = DateField(
        _l("Ten minste houdbaar tot (mag leeg)"), validators=[Optional(), check_best_before]
    )


class LabelPrintForm(LabelForm):
    """A single label on a receipt printer: which printer, how many copies."""

    printer = SelectField(_l("Printer"), coerce=int, validate_choice=False)
    copies = IntegerField(
        _l("Aantal etiketten"),
        default=1,
        validators=[
            InputRequired(message=_l("Geef een aantal.")),
            NumberRange(1, MAX_COPIES, message=_l("Kies 1 tot 500 etiketten.")),
        ],
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_COPIES},
    )

    def fill_choices(self) -> None:
        """Offer the active printers, receipt printers first."""
        self.printer.choices = [
            SelectChoice(printer.id, printer.name) for printer in active_printers()
        ]

    def validate_printer(self, field: SelectField) -> None:
        """Print on one of the active printers offered."""
        if field.data not in {choice.value for choice in field.choices or ()}:
            raise ValidationError(_l("Kies een printer."))


def active_printers() -> Iterable[Printer]:
    """Return the active printers, receipt printers first, then by name."""
    return db.session.scalars(
        select(Printer)
        .where(Printer.active.is_(True))
        .order_by(case((Printer.role == "receipt", 0), else_=1), Printer.name)
    )

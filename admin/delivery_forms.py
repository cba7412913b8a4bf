"""The delivery form: producer first, rows of product, quantity, price, lot and best-before."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from admin.fields import parse_day, parse_euro
from admin.forms import BackOfficeForm
from admin.stock_fields import (
    LineForm,
    check_quantity,
    chosen,
    location_choices,
    producer_choices,
    product_choices,
    row_id,
)
from kiosk.decimal_text import milli_text
from kiosk.extensions import db
from kiosk.models import Producer, Product
from kiosk.models.types import utcnow
from kiosk.money import format_euro
from kiosk.periods import BRUSSELS, business_day
from kiosk.stock.delivery_drafts import DeliveryDraft
from kiosk.stock.operations import DeliveredLine

#: empty rows on a new delivery form ("Regel toevoegen" adds one more each time)
ROWS = 8
MAX_ROWS = 200


class DeliveryLineForm(LineForm):
    """One row of a delivery: product, quantity, purchase price, lot and best-before date."""

    product = SelectField(_l("Product"), validate_choice=False)
    quantity = StringField(
        _l("Hoeveelheid (stuks of kg)"), render_kw={"inputmode": "decimal", "autocomplete": "off"}
    )
    purchase_price = StringField(
        _l("Aankoopprijs per stuk of kg (€)"),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    lot_code = StringField(_l("Lotnummer"), validators=[Length(max=40)])
    best_before = StringField(_l("Houdbaar tot"), render_kw={"type": "date"})

    line: DeliveredLine | None = None
    #: the delivery's producer, set by the delivery form before it checks its rows
    producer_id: int | None = None

    def is_blank(self) -> bool:
        """Return whether nothing was filled in on this row (it is then left out)."""
        return not any((field.data or "").strip() for field in self)

    def validate(self, extra_validators: Any = None) -> bool:
        """Check a filled-in row: each wrong field gets its own Dutch message."""
        self.line = None
        if self.is_blank():
            return True
        super().validate(extra_validators)
        product = chosen(Product, self.product)
        if product is None or not product.active:
            self.product.errors.append(_("Kies een product."))
        elif self.producer_id is not None and product.producer_id not in (None, self.producer_id):
            self.product.errors.append(_("Dit product komt van een andere producent."))
        quantity = check_quantity(self.quantity, product)
        price = read(self.purchase_price, parse_euro)
        best_before = read(self.best_before, parse_day)
        if product is None or quantity is None or any(field.errors for field in self):
            return False
        self.line = DeliveredLine(
            product, quantity, price, (self.lot_code.data or "").strip() or None, best_before
        )
        return True


def read(field: Any, parse: Any) -> Any:
    """Parse an optional field; put the parser's Dutch message on it when it is wrong."""
    text = (field.data or "").strip()
    if not text:
        return None
    try:
        return parse(text)
    except ValueError as error:
        field.errors.append(str(error))
        return None


class DeliveryForm(BackOfficeForm):
    """A delivery: who brought it, when, where it goes, and its rows."""

    producer = SelectField(_l("Producent"), choices=producer_choices, default="")
    delivered_on = StringField(
        _l("Datum"),
        validators=[DataRequired(message=_l("Vul de datum in."))],
        render_kw={"type": "date"},
    )
    location = SelectField(
        _l("Binnengebracht in"),
        choices=lambda: location_choices(_l("Kies een plaats")),
        validators=[DataRequired(message=_l("Kies een plaats."))],
    )
    q = StringField(_l("Zoek een product (naam of EAN)"), validators=[Optional(), Length(max=80)])
    note = TextAreaField(_l("Opmerking"), validators=[Optional(), Length(max=500)])
    lines = FieldList(FormField(DeliveryLineForm), min_entries=ROWS, max_entries=MAX_ROWS)
    #: the purchase order this delivery receives (from a delivery draft), empty for none
    purchase_order = HiddenField()
    confirm_past = BooleanField(_l("Toch boeken: de houdbaarheidsdatum is al voorbij"))

    #: set when a row's best-before date is past and the box above is not ticked
    asks_confirm = False

    def producer_id(self) -> int | None:
        """Return the chosen producer's id, or None."""
        producer = chosen(Producer, self.producer)
        return producer.id if producer is not None else None

    def offer_products(self) -> None:
        """Give every row the chosen producer's products (and the search's), keeping chosen ones."""
        keep = {key for e in self.lines if (key := row_id(e.product.data)) is not None}
        producer_id = self.producer_id()
        # a search with a control character was refused by its filter: search for nothing then
        search = "" if self.q.process_errors else (self.q.data or "").strip()[:80]
        choices = product_choices(producer_id=producer_id, search=search, keep=keep)
        for entry in self.lines:
            entry.product.choices = choices
            entry.form.producer_id = producer_id

    def add_row(self) -> None:
        """Add one empty row ("Regel toevoegen"), up to the limit; what was typed stays."""
        if len(self.lines.entries) < MAX_ROWS:
            self.lines.append_entry()
        self.offer_products()

    def fill_from_draft(self, draft: DeliveryDraft) -> None:
        """Fill the rows from delivery draft lines (a purchase order's, later an e-invoice's)."""
        products = {
            p.id: p
            for p in db.session.scalars(
                select(Product).where(Product.id.in_([line.product_id for line in draft.lines]))
            )
        }
        while self.lines.entries:
            self.lines.pop_entry()
        for line in draft.lines:
            product = products[line.product_id]
            self.lines.append_entry(
                {
                    "product": str(line.product_id),
                    "quantity": milli_text(line.quantity_milli, product.unit),
                    "purchase_price": format_euro(line.purchase_price_cents)
                    if line.purchase_price_cents is not None
                    else "",
                    "lot_code": line.lot_code or "",
                    "best_before": line.best_before.isoformat() if line.best_before else "",
                }
            )
        self.lines.append_entry()
        self.producer.data = str(draft.producer_id or "")
        self.purchase_order.data = str(draft.purchase_order_id or "")
        self.offer_products()

    def check_best_before(self) -> None:
        """Ask to confirm rows whose best-before date is already past."""
        today = business_day(utcnow())
        past = [
            entry.form
            for entry in self.lines
            if entry.form.line is not None
            and entry.form.line.best_before is not None
            and entry.form.line.best_before < today
        ]
        if past and not self.confirm_past.data:
            self.asks_confirm = True
            for row in past:
                row.best_before.errors.append(_("Deze datum is al voorbij."))
            self.form_errors.append(
                _(
                    "Een houdbaarheidsdatum is al voorbij. Kijk ze na, of vink „Toch boeken” aan "
                    "als ze kloppen."
                )
            )

    def validate(self, extra_validators: Any = None) -> bool:
        """Check the whole delivery; it needs at least one row and a date not in the future."""
        valid = super().validate(extra_validators)
        if valid:
            self.check_best_before()
        day = read(self.delivered_on, parse_day)
        today = business_day(utcnow())
        if day is not None and day > today:
            self.delivered_on.errors.append(_("Een levering kan niet in de toekomst liggen."))
        elif day is not None and day < today - timedelta(days=366):
            self.delivered_on.errors.append(_("Kies een datum in het voorbije jaar."))
        if all(entry.form.is_blank() for entry in self.lines):
            self.form_errors.append(_("Vul minstens één regel in: een product en een hoeveelheid."))
        return valid and not self.delivered_on.errors and not self.form_errors

    def moment(self) -> datetime:
        """Return when the goods came in: now for today, noon (Brussels) for an earlier day."""
        day = parse_day(self.delivered_on.data)
        now = utcnow()
        if day == business_day(now):
            return now
        return datetime.combine(day, time(12), tzinfo=BRUSSELS).astimezone(UTC)

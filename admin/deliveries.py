"""Deliveries from producers: products, quantities, purchase prices, lots, best-before."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from admin.blueprint import bp, get_or_404
from admin.fields import parse_day, parse_euro
from admin.forms import BackOfficeForm
from admin.listing import list_page, read_id_arg, read_period, read_search
from admin.stock_fields import (
    LineForm,
    check_quantity,
    chosen,
    location_choices,
    producer_choices,
    product_choices,
    staff_member,
)
from kiosk.catalog.overview import producer_names
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Delivery, Location, Producer, Product
from kiosk.models.types import utcnow
from kiosk.periods import BRUSSELS, business_day, day_text
from kiosk.stock.history import get_correction, get_delivered_lots, summarise_deliveries
from kiosk.stock.operations import DeliveredLine, receive_delivery
from kiosk.stock.overview import DELIVERY_SORTS, DeliveryFilter, delivery_overview

#: empty rows on a new delivery form, and how many "meer regels" adds
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
    note = TextAreaField(_l("Opmerking"), validators=[Optional(), Length(max=500)])
    lines = FieldList(FormField(DeliveryLineForm), min_entries=ROWS, max_entries=MAX_ROWS)
    #: "Toch opslaan": book rows whose best-before date is already past all the same
    confirm_past = BooleanField(_l("Toch opslaan"))
    #: the rows with a best-before date already past, said in Dutch, until confirmed
    past_best_before: list[str]

    def offer_products(self) -> None:
        """Give every row the product choices."""
        choices = product_choices()
        for entry in self.lines:
            entry.product.choices = choices

    def add_rows(self) -> None:
        """Add empty rows ("meer regels"), up to the limit."""
        for _row in range(ROWS):
            if len(self.lines.entries) < MAX_ROWS:
                self.lines.append_entry()
        self.offer_products()

    def validate(self, extra_validators: Any = None) -> bool:
        """Check the whole delivery; it needs at least one row and a date not in the future."""
        valid = super().validate(extra_validators)
        day = read(self.delivered_on, parse_day)
        today = business_day(utcnow())
        if day is not None and day > today:
            self.delivered_on.errors.append(_("Een levering kan niet in de toekomst liggen."))
        elif day is not None and day < today - timedelta(days=366):
            self.delivered_on.errors.append(_("Kies een datum in het voorbije jaar."))
        if all(entry.form.is_blank() for entry in self.lines):
            self.form_errors.append(_("Vul minstens één regel in: een product en een hoeveelheid."))
        valid = valid and not self.delivered_on.errors and not self.form_errors
        self.past_best_before = [] if self.confirm_past.data else self.rows_past(today)
        return valid and not self.past_best_before

    def rows_past(self, today: date) -> list[str]:
        """Say which rows have a best-before date already past (they may be booked on purpose)."""
        return [
            _(
                "Regel %(number)s: %(product)s is houdbaar tot %(day)s, dat is al voorbij.",
                number=number,
                product=entry.form.line.product.name,
                day=day_text(entry.form.line.best_before),
            )
            for number, entry in enumerate(self.lines, start=1)
            if entry.form.line is not None
            and entry.form.line.best_before is not None
            and entry.form.line.best_before < today
        ]

    def moment(self) -> datetime:
        """Return when the goods came in: now for today, noon (Brussels) for an earlier day."""
        day = parse_day(self.delivered_on.data)
        now = utcnow()
        if day == business_day(now):
            return now
        return datetime.combine(day, time(12), tzinfo=BRUSSELS).astimezone(UTC)


@bp.get("/deliveries")
def delivery_list() -> ResponseReturnValue:
    """List the deliveries a page at a time, newest first: search, producer, days."""
    chosen = DeliveryFilter(read_search(), read_id_arg("producer"), *read_period())
    page = list_page(delivery_overview(chosen), DELIVERY_SORTS, "-time", Delivery.id)
    return render_template(
        "admin/delivery_list.html",
        page=page,
        chosen=chosen,
        deliveries=summarise_deliveries(page.rows),
        producers=db.session.execute(producer_names()),
    )


@bp.route("/deliveries/new", methods=["GET", "POST"])
def delivery_new() -> ResponseReturnValue:
    """Book a delivery: every row is checked, and nothing is stored unless all are right."""
    form = DeliveryForm(delivered_on=business_day(utcnow()).isoformat())
    form.offer_products()
    if request.method == "POST" and "more" in request.form:
        form.add_rows()
    elif form.validate_on_submit():
        delivery = book(form)
        if delivery is not None:
            flash(_("De levering is geboekt."), "success")
            return redirect(url_for("admin.delivery_show", delivery_id=delivery.id))
    return render_template("admin/delivery_form.html", form=form)


def book(form: DeliveryForm) -> Delivery | None:
    """Store the delivery the form describes and commit; None (nothing stored) if refused."""
    location = chosen(Location, form.location)
    if location is None:
        form.location.errors.append(_("Kies een plaats."))
        return None
    producer = chosen(Producer, form.producer)
    lines = [entry.form.line for entry in form.lines if entry.form.line is not None]
    try:
        delivery = receive_delivery(
            producer.id if producer else None,
            location,
            lines,
            staff_member(),
            form.moment(),
            (form.note.data or "").strip() or None,
        )
        db.session.commit()
    except OperationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return None
    return delivery


@bp.get("/deliveries/<int:delivery_id>")
def delivery_show(delivery_id: int) -> ResponseReturnValue:
    """Show a delivery with its lots."""
    delivery = get_or_404(Delivery, delivery_id)
    lines = get_delivered_lots(delivery.id)
    return render_template(
        "admin/delivery.html",
        delivery=delivery,
        lines=lines,
        total_cents=sum(line.purchase_cents for line in lines),
        correction=get_correction(delivery.id),
        correctable=any(line.quantity_milli > 0 for line in lines),
    )

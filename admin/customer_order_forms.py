"""The back office's form for a customer's order: customer, pickup or delivery, day, lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import FieldList, FormField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from admin.fields import parse_day, parse_quantity
from admin.forms import BackOfficeForm
from admin.saving import show_refusal
from admin.stock_fields import LineForm, product_choices, row_id
from kiosk.customer_orders.checks import NewOrder
from kiosk.database import get_row
from kiosk.decimal_text import milli_text
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import CustomerOrder, PointOfSale, Product
from kiosk.models.customer_orders import Fulfilment, OrderPayment
from kiosk.periods import day_text
from kiosk.sales.operations import OrderLine

FULFILMENT_LABELS = {Fulfilment.PICKUP: _l("afhalen"), Fulfilment.DELIVERY: _l("leveren")}
PAYMENT_LABELS = {
    OrderPayment.ON_COLLECTION: _l("bij afhalen of levering"),
    OrderPayment.QR: _l("met QR-overschrijving"),
    OrderPayment.INVOICE: _l("op de maandfactuur"),
}
#: the form field a refusal of the shop's rules belongs next to
FIELD_OF_CODE = {
    "invalid_customer": "name",
    "invalid_phone": "phone",
    "invalid_note": "note",
    "invalid_fulfilment": "fulfilment",
    "invalid_payment": "payment",
    "invalid_day": "day",
    "invalid_slot": "slot",
    "invalid_address": "address",
    "address_required": "address",
    "address_not_for_pickup": "address",
    "association_required": "association_name",
    "invalid_association": "association_name",
    "invalid_vat_number": "association_vat_number",
}
#: empty rows the form offers for new lines
EMPTY_ROWS = 4


class OrderLineForm(LineForm):
    """One product of the order and how many (or the estimated weight in kg)."""

    product = SelectField(_l("Product"), validate_choice=False)
    quantity = StringField(_l("Aantal, of geschat gewicht in kg"))

    def is_blank(self) -> bool:
        """Return whether nothing was typed on this row."""
        return not self.product.data and not (self.quantity.data or "").strip()


def point_of_sale_choices() -> list[SelectChoice]:
    """Offer the points of sale by name."""
    points = db.session.scalars(select(PointOfSale).order_by(PointOfSale.id))
    return [SelectChoice(str(point.id), point.name) for point in points]


class CustomerOrderForm(BackOfficeForm):
    """A customer's order as staff type it (the shop's rules are checked by the operation)."""

    point_of_sale = SelectField(_l("Verkooppunt"), validate_choice=False)
    name = StringField(_l("Naam van de klant"))
    phone = StringField(_l("Telefoon"))
    fulfilment = SelectField(
        _l("Afhalen of leveren"),
        choices=[SelectChoice(key, label) for key, label in FULFILMENT_LABELS.items()],
    )
    address = TextAreaField(_l("Adres (alleen bij leveren)"))
    day = StringField(_l("Dag (dd-mm-jjjj)"))
    slot = StringField(_l("Tijdvak, bv. 10:00-12:00 (leeg: hele dag)"))
    payment = SelectField(
        _l("Betaling"), choices=[SelectChoice(key, label) for key, label in PAYMENT_LABELS.items()]
    )
    association_name = StringField(_l("Vereniging (bij betaling op de maandfactuur)"))
    association_address = TextAreaField(_l("Adres van de vereniging"))
    association_vat_number = StringField(_l("Btw-nummer van de vereniging (mag leeg)"))
    note = TextAreaField(_l("Opmerking"))
    lines = FieldList(FormField(OrderLineForm), min_entries=EMPTY_ROWS)

    def offer_choices(self) -> None:
        """Fill the choices of the point of sale and of each row's product."""
        self.point_of_sale.choices = point_of_sale_choices()
        choices = product_choices()
        for row in self.lines:
            row.form.product.choices = choices

    def fill_from(self, order: CustomerOrder) -> None:
        """Put a stored order on the form, with empty rows for more lines."""
        self.point_of_sale.data = str(order.point_of_sale_id)
        self.name.data, self.phone.data = order.customer_name, order.customer_phone
        self.fulfilment.data, self.payment.data = order.fulfilment, order.payment
        self.address.data, self.note.data = order.customer_address, order.customer_note
        self.day.data, self.slot.data = day_text(order.day), order.slot
        self.association_name.data = order.association_name
        self.association_address.data = order.association_address
        self.association_vat_number.data = order.association_vat_number
        while len(self.lines):
            self.lines.pop_entry()
        for line in order.lines:
            self.lines.append_entry(
                {"product": str(line.product_id), "quantity": milli_text(line.quantity_milli)}
            )
        for _empty in range(EMPTY_ROWS):
            self.lines.append_entry()

    def chosen_point_of_sale(self) -> PointOfSale:
        """Return the chosen point of sale (or the first there is); refuse when there is none."""
        chosen = row_id(self.point_of_sale.data)
        point = get_row(PointOfSale, chosen) if chosen is not None else None
        point = point or db.session.scalar(select(PointOfSale).order_by(PointOfSale.id))
        if point is None:
            raise OperationError(
                422, "unknown_point_of_sale", _l("Maak eerst een verkooppunt aan.")
            )
        return point

    def wanted(self) -> NewOrder | None:
        """Read the typed order; put a Dutch error on each field that cannot be read."""
        try:
            day = parse_day(self.day.data or "")
        except ValueError as error:
            self.day.errors = [*self.day.errors, str(error)]
            day = None
        lines = [line for row in self.lines if (line := self.read_line(row.form)) is not None]
        if day is None or any(row.form.errors for row in self.lines):
            return None
        return NewOrder(
            name=self.name.data or "",
            phone=self.phone.data or "",
            note=self.note.data,
            fulfilment=self.fulfilment.data or "",
            day=day,
            slot=(self.slot.data or "").strip() or None,
            address=self.address.data,
            payment=self.payment.data or "",
            association=(
                self.association_name.data,
                self.association_address.data,
                self.association_vat_number.data,
            ),
            lines=tuple(lines),
        )

    def read_line(self, row: Any) -> OrderLine | None:
        """Read one row: a product and its quantity, or nothing for a blank row."""
        if row.is_blank():
            return None
        chosen = row_id(row.product.data)
        product = get_row(Product, chosen) if chosen is not None else None
        if product is None:
            row.product.errors = [*row.product.errors, _l("Kies een product.")]
            return None
        try:
            milli = parse_quantity(row.quantity.data or "", product.unit)
        except ValueError as error:
            row.quantity.errors = [*row.quantity.errors, str(error)]
            return None
        return OrderLine(product.id, Decimal(milli) / 1000)


def show_order_refusal(form: Any, error: OperationError, field: str | None = None) -> None:
    """Show a refusal next to the field it is about, else above the form."""
    show_refusal(form, error, FIELD_OF_CODE.get(error.code, field))

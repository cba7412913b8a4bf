"""The purchase order sheet: one row per product of the producer, quantity and expected price."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from admin.delivery_forms import read
from admin.fields import parse_euro, parse_quantity
from admin.forms import BackOfficeForm
from admin.stock_fields import LineForm, row_id
from kiosk.decimal_text import milli_text
from kiosk.models import Product, PurchaseOrder
from kiosk.money import format_euro
from kiosk.orders.operations import MAX_LINES, OrderedLine
from kiosk.orders.suggestions import Suggestion

NUMBER_INPUT = {"inputmode": "decimal", "autocomplete": "off"}


class OrderRowForm(LineForm):
    """One product on the sheet: an empty or zero quantity leaves it off the order."""

    product = HiddenField()
    quantity = StringField(_l("Te bestellen"), render_kw=NUMBER_INPUT)
    purchase_price = StringField(_l("Verwachte aankoopprijs (€)"), render_kw=NUMBER_INPUT)


class PurchaseOrderForm(BackOfficeForm):
    """A draft order: the producer's products with what to order of each, and a note."""

    lines = FieldList(FormField(OrderRowForm), max_entries=MAX_LINES)
    note = TextAreaField(
        _l("Opmerking voor de producent"), validators=[Optional(), Length(max=500)]
    )

    ordered: list[OrderedLine]

    def read_lines(self, products: dict[int, Product]) -> bool:
        """Read the rows into `ordered`; put a Dutch message on each wrong field."""
        self.ordered = []
        valid = True
        for entry in self.lines:
            row = entry.form
            product = products.get(row_id(row.product.data) or 0)
            if product is None:
                self.form_errors.append(_("Een product hoort niet bij deze producent."))
                return False
            quantity = read(
                row.quantity,
                lambda text, unit=product.unit: parse_quantity(text, unit, allow_zero=True),
            )
            price = read(row.purchase_price, parse_euro)
            valid = valid and not row.quantity.errors and not row.purchase_price.errors
            if quantity:
                self.ordered.append(OrderedLine(product, quantity, price))
        if valid and not self.ordered:
            self.form_errors.append(_("Vul bij minstens één product een aantal in."))
            return False
        return valid


def sheet_data(suggestions: list[Suggestion], order: PurchaseOrder | None = None) -> dict[str, Any]:
    """Fill the sheet: an order's quantities and prices, else the suggestions and last prices."""
    on_order = {line.product_id: line for line in order.lines} if order else {}
    rows = []
    for suggestion in suggestions:
        product = suggestion.product
        line = on_order.get(product.id)
        quantity = line.quantity_milli if line else (None if order else suggestion.suggested_milli)
        price = line.purchase_price_cents if line else product.purchase_price_cents
        rows.append(
            {
                "product": str(product.id),
                "quantity": milli_text(quantity, product.unit) if quantity else "",
                "purchase_price": format_euro(price) if price is not None else "",
            }
        )
    return {"lines": rows, "note": order.note if order else ""}

"""The order document the till's API answers: what a care user needs, no personal data.

The customer's full name, phone number and note are for staff (the back office); the till
sees the first name, and the address of a delivery.
"""

from __future__ import annotations

from typing import Any

from kiosk.api.documents import pictogram_url
from kiosk.customer_orders.queries import order_total_cents, priced_lines
from kiosk.decimal_text import quantity_text
from kiosk.models import CustomerOrder
from kiosk.models.customer_orders import Fulfilment
from kiosk.models.types import Unit


def order_document(order: CustomerOrder) -> dict[str, Any]:
    """Describe a customer's order for the till."""
    customer: dict[str, Any] = {"first_name": order.first_name}
    if order.fulfilment == Fulfilment.DELIVERY:
        customer["address"] = order.customer_address
    return {
        "id": order.id,
        "status": order.status,
        "fulfilment": order.fulfilment,
        "day": order.day.isoformat(),
        "slot": order.slot,
        "payment": order.payment,
        "customer": customer,
        "lines": [
            {
                "id": priced.line.id,
                "product_id": priced.line.product_id,
                "name": priced.line.product.name,
                "unit": priced.line.product.unit,
                "quantity": quantity_text(priced.line.quantity, priced.line.product.unit),
                "weighed": priced.line.product.unit == Unit.KG
                and priced.line.weighed_milli is not None,
                "pictogram_url": pictogram_url(
                    priced.line.product.pictogram, priced.line.product.photo
                ),
                "price_cents": priced.price_cents,
                "amount_cents": priced.amount_cents,
            }
            for priced in priced_lines(order)
        ],
        "total_cents": order_total_cents(order),
        "sale_id": order.sale_id,
        "receipt_number": order.sale.receipt_number if order.sale is not None else None,
    }

"""Pay a customer's order: an ordinary sale, made once.

The sale goes through the till's own sale path (kiosk.sales.operations.record_sale): its own
ticket number, VAT per rate, cash rounding, stock out and receipt, priced on the day it is paid;
weighed lines at their weighed weight. The order row is locked first (PostgreSQL; SQLite runs
one write at a time), so a second payment waits and then finds the order paid; the unique
`customer_order.sale_id` keeps one sale to one order.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from kiosk.customer_orders.operations import locked_order, require_status, require_weights
from kiosk.customer_orders.queries import get_customer_order
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import CustomerOrder, Sale, Till
from kiosk.models.customer_orders import CustomerOrderStatus, OrderPayment
from kiosk.models.types import Consumption
from kiosk.sales.operations import Order, OrderLine, record_sale, replayed_sale
from kiosk.sales.queries import get_sale_by_key

KEY_OF_ANOTHER_SALE = OperationError(
    409,
    "idempotency_conflict",
    _l("Deze sleutel hoort bij een andere verkoop. Maak een nieuwe sleutel."),
)


def sale_order(
    order: CustomerOrder, operator_id: int, payments: tuple[tuple[str, int], ...]
) -> Order:
    """Return the sale request that pays an order: its lines as they are now, to take away."""
    return Order(
        operator_id=operator_id,
        lines=tuple(OrderLine(line.product_id, line.quantity) for line in order.lines),
        payments=payments,
        consumption=Consumption.TAKEAWAY,
    )


def pay_order(
    till: Till,
    order_id: int,
    operator_id: int,
    payments: tuple[tuple[str, int], ...],
    idempotency_key: str,
    now: datetime,
    rung_up_at: datetime | None = None,
) -> tuple[Sale, CustomerOrder, bool]:
    """Store the sale that pays an order of the till's point of sale; return both and if new.

    The key that paid it returns that sale (a replay); an order paid with another key is
    refused (409 order_paid) and no second sale is made.
    """
    order = locked_order(till.point_of_sale_id, order_id)
    request = sale_order(order, operator_id, payments)
    earlier = get_sale_by_key(till.id, idempotency_key)
    if earlier is not None:
        if earlier.id != order.sale_id:
            raise KEY_OF_ANOTHER_SALE
        return replayed_sale(earlier, request.fingerprint()), order, False
    require_status(order, CustomerOrderStatus.OPEN, CustomerOrderStatus.PREPARED)
    if order.payment == OrderPayment.INVOICE:
        raise OperationError(
            409,
            "order_on_invoice",
            _l("Deze bestelling wordt op de maandfactuur betaald, niet aan de kassa."),
        )
    require_weights(order)
    sale, created = record_sale(till, request, idempotency_key, now, rung_up_at)
    if not created:  # the key made a sale meanwhile (SQLite's write lock came later)
        raise KEY_OF_ANOTHER_SALE
    order.sale = sale
    order.status = CustomerOrderStatus.PAID
    order.paid_at = order.updated_at = now
    db.session.flush()
    return sale, order, True


def paid_again(
    order_id: int, earlier: Sale, operator_id: int, payments: tuple[tuple[str, int], ...]
) -> Sale:
    """Return the sale another request with the same key just made, if it paid this order."""
    order = get_customer_order(order_id)
    if order is None or order.sale_id != earlier.id:
        raise KEY_OF_ANOTHER_SALE
    return replayed_sale(earlier, sale_order(order, operator_id, payments).fingerprint())

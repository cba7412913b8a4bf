"""Pay a customer's order: an ordinary sale, made once.

The sale goes through the till's own sale path (kiosk.sales.operations.record_sale): its own
ticket number, VAT per rate, cash rounding, stock out and receipt, priced on the day it is paid;
weighed lines at their weighed weight. The order row is locked first (PostgreSQL; SQLite runs
one write at a time), so a second payment waits and then finds the order paid; the unique
`customer_order.sale_id` keeps one sale to one order.

Two payments are booked in the back office instead, on a till of the order's point of sale
(`book_order_sale`): handing over an order on the monthly invoice (paid `invoice`) and staff
confirming an order's QR transfer arrived (paid `qr`, the order's number as its reference).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask_babel import lazy_gettext as _l

from kiosk.customer_orders.audit_entries import record_order_event
from kiosk.customer_orders.operations import locked_order, require_status, require_weights
from kiosk.customer_orders.queries import get_customer_order, get_order_till
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import CustomerOrder, Sale, Till, User
from kiosk.models.customer_orders import CustomerOrderStatus, OrderPayment
from kiosk.models.types import Consumption, PaymentMethod
from kiosk.periods import business_day
from kiosk.sales.operations import Order, OrderLine, complete_sale, record_sale, replayed_sale
from kiosk.sales.pricing import priced_lines
from kiosk.sales.qr_payment import QrConfirmation
from kiosk.sales.queries import get_sale_by_key, get_vat_rates

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
    mark_paid(order, sale, now)
    record_order_event("customer_order.paid", order, user=sale.operator, till=till)
    return sale, order, True


def mark_paid(order: CustomerOrder, sale: Sale, now: datetime) -> None:
    """Put the sale that paid it on the order: paid, once."""
    order.sale = sale
    order.status = CustomerOrderStatus.PAID
    order.paid_at = order.updated_at = now
    db.session.flush()


def book_order_sale(order: CustomerOrder, method: str, staff: User, now: datetime) -> Sale:
    """Book an order as a sale made in the back office, on a till of its point of sale.

    The sale is ordinary (kiosk.sales.operations.complete_sale: its own ticket number, VAT per
    rate, stock out first expiry first, a receipt), to take away, at the day's prices, paid in
    full with `method` (never rounded: no cash); a QR payment keeps the order's number as its
    reference and the staff member who saw the money arrive.
    """
    require_weights(order)
    till = get_order_till(order.point_of_sale)
    lines = priced_lines(
        till,
        sale_order(order, staff.id, ()).lines,
        Consumption.TAKEAWAY,
        get_vat_rates(business_day(now)),
    )
    key = f"customer-order-{order.id}"
    return complete_sale(
        till,
        staff,
        lines,
        {method: sum(line.amount_cents for line in lines)},
        consumption=Consumption.TAKEAWAY,
        idempotency_key=key,
        fingerprint=hashlib.sha256(key.encode()).hexdigest(),
        now=now,
        qr=QrConfirmation(order.number, staff) if method == PaymentMethod.QR else None,
    )


def hand_over_on_invoice(order_id: int, staff: User, now: datetime) -> CustomerOrder:
    """Hand over an order paid on the monthly invoice: its sale, paid `invoice`, books it.

    The goods leave stock through that sale and its turnover and VAT count on the day it is
    handed over; the order waits for its association's monthly invoice.
    """
    order = locked_order(None, order_id)
    require_status(order, CustomerOrderStatus.OPEN, CustomerOrderStatus.PREPARED)
    if order.payment != OrderPayment.INVOICE:
        raise OperationError(
            409, "not_on_invoice", _l("Deze bestelling wordt niet op factuur betaald.")
        )
    order.sale = book_order_sale(order, PaymentMethod.INVOICE, staff, now)
    order.handed_over_at = order.updated_at = now
    db.session.flush()
    record_order_event("customer_order.handed_over", order, user=staff)
    return order


def confirm_qr_payment(order_id: int, staff: User, now: datetime) -> CustomerOrder:
    """Record that an order's QR transfer arrived (staff saw it): its sale, paid `qr`, once.

    A second confirmation finds the order paid (409 order_paid) and makes no second sale.
    """
    order = locked_order(None, order_id)
    require_status(order, CustomerOrderStatus.OPEN, CustomerOrderStatus.PREPARED)
    if order.payment != OrderPayment.QR:
        raise OperationError(
            409, "not_by_qr", _l("Deze bestelling wordt niet met een QR-overschrijving betaald.")
        )
    mark_paid(order, book_order_sale(order, PaymentMethod.QR, staff, now), now)
    record_order_event("customer_order.paid", order, user=staff)
    return order


def paid_again(
    order_id: int, earlier: Sale, operator_id: int, payments: tuple[tuple[str, int], ...]
) -> Sale:
    """Return the sale another request with the same key just made, if it paid this order."""
    order = get_customer_order(order_id)
    if order is None or order.sale_id != earlier.id:
        raise KEY_OF_ANOTHER_SALE
    return replayed_sale(earlier, sale_order(order, operator_id, payments).fingerprint())

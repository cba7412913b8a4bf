"""Take, change, prepare, cancel and hand over customers' orders (never committing).

An order is taken at a till (once per Idempotency-Key) or in the back office; the same rules
(kiosk.customer_orders.checks) hold for both. Paying is kiosk.customer_orders.payments.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from kiosk.customer_orders.audit_entries import record_order_event
from kiosk.customer_orders.checks import (
    NewOrder,
    check_order,
    checked_association,
    clean_text,
    refuse,
)
from kiosk.customer_orders.queries import get_customer_order, get_order_by_key, unweighed_line
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import CustomerOrder, CustomerOrderLine, PointOfSale, Till, User
from kiosk.models.customer_orders import CustomerOrderStatus
from kiosk.models.types import Unit
from kiosk.periods import business_day
from kiosk.sales.pricing import check_quantity


def create_order(
    point_of_sale: PointOfSale,
    wanted: NewOrder,
    now: datetime,
    *,
    user: User | None = None,
    till: Till | None = None,
    idempotency_key: str | None = None,
) -> tuple[CustomerOrder, bool]:
    """Store a new order; return it and whether it is new.

    At a till, a key it used before returns that order (a replay) or, for another order, 409.
    """
    fingerprint = wanted.fingerprint()
    if till is not None and idempotency_key is not None:
        earlier = get_order_by_key(till.id, idempotency_key)
        if earlier is not None:
            return replayed_order(earlier, fingerprint), False
    order = CustomerOrder(
        point_of_sale=point_of_sale,
        point_of_sale_id=point_of_sale.id,
        created_at=now,
        created_by=user,
        till=till,
        idempotency_key=idempotency_key,
        request_hash=fingerprint,
    )
    fill_order(order, wanted, now)
    db.session.add(order)
    db.session.flush()
    record_order_event("customer_order.taken", order, user=user, till=till)
    return order, True


def replayed_order(order: CustomerOrder, fingerprint: str) -> CustomerOrder:
    """Return the order a till's key made, if the replayed request is the same."""
    if order.request_hash != fingerprint:
        raise OperationError(
            409,
            "idempotency_conflict",
            _l("Deze sleutel hoort bij een andere bestelling. Maak een nieuwe sleutel."),
        )
    return order


def fill_order(order: CustomerOrder, wanted: NewOrder, now: datetime) -> None:
    """Check an order's fields and lines and put them on it (lines replaced)."""
    products = check_order(order.point_of_sale, wanted, business_day(now))
    order.customer_name = clean_text(wanted.name, 80)
    order.customer_phone = wanted.phone.strip()
    order.customer_note = clean_text(wanted.note, 500, multiline=True)
    order.customer_address = clean_text(wanted.address, 300, multiline=True)
    order.fulfilment = wanted.fulfilment
    order.day = wanted.day
    order.slot = wanted.slot
    order.payment = wanted.payment
    (
        order.association_name,
        order.association_address,
        order.association_vat_number,
    ) = checked_association(wanted)
    order.lines = [
        CustomerOrderLine(
            position=position,
            product=product,
            product_id=product.id,
            quantity_milli=int(line.quantity * 1000),
        )
        for position, (line, product) in enumerate(zip(wanted.lines, products, strict=True), 1)
    ]


def change_order(
    order_id: int, wanted: NewOrder, now: datetime, point_of_sale: PointOfSale | None = None
) -> CustomerOrder:
    """Change an open order: customer, day, slot, payment way, lines, and its point of sale."""
    order = locked_order(None, order_id)
    require_status(order, CustomerOrderStatus.OPEN)
    if point_of_sale is not None:
        order.point_of_sale, order.point_of_sale_id = point_of_sale, point_of_sale.id
    fill_order(order, wanted, now)
    order.updated_at = now
    db.session.flush()
    record_order_event("customer_order.changed", order)
    return order


def cancel_order(order_id: int, now: datetime) -> CustomerOrder:
    """Cancel an open or prepared order: its goods are no longer reserved."""
    order = locked_order(None, order_id)
    require_status(order, CustomerOrderStatus.OPEN, CustomerOrderStatus.PREPARED)
    order.status = CustomerOrderStatus.CANCELLED
    order.cancelled_at = order.updated_at = now
    record_order_event("customer_order.cancelled", order)
    return order


def prepare_order(
    point_of_sale_id: int | None,
    order_id: int,
    weights: dict[int, Decimal],
    now: datetime,
    till: Till | None = None,
) -> CustomerOrder:
    """Mark an order prepared, with the weighed weight of its weighed lines.

    Every weighed line needs a weight, sent now or before (422 weight_missing); preparing a
    prepared order again keeps it prepared and takes new weights (a reweighed basket, or the
    offline queue sending the same tap twice).
    """
    order = locked_order(point_of_sale_id, order_id)
    require_status(order, CustomerOrderStatus.OPEN, CustomerOrderStatus.PREPARED)
    lines = {line.id: line for line in order.lines}
    for line_id, weight in weights.items():
        line = lines.get(line_id)
        if line is None:
            raise refuse("unknown_line", _l("Deze lijn hoort niet bij deze bestelling."))
        if line.product.unit != Unit.KG:
            raise refuse(
                "not_weighed", _l("%(product)s wordt niet gewogen.", product=line.product.name)
            )
        check_quantity(line.product, weight)
        line.weighed_milli = int(weight * 1000)
    require_weights(order)
    if order.status == CustomerOrderStatus.OPEN:
        order.prepared_at = now
    order.status = CustomerOrderStatus.PREPARED
    order.updated_at = now
    record_order_event("customer_order.prepared", order, till=till)
    return order


def require_weights(order: CustomerOrder) -> None:
    """Refuse an order whose weighed lines were not all weighed yet."""
    line = unweighed_line(order)
    if line is not None:
        raise refuse("weight_missing", _l("Weeg eerst %(product)s.", product=line.product.name))


def locked_order(point_of_sale_id: int | None, order_id: int) -> CustomerOrder:
    """Return an order (of that point of sale, when given), locked until the commit."""
    order = get_customer_order(order_id, lock=True)
    if order is None or (
        point_of_sale_id is not None and order.point_of_sale_id != point_of_sale_id
    ):
        raise OperationError(404, "unknown_order", _l("Deze bestelling bestaat niet."))
    return order


def require_status(order: CustomerOrder, *allowed: str) -> None:
    """Refuse a change an order's status does not allow (paid, cancelled, handed over)."""
    if order.status in allowed and order.handed_over_at is None:
        return
    if order.status == CustomerOrderStatus.PAID:
        raise OperationError(409, "order_paid", _l("Deze bestelling is al betaald."))
    if order.status == CustomerOrderStatus.CANCELLED:
        raise OperationError(409, "order_cancelled", _l("Deze bestelling is geannuleerd."))
    if order.handed_over_at is not None:
        raise OperationError(
            409, "order_handed_over", _l("Deze bestelling is al meegegeven (op factuur).")
        )
    raise OperationError(
        409, "order_prepared", _l("Deze bestelling is al klaargemaakt: wijzigen kan niet meer.")
    )

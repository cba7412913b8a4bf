"""Verbs of purchase orders: make a draft, change its lines, send, cancel, receive.

Each checks the order's state and refuses with a Dutch message (kiosk.errors.OperationError);
each is audited (kiosk.orders.audit_entries) and none commits: the view does, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text

from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import (
    Delivery,
    OrderStatus,
    Producer,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    User,
)
from kiosk.orders.audit_entries import record_order_event

#: the most lines one order holds (a producer's whole range fits)
MAX_LINES = 500
#: PostgreSQL advisory lock key under which new orders take their numbers one at a time
ORDER_NUMBERS_LOCK = 0x504F_4E52  # "PONR"


@dataclass(frozen=True)
class OrderedLine:
    """One product to order: how much (thousandths of its unit), at what expected price."""

    product: Product
    quantity_milli: int
    purchase_price_cents: int | None = None


def check_lines(producer: Producer, lines: list[OrderedLine]) -> None:
    """Refuse an empty order, a product of another producer, a quantity not above zero."""
    if not lines:
        raise OperationError(
            422, "empty_order", _l("Een bestelling heeft minstens één product met een aantal.")
        )
    if len(lines) > MAX_LINES:
        raise OperationError(422, "too_many_lines", _l("Een bestelling heeft te veel regels."))
    for line in lines:
        if line.product.producer_id != producer.id:
            raise OperationError(
                422,
                "wrong_producer",
                _l("%(product)s komt niet van deze producent.", product=line.product.name),
            )
        if line.quantity_milli <= 0:
            raise OperationError(
                422, "bad_quantity", _l("Een bestelde hoeveelheid moet meer dan nul zijn.")
            )
        if line.purchase_price_cents is not None and line.purchase_price_cents < 0:
            raise OperationError(422, "bad_price", _l("Een aankoopprijs kan niet negatief zijn."))


def require_status(order: PurchaseOrder, *allowed: OrderStatus) -> None:
    """Refuse a step the order's state does not allow (409: it changed meanwhile).

    The order's row is read again and locked (PostgreSQL), so two staff members receiving the
    same order at once book it once: the second waits, then sees it received.
    """
    if order.id is not None:
        db.session.refresh(order, ["status"], with_for_update=True)
    if order.status not in allowed:
        raise OperationError(
            409,
            f"order_{order.status}",
            {
                OrderStatus.DRAFT: _l("Deze bestelling is nog een ontwerp."),
                OrderStatus.SENT: _l("Deze bestelling is al verstuurd."),
                OrderStatus.RECEIVED: _l("Deze bestelling is al ontvangen."),
                OrderStatus.CANCELLED: _l("Deze bestelling is geannuleerd."),
            }[OrderStatus(order.status)],
        )


def set_lines(order: PurchaseOrder, lines: list[OrderedLine]) -> None:
    """Replace an order's lines."""
    order.lines = [
        PurchaseOrderLine(
            product_id=line.product.id,
            product=line.product,
            quantity_milli=line.quantity_milli,
            purchase_price_cents=line.purchase_price_cents,
        )
        for line in lines
    ]


def create_purchase_order(
    producer: Producer,
    lines: list[OrderedLine],
    user: User | None,
    now: datetime,
    note: str | None = None,
) -> PurchaseOrder:
    """Make a draft order for a producer, numbered after the last one."""
    check_lines(producer, lines)
    number = next_order_number()
    order = PurchaseOrder(
        number=number,
        producer_id=producer.id,
        producer=producer,
        status=OrderStatus.DRAFT,
        note=note,
        created_at=now,
        user_id=user.id if user else None,
    )
    set_lines(order, lines)
    db.session.add(order)
    db.session.flush()
    record_order_event("purchase_order.created", order, user)
    return order


def next_order_number() -> int:
    """Return the number after the last order's, held until commit so no one else takes it.

    On PostgreSQL two staff making an order at once would both read the same last number; a
    transaction-scoped advisory lock makes the second wait for the first's commit. SQLite's
    write transactions already run one at a time.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ORDER_NUMBERS_LOCK})
    return (db.session.scalar(select(func.max(PurchaseOrder.number))) or 0) + 1


def change_draft(order: PurchaseOrder, lines: list[OrderedLine], note: str | None) -> None:
    """Replace a draft's lines and note (a sent order stays as the producer got it)."""
    require_status(order, OrderStatus.DRAFT)
    check_lines(order.producer, lines)
    set_lines(order, lines)
    order.note = note
    db.session.flush()


def send_purchase_order(order: PurchaseOrder, user: User | None, now: datetime) -> None:
    """Mark a draft as sent to the producer."""
    require_status(order, OrderStatus.DRAFT)
    check_lines(order.producer, [OrderedLine(ln.product, ln.quantity_milli) for ln in order.lines])
    order.status = OrderStatus.SENT
    order.sent_at = now
    db.session.flush()
    record_order_event("purchase_order.sent", order, user)


def cancel_purchase_order(order: PurchaseOrder, user: User | None, now: datetime) -> None:
    """Cancel a draft or sent order; a received one stays received."""
    require_status(order, OrderStatus.DRAFT, OrderStatus.SENT)
    order.status = OrderStatus.CANCELLED
    order.closed_at = now
    db.session.flush()
    record_order_event("purchase_order.cancelled", order, user)


def receive_purchase_order(
    order: PurchaseOrder, delivery: Delivery, user: User | None, now: datetime
) -> None:
    """Mark a sent order received by a delivery of the same producer, and link the two."""
    require_status(order, OrderStatus.SENT)
    if delivery.producer_id != order.producer_id:
        raise OperationError(
            422,
            "wrong_producer",
            _l("Deze levering komt van een andere producent dan de bestelling."),
        )
    order.status = OrderStatus.RECEIVED
    order.closed_at = now
    order.delivery_id = delivery.id
    db.session.flush()
    record_order_event("purchase_order.received", order, user)

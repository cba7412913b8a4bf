"""Read customers' orders: one order, a day's orders, their prices, and the goods they reserve."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from kiosk import money
from kiosk.database import MAX_ROW_ID
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import CustomerOrder, CustomerOrderLine, PointOfSale, Till
from kiosk.models.customer_orders import RESERVING_STATUSES, CustomerOrderStatus, OrderPayment
from kiosk.models.types import Unit

#: what a list of orders shows with them: lines, products, the sale
WITH_LINES = (
    selectinload(CustomerOrder.lines).selectinload(CustomerOrderLine.product),
    selectinload(CustomerOrder.sale),
)


def get_customer_order(order_id: int, *, lock: bool = False) -> CustomerOrder | None:
    """Return an order; `lock` holds it until the commit (PostgreSQL; SQLite writes one at a time).

    Every change and every payment takes this lock first, so two tablets paying one order take
    turns and the second finds it paid.
    """
    if not 0 < order_id <= MAX_ROW_ID:
        return None
    query = select(CustomerOrder).where(CustomerOrder.id == order_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def get_order_till(point_of_sale: PointOfSale) -> Till:
    """Return the till an order's back-office sale is booked on: the point of sale's first one."""
    till = db.session.scalar(
        select(Till)
        .where(
            Till.point_of_sale_id == point_of_sale.id,
            Till.role == "till",
            Till.revoked_at.is_(None),
        )
        .order_by(Till.id)
        .limit(1)
    )
    if till is None:
        raise OperationError(
            422,
            "no_order_till",
            _l(
                "%(point_of_sale)s heeft geen kassa: koppel er eerst een, de verkoop komt op "
                "haar bonnen.",
                point_of_sale=point_of_sale.name,
            ),
        )
    return till


def get_order_by_key(till_id: int, idempotency_key: str) -> CustomerOrder | None:
    """Return the order a till took with this Idempotency-Key, if any."""
    return db.session.scalar(
        select(CustomerOrder).where(
            CustomerOrder.till_id == till_id, CustomerOrder.idempotency_key == idempotency_key
        )
    )


def in_slot_order(query: Select[CustomerOrder]) -> Select[CustomerOrder]:
    """Sort orders by slot (orders for any time of the day last), then by id."""
    return query.order_by(CustomerOrder.slot.asc().nulls_last(), CustomerOrder.id)


def get_orders_of_day(point_of_sale_id: int | None, day: date) -> list[CustomerOrder]:
    """Return a day's orders that are not cancelled, by slot then id (all points of sale: None)."""
    query = select(CustomerOrder).where(
        CustomerOrder.day == day, CustomerOrder.status != CustomerOrderStatus.CANCELLED
    )
    if point_of_sale_id is not None:
        query = query.where(CustomerOrder.point_of_sale_id == point_of_sale_id)
    return list(db.session.scalars(in_slot_order(query).options(*WITH_LINES)))


def get_orders_to_prepare(day: date) -> list[CustomerOrder]:
    """Return the day's orders still to prepare (open), for the morning list."""
    query = select(CustomerOrder).where(
        CustomerOrder.day == day, CustomerOrder.status == CustomerOrderStatus.OPEN
    )
    return list(db.session.scalars(in_slot_order(query).options(*WITH_LINES)))


@dataclass(frozen=True)
class PricedLine:
    """An order line with the price it has now, or the price its sale took."""

    line: CustomerOrderLine
    price_cents: int
    amount_cents: int


def priced_lines(order: CustomerOrder) -> list[PricedLine]:
    """Price an order's lines: today's price × what it holds (weighed, else as ordered).

    A paid order shows what its sale took: the sale's lines are the order's, in its order.
    """
    if order.sale is not None:
        return [
            PricedLine(line, sold.unit_price_cents, sold.amount_cents)
            for line, sold in zip(order.lines, order.sale.lines, strict=False)
        ]
    return [
        PricedLine(
            line,
            line.product.price_cents,
            money.line_amount_cents(line.product.price_cents, line.quantity),
        )
        for line in order.lines
    ]


def order_total_cents(order: CustomerOrder) -> int:
    """Return what the order costs: its sale's total once paid, else the lines' estimate."""
    if order.sale is not None:
        return order.sale.total_cents
    return sum(priced.amount_cents for priced in priced_lines(order))


def awaits_qr_payment(order: CustomerOrder) -> bool:
    """Return whether an order waits for its QR transfer and its amount is known (all weighed)."""
    return (
        order.payment == OrderPayment.QR
        and order.status in RESERVING_STATUSES
        and unweighed_line(order) is None
    )


def unweighed_line(order: CustomerOrder) -> CustomerOrderLine | None:
    """Return the first line of a weighed product that was not weighed yet, if any."""
    return next(
        (
            line
            for line in order.lines
            if line.product.unit == Unit.KG and line.weighed_milli is None
        ),
        None,
    )


def get_orders_to_invoice(first_day: date) -> list[CustomerOrder]:
    """Return the month's orders on the monthly invoice that were handed over, by day."""
    next_month = (first_day.replace(day=28) + timedelta(days=4)).replace(day=1)
    query = (
        select(CustomerOrder)
        .where(
            CustomerOrder.payment == OrderPayment.INVOICE,
            CustomerOrder.handed_over_at.is_not(None),
            CustomerOrder.day >= first_day,
            CustomerOrder.day < next_month,
        )
        .order_by(CustomerOrder.day, CustomerOrder.id)
        .options(*WITH_LINES)
    )
    return list(db.session.scalars(query))

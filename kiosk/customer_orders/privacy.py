"""Erase customers' personal data from their orders once the orders are done with.

An order's customer name, phone, address and note are needed until the goods are handed over.
Some days after the order was paid, handed over on the monthly invoice or cancelled
(`ORDER_PRIVACY_DAYS`, default 30) they are erased; the order, its lines and its sale stay for
the figures, anonymous. Runs from `pluskassa orders forget` and at every back-office login.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update

from kiosk.audit import log as audit
from kiosk.extensions import db
from kiosk.models import CustomerOrder, User


def privacy_days() -> int:
    """Return after how many days customers' data is erased (at least 0)."""
    return max(0, int(current_app.config["ORDER_PRIVACY_DAYS"]))


def forget_customers(now: datetime, days: int, user: User | None = None) -> int:
    """Erase the personal data of orders done with more than `days` days ago; return how many.

    One audit entry says how many orders were made anonymous (none when there were none).
    """
    cutoff = now - timedelta(days=days)
    done = func.coalesce(
        CustomerOrder.paid_at, CustomerOrder.handed_over_at, CustomerOrder.cancelled_at
    )
    ids = list(
        db.session.scalars(
            select(CustomerOrder.id)
            .where(
                CustomerOrder.erased_at.is_(None),
                or_(
                    CustomerOrder.paid_at.is_not(None),
                    CustomerOrder.handed_over_at.is_not(None),
                    CustomerOrder.cancelled_at.is_not(None),
                ),
                done <= cutoff,
            )
            .order_by(CustomerOrder.id)
        )
    )
    if not ids:
        return 0
    db.session.execute(
        update(CustomerOrder)
        .where(CustomerOrder.id.in_(ids))
        .values(
            customer_name=None,
            customer_phone=None,
            customer_address=None,
            customer_note=None,
            erased_at=now,
        )
        .execution_options(synchronize_session="fetch")
    )
    audit.record(
        "customer_orders.forgotten",
        user=user,
        user_name="PlusKassa",
        subject="customer_orders",
        after={"orders": len(ids), "days": days, "first_id": ids[0], "last_id": ids[-1]},
    )
    return len(ids)

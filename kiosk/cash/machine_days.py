"""A vending machine's till closes its own days: each count makes the Z reports it needs.

A machine has no drawer (its cash is counted per emptying, kiosk.vending.emptying), and its
sales are booked only when it is counted. So every count closes the machine's till's days, up
to the count's own, that hold sales and have no Z report yet: every sale is in a Z report, and
the Z is there as soon as the sale. A sale booked after its day's Z (a second count that day)
is late, as a till's would be, and the next count's Z holds it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from kiosk.cash.drawer import make_z_report
from kiosk.extensions import db
from kiosk.models import Sale, Till, User, ZReport


def get_unclosed_days(till: Till, last_day: date) -> list[date]:
    """Return the till's business days up to `last_day` that hold sales but no Z report."""
    closed = select(ZReport.id).where(
        ZReport.till_id == Sale.till_id, ZReport.business_day == Sale.closing_day
    )
    return list(
        db.session.scalars(
            select(Sale.closing_day)
            .where(Sale.till_id == till.id, Sale.closing_day <= last_day, ~closed.exists())
            .distinct()
            .order_by(Sale.closing_day)
        )
    )


def close_machine_days(till: Till, last_day: date, user: User, now: datetime) -> list[ZReport]:
    """Make the machine till's Z report of every day up to `last_day` with unclosed sales."""
    db.session.flush()
    return [make_z_report(till, day, user, now) for day in get_unclosed_days(till, last_day)]

"""Readers for the back office's cash pages: every till's drawer of a day, Z reports, late sales."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam, func, select

from kiosk.driver_sql import DriverStatement
from kiosk.extensions import db
from kiosk.models import CashSession, PointOfSale, Sale, Till, ZReport
from kiosk.reports.day_figures import SalesScope


@dataclass(frozen=True)
class TillDay:
    """One till's drawer on one business day, as the overview lists it."""

    till: Till
    session: CashSession | None
    z_report: ZReport | None
    sales_count: int


def get_sales_counts(day: date, till_id: int | None = None) -> dict[int, int]:
    """Count each till's sales and refunds its X or Z report of a business day holds, by till id."""
    query = select(Sale.till_id, func.count(Sale.id)).group_by(Sale.till_id)
    scope = SalesScope(day, day, till_id=till_id, closing=True)
    rows = db.session.execute(scope.where(query)).all()
    return {till: int(count) for till, count in rows}


def get_till_days(day: date) -> list[tuple[PointOfSale, list[TillDay]]]:
    """Return every till's drawer of the day, grouped by point of sale.

    Unpaired (revoked) tills are left out, unless they sold or had a drawer that day.
    """
    sessions = {
        session.till_id: session
        for session in db.session.scalars(select(CashSession).filter_by(business_day=day))
    }
    reports = {
        report.till_id: report
        for report in db.session.scalars(select(ZReport).filter_by(business_day=day))
    }
    counts = get_sales_counts(day)
    groups: dict[int, tuple[PointOfSale, list[TillDay]]] = {}
    tills = db.session.scalars(
        select(Till).join(Till.point_of_sale).order_by(PointOfSale.name, Till.code)
    )
    for till in tills:
        if till.revoked_at is not None and till.id not in sessions and till.id not in counts:
            continue
        row = TillDay(till, sessions.get(till.id), reports.get(till.id), counts.get(till.id, 0))
        groups.setdefault(till.point_of_sale_id, (till.point_of_sale, []))[1].append(row)
    return list(groups.values())


def get_z_reports(till: Till) -> list[ZReport]:
    """Return a till's Z reports, the latest first."""
    return list(
        db.session.scalars(
            select(ZReport).where(ZReport.till_id == till.id).order_by(ZReport.number.desc())
        )
    )


def get_sales_after_close(report: ZReport) -> int:
    """Count the till's sales of that day that its Z report does not hold (they came after it).

    Late sales (rung up that day, arrived after the Z) count in a later Z. Sales are never
    deleted, so whatever the Z's own day has beyond the frozen count came later too.
    """
    figures = json.loads(report.figures)["figures"]
    frozen = figures["sales_count"] + figures["refunds_count"]
    now = get_sales_counts(report.business_day, report.till_id).get(report.till_id, 0)
    late = db.session.scalar(
        SalesScope(report.business_day, report.business_day, till_id=report.till_id).where(
            select(func.count(Sale.id)).where(Sale.late.is_(True))
        )
    )
    return max(now - frozen, 0) + int(late or 0)


#: built once: every sale reads it
CLOSED_DAYS = DriverStatement(
    select(ZReport.business_day).where(
        ZReport.till_id == bindparam("till_id"), ZReport.business_day >= bindparam("day")
    )
)


def get_closing_day(till_id: int, day: date, arrival_day: date) -> date:
    """Return the business day whose Z report will count a sale of `day` that arrives now.

    That is its own day, unless the till's Z report of that day was made already: then the sale
    is late, and the first day from its arrival on that has no Z report yet counts it.
    """
    # on the driver's cursor (kiosk.driver_sql): no ORM statement, no autoflush
    rows = CLOSED_DAYS.all(db.session.connection(), {"till_id": till_id, "day": day})
    closed = {closed_day for (closed_day,) in rows}
    if day not in closed:
        return day
    closing = max(arrival_day, day + timedelta(days=1))
    while closing in closed:
        closing += timedelta(days=1)
    return closing

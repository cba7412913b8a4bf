"""Readers for the back office's cash pages: every till's drawer of a day, Z reports, late sales."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

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
    """Count each till's sales and refunds of a business day, by till id."""
    query = select(Sale.till_id, func.count(Sale.id)).group_by(Sale.till_id)
    rows = db.session.execute(SalesScope(day, day, till_id=till_id).where(query)).all()
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
    """Count the till's sales of that day that its Z report does not hold (made after it).

    Sales are never deleted, so whatever the day has beyond the frozen count came later.
    """
    figures = json.loads(report.figures)["figures"]
    frozen = figures["sales_count"] + figures["refunds_count"]
    now = get_sales_counts(report.business_day, report.till_id).get(report.till_id, 0)
    return max(now - frozen, 0)

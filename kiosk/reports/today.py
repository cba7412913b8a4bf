"""How today goes per point of sale, for the back office's start page.

Turnover and sales come from the same `get_figures` the turnover page calls, so the two pages
always show the same amount for the same day; nothing is added up here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from kiosk.bistro.open_tabs import get_open_tab_summaries
from kiosk.extensions import db
from kiosk.models import PointOfSale
from kiosk.periods import period_containing, year_earlier
from kiosk.printing.queue import PrinterTrouble, get_printers_in_trouble
from kiosk.reports.day_figures import Figures, SalesScope, day_start, get_figures


@dataclass(frozen=True)
class PointOfSaleToday:
    """One point of sale today: its figures, the same weekday a year earlier, tabs and printers."""

    code: str
    name: str
    figures: Figures
    year_before_day: date
    #: the same weekday 52 weeks earlier; None when no sale was rung up that day ("geen gegevens")
    year_before: Figures | None
    #: that day until the same time of day as now
    year_before_so_far: Figures | None
    open_tabs: int
    unpaid_cents: int
    printers: list[PrinterTrouble]


def get_point_of_sale_days(today: date, now: datetime) -> list[PointOfSaleToday]:
    """Sum up today at every point of sale, by name."""
    points = db.session.scalars(select(PointOfSale).order_by(PointOfSale.name)).all()
    troubles = get_printers_in_trouble()
    # the turnover page's comparison: the same weekday 52 weeks earlier
    earlier_day = year_earlier(period_containing("day", today)).first_day
    # the same time of day then: as far into that day as now is into today (DST days differ)
    cut_off = day_start(earlier_day) + (now - day_start(today))
    days = []
    for point in points:
        earlier = get_figures(SalesScope(earlier_day, earlier_day, point_of_sale_id=point.id))
        so_far = SalesScope(earlier_day, earlier_day, point_of_sale_id=point.id, until=cut_off)
        known = earlier.sales_count or earlier.refunds_count
        tabs = get_open_tab_summaries(now, point.id)
        days.append(
            PointOfSaleToday(
                code=point.code,
                name=point.name,
                figures=get_figures(SalesScope(today, today, point_of_sale_id=point.id)),
                year_before_day=earlier_day,
                year_before=earlier if known else None,
                year_before_so_far=get_figures(so_far) if known else None,
                open_tabs=len(tabs),
                unpaid_cents=sum(tab.unpaid_cents for tab in tabs),
                printers=[t for t in troubles if t.point_of_sale_id == point.id],
            )
        )
    return days

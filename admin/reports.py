"""The day summary per point of sale, and week, month and year views against a year earlier."""

from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from admin.blueprint import bp, manager_required
from kiosk.extensions import db
from kiosk.models import PointOfSale
from kiosk.models.types import utcnow
from kiosk.periods import (
    FIRST_YEAR,
    KINDS,
    LAST_YEAR,
    business_day,
    following,
    in_report_years,
    period_containing,
    previous,
    read_day,
    year_earlier,
)
from kiosk.reports.day_figures import SalesScope, get_figures
from kiosk.sales.receipts import VAT_CODES

PERIOD_LABELS = {"day": _l("Dag"), "week": _l("Week"), "month": _l("Maand"), "year": _l("Jaar")}


@bp.get("/reports")
@manager_required
def report_summary() -> ResponseReturnValue:
    """Show the turnover of a period at one or every point of sale, beside a year earlier."""
    points = db.session.scalars(select(PointOfSale).order_by(PointOfSale.name)).all()
    today = business_day(utcnow())
    errors = []
    kind = request.args.get("period", "day")
    if kind not in KINDS:
        errors.append(_("Kies dag, week, maand of jaar."))
        kind = "day"
    day = report_day(request.args.get("date"), today, errors)
    code = request.args.get("pos", "")
    point = next((p for p in points if p.code == code), None)
    if code and point is None:
        errors.append(_("Dit verkooppunt bestaat niet."))
    period = period_containing(kind, day)
    earlier = year_earlier(period)
    point_id = point.id if point else None
    return render_template(
        "admin/reports.html",
        points=points,
        point=point,
        period=period,
        earlier_period=earlier,
        figures=get_figures(
            SalesScope(period.first_day, period.last_day, point_of_sale_id=point_id)
        ),
        earlier=get_figures(
            SalesScope(earlier.first_day, earlier.last_day, point_of_sale_id=point_id)
        ),
        previous_period=previous(period),
        next_period=following(period),
        period_labels=PERIOD_LABELS,
        vat_codes=VAT_CODES,
        errors=errors,
        today=today,
    )


def report_day(text: str | None, today: date, errors: list[str]) -> date:
    """Read a yyyy-mm-dd date from the query; today when absent or wrong (with a message)."""
    if not text:
        return today
    day = read_day(text)
    if day is None:
        errors.append(_("Deze datum klopt niet. Gebruik jjjj-mm-dd."))
        return today
    if not in_report_years(day):
        errors.append(
            _("Kies een datum tussen %(first)s en %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
        )
        return today
    return day

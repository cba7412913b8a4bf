"""The back office's start page: how today goes at every point of sale."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from admin.blueprint import bp
from kiosk.bistro.stations import get_station_warnings
from kiosk.models.types import Role, utcnow
from kiosk.periods import business_day
from kiosk.printing.queue import get_printers_in_trouble
from kiosk.reports.meal_turnover import get_gks_watch
from kiosk.reports.today import get_point_of_sale_days
from kiosk.stock.queries import get_below_minimum, get_expiring

#: "expiring soon": best before within this many days, as the morning list's default
EXPIRING_DAYS = 3


@bp.get("/")
def index() -> ResponseReturnValue:
    """Show how today goes: turnover, sales, open tabs, printers, stock and the GKS watch."""
    now = utcnow()
    today = business_day(now)
    # turnover and the GKS watch are for managers, as the dashboard and turnover page are
    manager = current_user.role == Role.MANAGER
    return render_template(
        "admin/index.html",
        today=today,
        points=get_point_of_sale_days(today, now),
        show_turnover=manager,
        loose_printers=[p for p in get_printers_in_trouble() if p.point_of_sale_id is None],
        below_minimum=get_below_minimum(),
        expiring=get_expiring(today + timedelta(days=EXPIRING_DAYS), since=today),
        expiring_days=EXPIRING_DAYS,
        gks=get_gks_watch(today.year, today) if manager else None,
        station_warnings=get_station_warnings(now),
    )

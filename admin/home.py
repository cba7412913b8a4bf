"""The back office's start page."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, select

from admin.blueprint import bp
from kiosk.bistro.stations import get_station_warnings
from kiosk.extensions import db
from kiosk.models import Product, Sale, Till
from kiosk.models.types import Role, utcnow
from kiosk.periods import business_day
from kiosk.reports.meal_turnover import get_gks_watch


@bp.get("/")
def index() -> ResponseReturnValue:
    """Show what there is to manage."""
    counts = {
        "products": db.session.scalar(select(func.count(Product.id))),
        "tills": db.session.scalar(select(func.count(Till.id))),
        "sales": db.session.scalar(select(func.count(Sale.id))),
    }
    # managers are warned here too when the bistro nears the GKS threshold
    year = business_day(utcnow()).year
    gks = get_gks_watch(year) if current_user.role == Role.MANAGER else None
    return render_template(
        "admin/index.html",
        counts=counts,
        gks=gks,
        station_warnings=get_station_warnings(utcnow()),
    )

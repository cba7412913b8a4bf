"""The back office's start page."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from admin.blueprint import bp
from kiosk.extensions import db
from kiosk.models import Product, Sale, Till


@bp.get("/")
def index() -> ResponseReturnValue:
    """Show what there is to manage."""
    counts = {
        "products": db.session.scalar(select(func.count(Product.id))),
        "tills": db.session.scalar(select(func.count(Till.id))),
        "sales": db.session.scalar(select(func.count(Sale.id))),
    }
    return render_template("admin/index.html", counts=counts)

"""Sales per product over a period, filtered by point of sale, category and producer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from admin.blueprint import bp, manager_required
from admin.reports import report_day
from admin.valuation import percent_text
from kiosk.decimal_text import local_quantity_text
from kiosk.extensions import db
from kiosk.models import Category, PointOfSale, Producer
from kiosk.models.types import utcnow
from kiosk.periods import business_day
from kiosk.reports.product_sales import (
    DEFAULT_SORT,
    SORT_KEYS,
    ProductFilter,
    get_product_sales,
    product_sales_total,
    sorted_sales,
)

Chosen = TypeVar("Chosen", PointOfSale, Category, Producer)


@bp.get("/reports/products")
@manager_required
def report_products() -> ResponseReturnValue:
    """Show quantity, turnover, VAT, purchase value and margin per product in a period."""
    errors: list[str] = []
    today = business_day(utcnow())
    first = report_day(request.args.get("from"), today.replace(day=1), errors)
    last = report_day(request.args.get("to"), today, errors)
    if first > last:
        errors.append(_("De begindatum ligt na de einddatum."))
        first, last = last, first
    points = db.session.scalars(select(PointOfSale).order_by(PointOfSale.name)).all()
    categories = db.session.scalars(select(Category).order_by(Category.name)).all()
    producers = db.session.scalars(select(Producer).order_by(Producer.name)).all()
    point = chosen_row(points, "pos", _("Dit verkooppunt bestaat niet."), errors)
    category = chosen_row(categories, "category", _("Deze categorie bestaat niet."), errors)
    producer = chosen_row(producers, "producer", _("Deze producent bestaat niet."), errors)
    sort = request.args.get("sort", DEFAULT_SORT)
    if sort.lstrip("-") not in SORT_KEYS:
        errors.append(_("Op deze kolom kan niet gesorteerd worden."))
        sort = DEFAULT_SORT
    chosen = ProductFilter(
        first,
        last,
        point.id if point else None,
        category.id if category else None,
        producer.id if producer else None,
    )
    rows = sorted_sales(get_product_sales(chosen), sort)
    return render_template(
        "admin/report_products.html",
        rows=rows,
        total=product_sales_total(rows),
        chosen=chosen,
        points=points,
        categories=categories,
        producers=producers,
        sort=sort,
        errors=errors,
        quantity=local_quantity_text,
        percent=percent_text,
    )


def chosen_row(rows: Sequence[Chosen], name: str, refusal: str, errors: list[str]) -> Chosen | None:
    """Return the row whose id (or, for a point of sale, code) the query names; None for all."""
    text = request.args.get(name, "").strip()
    if not text:
        return None
    found = next(
        (row for row in rows if str(row.id) == text or getattr(row, "code", None) == text), None
    )
    if found is None:
        errors.append(refusal)
    return found

"""The sales list's query: search a receipt, a product on it or who sold; place and days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from kiosk.catalog.overview import ProductFilter, filter_products
from kiosk.database import AnySelect
from kiosk.models import Product, Sale, SaleLine, User
from kiosk.reports.day_figures import within_days


@dataclass(frozen=True)
class SaleFilter:
    """What the sales list asks for: a text, a point of sale, Brussels business days."""

    search: str = ""
    point_of_sale_id: int | None = None
    first_day: date | None = None
    last_day: date | None = None


#: the sales list's sort keys
SALE_SORTS: dict[str, list[ColumnElement[Any] | InstrumentedAttribute[Any]]] = {
    "time": [Sale.rung_up_at],
    "total": [Sale.total_cents],
    "receipt": [Sale.receipt_number],
}


def sales_overview(chosen: SaleFilter) -> AnySelect:
    """Return the query for the sales the filter lets through, with what the list shows."""
    query = select(Sale).options(
        selectinload(Sale.point_of_sale), selectinload(Sale.operator), selectinload(Sale.refund_of)
    )
    if chosen.search:
        sellers = select(User.id).where(User.name.icontains(chosen.search, autoescape=True))
        # by product id, not the lines' text: the index finds a product's lines in a long history
        products = filter_products(select(Product.id), ProductFilter(chosen.search, active="all"))
        with_product = select(SaleLine.sale_id).where(SaleLine.product_id.in_(products))
        query = query.where(
            or_(
                Sale.receipt_number.icontains(chosen.search, autoescape=True),
                Sale.operator_id.in_(sellers),
                Sale.id.in_(with_product),
            )
        )
    if chosen.point_of_sale_id is not None:
        query = query.where(Sale.point_of_sale_id == chosen.point_of_sale_id)
    return within_days(query, Sale.rung_up_at, chosen.first_day, chosen.last_day)

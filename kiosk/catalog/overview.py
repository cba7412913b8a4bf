"""The products overview: which products a filter lets through, with stock, cost, margin, last sale.

The figures come in one query for a page of products: stock on hand and the last sale are
grouped subqueries joined to the products (never a query per product). The margin is the
price without VAT (today's take-away rate, or eat-in when every point of sale serves to eat
in: kiosk/stock/valuation.py's rule) minus the purchase price, which is taken to exclude VAT.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from kiosk import money
from kiosk.database import AnySelect
from kiosk.extensions import db
from kiosk.models import PointOfSale, Producer, Product, Sale, SaleLine, StockBalance
from kiosk.models.catalog import product_point_of_sale
from kiosk.models.rules import basis_points_to_rate
from kiosk.sales.queries import get_vat_rates
from kiosk.stock.valuation import consumption_of, margin_percent


@dataclass(frozen=True)
class ProductFilter:
    """The products list's filters as the query string gives them (ids as text, "none", "")."""

    search: str = ""
    category: str = ""
    producer: str = ""
    point_of_sale: str = ""
    active: str = "yes"


def row_id(text: str) -> int | None:
    """Return the id a filter names, or None for anything that is not a plausible id."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def filter_products(query: AnySelect, chosen: ProductFilter) -> AnySelect:
    """Keep the products the filter lets through: search in name, EAN and producer; the choices."""
    if chosen.search:
        producers = select(Producer.id).where(
            Producer.name.icontains(chosen.search, autoescape=True)
        )
        query = query.where(
            or_(
                Product.name.icontains(chosen.search, autoescape=True),
                Product.barcode.startswith(chosen.search, autoescape=True),
                Product.producer_id.in_(producers),
            )
        )
    for column, value in (
        (Product.category_id, chosen.category),
        (Product.producer_id, chosen.producer),
    ):
        if value == "none":
            query = query.where(column.is_(None))
        elif (wanted := row_id(value)) is not None:
            query = query.where(column == wanted)
    if (point_of_sale := row_id(chosen.point_of_sale)) is not None:
        sold_there = select(product_point_of_sale.c.product_id).where(
            product_point_of_sale.c.point_of_sale_id == point_of_sale
        )
        query = query.where(Product.id.in_(sold_there))
    if chosen.active in ("yes", "no"):
        query = query.where(Product.active.is_(chosen.active == "yes"))
    return query


on_hand = (
    select(StockBalance.product_id, func.sum(StockBalance.quantity_milli).label("quantity_milli"))
    .group_by(StockBalance.product_id)
    .subquery("on_hand")
)
last_line = (
    select(SaleLine.product_id, func.max(SaleLine.sale_id).label("sale_id"))
    .group_by(SaleLine.product_id)
    .subquery("last_line")
)
last_sale = select(Sale.id, Sale.rung_up_at).subquery("last_sale")

#: the products list's sort keys
PRODUCT_SORTS: dict[str, list[ColumnElement[Any] | InstrumentedAttribute[Any]]] = {
    "name": [func.lower(Product.name)],
    "price": [Product.price_cents],
    "purchase": [Product.purchase_price_cents],
    "stock": [on_hand.c.quantity_milli],
    "last_sale": [last_sale.c.rung_up_at],
    "barcode": [Product.barcode],
}


def product_overview(chosen: ProductFilter, sort: str = "name") -> AnySelect:
    """Return the query for the filtered products, joined to the figure it is sorted by."""
    query = select(Product).options(
        selectinload(Product.category),
        selectinload(Product.producer),
        selectinload(Product.points_of_sale),
    )
    if sort == "stock":
        query = query.outerjoin(on_hand, on_hand.c.product_id == Product.id)
    elif sort == "last_sale":
        query = query.outerjoin(last_line, last_line.c.product_id == Product.id).outerjoin(
            last_sale, last_sale.c.id == last_line.c.sale_id
        )
    return filter_products(query, chosen)


def count_products(chosen: ProductFilter) -> AnySelect:
    """Return the query the overview's rows are counted on (the products alone)."""
    return filter_products(select(Product.id), chosen)


@dataclass(frozen=True)
class ProductFigures:
    """A product in the overview with what it has on hand, what it earns and when it last sold."""

    product: Product
    on_hand_milli: int
    last_sale_at: datetime | None
    margin_cents: int | None
    margin_percent: Decimal | None


def product_figures(products: list[Product], day: date) -> list[ProductFigures]:
    """Add stock on hand, last sale and margin to a page of products (two queries for all)."""
    ids = [product.id for product in products]
    stock: dict[int, int] = dict(
        db.session.execute(
            select(on_hand.c.product_id, on_hand.c.quantity_milli).where(
                on_hand.c.product_id.in_(ids)
            )
        ).all()
    )
    lines = (
        select(SaleLine.product_id, func.max(SaleLine.sale_id).label("sale_id"))
        .where(SaleLine.product_id.in_(ids))
        .group_by(SaleLine.product_id)
        .subquery()
    )
    sold: dict[int, datetime] = dict(
        db.session.execute(
            select(lines.c.product_id, Sale.rung_up_at).join(Sale, Sale.id == lines.c.sale_id)
        ).all()
    )
    rates = get_vat_rates(day)
    figures = []
    for product in products:
        basis_points = rates.get((product.vat_class, consumption_of(product)))
        margin, percent = None, None
        if basis_points is not None and product.purchase_price_cents is not None:
            rate = basis_points_to_rate(basis_points)
            price_excl = product.price_cents - money.vat_included_cents(product.price_cents, rate)
            margin = price_excl - product.purchase_price_cents
            percent = margin_percent(margin, price_excl)
        milli = int(stock.get(product.id) or 0)
        figures.append(ProductFigures(product, milli, sold.get(product.id), margin, percent))
    return figures


def point_of_sale_names() -> Select[int, str]:
    """Return the query for the points of sale a list can be filtered by (id, name)."""
    return select(PointOfSale.id, PointOfSale.name).order_by(PointOfSale.name)


def producer_names() -> Select[int, str]:
    """Return the query for the producers a list can be filtered by (id, name)."""
    return select(Producer.id, Producer.name).order_by(Producer.name)

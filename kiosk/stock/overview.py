"""The stock pages' long lists as queries: stock levels per product and place, and deliveries.

Both are searched the way the products list is (name, EAN, producer: kiosk.catalog.overview)
and paged by admin/listing.py; what a page shows beyond its rows (its lots, its deliveries'
lines) is read in one more query for the whole page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, joinedload

from kiosk.catalog.overview import ProductFilter, filter_products
from kiosk.database import AnySelect
from kiosk.models import Delivery, Location, Producer, Product, StockBalance, StockMove
from kiosk.reports.day_figures import within_days

Sortable = ColumnElement[Any] | InstrumentedAttribute[Any]

#: on-hand per product and place, summed over the lots in the balances' own order (their key)
levels = (
    select(
        StockBalance.product_id,
        StockBalance.location_id,
        func.sum(StockBalance.quantity_milli).label("quantity_milli"),
    )
    .group_by(StockBalance.product_id, StockBalance.location_id)
    .subquery("levels")
)
#: the stock levels list's sort keys
STOCK_SORTS: dict[str, list[Sortable]] = {
    "name": [func.lower(Product.name), Location.code],
    "location": [Location.code, func.lower(Product.name)],
    "quantity": [levels.c.quantity_milli],
}


def stock_overview(search: str, location_id: int | None, category_id: int | None) -> AnySelect:
    """Return the query for each product's on-hand per place it ever moved, filtered."""
    query = (
        select(Product, Location, levels.c.quantity_milli)
        .join(levels, levels.c.product_id == Product.id)
        .join(Location, Location.id == levels.c.location_id)
    )
    category = "" if category_id is None else str(category_id)
    query = filter_products(query, ProductFilter(search, category=category, active="all"))
    if location_id is not None:
        query = query.where(Location.id == location_id)
    return query


@dataclass(frozen=True)
class DeliveryFilter:
    """What the deliveries list asks for: a text, a producer, Brussels business days."""

    search: str = ""
    producer_id: int | None = None
    first_day: date | None = None
    last_day: date | None = None


#: the deliveries list's sort keys
DELIVERY_SORTS: dict[str, list[Sortable]] = {
    "time": [Delivery.delivered_at],
    "producer": [func.lower(Producer.name)],
}


def delivery_overview(chosen: DeliveryFilter) -> AnySelect:
    """Return the query for the deliveries the filter lets through (producer, note, products)."""
    query = (
        select(Delivery)
        .outerjoin(Producer, Producer.id == Delivery.producer_id)
        .options(joinedload(Delivery.producer))
    )
    if chosen.search:
        products = filter_products(select(Product.id), ProductFilter(chosen.search, active="all"))
        delivered = select(StockMove.delivery_id).where(
            StockMove.kind == "delivery", StockMove.product_id.in_(products)
        )
        query = query.where(
            or_(
                Producer.name.icontains(chosen.search, autoescape=True),
                Delivery.note.icontains(chosen.search, autoescape=True),
                Delivery.id.in_(delivered),
            )
        )
    if chosen.producer_id is not None:
        query = query.where(Delivery.producer_id == chosen.producer_id)
    return within_days(query, Delivery.delivered_at, chosen.first_day, chosen.last_day)

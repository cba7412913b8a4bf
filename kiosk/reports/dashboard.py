"""The managers' dashboard figures: aggregate SQL over a period, never the sales themselves.

Business days and hours are Brussels time while the database keeps UTC, so a day or month is
a range of UTC moments: one CASE over those bounds puts each sale in its bucket, on every
engine, and the database returns a handful of sums however many sales there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, case, cast, extract, func, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from kiosk.extensions import db
from kiosk.models import Lot, PointOfSale, Product, Sale, SaleLine, StockMove
from kiosk.periods import BRUSSELS
from kiosk.reports.day_figures import SalesScope, day_start


@dataclass(frozen=True)
class ProductTurnover:
    """A product's turnover and quantity (pieces, or kg) in a period."""

    name: str
    unit: str
    quantity_milli: int
    gross_cents: int


@dataclass(frozen=True)
class WasteTotal:
    """Goods written off for one reason: how many bookings, and their value at purchase price."""

    reason: str
    bookings: int
    value_cents: int


def bucket(column: Any, bounds: list[datetime]) -> ColumnElement[int]:
    """Return the index of the [bounds[i], bounds[i+1]) range a moment falls in."""
    return case(
        *((column < bounds[index + 1], index) for index in range(len(bounds) - 1)),
        else_=len(bounds) - 1,
    )


def get_daily_turnover(scope: SalesScope) -> tuple[list[date], dict[str, list[int]]]:
    """Return the scope's days and each point of sale's turnover per day, by name."""
    days = [
        scope.first_day + timedelta(days=n)
        for n in range((scope.last_day - scope.first_day).days + 1)
    ]
    bounds = [day_start(day) for day in [*days, scope.last_day + timedelta(days=1)]]
    index = bucket(Sale.rung_up_at, bounds)
    rows = db.session.execute(
        scope.where(
            select(index, PointOfSale.name, func.sum(Sale.total_cents))
            .join(PointOfSale, PointOfSale.id == Sale.point_of_sale_id)
            .group_by(index, PointOfSale.name)
        )
    ).all()
    per_point: dict[str, list[int]] = {}
    for day_index, name, cents in rows:
        per_point.setdefault(name, [0] * len(days))[int(day_index)] += int(cents)
    return days, dict(sorted(per_point.items()))


def get_daily_totals(scope: SalesScope) -> list[int]:
    """Return the scope's turnover per day, all points of sale together."""
    days, per_point = get_daily_turnover(scope)
    return [sum(values[index] for values in per_point.values()) for index in range(len(days))]


def lines_in(scope: SalesScope) -> ColumnElement[bool]:
    """Return a condition on sale lines that their sale lies in the scope's range of sale ids.

    It holds for every line of a sale in the scope, whatever order ids were given in, and lets
    the database read those lines by their index instead of scanning all of them (PostgreSQL
    otherwise hashes a seq scan of millions of lines to find a month's).
    """
    # `id + 0`: PostgreSQL would find min(id) by walking the primary key from the first sale
    sale_id = Sale.id + 0
    low, high = db.session.execute(scope.where(select(func.min(sale_id), func.max(sale_id)))).one()
    if low is None:
        return SaleLine.sale_id.is_(None)  # no sales: no lines
    return SaleLine.sale_id.between(low, high)


def get_top_products(scope: SalesScope, limit: int = 10) -> list[ProductTurnover]:
    """Return the products with the most turnover in the scope, highest first."""
    gross = func.sum(SaleLine.amount_cents)
    rows = db.session.execute(
        scope.where(
            select(
                func.max(SaleLine.description),
                func.max(SaleLine.unit),
                func.sum(SaleLine.quantity_milli),
                gross,
            )
            .select_from(SaleLine)
            .join(Sale, Sale.id == SaleLine.sale_id)
            .where(lines_in(scope))
            .group_by(SaleLine.product_id)
            .order_by(gross.desc(), func.max(SaleLine.description))
            .limit(limit)
        )
    ).all()
    return [ProductTurnover(name, unit, int(qty), int(cents)) for name, unit, qty, cents in rows]


def utc_hour(column: Any) -> ColumnElement[int]:
    """Return the hour of a stored UTC moment (PostgreSQL would use the session's zone)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(extract("hour", func.timezone("UTC", column)), Integer)
    return cast(extract("hour", column), Integer)


def get_hourly_sales(scope: SalesScope) -> list[int]:
    """Return the number of sales per Brussels hour of the day (0-23) in the scope."""
    start, end = scope.utc_bounds()
    # Brussels is one or two hours ahead of UTC: find where that changes within the scope
    bounds, offsets = [start], list[int]()
    moment = start
    while moment < end:
        offset = int((moment.astimezone(BRUSSELS).utcoffset() or timedelta()).total_seconds())
        if not offsets or offsets[-1] != offset:
            if offsets:
                bounds.append(moment)
            offsets.append(offset)
        moment += timedelta(hours=1)
    bounds.append(end)
    segment = bucket(Sale.rung_up_at, bounds)
    hour = utc_hour(Sale.rung_up_at)
    rows = db.session.execute(
        scope.where(select(segment, hour, func.count(Sale.id)).group_by(segment, hour))
    ).all()
    counts = [0] * 24
    for segment_index, utc, count in rows:
        counts[(int(utc) + offsets[int(segment_index)] // 3600) % 24] += int(count)
    return counts


def get_waste_by_reason(scope: SalesScope) -> list[WasteTotal]:
    """Return the waste booked in the scope per reason, valued at the lot's or product's price.

    Waste undone by a reversing entry (kiosk.stock.corrections) was booked by mistake: it counts
    nowhere.
    """
    start, end = scope.utc_bounds()
    reversal = aliased(StockMove)
    reversed_ = (
        select(reversal.id)
        .where(reversal.corrects_id == StockMove.id)
        .correlate(StockMove)
        .exists()
    )
    price = func.coalesce(Lot.purchase_price_cents, Product.purchase_price_cents, 0)
    value = func.sum(-StockMove.quantity_milli * price)
    rows = db.session.execute(
        select(StockMove.reason, func.count(StockMove.id), value)
        .join(Product, Product.id == StockMove.product_id)
        .outerjoin(Lot, Lot.id == StockMove.lot_id)
        .where(StockMove.kind == "waste", StockMove.created_at >= start, StockMove.created_at < end)
        .where(~reversed_)
        .group_by(StockMove.reason)
        .order_by(value.desc(), StockMove.reason)
    ).all()
    # quantities are thousandths, so the sum is in thousandths of a cent: round half up
    return [
        WasteTotal(reason or "", int(n), (int(milli or 0) + 500) // 1000)
        for reason, n, milli in rows
    ]

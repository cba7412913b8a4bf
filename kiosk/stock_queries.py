"""Read the stock ledger: on-hand per product, location and lot, and the morning lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.models import Location, Lot, Product, StockBalance, StockMove


@dataclass(frozen=True)
class LotBalance:
    """What is left of one lot (or of goods without a lot: lot_id None) at a location."""

    lot_id: int | None
    best_before: date | None
    quantity_milli: int


def get_on_hand(product_id: int, location_id: int | None = None) -> int:
    """Return the on-hand quantity in thousandths (the ledger's sum, from the balances)."""
    query = select(func.coalesce(func.sum(StockBalance.quantity_milli), 0)).where(
        StockBalance.product_id == product_id
    )
    if location_id is not None:
        query = query.where(StockBalance.location_id == location_id)
    return int(db.session.scalar(query) or 0)


def get_ledger_sum(product_id: int, location_id: int) -> int:
    """Return the sum of the moves themselves (to check the balances against)."""
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(StockMove.quantity_milli), 0)).where(
                StockMove.product_id == product_id, StockMove.location_id == location_id
            )
        )
        or 0
    )


def get_lot_balances(product_id: int, location_id: int) -> list[LotBalance]:
    """Return every lot's balance at a location, first expiry first (no date and no lot last)."""
    rows = db.session.execute(
        select(StockBalance.lot_id, Lot.best_before, StockBalance.quantity_milli)
        .outerjoin(Lot, Lot.id == StockBalance.lot_id)
        .where(StockBalance.product_id == product_id, StockBalance.location_id == location_id)
    ).all()
    balances = [LotBalance(lot_id, best_before, int(total)) for lot_id, best_before, total in rows]
    return sorted(
        balances,
        key=lambda b: (
            b.lot_id is None,
            b.best_before is None,
            b.best_before or date.max,
            b.lot_id or 0,
        ),
    )


def get_sales_location(point_of_sale_id: int) -> Location | None:
    """Return the location a point of sale sells from, if stock is kept there."""
    return db.session.scalar(select(Location).where(Location.sells_for_id == point_of_sale_id))


@dataclass(frozen=True)
class StockLine:
    """One product's on-hand at one location, with what makes it notable."""

    product: Product
    location: Location
    quantity_milli: int
    best_before: date | None = None


def get_stock_levels() -> list[StockLine]:
    """Return the on-hand of every tracked product per location where it ever moved."""
    rows = db.session.execute(
        select(Product, Location, func.sum(StockBalance.quantity_milli))
        .join(StockBalance, StockBalance.product_id == Product.id)
        .join(Location, Location.id == StockBalance.location_id)
        .group_by(Product.id, Location.id)
        .order_by(Product.name, Location.code)
    ).all()
    return [StockLine(product, location, int(total)) for product, location, total in rows]


def get_below_minimum() -> list[StockLine]:
    """Return tracked products whose total on-hand is under their minimum."""
    return [
        line
        for line in get_stock_levels()
        if line.product.minimum_stock_milli
        and line.quantity_milli < line.product.minimum_stock_milli
    ]


def get_negative_stock() -> list[StockLine]:
    """Return stock that went below zero (goods sold that the ledger did not know)."""
    return [line for line in get_stock_levels() if line.quantity_milli < 0]


def get_expiring(until: date) -> list[StockLine]:
    """Return lots still on hand whose best-before date is on or before `until`."""
    rows = db.session.execute(
        select(Product, Location, Lot.best_before, func.sum(StockBalance.quantity_milli))
        .join(Lot, Lot.id == StockBalance.lot_id)
        .join(Product, Product.id == StockBalance.product_id)
        .join(Location, Location.id == StockBalance.location_id)
        .where(Lot.best_before.is_not(None), Lot.best_before <= until)
        .group_by(Product.id, Location.id, Lot.id, Lot.best_before)
        .having(func.sum(StockBalance.quantity_milli) > 0)
        .order_by(Lot.best_before, Product.name)
    ).all()
    return [StockLine(p, loc, int(total), best_before) for p, loc, best_before, total in rows]


def get_without_movement(since: datetime) -> list[StockLine]:
    """Return stock on hand that has not moved since `since`."""
    last_move = (
        select(StockMove.product_id, func.max(StockMove.created_at).label("last"))
        .group_by(StockMove.product_id)
        .subquery()
    )
    quiet = set(db.session.scalars(select(last_move.c.product_id).where(last_move.c.last < since)))
    return [
        line for line in get_stock_levels() if line.product.id in quiet and line.quantity_milli > 0
    ]

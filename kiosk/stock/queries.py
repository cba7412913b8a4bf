"""Read the stock ledger: on-hand per product, location and lot, and the morning lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select

from kiosk.extensions import db
from kiosk.models import (
    CustomerOrder,
    CustomerOrderLine,
    Location,
    Lot,
    Product,
    StockBalance,
    StockMove,
)
from kiosk.models.catalog import product_point_of_sale
from kiosk.models.customer_orders import RESERVING_STATUSES


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
    return first_expiry_first(
        [LotBalance(lot_id, best_before, int(total)) for lot_id, best_before, total in rows]
    )


def first_expiry_first(balances: list[LotBalance]) -> list[LotBalance]:
    """Return lot balances in the order a sale takes from them (no date and no lot last)."""
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
    #: promised to customers' orders that are open or prepared (kiosk.customer_orders)
    reserved_milli: int = 0

    @property
    def available_milli(self) -> int:
        """Return what is on hand and not promised: on hand − reserved."""
        return self.quantity_milli - self.reserved_milli


def get_stock_levels(
    location_id: int | None = None,
    category_id: int | None = None,
    product_id: int | None = None,
) -> list[StockLine]:
    """Return the on-hand of every product per location where it ever moved (or of a few)."""
    query = (
        select(Product, Location, func.sum(StockBalance.quantity_milli))
        .join(StockBalance, StockBalance.product_id == Product.id)
        .join(Location, Location.id == StockBalance.location_id)
        .group_by(Product.id, Location.id)
        .order_by(Product.name, Location.code)
    )
    if location_id is not None:
        query = query.where(Location.id == location_id)
    if category_id is not None:
        query = query.where(Product.category_id == category_id)
    if product_id is not None:
        query = query.where(Product.id == product_id)
    rows = db.session.execute(query).all()
    reserved = get_reserved({product.id for product, _location, _total in rows})
    return [
        StockLine(product, location, int(total), None, reserved.get((product.id, location.id), 0))
        for product, location, total in rows
    ]


def get_reserved(product_ids: set[int] | None = None) -> dict[tuple[int, int | None], int]:
    """Return the thousandths customers' orders reserve, per product and location.

    Goods on open and prepared orders are promised but still on the shelf of the location that
    sells for the order's point of sale (location None: that point of sale keeps no stock). A
    weighed line holds its weighed weight once weighed, else its estimate; an order handed over
    on the monthly invoice holds nothing (its goods left the shop).
    """
    held = func.coalesce(CustomerOrderLine.weighed_milli, CustomerOrderLine.quantity_milli)
    query = (
        select(CustomerOrderLine.product_id, Location.id, func.sum(held))
        .join(CustomerOrder, CustomerOrder.id == CustomerOrderLine.customer_order_id)
        .outerjoin(Location, Location.sells_for_id == CustomerOrder.point_of_sale_id)
        .where(
            CustomerOrder.status.in_(RESERVING_STATUSES),
            CustomerOrder.handed_over_at.is_(None),
        )
        .group_by(CustomerOrderLine.product_id, Location.id)
    )
    if product_ids is not None:
        query = query.where(CustomerOrderLine.product_id.in_(sorted(product_ids)))
    return {
        (product_id, location_id): int(milli)
        for product_id, location_id, milli in db.session.execute(query)
    }


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


def get_expiring(until: date, since: date | None = None) -> list[StockLine]:
    """Return lots still on hand whose best-before date is on or before `until` (from `since`)."""
    query = (
        select(Product, Location, Lot.best_before, func.sum(StockBalance.quantity_milli))
        .join(Lot, Lot.id == StockBalance.lot_id)
        .join(Product, Product.id == StockBalance.product_id)
        .join(Location, Location.id == StockBalance.location_id)
        .where(Lot.best_before.is_not(None), Lot.best_before <= until)
        .group_by(Product.id, Location.id, Lot.id, Lot.best_before)
        .having(func.sum(StockBalance.quantity_milli) > 0)
        .order_by(Lot.best_before, Product.name, Location.code)
    )
    if since is not None:
        query = query.where(Lot.best_before >= since)
    rows = db.session.execute(query).all()
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


@dataclass(frozen=True)
class LotOnHand:
    """A lot (or goods without a lot: lot None) with what is left of it at a location."""

    product_id: int
    location_id: int
    lot: Lot | None
    quantity_milli: int


def get_lots_on_hand(
    location_id: int | None = None,
    product_id: int | None = None,
    product_ids: list[int] | None = None,
) -> dict[tuple[int, int], list[LotOnHand]]:
    """Return the lots with goods left (or missing) per (product, location), first expiry first."""
    query = (
        select(StockBalance, Lot)
        .outerjoin(Lot, Lot.id == StockBalance.lot_id)
        .where(StockBalance.quantity_milli != 0)
        .order_by(
            StockBalance.lot_id.is_(None),
            Lot.best_before.is_(None),
            Lot.best_before,
            StockBalance.lot_key,
        )
    )
    if location_id is not None:
        query = query.where(StockBalance.location_id == location_id)
    if product_id is not None:
        query = query.where(StockBalance.product_id == product_id)
    if product_ids is not None:  # a page of the stock list
        query = query.where(StockBalance.product_id.in_(product_ids))
    lots: dict[tuple[int, int], list[LotOnHand]] = {}
    for balance, lot in db.session.execute(query).all():
        lots.setdefault((balance.product_id, balance.location_id), []).append(
            LotOnHand(balance.product_id, balance.location_id, lot, balance.quantity_milli)
        )
    return lots


def get_products_to_count(location: Location, category_id: int | None = None) -> list[Product]:
    """Return what a count lists: the tracked products kept there, and any with stock there.

    A location a point of sale sells from keeps that point of sale's products; a stock room
    may hold any product.
    """
    with_stock = select(StockBalance.product_id).where(
        StockBalance.location_id == location.id, StockBalance.quantity_milli != 0
    )
    kept = Product.active.is_(True) & Product.stock_tracked.is_(True)
    if location.sells_for_id is not None:
        sold_here = select(product_point_of_sale.c.product_id).where(
            product_point_of_sale.c.point_of_sale_id == location.sells_for_id
        )
        kept = kept & Product.id.in_(sold_here)
    query = (
        select(Product)
        .where(or_(kept, Product.id.in_(with_stock)))
        .order_by(Product.name, Product.id)
    )
    if category_id is not None:
        query = query.where(Product.category_id == category_id)
    return list(db.session.scalars(query))

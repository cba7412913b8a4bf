"""The goods of a refund: back into the lots the sale took them from, or booked as waste."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.models import Product, Sale, StockMove, User
from kiosk.stock.operations import lock_balances, move
from kiosk.stock.queries import get_sales_location

#: The waste reason (kiosk.operations.stock.WASTE_REASONS) of goods a refund throws away.
WASTE_REASON = {"beschadigd": "damaged", "over_datum": "expired"}


def book_stock(
    refund: Sale, original: Sale, operator: User, stock: str, reason: str, now: datetime
) -> None:
    """Put the goods back into the lots the sale took them from; waste books them out again."""
    location = get_sales_location(original.point_of_sale_id)
    products = {line.product_id for line in refund.lines if line.product_id is not None}
    if location is None or not products:
        return
    tracked = set(
        db.session.scalars(
            select(Product.id).where(Product.id.in_(products), Product.stock_tracked.is_(True))
        )
    )
    lock_balances(tracked, location.id)
    room = lot_room(original, tracked)
    for line in refund.lines:
        if line.product_id not in tracked:
            continue
        for lot_id, quantity in lots_for(room.get(line.product_id, []), -line.quantity_milli):
            fields = {"sale_id": refund.id, "user_id": operator.id, "lot_id": lot_id}
            move(line.product_id, location, quantity, "refund", now, reason=reason, **fields)
            if stock == "waste":
                waste = WASTE_REASON.get(reason, "other")
                move(line.product_id, location, -quantity, "waste", now, reason=waste, **fields)


def lot_room(original: Sale, products: set[int]) -> dict[int, list[list[int | None]]]:
    """Return per product the lots the sale took from and how much may still come back to each."""
    room: dict[int, list[list[int | None]]] = {}
    taken = db.session.execute(
        select(StockMove.product_id, StockMove.lot_id, func.sum(StockMove.quantity_milli))
        .where(StockMove.sale_id == original.id, StockMove.product_id.in_(products))
        .group_by(StockMove.product_id, StockMove.lot_id)
        .order_by(StockMove.product_id, StockMove.lot_id)
    )
    for product_id, lot_id, quantity in taken:
        room.setdefault(product_id, []).append([lot_id, -int(quantity)])
    returned = db.session.execute(
        select(StockMove.product_id, StockMove.lot_id, func.sum(StockMove.quantity_milli))
        .join(Sale, Sale.id == StockMove.sale_id)
        .where(
            Sale.refund_of_id == original.id,
            StockMove.kind == "refund",
            StockMove.product_id.in_(products),
        )
        .group_by(StockMove.product_id, StockMove.lot_id)
    )
    for product_id, lot_id, quantity in returned:
        for entry in room.get(product_id, []):
            if entry[0] == lot_id:
                entry[1] = int(entry[1] or 0) - int(quantity)
    return room


def lots_for(room: list[list[int | None]], quantity_milli: int) -> list[tuple[int | None, int]]:
    """Share a returned quantity over the lots with room left; the rest goes back without a lot."""
    parts: list[tuple[int | None, int]] = []
    left = quantity_milli
    for entry in room:
        free = int(entry[1] or 0)
        if left == 0 or free <= 0:
            continue
        part = min(left, free)
        parts.append((entry[0], part))
        entry[1] = free - part
        left -= part
    if left:
        parts.append((None, left))
    return parts

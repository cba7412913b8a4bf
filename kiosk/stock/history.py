"""Read what happened to stock: a product's moves, deliveries and their lines, count results."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select, true
from sqlalchemy.orm import joinedload

from kiosk.database import get_row
from kiosk.extensions import db
from kiosk.models import Delivery, Location, Lot, Product, StockMove
from kiosk.money import line_amount_cents

#: the moves a delivery's page and list add up: its goods, and in a correction their reversal
DELIVERY_KINDS = ("delivery", "correction")


def get_moves(product_id: int, limit: int = 200) -> list[StockMove]:
    """Return a product's latest moves, newest first, with their lot and location."""
    return list(
        db.session.scalars(
            select(StockMove)
            .where(StockMove.product_id == product_id)
            .options(joinedload(StockMove.lot), joinedload(StockMove.location))
            .order_by(StockMove.created_at.desc(), StockMove.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class CountDifference:
    """What one count found for one product: the ledger's figure before it, and the count."""

    product: Product
    expected_milli: int
    counted_milli: int

    @property
    def difference_milli(self) -> int:
        """Return what the count booked: more (positive) or less (negative) than expected."""
        return self.counted_milli - self.expected_milli


def get_count_moves(first_move_id: int) -> list[StockMove]:
    """Return the moves one count booked (same location, user and moment), or [] if none."""
    return get_moves_booked_together(first_move_id, "count")


def get_moves_booked_together(move_id: int, kind: str) -> list[StockMove]:
    """Return the moves of one waste entry or count that `move_id` belongs to, or [] if none.

    They were booked together: same kind, location, user and moment, and for waste the same
    product (a waste entry is one product's, over its lots; a count holds many products); a
    refund's waste (it belongs to its sale) and reversing moves are not such an entry.
    """
    first = get_row(StockMove, move_id)
    if first is None or first.kind != kind or first.sale_id is not None:
        return []
    return list(
        db.session.scalars(
            select(StockMove)
            .where(
                StockMove.kind == kind,
                StockMove.location_id == first.location_id,
                StockMove.created_at == first.created_at,
                StockMove.sale_id.is_(None),
                StockMove.product_id == first.product_id if kind == "waste" else true(),
                StockMove.user_id.is_(None)
                if first.user_id is None
                else StockMove.user_id == first.user_id,
            )
            .order_by(StockMove.id)
        )
    )


def get_reversed(move_ids: list[int]) -> set[int]:
    """Return which of these moves were undone by a reversing move."""
    if not move_ids:
        return set()
    undone = db.session.scalars(
        select(StockMove.corrects_id).where(StockMove.corrects_id.in_(move_ids))
    )
    return {ident for ident in undone if ident is not None}


def get_correction(delivery_id: int) -> Delivery | None:
    """Return the correction booked for a delivery, if any."""
    return db.session.scalar(select(Delivery).where(Delivery.corrects_id == delivery_id))


def get_delivery_goods(delivery_id: int, kinds: tuple[str, ...] = ("delivery",)) -> list[StockMove]:
    """Return the goods a delivery brought in (its reversals left out), in the order entered."""
    return list(
        db.session.scalars(
            select(StockMove)
            .where(StockMove.delivery_id == delivery_id, StockMove.kind.in_(kinds))
            .options(joinedload(StockMove.lot), joinedload(StockMove.location))
            .order_by(StockMove.id)
        )
    )


def get_count_differences(moves: list[StockMove]) -> list[CountDifference]:
    """Return per product what the ledger said before a count's moves and what was counted."""
    booked: dict[int, tuple[int, int]] = {}  # product → (first move id, sum of its moves)
    for entry in moves:
        first, total = booked.get(entry.product_id, (entry.id, 0))
        booked[entry.product_id] = (min(first, entry.id), total + entry.quantity_milli)
    differences = []
    for product_id, (first_id, difference) in booked.items():
        before = int(
            db.session.scalar(
                select(func.coalesce(func.sum(StockMove.quantity_milli), 0)).where(
                    StockMove.product_id == product_id,
                    StockMove.location_id == moves[0].location_id,
                    StockMove.id < first_id,
                )
            )
            or 0
        )
        product = db.session.get(Product, product_id)
        assert product is not None  # a move's product cannot be deleted
        differences.append(CountDifference(product, before, before + difference))
    return sorted(differences, key=lambda line: (line.product.name, line.product.id))


@dataclass(frozen=True)
class DeliveredLot:
    """One line of a delivery: the lot it made, where it went and how much."""

    lot: Lot
    location: Location
    quantity_milli: int

    @property
    def purchase_cents(self) -> int:
        """Return what this line cost."""
        return purchase_cents(self.lot, self.quantity_milli)


@dataclass(frozen=True)
class DeliverySummary:
    """A delivery with its number of lines and what its goods cost."""

    delivery: Delivery
    line_count: int
    purchase_cents: int


def purchase_cents(lot: Lot, quantity_milli: int) -> int:
    """Return what a delivered line cost: purchase price per unit × quantity (0 if unknown)."""
    return line_amount_cents(lot.purchase_price_cents or 0, Decimal(quantity_milli) / 1000)


def summarise_deliveries(deliveries: list[Delivery]) -> list[DeliverySummary]:
    """Count and price the lines of these deliveries (one query for all of them)."""
    lines: dict[int | None, list[tuple[Lot, int]]] = {}
    rows = db.session.execute(
        select(StockMove.delivery_id, Lot, StockMove.quantity_milli)
        .join(Lot, Lot.id == StockMove.lot_id)
        .where(
            StockMove.kind.in_(DELIVERY_KINDS),
            StockMove.delivery_id.in_([delivery.id for delivery in deliveries]),
        )
    ).all()
    for delivery_id, lot, quantity in rows:
        lines.setdefault(delivery_id, []).append((lot, quantity))
    return [
        DeliverySummary(
            delivery,
            len(lines.get(delivery.id, [])),
            sum(purchase_cents(lot, quantity) for lot, quantity in lines.get(delivery.id, [])),
        )
        for delivery in deliveries
    ]


def get_delivered_lots(delivery_id: int) -> list[DeliveredLot]:
    """Return a delivery's lines in the order they were entered (a correction's reversals too)."""
    return [
        DeliveredLot(entry.lot, entry.location, entry.quantity_milli)
        for entry in get_delivery_goods(delivery_id, DELIVERY_KINDS)
        if entry.lot is not None
    ]

"""Change stock: deliveries, sales (first expiry first out), waste, transfers and counts.

Every change is a move in the ledger; nothing is overwritten. Stock may go negative (the goods
are in the customer's hand): the ledger then shows it, and the morning list flags it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Delivery, Location, Lot, Product, StockBalance, StockMove, User
from kiosk.models.types import Unit
from kiosk.stock.audit_entries import record_delivery, record_stock_correction
from kiosk.stock.queries import get_lot_balances, get_on_hand
from kiosk.stock.sale_consumption import BALANCE_UPSERTS, take_from

WASTE_REASONS = {
    "expired": "over datum",
    "damaged": "beschadigd",
    "eaten": "opgegeten in de bistro",
    "other": "andere reden",
}


@dataclass(frozen=True)
class DeliveredLine:
    """One product of a delivery."""

    product: Product
    quantity_milli: int
    purchase_price_cents: int | None = None
    lot_code: str | None = None
    best_before: date | None = None


def positive(quantity_milli: int) -> int:
    """Refuse zero and negative quantities."""
    if quantity_milli <= 0:
        raise OperationError(422, "invalid_quantity", _l("Het aantal moet groter dan nul zijn."))
    return quantity_milli


def checked_quantity(product: Product, quantity_milli: int) -> int:
    """Refuse zero, negative and broken-up pieces (kg products go to the gram)."""
    positive(quantity_milli)
    if product.unit == Unit.PIECE and quantity_milli % 1000:
        raise OperationError(
            422,
            "invalid_quantity",
            _l("Geef voor %(product)s een geheel aantal stuks.", product=product.name),
        )
    return quantity_milli


def lock_balances(product_ids: set[int], location_id: int) -> None:
    """Lock the products' balance rows at a location until commit, in one fixed order.

    Two sales of one product at once would otherwise both read the same lot balance and both
    take from it. PostgreSQL makes the second wait for the first's commit and then read the new
    balances; SQLite has no FOR UPDATE (SQLAlchemy leaves it out) and needs none, as its write
    transactions run one at a time. The fixed order keeps two sales of the same products from
    locking each other (a deadlock).
    """
    if not product_ids:
        return
    with db.session.no_autoflush:  # the moves are inserted together at the end, in one batch
        db.session.execute(
            select(StockBalance.product_id, StockBalance.lot_key)
            .where(
                StockBalance.product_id.in_(product_ids),
                StockBalance.location_id == location_id,
            )
            .order_by(StockBalance.product_id, StockBalance.lot_key)
            .with_for_update()
        ).all()


def move(
    product_id: int,
    location: Location,
    quantity_milli: int,
    kind: str,
    now: datetime,
    *,
    lot_id: int | None = None,
    **fields: object,
) -> StockMove:
    """Add one move to the ledger and to the cached balance."""
    if location.id is None:
        db.session.flush()
    entry = StockMove(
        lot_id=lot_id,
        product_id=product_id,
        location=location,
        quantity_milli=quantity_milli,
        kind=kind,
        created_at=now,
        **fields,
    )
    db.session.add(entry)
    with db.session.no_autoflush:  # the moves are inserted together at the end, in one batch
        add_to_balance(product_id, location.id, lot_id, quantity_milli)
    return entry


def add_to_balance(
    product_id: int, location_id: int, lot_id: int | None, quantity_milli: int
) -> None:
    """Add a move to the cached balance in one statement (safe when two sales race)."""
    db.session.execute(
        BALANCE_UPSERTS[db.session.get_bind().dialect.name].statement,
        {
            "product_id": product_id,
            "location_id": location_id,
            "lot_key": lot_id or 0,
            "lot_id": lot_id,
            "quantity_milli": quantity_milli,
        },
    )


def receive_delivery(
    producer_id: int | None,
    location: Location,
    lines: list[DeliveredLine],
    user: User | None,
    now: datetime,
    note: str | None = None,
) -> Delivery:
    """Book a delivery: a lot per line, with its best-before date and purchase price."""
    if not lines:
        raise OperationError(422, "empty_delivery", _l("Een levering heeft minstens één product."))
    delivery = Delivery(
        producer_id=producer_id, delivered_at=now, note=note, user_id=user.id if user else None
    )
    db.session.add(delivery)
    db.session.flush()
    for line in lines:
        lot = new_lot(
            line.product.id, line.lot_code, line.best_before, line.purchase_price_cents, delivery
        )
        move(
            line.product.id,
            location,
            checked_quantity(line.product, line.quantity_milli),
            "delivery",
            now,
            lot_id=lot.id,
            delivery_id=delivery.id,
            user_id=user.id if user else None,
        )
    record_delivery(delivery, location, len(lines), user)
    return delivery


def new_lot(
    product_id: int,
    code: str | None,
    best_before: date | None,
    purchase_price_cents: int | None,
    delivery: Delivery,
) -> Lot:
    """Add the lot a delivery (or its correction) brings in, at its moment, with its id."""
    lot = Lot(
        product_id=product_id,
        code=code,
        best_before=best_before,
        delivery_id=delivery.id,
        purchase_price_cents=purchase_price_cents,
        created_at=delivery.delivered_at,
    )
    db.session.add(lot)
    db.session.flush()
    return lot


def take_first_expiry_first(
    product_id: int,
    location: Location,
    quantity_milli: int,
    kind: str,
    now: datetime,
    *,
    first_lot_id: int | None = None,
    **fields: object,
) -> list[StockMove]:
    """Take goods out, earliest best-before first; what the ledger lacks goes negative.

    `first_lot_id` names a lot to take from before the others (waste of a known lot).
    """
    if location.id is None:
        db.session.flush()
    lock_balances({product_id}, location.id)
    with db.session.no_autoflush:  # balances are current: each move updates its own at once
        balances = get_lot_balances(product_id, location.id)
    if first_lot_id is not None:
        balances.sort(key=lambda balance: balance.lot_id != first_lot_id)
    return [
        move(product_id, location, taken, kind, now, lot_id=lot_id, **fields)
        for lot_id, taken in take_from(balances, quantity_milli)
    ]


def book_waste(
    product: Product,
    location: Location,
    quantity_milli: int,
    reason: str,
    user: User | None,
    now: datetime,
    lot: Lot | None = None,
) -> list[StockMove]:
    """Book goods thrown away or eaten: from `lot` first if given, else earliest best-before."""
    if reason not in WASTE_REASONS:
        raise OperationError(422, "invalid_reason", _l("Kies een reden."))
    if lot is not None and lot.product_id != product.id:
        raise OperationError(422, "invalid_lot", _l("Dit lot hoort niet bij dit product."))
    moves = take_first_expiry_first(
        product.id,
        location,
        checked_quantity(product, quantity_milli),
        "waste",
        now,
        first_lot_id=lot.id if lot is not None else None,
        reason=reason,
        user_id=user.id if user else None,
    )
    with db.session.no_autoflush:  # the balances are already up to date; the moves may wait
        after = get_on_hand(product.id, location.id)
    why = f"Verlies ({WASTE_REASONS[reason]})"
    record_stock_correction(
        "stock_waste", product, location, after + quantity_milli, after, user, why
    )
    return moves


def transfer(
    product: Product,
    source: Location,
    target: Location,
    quantity_milli: int,
    user: User | None,
    now: datetime,
) -> list[StockMove]:
    """Move goods between locations, keeping their lots."""
    if source.id == target.id:
        raise OperationError(422, "same_location", _l("Kies twee verschillende plaatsen."))
    outgoing = take_first_expiry_first(
        product.id,
        source,
        checked_quantity(product, quantity_milli),
        "transfer",
        now,
        user_id=user.id if user else None,
    )
    incoming = [
        move(
            product.id,
            target,
            -out.quantity_milli,
            "transfer",
            now,
            lot_id=out.lot_id,
            user_id=user.id if user else None,
        )
        for out in outgoing
    ]
    return outgoing + incoming


def record_count(
    product: Product, location: Location, counted_milli: int, user: User | None, now: datetime
) -> list[StockMove]:
    """Book the difference between a count and the ledger as a correction."""
    if counted_milli < 0:
        raise OperationError(422, "invalid_quantity", _l("Een telling kan niet negatief zijn."))
    if counted_milli:
        checked_quantity(product, counted_milli)
    if location.id is None:
        db.session.flush()
    lock_balances({product.id}, location.id)  # no sale may slip in between reading and booking
    difference = counted_milli - get_on_hand(product.id, location.id)
    user_id = user.id if user else None
    if difference:
        on_hand = counted_milli - difference
        record_stock_correction(
            "stock_count", product, location, on_hand, counted_milli, user, "Telling"
        )
    if difference < 0:
        return take_first_expiry_first(
            product.id, location, -difference, "count", now, reason="telling", user_id=user_id
        )
    if difference > 0:
        return [
            move(product.id, location, difference, "count", now, reason="telling", user_id=user_id)
        ]
    return []

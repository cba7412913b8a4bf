"""Correct a booked delivery, waste entry or count: a reversing entry, never an edit.

A reversing move has kind "correction", the opposite quantity of the move it undoes, that move's
lot and location, `corrects_id` pointing at it and the reason people gave. A delivery's
correction is a delivery of its own (`corrects_id`, `reason`) holding the reversal of the lines
that changed and, for a change, those lines booked anew: same lot when the purchase price is
unchanged, else a new lot with the corrected price (so the stock's valuation follows). No
balance of a lot may go below zero by a correction: what was sold or thrown away stays so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Delivery, Product, StockBalance, StockMove, User
from kiosk.stock.audit_entries import (
    record_count_reversed,
    record_delivery_correction,
    record_waste_reversed,
)
from kiosk.stock.history import get_delivery_goods, get_moves_booked_together, get_reversed
from kiosk.stock.operations import checked_quantity, lock_balances, move, new_lot
from kiosk.stock.queries import get_on_hand

REVERSAL = "correction"
MAX_REASON = 200


@dataclass(frozen=True)
class CorrectedLine:
    """A delivered line as it should have been: quantity (0 takes it out) and purchase price."""

    move_id: int
    quantity_milli: int
    purchase_price_cents: int | None


def checked_reason(reason: str) -> str:
    """Refuse a correction without a reason (or with one longer than the ledger keeps)."""
    reason = reason.strip()
    if not reason:
        raise OperationError(422, "reason_required", _l("Vul een reden in voor de correctie."))
    if len(reason) > MAX_REASON:
        raise OperationError(422, "reason_too_long", _l("Een reden heeft hoogstens 200 tekens."))
    return reason


def refuse_if_reversed(moves: list[StockMove]) -> None:
    """Refuse to undo moves that were undone already."""
    if get_reversed([entry.id for entry in moves]):
        raise OperationError(
            409, "already_corrected", _l("Dit werd al gecorrigeerd: het kan maar één keer.")
        )


def check_nothing_goes_below_zero(changes: list[tuple[StockMove, int]]) -> None:
    """Refuse when a correction would take a lot's balance below zero (goods already gone)."""
    taken: dict[tuple[int, int, int], int] = defaultdict(int)
    for entry, change in changes:
        taken[(entry.product_id, entry.location_id, entry.lot_id or 0)] += change
    for location_id in {location for _product, location, _lot in taken}:
        lock_balances({product for product, at, _lot in taken if at == location_id}, location_id)
    for (product_id, location_id, lot_key), change in sorted(taken.items()):
        if change >= 0:
            continue
        balance = db.session.get(StockBalance, (product_id, location_id, lot_key))
        left = balance.quantity_milli if balance is not None else 0
        if left + change < 0:
            product = db.session.get_one(Product, product_id)
            raise OperationError(
                409,
                "stock_already_used",
                _l(
                    "Van %(product)s is van dit lot al een deel verkocht, afgeboekt of "
                    "verplaatst: er kan niet meer teruggeboekt worden dan er nog ligt.",
                    product=product.name,
                ),
            )


def reverse(
    entry: StockMove, reason: str, user: User | None, now: datetime, **fields: object
) -> StockMove:
    """Book the move that undoes `entry`, on its lot and location."""
    return move(
        entry.product_id,
        entry.location,
        -entry.quantity_milli,
        REVERSAL,
        now,
        lot_id=entry.lot_id,
        corrects_id=entry.id,
        reason=reason,
        user_id=user.id if user else None,
        **fields,
    )


def locked_delivery(delivery_id: int) -> Delivery:
    """Return a delivery locked until commit, refusing one that was corrected already."""
    delivery = db.session.scalar(
        select(Delivery).where(Delivery.id == delivery_id).with_for_update()
    )
    if delivery is None:
        raise OperationError(404, "unknown_delivery", _l("Deze levering bestaat niet."))
    if db.session.scalar(select(Delivery.id).where(Delivery.corrects_id == delivery.id)):
        raise OperationError(
            409,
            "already_corrected",
            _l("Deze levering werd al gecorrigeerd: het kan maar één keer."),
        )
    return delivery


def cancel_delivery(delivery_id: int, reason: str, user: User | None, now: datetime) -> Delivery:
    """Reverse a whole delivery; return the correction that did."""
    delivery = locked_delivery(delivery_id)
    goods = get_delivery_goods(delivery.id)
    return book_correction(
        delivery, [CorrectedLine(entry.id, 0, None) for entry in goods], reason, user, now
    )


def correct_delivery(
    delivery_id: int, lines: list[CorrectedLine], reason: str, user: User | None, now: datetime
) -> Delivery:
    """Reverse a delivery's changed lines and book them anew as corrected; return the correction."""
    return book_correction(locked_delivery(delivery_id), lines, reason, user, now)


def book_correction(
    delivery: Delivery,
    lines: list[CorrectedLine],
    reason: str,
    user: User | None,
    now: datetime,
) -> Delivery:
    """Book a delivery's correction: reversal of the changed lines, then the lines as they are."""
    reason = checked_reason(reason)
    goods = {entry.id: entry for entry in get_delivery_goods(delivery.id)}
    if not goods:
        raise OperationError(
            422, "nothing_to_correct", _l("Deze levering heeft geen lijnen om te corrigeren.")
        )
    changed = []
    for line in lines:
        entry = goods.get(line.move_id)
        if entry is None or entry.lot is None:
            raise OperationError(422, "unknown_line", _l("Deze lijn hoort niet bij deze levering."))
        if line.quantity_milli:
            checked_quantity(db.session.get_one(Product, entry.product_id), line.quantity_milli)
        if line.quantity_milli < 0 or (line.purchase_price_cents or 0) < 0:
            raise OperationError(422, "invalid_quantity", _l("Geef geen negatieve getallen."))
        unchanged = (line.quantity_milli, line.purchase_price_cents) == (
            entry.quantity_milli,
            entry.lot.purchase_price_cents,
        )
        if not unchanged:
            changed.append((entry, line))
    if not changed:
        raise OperationError(422, "nothing_changed", _l("Er is niets gewijzigd."))
    check_nothing_goes_below_zero(
        [
            (entry, line.quantity_milli - entry.quantity_milli)
            if same_lot(entry, line)
            else (entry, -entry.quantity_milli)
            for entry, line in changed
        ]
    )
    correction = Delivery(
        producer_id=delivery.producer_id,
        delivered_at=now,
        user_id=user.id if user else None,
        corrects_id=delivery.id,
        reason=reason,
    )
    db.session.add(correction)
    db.session.flush()
    for entry, line in changed:
        reverse(entry, reason, user, now, delivery_id=correction.id)
        if line.quantity_milli:
            rebook(entry, line, correction, user, now)
    cancelled = len(changed) == len(goods) and not any(line.quantity_milli for _e, line in changed)
    record_delivery_correction(delivery, correction, changed, cancelled, user)
    return correction


def same_lot(entry: StockMove, line: CorrectedLine) -> bool:
    """Return whether a corrected line stays on its lot (its purchase price is unchanged)."""
    return entry.lot is not None and entry.lot.purchase_price_cents == line.purchase_price_cents


def rebook(
    entry: StockMove, line: CorrectedLine, correction: Delivery, user: User | None, now: datetime
) -> StockMove:
    """Book a corrected line: on its own lot, or on a new lot carrying the corrected price."""
    lot = entry.lot
    assert lot is not None  # a delivered line always made a lot
    if not same_lot(entry, line):
        lot = new_lot(
            lot.product_id, lot.code, lot.best_before, line.purchase_price_cents, correction
        )
    return move(
        entry.product_id,
        entry.location,
        line.quantity_milli,
        "delivery",
        now,
        lot_id=lot.id,
        delivery_id=correction.id,
        user_id=user.id if user else None,
    )


def booked_entry(move_id: int, kind: str) -> list[StockMove]:
    """Return the moves of the waste entry or count that `move_id` belongs to, not yet undone."""
    moves = get_moves_booked_together(move_id, kind)
    if not moves:
        raise OperationError(404, "unknown_entry", _l("Deze boeking bestaat niet."))
    # PostgreSQL: a second reversal at the same moment waits here, then finds the first one
    db.session.execute(
        select(StockMove.id).where(StockMove.id.in_([m.id for m in moves])).with_for_update()
    ).all()
    refuse_if_reversed(moves)
    return moves


def reverse_waste(move_id: int, reason: str, user: User | None, now: datetime) -> list[StockMove]:
    """Undo a waste entry: its goods come back on their lots."""
    reason = checked_reason(reason)
    moves = booked_entry(move_id, "waste")
    product, location = db.session.get_one(Product, moves[0].product_id), moves[0].location
    lock_balances({product.id}, location.id)
    before = get_on_hand(product.id, location.id)
    reversals = [reverse(entry, reason, user, now) for entry in moves]
    after = before - sum(entry.quantity_milli for entry in moves)
    record_waste_reversed(product, location, before, after, reason, user)
    return reversals


def reverse_count(move_id: int, reason: str, user: User | None, now: datetime) -> list[StockMove]:
    """Undo what a count booked, for every product it changed."""
    reason = checked_reason(reason)
    moves = booked_entry(move_id, "count")
    check_nothing_goes_below_zero([(entry, -entry.quantity_milli) for entry in moves])
    reversals = [reverse(entry, reason, user, now) for entry in moves]
    products = [
        db.session.get_one(Product, product_id)
        for product_id in dict.fromkeys(entry.product_id for entry in moves)
    ]
    record_count_reversed(moves[0].location, products, reason, user)
    return reversals

"""The correction operations: refusals change nothing, a correction can itself be corrected."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import AuditEntry, Delivery, Location, Lot, PointOfSale, Product, StockMove
from kiosk.models.types import utcnow
from kiosk.stock.corrections import (
    CorrectedLine,
    cancel_delivery,
    correct_delivery,
    reverse_count,
    reverse_waste,
)
from kiosk.stock.operations import (
    DeliveredLine,
    book_waste,
    receive_delivery,
    record_count,
    take_first_expiry_first,
)
from kiosk.stock.queries import get_ledger_sum, get_on_hand
from tests.kiosk.sales.test_concurrency import run_together


@pytest.fixture
def room(app: Flask, farm_shop: dict[str, Any]) -> Iterator[Location]:
    """A stock room, in an app context that stays open for the test."""
    with app.app_context():
        farm = db.session.scalar(select(PointOfSale).where(PointOfSale.code == "HW"))
        location = Location(code="BERGING", name="Berging", kind="stockroom", sells_for=farm)
        db.session.add(location)
        db.session.commit()
        yield location


def delivered(product_id: int, location: Location, quantity_milli: int) -> Delivery:
    line = DeliveredLine(db.session.get_one(Product, product_id), quantity_milli, 200, "L1")
    delivery = receive_delivery(None, location, [line], None, utcnow())
    db.session.commit()
    return delivery


def goods_move(delivery: Delivery) -> StockMove:
    return db.session.scalars(
        select(StockMove).where(StockMove.delivery_id == delivery.id, StockMove.kind == "delivery")
    ).one()


def stored() -> list[int]:
    return [
        int(db.session.scalar(select(func.count()).select_from(model)) or 0)
        for model in (Delivery, Lot, StockMove, AuditEntry)
    ]


def refused(code: str, operation: Any) -> None:
    """Check the operation is refused with this code and leaves nothing behind."""
    before = stored()
    with pytest.raises(OperationError) as refusal:
        operation()
    db.session.rollback()
    assert refusal.value.code == code
    assert stored() == before


def test_wrong_corrections_are_refused_and_change_nothing(
    farm_shop: dict[str, Any], room: Location
) -> None:
    bread = farm_shop["bread"]
    delivery = delivered(bread, room, 10_000)
    line = goods_move(delivery)
    now = utcnow()
    refused("reason_required", lambda: cancel_delivery(delivery.id, " \n", None, now))
    refused("reason_too_long", lambda: cancel_delivery(delivery.id, "x" * 201, None, now))
    refused("unknown_delivery", lambda: cancel_delivery(999_999, "reden", None, now))
    refused(
        "unknown_line",
        lambda: correct_delivery(delivery.id, [CorrectedLine(999_999, 1000, 200)], "r", None, now),
    )
    refused(
        "nothing_changed",
        lambda: correct_delivery(
            delivery.id, [CorrectedLine(line.id, 10_000, 200)], "r", None, now
        ),
    )
    refused(
        "invalid_quantity",
        lambda: correct_delivery(delivery.id, [CorrectedLine(line.id, 2_500, 200)], "r", None, now),
    )
    refused("unknown_entry", lambda: reverse_waste(line.id, "reden", None, now))
    refused("unknown_entry", lambda: reverse_count(line.id, "reden", None, now))
    cancellation = cancel_delivery(delivery.id, "verkeerde producent", None, now)
    db.session.commit()
    refused("already_corrected", lambda: cancel_delivery(delivery.id, "nog eens", None, now))
    refused("nothing_to_correct", lambda: cancel_delivery(cancellation.id, "en nu", None, now))
    assert get_on_hand(bread, room.id) == 0


def test_a_correction_can_itself_be_corrected(farm_shop: dict[str, Any], room: Location) -> None:
    bread = farm_shop["bread"]
    delivery = delivered(bread, room, 10_000)
    first = correct_delivery(
        delivery.id, [CorrectedLine(goods_move(delivery).id, 7_000, 200)], "typfout", None, utcnow()
    )
    db.session.commit()
    second = correct_delivery(
        first.id, [CorrectedLine(goods_move(first).id, 8_000, 250)], "factuur", None, utcnow()
    )
    db.session.commit()
    assert second.corrects_id == first.id and first.corrects_id == delivery.id
    assert get_on_hand(bread, room.id) == get_ledger_sum(bread, room.id) == 8_000
    lots = db.session.scalars(select(Lot).order_by(Lot.id)).all()
    assert [lot.purchase_price_cents for lot in lots] == [200, 250]


def test_a_count_whose_goods_were_sold_since_is_not_reversed(
    farm_shop: dict[str, Any], room: Location
) -> None:
    eggs = db.session.get_one(Product, farm_shop["eggs"])
    counted = record_count(eggs, room, 4_000, None, utcnow())  # found 4 more than the ledger said
    db.session.commit()
    take_first_expiry_first(eggs.id, room, 3_000, "sale", utcnow())
    db.session.commit()
    refused("stock_already_used", lambda: reverse_count(counted[0].id, "reden", None, utcnow()))
    assert get_on_hand(eggs.id, room.id) == 1_000


def test_undoing_one_products_waste_leaves_anothers_booked_at_the_same_moment(
    farm_shop: dict[str, Any], room: Location
) -> None:
    delivered(farm_shop["bread"], room, 5_000)
    delivered(farm_shop["eggs"], room, 5_000)
    moment = utcnow()
    bread, eggs = (db.session.get_one(Product, farm_shop[name]) for name in ("bread", "eggs"))
    (bread_waste,) = book_waste(bread, room, 2_000, "damaged", None, moment)
    book_waste(eggs, room, 1_000, "damaged", None, moment)
    db.session.commit()
    reverse_waste(bread_waste.id, "verkeerd product", None, utcnow())
    db.session.commit()
    assert get_on_hand(bread.id, room.id) == 5_000
    assert get_on_hand(eggs.id, room.id) == 4_000  # the eggs' waste stands


@pytest.mark.postgres_only
def test_two_reversals_at_once_book_one_and_refuse_the_other(
    app: Flask, farm_shop: dict[str, Any], room: Location
) -> None:
    bread = db.session.get_one(Product, farm_shop["bread"])
    delivery = delivered(bread.id, room, 10_000)
    waste = book_waste(bread, room, 2_000, "damaged", None, utcnow())
    db.session.commit()
    waste_id, delivery_id = waste[0].id, delivery.id

    def attempt(operation: Callable[[], object]) -> str:
        with app.app_context():
            try:
                operation()
                time.sleep(0.3)  # the other attempt checks while this one is not committed yet
                db.session.commit()
            except OperationError as error:
                db.session.rollback()
                return error.code
            return "booked"

    for undo in (
        lambda: reverse_waste(waste_id, "toch goed", None, utcnow()),
        lambda: cancel_delivery(delivery_id, "verkeerde producent", None, utcnow()),
    ):
        results = run_together([partial(attempt, undo), partial(attempt, undo)])
        assert sorted(results) == ["already_corrected", "booked"]
    db.session.rollback()
    assert get_on_hand(bread.id, room.id) == get_ledger_sum(bread.id, room.id) == 0

"""The stock ledger: on-hand is the sum of moves, sales take the earliest best-before first."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Delivery, Location, Lot, PointOfSale, Product, StockMove
from kiosk.models.types import utcnow
from kiosk.stock.operations import (
    DeliveredLine,
    book_waste,
    receive_delivery,
    record_count,
    take_first_expiry_first,
    transfer,
)
from kiosk.stock.queries import (
    get_below_minimum,
    get_expiring,
    get_ledger_sum,
    get_lot_balances,
    get_negative_stock,
    get_on_hand,
)

TODAY = date(2026, 11, 27)


@pytest.fixture
def shelves(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    with app.app_context():
        farm = db.session.scalar(select(PointOfSale).where(PointOfSale.code == "HW"))
        shelf = Location(code="REK", name="Winkelrek", sells_for=farm)
        room = Location(code="BERGING", name="Berging", kind="stockroom")
        db.session.add_all([shelf, room])
        db.session.commit()
    return farm_shop


def deliver(
    product_id: int, location_code: str, quantity_milli: int, best_before: date | None
) -> Delivery:
    product = db.session.get_one(Product, product_id)
    location = db.session.scalar(select(Location).where(Location.code == location_code))
    assert location is not None
    line = DeliveredLine(product, quantity_milli, 100, None, best_before)
    return receive_delivery(None, location, [line], None, utcnow())


def location(code: str) -> Location:
    return db.session.scalars(select(Location).where(Location.code == code)).one()


def test_sales_take_the_earliest_best_before_first_and_may_go_negative(
    app: Flask, client: FlaskClient, shelves: dict[str, Any]
) -> None:
    bread = shelves["bread"]
    with app.app_context():
        deliver(bread, "REK", 3000, TODAY + timedelta(days=5))
        deliver(bread, "REK", 2000, TODAY + timedelta(days=1))
        deliver(bread, "REK", 1000, None)
        db.session.commit()
    body = {
        "operator_id": shelves["operator_id"],
        "lines": [{"product_id": bread, "quantity": "4"}],
        "payments": [{"method": "card", "amount_cents": 1520}],
    }
    headers = {**shelves["headers"], "Idempotency-Key": str(uuid.uuid4())}
    assert client.post("/api/v1/sales", json=body, headers=headers).status_code == 201
    with app.app_context():
        balances = get_lot_balances(bread, location("REK").id)
        assert [(b.best_before, b.quantity_milli) for b in balances] == [
            (TODAY + timedelta(days=1), 0),
            (TODAY + timedelta(days=5), 1000),
            (None, 1000),
        ]
        moves = db.session.scalars(select(StockMove).where(StockMove.kind == "sale")).all()
        assert sorted(m.quantity_milli for m in moves) == [-2000, -2000]
        assert all(m.sale_id is not None for m in moves)
    body["lines"][0]["quantity"] = "5"
    body["payments"][0]["amount_cents"] = 1900
    headers["Idempotency-Key"] = str(uuid.uuid4())
    assert client.post("/api/v1/sales", json=body, headers=headers).status_code == 201
    with app.app_context():
        assert get_on_hand(bread, location("REK").id) == -3000
        assert [line.product.id for line in get_negative_stock()] == [bread]


def test_a_refused_sale_moves_no_stock(
    app: Flask, client: FlaskClient, shelves: dict[str, Any]
) -> None:
    with app.app_context():
        deliver(shelves["eggs"], "REK", 5000, TODAY)
        db.session.commit()
    body = {
        "operator_id": shelves["operator_id"],
        "lines": [{"product_id": shelves["eggs"], "quantity": "2"}],
        "payments": [{"method": "cash", "amount_cents": 100}],
    }
    headers = {**shelves["headers"], "Idempotency-Key": str(uuid.uuid4())}
    assert client.post("/api/v1/sales", json=body, headers=headers).status_code == 422
    with app.app_context():
        assert get_on_hand(shelves["eggs"]) == 5000
        assert db.session.scalar(select(func.count(StockMove.id))) == 1


def test_waste_transfer_and_count(app: Flask, ctx: None, shelves: dict[str, Any]) -> None:
    cheese = shelves["cheese"]
    deliver(cheese, "BERGING", 4500, TODAY + timedelta(days=3))
    deliver(cheese, "BERGING", 2000, TODAY - timedelta(days=1))
    now = utcnow()
    product = db.session.get_one(Product, cheese)
    moved = transfer(product, location("BERGING"), location("REK"), 3000, None, now)
    assert sum(m.quantity_milli for m in moved) == 0
    assert get_on_hand(cheese, location("REK").id) == 3000
    # the expired lot travelled first, and kept its lot
    rek = get_lot_balances(cheese, location("REK").id)
    assert [(b.best_before, b.quantity_milli) for b in rek] == [
        (TODAY - timedelta(days=1), 2000),
        (TODAY + timedelta(days=3), 1000),
    ]
    book_waste(product, location("REK"), 2000, "expired", None, now)
    assert get_on_hand(cheese, location("REK").id) == 1000
    record_count(product, location("REK"), 1250, None, now)
    assert get_on_hand(cheese, location("REK").id) == 1250
    record_count(product, location("BERGING"), 0, None, now)
    assert get_on_hand(cheese, location("BERGING").id) == 0
    assert get_on_hand(cheese) == 1250
    kinds = db.session.scalars(select(StockMove.kind).distinct()).all()
    assert set(kinds) == {"delivery", "transfer", "waste", "count"}
    with pytest.raises(OperationError):
        book_waste(product, location("REK"), 1000, "gestolen", None, now)
    with pytest.raises(OperationError):
        transfer(product, location("REK"), location("REK"), 1000, None, now)
    with pytest.raises(OperationError):
        record_count(product, location("REK"), -1, None, now)


def test_morning_lists(app: Flask, ctx: None, shelves: dict[str, Any]) -> None:
    eggs = db.session.get_one(Product, shelves["eggs"])
    eggs.minimum_stock_milli = 10000
    deliver(eggs.id, "REK", 6000, TODAY - timedelta(days=2))
    deliver(shelves["bread"], "REK", 6000, TODAY + timedelta(days=10))
    db.session.commit()
    assert [line.product.name for line in get_below_minimum()] == ["Eieren (6)"]
    expiring = get_expiring(TODAY + timedelta(days=3))
    assert [(line.product.name, line.best_before) for line in expiring] == [
        ("Eieren (6)", TODAY - timedelta(days=2))
    ]


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["deliver", "sell", "waste", "transfer", "count"]),
        st.sampled_from(["REK", "BERGING"]),
        st.integers(min_value=1, max_value=20_000),
        st.integers(min_value=-3, max_value=10),
    ),
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_on_hand_is_the_sum_of_the_moves(
    app: Flask, shelves: dict[str, Any], operations: list[tuple[str, str, int, int]]
) -> None:
    with app.app_context():
        product = Product(name=f"Appels {uuid.uuid4().hex[:8]}", price_cents=300, unit="kg")
        db.session.add(product)
        db.session.flush()
        expected = {"REK": 0, "BERGING": 0}
        now = utcnow()
        for kind, where, quantity, days in operations:
            here, there = location(where), location("BERGING" if where == "REK" else "REK")
            if kind == "deliver":
                deliver(product.id, where, quantity, TODAY + timedelta(days=days))
                expected[where] += quantity
            elif kind == "sell":
                take_first_expiry_first(product.id, here, quantity, "sale", now)
                expected[where] -= quantity
            elif kind == "waste":
                book_waste(product, here, quantity, "damaged", None, now)
                expected[where] -= quantity
            elif kind == "transfer":
                transfer(product, here, there, quantity, None, now)
                expected[where] -= quantity
                expected[there.code] += quantity
            else:
                record_count(product, here, quantity, None, now)
                expected[where] = quantity
            for code, amount in expected.items():
                assert get_on_hand(product.id, location(code).id) == amount
                assert get_ledger_sum(product.id, location(code).id) == amount
                lots = get_lot_balances(product.id, location(code).id)
                assert sum(b.quantity_milli for b in lots) == amount
        db.session.rollback()


def test_lots_keep_their_best_before(ctx: None, shelves: dict[str, Any]) -> None:
    deliver(shelves["bread"], "REK", 1000, TODAY)
    assert db.session.scalar(select(Lot.best_before)) == TODAY

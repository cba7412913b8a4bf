"""Concurrent sales of one product take its lots first-expiry-first, exactly, on PostgreSQL.

Several tills (each its own ticket sequence, so nothing else makes them wait for each other) sell
the same product through the live server at the same moment. Without the balance rows locked,
two sales read the same lot balance and both take from it: that lot goes negative while a later
lot still has goods. SQLite runs write transactions one at a time, so only PostgreSQL can race.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from functools import partial
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Location, Lot, PointOfSale, Product
from kiosk.models.types import utcnow
from kiosk.stock.operations import DeliveredLine, receive_delivery
from kiosk.stock.queries import get_ledger_sum, get_lot_balances
from tests.kiosk.sales.test_concurrency import failures, post_sale, run_together

TODAY = date(2026, 11, 27)


@pytest.mark.postgres_only
def test_concurrent_sales_of_one_product_split_its_lots_exactly(
    app: Flask, shop: Any, farm_shop: dict[str, Any], live_server: Any
) -> None:
    bread = farm_shop["bread"]
    with app.app_context():
        farm = db.session.scalar(select(PointOfSale).where(PointOfSale.code == "HW"))
        shelf = Location(code="HW-REK", name="Winkelrek", sells_for=farm)
        db.session.add(shelf)
        product = db.session.get_one(Product, bread)
        for quantity, days in ((7000, 1), (11000, 3), (100000, 9)):
            line = DeliveredLine(product, quantity, 150, None, TODAY + timedelta(days=days))
            receive_delivery(None, shelf, [line], None, utcnow())
        db.session.commit()
        shelf_id = shelf.id
    tokens = [farm_shop["token"]] + [shop.till("HW", name=f"Kassa {n}")[1] for n in range(7)]
    rounds = 4

    def till_sells(index: int, token: str) -> list[Any]:
        answers = []
        for n in range(rounds):
            pieces = (index + n) % 3 + 1  # 1 to 3 pieces: sales end in the middle of a lot
            body = {
                "operator_id": farm_shop["operator_id"],
                "lines": [{"product_id": bread, "quantity": str(pieces)}],
                "payments": [{"method": "cash", "amount_cents": 2000}],
            }
            answers.append((pieces, post_sale(live_server.url, token, str(uuid.uuid4()), body)))
        return answers

    results = run_together([partial(till_sells, i, token) for i, token in enumerate(tokens)])

    answers = [answer for result in results for _pieces, answer in result]
    assert [answer.status for answer in answers] == [201] * len(answers), failures(answers, {201})
    sold = sum(pieces for result in results for pieces, _answer in result) * 1000
    assert sold > 7000 + 11000  # the sales emptied the first two lots and went on to the third
    with app.app_context():
        balances = get_lot_balances(bread, shelf_id)
        lots = {lot.id: lot.best_before for lot in db.session.scalars(select(Lot))}
        # first expiry first, exactly: the two early lots are empty, never below zero, and
        # nothing was sold without a lot while the third lot still had goods
        assert [(b.best_before, b.quantity_milli) for b in balances] == [
            (TODAY + timedelta(days=1), 0),
            (TODAY + timedelta(days=3), 0),
            (TODAY + timedelta(days=9), 118000 - sold),
        ]
        assert all(b.lot_id in lots for b in balances)
        assert get_ledger_sum(bread, shelf_id) == 118000 - sold
        db.session.rollback()


@pytest.mark.postgres_only
def test_concurrent_sales_that_run_out_of_lots_do_not_deadlock(
    app: Flask, shop: Any, farm_shop: dict[str, Any], live_server: Any
) -> None:
    """Sales at once of goods that run out: each makes or adds to the balance without a lot.

    A sale that waited for the lots' balance rows then upserts the balance without a lot, which
    a sale that began after another one made it may hold already: with only the balance rows
    locked, PostgreSQL found a deadlock and a sale was refused (503) now and then.
    """
    products = [farm_shop[name] for name in ("bread", "eggs", "candle")]
    products += [shop.product(f"Confituur {n}", price_cents=450) for n in range(2)]
    with app.app_context():
        farm = db.session.scalar(select(PointOfSale).where(PointOfSale.code == "HW"))
        shelf = Location(code="HW-REK", name="Winkelrek", sells_for=farm)
        db.session.add(shelf)
        for product_id in products:
            product = db.session.get_one(Product, product_id)
            line = DeliveredLine(product, 1000, 150, None, TODAY + timedelta(days=2))
            receive_delivery(None, shelf, [line], None, utcnow())
        db.session.commit()
        shelf_id = shelf.id
    tokens = [farm_shop["token"]] + [shop.till("HW", name=f"Kassa {n}")[1] for n in range(7)]
    body = {
        "operator_id": farm_shop["operator_id"],
        "lines": [{"product_id": product, "quantity": "1"} for product in products],
        "payments": [{"method": "cash", "amount_cents": 20000}],
    }

    def till_sells(token: str) -> list[Any]:
        return [post_sale(live_server.url, token, str(uuid.uuid4()), body) for _ in range(3)]

    results = run_together([partial(till_sells, token) for token in tokens])

    answers = [answer for result in results for answer in result]
    assert [answer.status for answer in answers] == [201] * len(answers), failures(answers, {201})
    with app.app_context():
        for product_id in products:
            assert [b.quantity_milli for b in get_lot_balances(product_id, shelf_id)] == [0, -23000]
            assert get_ledger_sum(product_id, shelf_id) == -23000
        db.session.rollback()

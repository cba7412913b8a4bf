"""A farm shop with two producers, a small history of deliveries and sales, for the order tests.

Test modules import the fixture they use from here (``# noqa: F401``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Location, PointOfSale, Producer, Product
from kiosk.stock.operations import DeliveredLine, move, receive_delivery

#: the moment the history is told from: the pages ask for their suggestions at (nearly) the same
#: moment, and every move lies days away from the 4-week window's edge
NOW = datetime.now(UTC)


@pytest.fixture(name="orders_shop")
def orders_shop_fixture(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """Hoeve De Linde makes bread and cheese, Kippenhof the eggs; ids in a dict.

    Bread: minimum 10, delivered 30 (10 days ago) and 10 (3 days ago), so De Linde delivers
    every 7 days; sold 20 + 8 in the last 4 weeks, 2 refunded, and 5 sold 40 days ago (outside
    the window): on hand 9, sold 26. Cheese: minimum 2 kg, 1,250 kg sold 2 days ago, none
    delivered: on hand -1,250 kg. A third De Linde product is inactive.
    """
    with app.app_context():
        farm = db.session.scalar(select(PointOfSale).where(PointOfSale.code == "HW"))
        shelf = Location(code="HW-REK", name="Winkelrek", kind="shelf", sells_for=farm)
        linde = Producer(name="Hoeve De Linde", contact="Mieke", email="mieke@delinde.be")
        kippenhof = Producer(name="Kippenhof")
        db.session.add_all([shelf, linde, kippenhof])
        db.session.flush()
        bread = db.session.get_one(Product, farm_shop["bread"])
        cheese = db.session.get_one(Product, farm_shop["cheese"])
        eggs = db.session.get_one(Product, farm_shop["eggs"])
        bread.producer_id, bread.minimum_stock_milli, bread.purchase_price_cents = (
            linde.id,
            10000,
            210,
        )
        cheese.producer_id, cheese.minimum_stock_milli = linde.id, 2000
        eggs.producer_id, eggs.minimum_stock_milli = kippenhof.id, 50000
        old = Product(name="Oud brood", price_cents=100, producer_id=linde.id, active=False)
        db.session.add(old)
        db.session.flush()
        for days, pieces in ((10, 30), (3, 10)):
            line = DeliveredLine(bread, pieces * 1000, 210, None, None)
            receive_delivery(linde.id, shelf, [line], None, NOW - timedelta(days=days))
        for days, milli, kind in (
            (5, -20000, "sale"),
            (1, -8000, "sale"),
            (1, 2000, "refund"),
            (40, -5000, "sale"),
        ):
            move(bread.id, shelf, milli, kind, NOW - timedelta(days=days))
        move(cheese.id, shelf, -1250, "sale", NOW - timedelta(days=2))
        db.session.commit()
        return {
            **farm_shop,
            "shelf": shelf.id,
            "linde": linde.id,
            "kippenhof": kippenhof.id,
            "old": old.id,
        }

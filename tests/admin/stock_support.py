"""Helpers for the stock pages' tests: a farm shop with a shelf and a stock room, forms, counts.

Test modules import the fixture they use from here (``# noqa: F401``), as the till's browser
tests do with tests/browser/till_support.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from kiosk.extensions import db
from kiosk.models import Delivery, Location, Lot, PointOfSale, Product, StockMove
from kiosk.models.types import utcnow
from kiosk.periods import business_day
from kiosk.stock.operations import DeliveredLine, receive_delivery
from tests.conftest import csrf_token


@pytest.fixture(name="stock_shop")
def stock_shop_fixture(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """The farm shop with its shelf (HW sells from it) and a stock room; ids in a dict."""
    with app.app_context():
        farm = db.session.scalar(select(PointOfSale).where(PointOfSale.code == "HW"))
        assert farm is not None
        shelf = Location(code="HW-REK", name="Winkelrek", kind="shelf", sells_for=farm)
        room = Location(code="BERGING", name="Berging", kind="stockroom")
        db.session.add_all([shelf, room])
        db.session.commit()
        return {**farm_shop, "shelf": shelf.id, "room": room.id, "farm": farm.id}


def post_form(
    client: FlaskClient, url: str, data: dict[str, Any], *, page: str | None = None
) -> TestResponse:
    """Open the form at `page` (default `url`) and post `data` with its CSRF token."""
    form = client.get(page or url)
    assert form.status_code == 200
    return client.post(url, data={**data, "csrf_token": csrf_token(form.text)})


def deliver(
    app: Flask,
    product_id: int,
    location_id: int,
    quantity_milli: int,
    best_before: date | None,
    code: str | None = None,
) -> None:
    """Book a delivery of one lot straight through the operation."""
    with app.app_context():
        product = db.session.get_one(Product, product_id)
        location = db.session.get_one(Location, location_id)
        line = DeliveredLine(product, quantity_milli, 200, code, best_before)
        receive_delivery(None, location, [line], None, utcnow())
        db.session.commit()


def count_rows(app: Flask, *models: type[Any]) -> list[int]:
    """Count the rows of each model's table."""
    with app.app_context():
        return [
            int(db.session.scalar(select(func.count()).select_from(model)) or 0) for model in models
        ]


def ledger_rows(app: Flask) -> list[int]:
    """Count deliveries, lots and moves: what any stock page could have stored."""
    return count_rows(app, Delivery, Lot, StockMove)


def today() -> date:
    """Return today in Brussels."""
    return business_day(utcnow())

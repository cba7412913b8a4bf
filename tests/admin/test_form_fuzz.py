"""Back-office forms under hypothesis: whatever is typed, never a 500, and a refusal stores nothing.

The product, delivery and user forms start from a valid filling; hypothesis puts arbitrary text
and numbers in any of their fields (markup, emoji, control characters, huge numbers, very long
text). An answer is either a redirect (the form was accepted) or the form shown again
(refused); a refused form changes no row. Both must happen, or the test proved little.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.models import (
    Delivery,
    Lot,
    PointOfSale,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    StockMove,
    User,
)
from tests.admin.stock_support import stock_shop_fixture, today  # noqa: F401
from tests.conftest import csrf_token
from tests.kiosk.orders.orders_support import orders_shop_fixture  # noqa: F401

pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=80,
    deadline=None,
    database=None,
    derandomize=True,  # the same inputs on every run, so CI never fails by luck
    suppress_health_check=list(HealthCheck),
)
WATCHED = (Product, User, Delivery, Lot, StockMove, PurchaseOrder, PurchaseOrderLine)

#: what people type, and what they should not: markup, emoji, control characters, long text
typed = st.one_of(
    st.text(max_size=40),
    st.text(min_size=81, max_size=600),
    st.sampled_from(["", " ", "<script>alert(1)</script>", "🍞🥖", "Ünïcødé", "\x00", "\x1b[0m"]),
)
#: numbers as a form receives them: text that may or may not be one
number = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.floats().map(str),
    st.sampled_from(["3,80", "1.234,56", "1e9", "0", "-0,01", "9" * 30, "NaN", "∞"]),
    typed,
)


def snapshot(app: Flask) -> dict[str, int]:
    """Count the rows a refused form must leave alone."""
    with app.app_context():
        counts = {
            model.__name__: int(db.session.scalar(select(func.count()).select_from(model)) or 0)
            for model in WATCHED
        }
        db.session.rollback()
    return counts


def fuzz_form(
    app: Flask,
    client: FlaskClient,
    url: str,
    valid: st.SearchStrategy[dict[str, Any]],
    fuzzed: dict[str, st.SearchStrategy[Any]],
) -> Counter[int]:
    """Post a valid filling with any of its fields replaced; return the statuses seen."""
    statuses: Counter[int] = Counter()
    token = csrf_token(client.get(url).text)

    @FUZZ
    @given(base=valid, changes=st.fixed_dictionaries({}, optional=fuzzed))
    def post(base: dict[str, Any], changes: dict[str, Any]) -> None:
        fields = {**base, **changes, "csrf_token": token}
        before = snapshot(app)
        response = client.post(url, data=fields)
        statuses[response.status_code] += 1
        assert response.status_code in (200, 302), (response.status_code, fields)
        if response.status_code == 200:  # refused: shown again, nothing stored
            assert "<form" in response.text
            assert snapshot(app) == before, fields

    post()
    assert statuses[302] and statuses[200], statuses  # some accepted, some refused
    return statuses


def point_of_sale_id(app: Flask) -> str:
    """Return the farm shop's id as the form sends it."""
    with app.app_context():
        return str(db.session.scalar(select(PointOfSale.id).where(PointOfSale.code == "HW")))


def test_the_product_form_takes_any_input(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    valid = st.fixed_dictionaries(
        {
            "name": st.sampled_from(["Spelt-desem", "Jonge kaas", "Kaars 🕯"]),
            "price": st.sampled_from(["4,60", "0,05", "12"]),
            "unit": st.just("piece"),
            "vat_class": st.just("food"),
            "points_of_sale": st.just([point_of_sale_id(app)]),
            "stock_tracked": st.just("y"),
            "pictogram": st.just("1F35E"),
            "barcode": st.just(""),
            "category": st.just(""),
            "producer": st.just(""),
            "purchase_price": st.just(""),
            "minimum_stock": st.just(""),
            "description": st.just(""),
            "pictogram_query": st.just(""),
            "action": st.just("save"),
        }
    )
    fuzzed = {
        "name": typed,
        "price": number,
        "unit": st.sampled_from(["piece", "kg", "liter", ""]),
        "vat_class": st.sampled_from(["food", "non_food", "x"]),
        "barcode": st.one_of(typed, st.from_regex(r"\A\d{8,14}\Z")),
        "purchase_price": number,
        "minimum_stock": number,
        "description": typed,
        "pictogram": typed,
        "category": number,
        "producer": number,
        "points_of_sale": st.lists(number, max_size=3),
    }
    fuzz_form(app, staff, "/admin/products/new", valid, fuzzed)


def test_the_delivery_form_takes_any_input(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    valid = st.fixed_dictionaries(
        {
            "producer": st.just(""),
            "delivered_on": st.just(today().isoformat()),
            "location": st.just(str(stock_shop["room"])),
            "lines-0-product": st.sampled_from([str(stock_shop["bread"]), str(stock_shop["eggs"])]),
            "lines-0-quantity": st.sampled_from(["3", "1,250", "12"]),
        }
    )
    fuzzed = {
        "delivered_on": st.one_of(typed, st.dates().map(str)),
        "location": number,
        "producer": number,
        "note": typed,
        "lines-0-product": number,
        "lines-0-quantity": number,
        "lines-0-purchase_price": number,
        "lines-0-lot_code": typed,
        "lines-0-best_before": st.one_of(typed, st.dates().map(str)),
        "lines-1-quantity": number,
        "q": typed,
        "purchase_order": number,
        "confirm_past": typed,
    }
    fuzz_form(app, staff, "/admin/deliveries/new", valid, fuzzed)


def test_the_purchase_order_sheet_takes_any_input(
    app: Flask, staff: FlaskClient, orders_shop: dict[str, Any]
) -> None:
    valid = st.fixed_dictionaries(
        {
            "lines-0-product": st.just(str(orders_shop["bread"])),
            "lines-0-quantity": st.sampled_from(["3", "12"]),
            "lines-1-product": st.just(str(orders_shop["cheese"])),
            "lines-1-quantity": st.sampled_from(["", "1,250"]),
        }
    )
    fuzzed = {
        "lines-0-product": number,
        "lines-0-quantity": number,
        "lines-0-purchase_price": number,
        "lines-1-quantity": number,
        "lines-7-quantity": number,
        "note": typed,
    }
    fuzz_form(
        app, staff, f"/admin/purchase-orders/new?producer={orders_shop['linde']}", valid, fuzzed
    )


def test_the_user_form_takes_any_input(app: Flask, manager: FlaskClient) -> None:
    valid = st.fixed_dictionaries(
        {
            "name": st.uuids().map(lambda uuid: f"Gebruiker {uuid.hex[:10]}"),
            "role": st.just("care"),
            "pictogram": st.just("1F600"),
            "active": st.just("y"),
        }
    )
    fuzzed = {
        "name": typed,
        "role": st.sampled_from(["care", "staff", "manager", "admin", ""]),
        "password": st.one_of(st.just(""), typed),
        "pin": st.one_of(st.from_regex(r"\A\d{4,6}\Z"), typed),
        "pictogram": typed,
        "active": st.sampled_from(["y", "", "nee"]),
    }
    fuzz_form(app, manager, "/admin/users/new", valid, fuzzed)

"""POST /api/v1/sales refused: a 4xx error document with a Dutch message, and nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Shop
from tests.kiosk.till_requests import (
    assert_error,
    assert_refused,
    order,
    post,
    sales_world,
    snapshot,
)


@pytest.fixture
def world(app: Flask, shop: Shop, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """The farm shop plus a bistro, a cash-only gift shop, more products, tills and people."""
    return sales_world(app, shop, farm_shop)


PIECES = "Geef voor Boerenbrood een aantal stuks van 1 tot 999."
KG = "Geef voor Hoevekaas een gewicht tot 500 kg, op de gram."
NOT_A_NUMBER = 'Het aantal moet een getal zijn, zoals "2" of "0.350".'
OUT_OF_RANGE = (
    'Het aantal ligt tussen 0 en 1.000.000, met hoogstens drie cijfers na de punt, zoals "2" of '
    '"0.350".'
)


@pytest.mark.parametrize(
    ("product", "quantity", "status", "message"),
    [
        ("bread", "0", 422, OUT_OF_RANGE),
        ("cheese", "0.000", 422, OUT_OF_RANGE),
        ("bread", "-2", 400, NOT_A_NUMBER),
        ("cheese", "-0.250", 400, NOT_A_NUMBER),
        ("bread", "abc", 400, NOT_A_NUMBER),
        ("bread", "", 400, NOT_A_NUMBER),
        ("bread", True, 400, NOT_A_NUMBER),
        ("bread", None, 400, NOT_A_NUMBER),
        ("bread", [2], 400, NOT_A_NUMBER),
        ("bread", 2, 400, NOT_A_NUMBER),  # the schema says a string: a JSON number is refused
        ("bread", "1e9", 400, NOT_A_NUMBER),
        ("bread", 10**40, 400, NOT_A_NUMBER),
        ("bread", "NaN", 400, NOT_A_NUMBER),
        ("cheese", "Infinity", 400, NOT_A_NUMBER),
        # what Python's Decimal takes but the schema's grammar does not
        ("bread", "1_0", 400, NOT_A_NUMBER),
        ("bread", "\uff13", 400, NOT_A_NUMBER),  # full-width 3
        ("bread", "\u0663", 400, NOT_A_NUMBER),  # Arabic-Indic 3
        ("bread", " 3 ", 400, NOT_A_NUMBER),
        ("bread", "3\n", 400, NOT_A_NUMBER),
        ("bread", "0.1e1", 400, NOT_A_NUMBER),
        ("bread", "+3", 400, NOT_A_NUMBER),
        ("bread", "3.", 400, NOT_A_NUMBER),
        ("cheese", ".5", 400, NOT_A_NUMBER),
        ("cheese", "0.3475", 422, OUT_OF_RANGE),
        ("bread", "007", 422, OUT_OF_RANGE),
        ("bread", "1000000", 422, OUT_OF_RANGE),
        ("bread", "1.5", 422, PIECES),
        ("bread", "1000", 422, PIECES),
        ("cheese", "501", 422, KG),
    ],
)
def test_refused_quantities(
    app: Flask,
    client: FlaskClient,
    world: dict[str, Any],
    product: str,
    quantity: object,
    status: int,
    message: str,
) -> None:
    body = order(world, (product, quantity))
    assert_refused(app, client, world, body, status, "invalid_quantity", message)


UNKNOWN = "Dit product is niet gekend aan deze kassa."
REFUSED_ORDERS = {
    "unknown product": ({"lines": [(999_999, "1")]}, 422, "unknown_product", UNKNOWN),
    "other point of sale": ({"lines": [("cake", "1")]}, 422, "unknown_product", UNKNOWN),
    "inactive product": ({"lines": [("old", "1")]}, 422, "inactive_product", None),
    "huge product id": ({"lines": [(2**70, "1")]}, 400, "invalid_request", None),
    "unknown operator": ({"operator_id": 999_999}, 422, "unknown_operator", None),
    "inactive operator": ({"operator_id": "piet"}, 422, "unknown_operator", None),
    "operator as text": ({"operator_id": "1"}, 400, "invalid_request", None),
    "huge operator id": ({"operator_id": 2**40}, 400, "invalid_request", None),
    "no operator": ({"operator_id": None}, 400, "invalid_request", None),
    "unknown consumption": ({"consumption": "bistro"}, 422, "invalid_consumption", None),
    "too little paid": ({"pay": [("cash", 375)]}, 422, "insufficient_payment", None),
    "no payment": ({"pay": []}, 422, "insufficient_payment", "Er is te weinig betaald."),
    "card above total": ({"pay": [("card", 381)]}, 422, "overpayment", None),
    "unknown method": ({"pay": [("bitcoin", 500)]}, 422, "payment_method_not_accepted", None),
    # only handing an order over on the monthly invoice makes an "invoice" payment
    "invoice at a till": ({"pay": [("invoice", 380)]}, 422, "payment_method_not_accepted", None),
    "amount negative": ({"pay": [("cash", -500)]}, 422, "invalid_amount", None),
    "amount zero": ({"pay": [("card", 380), ("cash", 0)]}, 422, "invalid_amount", None),
    "amount boolean": ({"pay": [("cash", True)]}, 400, "invalid_request", None),
    "amount decimal": ({"pay": [("cash", 500.5)]}, 400, "invalid_request", None),
    "amount as text": ({"pay": [("cash", "500")]}, 400, "invalid_request", None),
    "too many payments": ({"pay": [("cash", 10**7)] * 300}, 400, "invalid_request", None),
    "mixed, cash short": (  # 3453 due: 24.50 by card leaves 10.03 → 10.05 in cash
        {"lines": [("bread", "1"), ("cheese", "1.234")], "pay": [("card", 2450), ("cash", 1000)]},
        422,
        "insufficient_payment",
        None,
    ),
    "cash above €3,000": (  # 4000.00: 3010.00 kept in cash
        {"lines": [("bench", "4")], "pay": [("card", 99_000), ("cash", 301_000)]},
        422,
        "cash_limit_exceeded",
        "Contant betalen kan tot 3.000,00 euro. Betaal de rest met de kaart.",
    ),
}


@pytest.mark.parametrize(
    ("change", "status", "code", "message"), REFUSED_ORDERS.values(), ids=REFUSED_ORDERS
)
def test_refused_orders(
    app: Flask,
    client: FlaskClient,
    world: dict[str, Any],
    change: dict[str, Any],
    status: int,
    code: str,
    message: str | None,
) -> None:
    change = dict(change)
    body = order(world, *change.pop("lines", []), pay=change.pop("pay", [("cash", 5000)]))
    body.update({k: world.get(v, v) if isinstance(v, str) else v for k, v in change.items()})
    assert_refused(app, client, world, body, status, code, message)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([{"operator_id": 1}], "Stuur een verkoop als JSON-object."),
        ({"operator_id": 1, "lines": []}, "Een verkoop heeft minstens één lijn."),
        ({"operator_id": 1, "lines": [7]}, None),
        ({"operator_id": 1, "lines": [{"product_id": 1, "quantity": "1"}], "payments": {}}, None),
    ],
    ids=["a list", "empty lines", "line not an object", "payments not a list"],
)
def test_refused_shapes(
    app: Flask, client: FlaskClient, world: dict[str, Any], body: object, message: str | None
) -> None:
    assert_refused(app, client, world, body, 400, "invalid_request", message)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "invalid_json"),
        ('{"lines": [', "invalid_json"),
        ("[" * 100_000, "invalid_json"),
        (b"\xff\xfe", "invalid_json"),
        ("NaN", "invalid_request"),
        ('"sale"', "invalid_request"),
    ],
    ids=["malformed", "truncated", "deeply nested", "not utf-8", "bare NaN", "a string"],
)
def test_malformed_json(
    app: Flask, client: FlaskClient, world: dict[str, Any], raw: str | bytes, code: str
) -> None:
    before = snapshot(app)
    assert_error(post(client, world["headers"], raw=raw), 400, code)
    assert snapshot(app) == before


@pytest.mark.parametrize(
    ("auth", "key", "status", "code"),
    [
        (None, "new", 401, "unauthorized"),
        ("wrong", "new", 401, "unauthorized"),
        ("empty", "new", 401, "unauthorized"),
        ("basic", "new", 401, "unauthorized"),
        ("revoked", "new", 401, "unauthorized"),
        ("valid", None, 400, "idempotency_key_missing"),
        ("valid", "", 400, "idempotency_key_missing"),
        ("valid", "sleutel met spaties", 400, "idempotency_key_invalid"),
        ("valid", "k" * 101, 400, "idempotency_key_invalid"),
    ],
)
def test_refused_headers(
    app: Flask,
    client: FlaskClient,
    world: dict[str, Any],
    auth: str | None,
    key: str | None,
    status: int,
    code: str,
) -> None:
    token = world["headers"]["Authorization"].split()[1]
    headers = {
        None: {},
        "valid": world["headers"],
        "revoked": world["revoked_headers"],
        "basic": {"Authorization": f"Basic {token}"},
        "wrong": {"Authorization": "Bearer pk_wrong"},
        "empty": {"Authorization": "Bearer "},
    }[auth]
    before = snapshot(app)
    response = post(client, headers, order(world), key=key)
    assert_error(response, status, code)
    if status == 401:
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="pluskassa"'
    assert snapshot(app) == before


def test_payment_method_the_point_of_sale_does_not_take(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    before = snapshot(app)
    response = post(client, world["ca_headers"], order(world, ("card", "1"), pay=[("card", 300)]))
    assert_error(
        response, 422, "payment_method_not_accepted", "Deze kassa neemt deze betaalwijze niet aan."
    )
    assert snapshot(app) == before
    assert post(client, world["ca_headers"], order(world, ("card", "1"))).status_code == 201


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("delete", "/api/v1/sales/1"),
        ("put", "/api/v1/sales/1"),
        ("get", "/api/v1/sales"),
        ("post", "/api/v1/catalog"),
        ("post", "/api/v1/openapi.json"),
    ],
)
def test_wrong_method(client: FlaskClient, world: dict[str, Any], method: str, url: str) -> None:
    response = getattr(client, method)(url, headers=world["headers"])
    assert_error(response, 405, "method_not_allowed", "Deze actie kan hier niet.")


def test_too_large_body(app: Flask, client: FlaskClient, world: dict[str, Any]) -> None:
    before = snapshot(app)
    assert_error(post(client, world["headers"], raw=" " * (9 * 1024 * 1024)), 413, "too_large")
    assert snapshot(app) == before


def test_a_query_parameter_the_description_does_not_name_is_refused(
    client: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    headers = farm_shop["headers"]
    for url in ("/api/v1/catalog?fresh=1", "/api/v1/orders?day=2026-12-06&who=all"):
        response = client.get(url, headers=headers)
        assert response.status_code == 400, url
        assert response.get_json()["error"] == "unknown_parameter"
        assert "fresh" in response.get_json()["message"] or "who" in response.get_json()["message"]
    # the parameters an operation describes still pass
    assert client.get("/api/v1/orders?day=2026-12-06", headers=headers).status_code == 200
    described = client.get("/api/v1/openapi.json").get_json()
    assert "400" in described["paths"]["/catalog"]["get"]["responses"]

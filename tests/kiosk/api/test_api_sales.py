"""POST /api/v1/sales and GET /api/v1/sales/<id>: sales the till may make, through the client."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Sale, VatRate
from kiosk.periods import business_day
from tests.conftest import Shop
from tests.kiosk.till_requests import (
    assert_error,
    order,
    post,
    sales_world,
    snapshot,
)


@pytest.fixture
def world(app: Flask, shop: Shop, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """The farm shop plus a bistro, a cash-only gift shop, more products, tills and people."""
    return sales_world(app, shop, farm_shop)


def sold(
    w: dict[str, Any],
    key: str,
    name: str,
    quantity: str,
    unit: str,
    price: int,
    amount: int,
    rate: str,
) -> dict[str, Any]:
    """Describe a sale line as the API answers it."""
    return {
        **{"product_id": w[key], "description": name, "quantity": quantity, "unit": unit},
        **{"unit_price_cents": price, "amount_cents": amount, "vat_rate": rate},
    }


def test_cash_sale_returns_the_whole_receipt(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    body = order(world, ("bread", "2"), ("cheese", "0.347"), pay=[("cash", 2000)])
    before = datetime.now(UTC)
    response = post(client, world["headers"], body)
    after = datetime.now(UTC)
    assert response.status_code == 201
    sale = response.get_json()
    assert type(sale.pop("id")) is int
    created = datetime.fromisoformat(sale.pop("created_at"))
    assert created.utcoffset() == timedelta(0)
    assert before <= created <= after
    # without rung_up_at the sale was rung up when the server stored it
    assert datetime.fromisoformat(sale.pop("rung_up_at")) == created
    assert sale.pop("business_day") == business_day(created).isoformat()
    assert sale.pop("late") is False
    assert sale == {
        "ticket_number": 1,
        "receipt_number": "HW1-000001",
        "till": "HW1",
        "point_of_sale": "HW",
        "operator": {"id": world["operator_id"], "name": "Jan"},
        "consumption": "takeaway",
        "lines": [
            sold(world, "bread", "Boerenbrood", "2", "piece", 380, 760, "6"),
            sold(world, "cheese", "Hoevekaas", "0.347", "kg", 2490, 864, "6"),  # 2490 × 0.347
        ],
        "payments": [{"method": "cash", "amount_cents": 2000}],
        "total_cents": 1624,
        "rounding_cents": 1,  # 16.24 in cash → 16.25
        "change_cents": 375,
        "change": [{"value_cents": v, "count": 1} for v in (200, 100, 50, 20, 5)],
        "vat": [{"rate": "6", "base_cents": 1532, "vat_cents": 92, "total_cents": 1624}],
    }
    with app.app_context():
        stored = db.session.scalars(select(Sale)).one()
        assert [line.quantity_milli for line in stored.lines] == [2000, 347]
        assert (stored.total_cents, stored.rounding_cents, stored.change_cents) == (1624, 1, 375)
        assert [(p.method, p.amount_cents) for p in stored.payments] == [("cash", 2000)]


@pytest.mark.parametrize(
    ("pay", "rounding", "change", "pieces"),
    [
        ([("card", 3453)], 0, 0, []),
        ([("card", 2000), ("cash", 1500)], 2, 45, [(20, 2), (5, 1)]),  # cash part 14.53 → 14.55
        ([("cash", 2000), ("card", 1453)], 0, 0, []),  # cash part exactly 20.00: nothing to round
    ],
    ids=["card", "mixed", "mixed-exact"],
)
def test_card_and_mixed_sales(
    client: FlaskClient,
    world: dict[str, Any],
    pay: list[tuple[str, int]],
    rounding: int,
    change: int,
    pieces: list[Any],
) -> None:
    body = order(world, ("bread", "1"), ("cheese", "1.234"), pay=pay)  # 380 + 3073
    response = post(client, world["headers"], body)
    sale = response.get_json()
    assert response.status_code == 201
    assert (sale["total_cents"], sale["rounding_cents"], sale["change_cents"]) == (
        3453,
        rounding,
        change,
    )
    assert sale["change"] == [{"value_cents": v, "count": c} for v, c in pieces]
    assert sale["payments"] == [{"method": m, "amount_cents": a} for m, a in pay]
    assert sale["lines"][1]["amount_cents"] == 3073


@pytest.mark.parametrize(
    ("product", "consumption", "rate"),
    [
        ("cola", "takeaway", "6"),
        ("cola", "eat_in", "12"),
        ("beer", "takeaway", "21"),
        ("beer", "eat_in", "21"),
        ("bread", "eat_in", "12"),
        ("soup", "takeaway", "12"),
    ],
)
def test_consumption_decides_the_rate(
    client: FlaskClient, world: dict[str, Any], product: str, consumption: str, rate: str
) -> None:
    body = order(world, (product, "1"), pay=[("cash", 1000)], consumption=consumption)
    sale = post(client, world["headers"], body).get_json()
    assert sale["consumption"] == consumption
    assert sale["lines"][0]["vat_rate"] == rate
    assert [v["rate"] for v in sale["vat"]] == [rate]


def test_bistro_default_is_eat_in(client: FlaskClient, world: dict[str, Any]) -> None:
    sale = post(client, world["bi_headers"], order(world, ("cola", "2"), ("cake", "1"))).get_json()
    assert sale["consumption"] == "eat_in"
    assert sale["vat"] == [
        {"rate": "12", "base_cents": 2357, "vat_cents": 283, "total_cents": 2640}
    ]


def test_vat_breakdown_with_three_rates(client: FlaskClient, world: dict[str, Any]) -> None:
    lines = [("bread", "2"), ("soup", "1"), ("beer", "1"), ("candle", "1")]
    sale = post(client, world["headers"], order(world, *lines, pay=[("card", 2710)])).get_json()
    assert sale["total_cents"] == 2710
    assert sale["vat"] == [
        {"rate": "6", "base_cents": 717, "vat_cents": 43, "total_cents": 760},
        {"rate": "12", "base_cents": 402, "vat_cents": 48, "total_cents": 450},
        {"rate": "21", "base_cents": 1240, "vat_cents": 260, "total_cents": 1500},
    ]


def test_replay_returns_the_same_sale(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    key = str(uuid.uuid4())
    body = order(world, ("bread", "2"), ("cheese", "0.5"), pay=[("card", 1000), ("cash", 2000)])
    first = post(client, world["headers"], body, key=key)
    assert first.status_code == 201
    after_first = snapshot(app)
    respelled = {  # other key order, payments swapped, 2.0 and "0.500"
        "payments": [
            {"amount_cents": 2000, "method": "cash"},
            {"method": "card", "amount_cents": 1000},
        ],
        "lines": [
            {"quantity": "2.0", "product_id": world["bread"]},
            {"product_id": world["cheese"], "quantity": "0.500"},
        ],
        "operator_id": world["operator_id"],
    }
    for again in (body, respelled):
        replay = post(client, world["headers"], again, key=key)
        assert replay.status_code == 200
        assert replay.get_json() == first.get_json()
    assert snapshot(app) == after_first
    changed = post(client, world["headers"], order(world, ("bread", "3")), key=key)
    assert_error(changed, 409, "idempotency_conflict")
    assert snapshot(app) == after_first
    assert post(client, world["headers"], body).get_json()["ticket_number"] == 2


def test_a_key_belongs_to_its_till(client: FlaskClient, world: dict[str, Any]) -> None:
    key = str(uuid.uuid4())
    first = post(client, world["headers"], order(world), key=key).get_json()
    other = post(client, world["hw2_headers"], order(world), key=key)
    assert other.status_code == 201
    assert other.get_json()["receipt_number"] == "HW2-000001" != first["receipt_number"]


@pytest.mark.parametrize(
    ("quantity", "pay", "change"),
    [("3", [("cash", 320_000)], 20_000), ("4", [("card", 100_000), ("cash", 300_000)], 0)],
)
def test_cash_up_to_the_limit_is_accepted(
    client: FlaskClient,
    world: dict[str, Any],
    quantity: str,
    pay: list[tuple[str, int]],
    change: int,
) -> None:
    response = post(client, world["headers"], order(world, ("bench", quantity), pay=pay))
    assert response.status_code == 201
    assert response.get_json()["change_cents"] == change


def test_ticket_numbers_run_unbroken_per_till(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    receipts = []
    for headers, good in [
        ("headers", 1),
        ("headers", 0),
        ("hw2_headers", 1),
        ("headers", 1),
        ("hw2_headers", 0),
        ("headers", 0),
        ("headers", 1),
        ("hw2_headers", 1),
    ]:
        body = order(world) if good else order(world, ("bread", "0"))
        response = post(client, world[headers], body)
        assert response.status_code == (201 if good else 422)
        if good:
            receipts.append(response.get_json()["receipt_number"])
    assert receipts == ["HW1-000001", "HW2-000001", "HW1-000002", "HW1-000003", "HW2-000002"]
    with app.app_context():
        stored = db.session.execute(
            select(Sale.till_id, Sale.ticket_number).order_by(Sale.id)
        ).all()
        hw1, hw2 = world["till_id"], world["hw2_till"]
        assert stored == [(hw1, 1), (hw2, 1), (hw1, 2), (hw1, 3), (hw2, 2)]


def test_get_sale(client: FlaskClient, world: dict[str, Any]) -> None:
    made = post(client, world["headers"], order(world, ("cheese", "0.347"))).get_json()
    for headers in ("headers", "hw2_headers"):  # any till of the same point of sale
        response = client.get(f"/api/v1/sales/{made['id']}", headers=world[headers])
        assert response.status_code == 200
        assert response.get_json() == made
    bistro = post(client, world["bi_headers"], order(world, ("cake", "1"))).get_json()
    for sale_id in (bistro["id"], 999_999, 2**70):
        refused = client.get(f"/api/v1/sales/{sale_id}", headers=world["headers"])
        assert_error(refused, 404, "not_found", "Deze verkoop bestaat niet.")
    assert_error(client.get(f"/api/v1/sales/{made['id']}"), 401, "unauthorized")
    assert_error(client.get("/api/v1/sales/abc", headers=world["headers"]), 404, "not_found")


def add_rate(app: Flask, vat_class: str, basis_points: int, days_from_today: int) -> None:
    """Store a new VAT rate for take-away, valid from a day relative to today in Brussels."""
    with app.app_context():
        day = business_day(datetime.now(UTC)) + timedelta(days=days_from_today)
        db.session.add(
            VatRate(
                vat_class=vat_class,
                consumption="takeaway",
                rate_basis_points=basis_points,
                valid_from=day,
            )
        )
        db.session.commit()


def test_a_future_rate_does_not_apply_today(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    add_rate(app, "food", 900, 1)
    sale = post(client, world["headers"], order(world)).get_json()
    assert sale["vat"] == [{"rate": "6", "base_cents": 358, "vat_cents": 22, "total_cents": 380}]


def test_stored_lines_keep_their_rate(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    old = post(client, world["headers"], order(world)).get_json()
    add_rate(app, "food", 950, 0)
    new = post(client, world["headers"], order(world)).get_json()
    assert new["vat"] == [{"rate": "9.5", "base_cents": 347, "vat_cents": 33, "total_cents": 380}]
    assert new["lines"][0]["vat_rate"] == "9.5"
    again = client.get(f"/api/v1/sales/{old['id']}", headers=world["headers"]).get_json()
    assert again == old
    assert again["vat"] == [{"rate": "6", "base_cents": 358, "vat_cents": 22, "total_cents": 380}]

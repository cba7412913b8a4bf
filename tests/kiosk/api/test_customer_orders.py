"""/api/v1/orders: customers' orders taken, listed, prepared and paid by a till."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from kiosk.customer_orders.operations import cancel_order
from kiosk.extensions import db
from kiosk.models import AuditEntry, CustomerOrder, Sale
from kiosk.models.types import utcnow
from kiosk.periods import business_day
from tests.conftest import LiveServer, Shop
from tests.kiosk.till_requests import assert_error


def today() -> date:
    """Return today in Brussels."""
    return business_day(utcnow())


def new_order(w: dict[str, Any], *lines: tuple[str, str], **fields: Any) -> dict[str, Any]:
    """Build an order: pickup today of one bread unless told otherwise."""
    body: dict[str, Any] = {
        "customer": {"name": "Maria Peeters", "phone": "0470 12 34 56", "note": "bel aan"},
        "fulfilment": "pickup",
        "day": today().isoformat(),
        "lines": [
            {"product_id": w[key], "quantity": quantity}
            for key, quantity in lines or [("bread", "2")]
        ],
    }
    return {**body, **fields}


def post(
    client: FlaskClient, w: dict[str, Any], url: str, body: Any = None, key: str | None = None
) -> TestResponse:
    """POST JSON (or nothing) with the till's token and an optional Idempotency-Key."""
    headers = dict(w["headers"])
    if key is not None:
        headers["Idempotency-Key"] = key
    if body is None:
        return client.post(url, headers=headers)
    return client.post(url, data=json.dumps(body), headers=headers, content_type="application/json")


def take(client: FlaskClient, w: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """Take an order; return its document."""
    response = post(client, w, "/api/v1/orders", body, str(uuid.uuid4()))
    assert response.status_code == 201, response.get_data(as_text=True)
    document: dict[str, Any] = response.get_json()
    return document


def count(app: Flask, model: type[Any]) -> int:
    """Return how many rows a table has."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def w(shop: Shop, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """The farm shop, a second point of sale with its own till, and a staff member with a PIN."""
    shop.point_of_sale("GW", name="Geschenkwinkel")
    _till, token = shop.till("GW", name="Geschenken")
    return farm_shop | {"gift_headers": {"Authorization": f"Bearer {token}"}}


def test_an_order_is_taken_once_per_key_and_shows_no_personal_data(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    body = new_order(w, ("bread", "2"), ("cheese", "0.500"), slot="10:00-12:00")
    response = post(client, w, "/api/v1/orders", body, "key-1")
    assert response.status_code == 201
    order = response.get_json()
    line_ids = [line.pop("id") for line in order["lines"]]
    assert order == {
        "id": order["id"],
        "status": "open",
        "fulfilment": "pickup",
        "day": today().isoformat(),
        "slot": "10:00-12:00",
        "payment": "on_collection",
        "customer": {"first_name": "Maria"},
        "lines": [
            {
                "product_id": w["bread"],
                "name": "Boerenbrood",
                "unit": "piece",
                "quantity": "2",
                "weighed": False,
                "pictogram_url": "/pictograms/1F35E.svg",
                "price_cents": 380,
                "amount_cents": 760,
            },
            {
                "product_id": w["cheese"],
                "name": "Hoevekaas",
                "unit": "kg",
                "quantity": "0.500",
                "weighed": False,
                "pictogram_url": "/pictograms/1F35E.svg",
                "price_cents": 2490,
                "amount_cents": 1245,
            },
        ],
        "total_cents": 2005,
        "sale_id": None,
        "receipt_number": None,
    }
    assert len(set(line_ids)) == 2
    again = post(client, w, "/api/v1/orders", body, "key-1")
    assert again.status_code == 200
    assert again.get_json()["id"] == order["id"]
    other = new_order(w, ("bread", "3"))
    assert_error(post(client, w, "/api/v1/orders", other, "key-1"), 409, "idempotency_conflict")
    assert count(app, CustomerOrder) == 1
    shown = client.get(f"/api/v1/orders/{order['id']}", headers=w["headers"])
    assert shown.get_json()["customer"] == {"first_name": "Maria"}
    assert "Peeters" not in shown.get_data(as_text=True)
    assert "0470" not in shown.get_data(as_text=True)
    elsewhere = client.get(f"/api/v1/orders/{order['id']}", headers=w["gift_headers"])
    assert_error(elsewhere, 404, "unknown_order")


def test_a_day_lists_its_orders_by_slot_without_cancelled_ones(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    address = {"address": "Dorpsstraat 1, 9999 Ergens", "fulfilment": "delivery"}
    late = take(client, w, new_order(w, slot="14:00-15:00", **address))
    any_time = take(client, w, new_order(w))
    early = take(client, w, new_order(w, slot="09:00-10:00"))
    cancelled = take(client, w, new_order(w, slot="08:00-09:00"))
    tomorrow = (today() + timedelta(days=1)).isoformat()
    take(client, w, new_order(w, day=tomorrow))
    with app.app_context():
        cancel_order(cancelled["id"], utcnow())
        db.session.commit()
    listed = client.get(f"/api/v1/orders?day={today().isoformat()}", headers=w["headers"])
    orders = listed.get_json()["orders"]
    assert [order["id"] for order in orders] == [early["id"], late["id"], any_time["id"]]
    assert orders[1]["customer"] == {"first_name": "Maria", "address": "Dorpsstraat 1, 9999 Ergens"}
    gift = client.get(f"/api/v1/orders?day={today().isoformat()}", headers=w["gift_headers"])
    assert gift.get_json() == {"orders": []}
    assert_error(client.get("/api/v1/orders", headers=w["headers"]), 400, "invalid_request")
    assert_error(
        client.get("/api/v1/orders?day=2026-02-30", headers=w["headers"]), 422, "invalid_day"
    )


PAST = "2000-01-01"
BAD_ORDERS: list[tuple[str, dict[str, Any], int, str]] = [
    ("no customer", {"customer": None}, 400, "invalid_request"),
    ("name not text", {"customer": {"name": 5, "phone": "0470123456"}}, 400, "invalid_request"),
    ("empty name", {"customer": {"name": "  ", "phone": "0470123456"}}, 422, "invalid_customer"),
    ("long name", {"customer": {"name": "x" * 81, "phone": "0470123456"}}, 422, "invalid_customer"),
    ("no phone", {"customer": {"name": "Maria"}}, 400, "invalid_request"),
    ("bad phone", {"customer": {"name": "Maria", "phone": "bel me"}}, 422, "invalid_phone"),
    ("short phone", {"customer": {"name": "Maria", "phone": "123"}}, 422, "invalid_phone"),
    (
        "long note",
        {"customer": {"name": "Maria", "phone": "0470123456", "note": "x" * 501}},
        422,
        "invalid_note",
    ),
    ("fulfilment", {"fulfilment": "drone"}, 422, "invalid_fulfilment"),
    ("no fulfilment", {"fulfilment": None}, 400, "invalid_request"),
    ("day past", {"day": PAST}, 422, "invalid_day"),
    ("day too far", {"day": "2099-01-01"}, 422, "invalid_day"),
    ("day nonsense", {"day": "morgen"}, 422, "invalid_day"),
    ("day number", {"day": 20261224}, 400, "invalid_request"),
    ("slot", {"slot": "12:00-10:00"}, 422, "invalid_slot"),
    ("slot text", {"slot": "namiddag"}, 422, "invalid_slot"),
    ("slot number", {"slot": 10}, 400, "invalid_request"),
    ("address pickup", {"address": "Dorpsstraat 1"}, 422, "address_not_for_pickup"),
    ("no address", {"fulfilment": "delivery"}, 422, "address_required"),
    ("blank address", {"fulfilment": "delivery", "address": " "}, 422, "address_required"),
    ("payment", {"payment": "krediet"}, 422, "invalid_payment"),
    ("invoice to nobody", {"payment": "invoice"}, 422, "association_required"),
    (
        "association's VAT number",
        {"payment": "invoice", "association": {"name": "VZW", "vat_number": "BE 0123.456.789"}},
        422,
        "invalid_vat_number",
    ),
    ("association text", {"payment": "invoice", "association": "VZW"}, 400, "invalid_request"),
    ("no lines", {"lines": []}, 400, "invalid_request"),
    (
        "unknown product",
        {"lines": [{"product_id": 99999, "quantity": "1"}]},
        422,
        "unknown_product",
    ),
    ("bad quantity", {"lines": [{"product_id": 1, "quantity": 2}]}, 400, "invalid_quantity"),
]


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [case[1:] for case in BAD_ORDERS],
    ids=[case[0] for case in BAD_ORDERS],
)
def test_every_field_of_an_order_is_checked(
    app: Flask,
    client: FlaskClient,
    w: dict[str, Any],
    fields: dict[str, Any],
    status: int,
    code: str,
) -> None:
    body = {key: value for key, value in (new_order(w) | fields).items() if value is not None}
    assert_error(post(client, w, "/api/v1/orders", body, str(uuid.uuid4())), status, code)
    assert count(app, CustomerOrder) == 0


def test_weighed_lines_are_weighed_then_the_order_is_paid_once(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    order = take(client, w, new_order(w, ("bread", "1"), ("cheese", "0.500")))
    url = f"/api/v1/orders/{order['id']}"
    cheese = order["lines"][1]["id"]
    payment = {
        "operator_id": w["operator_id"],
        "payments": [{"method": "cash", "amount_cents": 2000}],
    }
    assert_error(post(client, w, url + "/prepared"), 422, "weight_missing")
    assert_error(post(client, w, url + "/sale", payment, "pay-1"), 422, "weight_missing")
    bread = order["lines"][0]["id"]
    weighed = {"lines": [{"id": bread, "quantity": "1"}]}
    assert_error(post(client, w, url + "/prepared", weighed), 422, "not_weighed")
    stranger = {"lines": [{"id": 99999, "quantity": "0.5"}]}
    assert_error(post(client, w, url + "/prepared", stranger), 422, "unknown_line")
    assert_error(post(client, w, url + "/prepared", {"lines": "all"}), 400, "invalid_request")
    prepared = post(client, w, url + "/prepared", {"lines": [{"id": cheese, "quantity": "0.512"}]})
    assert prepared.status_code == 200
    document = prepared.get_json()
    assert document["status"] == "prepared"
    assert document["lines"][1] | {"id": 0} == {
        "id": 0,
        "product_id": w["cheese"],
        "name": "Hoevekaas",
        "unit": "kg",
        "quantity": "0.512",
        "weighed": True,
        "pictogram_url": "/pictograms/1F35E.svg",
        "price_cents": 2490,
        "amount_cents": 1275,
    }
    assert document["total_cents"] == 380 + 1275
    too_little = payment | {"payments": [{"method": "cash", "amount_cents": 1000}]}
    assert_error(post(client, w, url + "/sale", too_little, "pay-0"), 422, "insufficient_payment")
    assert count(app, Sale) == 0
    paid = post(client, w, url + "/sale", payment, "pay-1")
    assert paid.status_code == 201
    sale = paid.get_json()
    assert [line["quantity"] for line in sale["lines"]] == ["1", "0.512"]
    assert sale["total_cents"] == 1655
    assert sale["rounding_cents"] == 0 and sale["change_cents"] == 345
    again = post(client, w, url + "/sale", payment, "pay-1")
    assert again.status_code == 200 and again.get_json() == sale
    assert_error(post(client, w, url + "/sale", payment, "pay-2"), 409, "order_paid")
    assert count(app, Sale) == 1
    shown = client.get(url, headers=w["headers"]).get_json()
    assert shown["status"] == "paid"
    assert (shown["sale_id"], shown["receipt_number"]) == (sale["id"], sale["receipt_number"])
    assert_error(post(client, w, url + "/prepared"), 409, "order_paid")
    on_invoice = take(
        client, w, new_order(w, payment="invoice", association={"name": "VZW De Linde"})
    )["id"]
    invoice_url = f"/api/v1/orders/{on_invoice}/sale"
    assert_error(post(client, w, invoice_url, payment, "pay-3"), 409, "order_on_invoice")
    cancelled = take(client, w, new_order(w))["id"]
    with app.app_context():
        cancel_order(cancelled, utcnow())
        db.session.commit()
    cancelled_url = f"/api/v1/orders/{cancelled}/sale"
    assert_error(post(client, w, cancelled_url, payment, "pay-4"), 409, "order_cancelled")
    assert count(app, Sale) == 1
    # the audit log keeps each step: at which till, by whom, never the customer's name
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.subject == f"customer_order:{order['id']}")
            .order_by(AuditEntry.id)
        ).all()
        assert [(e.action, e.till_id) for e in entries] == [
            ("customer_order.taken", w["till_id"]),
            ("customer_order.prepared", w["till_id"]),
            ("customer_order.paid", w["till_id"]),
        ]
        number = f"B-{order['id']:06d}"
        assert entries[2].summary == (
            f"Bestelling {number} betaald met bon {sale['receipt_number']}: 16,55 €."
        )
        assert all("Maria" not in (e.summary + (e.after or "")) for e in entries)
        cancelled_entry = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.subject == f"customer_order:{cancelled}")
        ).all()
        assert cancelled_entry == ["customer_order.taken", "customer_order.cancelled"]


def pay_over_http(server: LiveServer, w: dict[str, Any], order_id: int, key: str) -> int:
    """Pay an order through waitress; return the status."""
    request = urllib.request.Request(
        f"{server.url}/api/v1/orders/{order_id}/sale",
        data=json.dumps(
            {"operator_id": w["operator_id"], "payments": [{"method": "card", "amount_cents": 760}]}
        ).encode(),
        headers=w["headers"] | {"Idempotency-Key": key, "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_two_tablets_paying_one_order_at_once_make_one_sale(
    app: Flask, client: FlaskClient, w: dict[str, Any], live_server: LiveServer
) -> None:
    orders = [take(client, w, new_order(w))["id"] for _ in range(3)]
    statuses: list[int] = []
    threads = [
        threading.Thread(
            target=lambda o=order_id, k=key: statuses.append(pay_over_http(live_server, w, o, k))
        )
        for order_id in orders
        for key in (f"a-{order_id}", f"b-{order_id}")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 201, 201, 409, 409, 409]
    assert count(app, Sale) == 3
    with app.app_context():
        paid = db.session.scalars(select(CustomerOrder.sale_id)).all()
        assert len(set(paid)) == 3 and None not in paid


def test_customers_data_is_erased_some_days_after_payment_and_the_sale_stays(
    app: Flask, client: FlaskClient, w: dict[str, Any], cli: Any
) -> None:
    old, recent, still_open = (take(client, w, new_order(w))["id"] for _ in range(3))
    payment = {
        "operator_id": w["operator_id"],
        "payments": [{"method": "card", "amount_cents": 760}],
    }
    for order_id in (old, recent):
        assert (
            post(client, w, f"/api/v1/orders/{order_id}/sale", payment, f"k{order_id}").status_code
            == 201
        )
    with app.app_context():
        paid = db.session.get_one(CustomerOrder, old)
        paid.paid_at = utcnow() - timedelta(days=31)
        db.session.get_one(CustomerOrder, still_open).created_at = utcnow() - timedelta(days=90)
        db.session.commit()
    result = cli("orders", "forget")
    assert result.exit_code == 0, result.output
    assert "Klantgegevens gewist van 1 bestelling(en)" in result.output
    with app.app_context():
        rows = {order.id: order for order in db.session.scalars(select(CustomerOrder))}
        erased = rows[old]
        assert (erased.customer_name, erased.customer_phone, erased.customer_note) == (None,) * 3
        assert erased.erased_at is not None and erased.sale_id is not None
        assert rows[recent].customer_name == rows[still_open].customer_name == "Maria Peeters"
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "customer_orders.forgotten")
        )
        assert entry is not None and "1 klantenbestelling(en)" in entry.summary
    shown = client.get(f"/api/v1/orders/{old}", headers=w["headers"]).get_json()
    assert shown["customer"] == {"first_name": None} and shown["status"] == "paid"
    assert count(app, Sale) == 2
    assert "Klantgegevens gewist van 0 bestelling(en)" in cli("orders", "forget").output
    assert "van 1 bestelling(en)" in cli("orders", "forget", "--days", "0").output

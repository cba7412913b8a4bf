"""What a till sends and what a refused sale must leave alone: shared by the sales API tests."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from kiosk.extensions import db
from kiosk.models import Payment, Sale, SaleLine, TicketSequence, Till, User
from kiosk.organisation.people import revoke_till
from tests.conftest import Shop


def sales_world(app: Flask, shop: Shop, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """The farm shop plus a bistro, a cash-only gift shop, more products, tills and people."""
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in")
    shop.point_of_sale("CA", name="Cadeaushop", methods="cash")
    w = dict(farm_shop)
    for name, code in [("hw2", "HW"), ("bi", "BI"), ("ca", "CA"), ("revoked", "HW")]:
        till_id, token = shop.till(code)
        w[f"{name}_till"], w[f"{name}_headers"] = till_id, {"Authorization": f"Bearer {token}"}
    w["cake"] = shop.product("Taart", price_cents=2200, point_of_sale="BI")
    w["old"] = shop.product("Oude kaas", price_cents=900, active=False)
    w["beer"] = shop.product(
        "Hoevebier", price_cents=250, point_of_sale="HW|BI", vat_class="alcohol"
    )
    w["cola"] = shop.product(
        "Appelsap", price_cents=220, point_of_sale="HW|BI", vat_class="soft_drink"
    )
    w["soup"] = shop.product("Soep", price_cents=450, vat_class="takeaway_meal")
    w["bench"] = shop.product("Tuinbank", price_cents=100_000, vat_class="non_food")
    w["card"] = shop.product("Kaartje", price_cents=300, point_of_sale="CA", vat_class="non_food")
    w["piet"] = shop.user("Piet")
    with app.app_context():
        db.session.get_one(User, w["piet"]).active = False
        revoke_till(db.session.get_one(Till, w["revoked_till"]), datetime.now(UTC))
        db.session.commit()
    return w


def order(
    w: dict[str, Any],
    *lines: tuple[Any, Any],
    pay: Iterable[tuple[str, Any]] = (("cash", 5000),),
    **fields: Any,
) -> dict[str, Any]:
    """Build a sale request: lines as (product key or id, quantity), payments as (method, cents)."""
    body = {
        "operator_id": w["operator_id"],
        "lines": [
            {"product_id": w[p] if isinstance(p, str) else p, "quantity": q}
            for p, q in lines or [("bread", "1")]
        ],
        "payments": [{"method": m, "amount_cents": a} for m, a in pay],
    }
    return {**body, **fields}


def post(
    client: FlaskClient,
    headers: dict[str, str],
    body: Any = None,
    *,
    key: str | None = "new",
    raw: str | bytes | None = None,
) -> TestResponse:
    """POST a sale; key 'new' makes a fresh Idempotency-Key, None sends none."""
    headers = dict(headers)
    if key is not None:
        headers["Idempotency-Key"] = str(uuid.uuid4()) if key == "new" else key
    data = raw if raw is not None else json.dumps(body)
    return client.post("/api/v1/sales", data=data, headers=headers, content_type="application/json")


def snapshot(app: Flask) -> tuple[int, int, int, list[int]]:
    """Return what a refused sale must leave alone: row counts and every till's last number."""
    with app.app_context():
        sales, lines, payments = (
            db.session.scalars(select(func.count()).select_from(m)).one()
            for m in (Sale, SaleLine, Payment)
        )
        numbers = db.session.scalars(
            select(TicketSequence.last_number).order_by(TicketSequence.till_id)
        )
        return (sales, lines, payments, list(numbers))


def assert_error(
    response: TestResponse, status: int, code: str, message: str | None = None
) -> None:
    """Assert the API's error document: exact status, code and Dutch message."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    document = response.get_json()
    assert set(document) == {"error", "message"}
    assert document["error"] == code
    assert isinstance(document["message"], str) and document["message"]
    if message is not None:
        assert document["message"] == message


def assert_refused(
    app: Flask,
    client: FlaskClient,
    world: dict[str, Any],
    body: Any,
    status: int,
    code: str,
    message: str | None = None,
    headers: str = "headers",
) -> None:
    """Assert a sale is refused with an error document and leaves no trace, not even a number."""
    post(client, world["headers"], order(world))  # a sale before, so the sequence is not empty
    before = snapshot(app)
    assert_error(post(client, world[headers], body), status, code, message)
    assert snapshot(app) == before
    assert post(client, world["headers"], order(world)).get_json()["ticket_number"] == 2

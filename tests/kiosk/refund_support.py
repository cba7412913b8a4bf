"""A farm shop with staff who may refund, a stocked shelf, and helpers to sell and refund."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from kiosk.extensions import db
from kiosk.models import Location, PointOfSale, Product
from kiosk.models.types import Role, utcnow
from kiosk.stock.operations import DeliveredLine, receive_delivery

TODAY = date(2026, 11, 27)


def refund_world(app: Flask, shop: Any, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """Add staff with PINs, a care user with a PIN, and a shelf with two lots of bread."""
    w = dict(farm_shop)
    w["els"] = shop.user("Els", role=Role.STAFF, pin="2468")
    w["boss"] = shop.user("Bart", role=Role.MANAGER, pin="1357")
    w["nopin"] = shop.user("Nora", role=Role.STAFF)
    w["lotte"] = shop.user("Lotte", pin="1111")
    w["second_headers"] = {"Authorization": f"Bearer {shop.till('HW', name='Kassa 2')[1]}"}
    with app.app_context():
        farm = db.session.scalar(select(PointOfSale).where(PointOfSale.code == "HW"))
        shelf = Location(code="HW-REK", name="Winkelrek", sells_for=farm)
        db.session.add(shelf)
        bread = db.session.get_one(Product, w["bread"])
        for quantity, days in ((2000, 1), (10000, 5)):
            line = DeliveredLine(bread, quantity, 150, None, TODAY + timedelta(days=days))
            receive_delivery(None, shelf, [line], None, utcnow())
        db.session.commit()
        w["shelf"] = shelf.id
    return w


def sell(
    client: FlaskClient,
    w: dict[str, Any],
    lines: Iterable[tuple[str, str]],
    pay: Iterable[tuple[str, int]],
    headers: str = "headers",
) -> dict[str, Any]:
    """Sell through the API; return the sale document."""
    body = {
        "operator_id": w["operator_id"],
        "lines": [{"product_id": w[key], "quantity": quantity} for key, quantity in lines],
        "payments": [{"method": method, "amount_cents": cents} for method, cents in pay],
    }
    response = client.post(
        "/api/v1/sales",
        data=json.dumps(body),
        headers={**w[headers], "Idempotency-Key": str(uuid.uuid4())},
        content_type="application/json",
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def line_ids(
    client: FlaskClient, w: dict[str, Any], sale_id: int, headers: str = "headers"
) -> list[int]:
    """Return the ids of a sale's lines, from the recent sales list."""
    recent = client.get("/api/v1/sales/recent", headers=w[headers]).get_json()["sales"]
    return next([line["id"] for line in s["lines"]] for s in recent if s["id"] == sale_id)


def refund(
    client: FlaskClient,
    w: dict[str, Any],
    sale_id: int,
    *,
    key: str | None = None,
    headers: str = "headers",
    **fields: Any,
) -> TestResponse:
    """POST a refund; fields override the defaults (staff Els, her PIN, everything, back in)."""
    body = {"operator_id": w["els"], "pin": "2468", "stock": "return", "reason": "retour"}
    body.update(fields)
    return client.post(
        f"/api/v1/sales/{sale_id}/refunds",
        data=json.dumps(body),
        headers={**w[headers], "Idempotency-Key": key or str(uuid.uuid4())},
        content_type="application/json",
    )

"""A small bistro for the bistro API tests: tables, kitchen and bar products, requests."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from kiosk.extensions import db
from kiosk.models import (
    DiningTable,
    Payment,
    PointOfSale,
    PrintJob,
    Product,
    Sale,
    SaleLine,
    Tab,
    TabItem,
    TicketSequence,
)
from tests.conftest import Shop

PREFIX = "/api/v1"


def bistro_world(app: Flask, shop: Shop) -> dict[str, Any]:
    """Add a bistro (eat-in by default) with a till, three tables and products at every rate.

    Beside it is a farm shop with a till of its own.
    """
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in")
    shop.point_of_sale("HW")
    till_id, token = shop.till("BI", name="Bistro 1")
    w: dict[str, Any] = {
        "till_id": till_id,
        "headers": {"Authorization": f"Bearer {token}"},
        "farm_headers": {"Authorization": f"Bearer {shop.till('HW')[1]}"},
        "operator_id": shop.user("Jan"),
        "soup": shop.product(
            "Soep", price_cents=450, point_of_sale="BI", vat_class="takeaway_meal"
        ),
        "pasta": shop.product("Pasta", price_cents=1450, point_of_sale="BI"),
        "beer": shop.product("Hoevebier", price_cents=350, point_of_sale="BI", vat_class="alcohol"),
        "juice": shop.product(
            "Appelsap", price_cents=280, point_of_sale="BI", vat_class="soft_drink"
        ),
        "cake": shop.product("Taart", price_cents=325, point_of_sale="BI"),
        "bread": shop.product("Boerenbrood", price_cents=380, point_of_sale="HW"),
    }
    with app.app_context():
        for name, preparation in [("soup", "kitchen"), ("pasta", "kitchen"), ("beer", "bar")]:
            db.session.get_one(Product, w[name]).preparation = preparation
        db.session.get_one(Product, w["juice"]).preparation = "bar"
        bistro = db.session.scalars(select(PointOfSale).filter_by(code="BI")).one()
        farm = db.session.scalars(select(PointOfSale).filter_by(code="HW")).one()
        tables = [
            DiningTable(point_of_sale=bistro, number=n, name=f"Tafel {n}", position=10 - n)
            for n in (1, 2, 3)
        ]
        tables.append(DiningTable(point_of_sale=bistro, number=9, name="Oud", active=False))
        tables.append(DiningTable(point_of_sale=farm, number=1, name="Hoevetafel"))
        db.session.add_all(tables)
        db.session.commit()
        w["tables"] = [table.id for table in tables[:3]]
        w["inactive_table"], w["farm_table"] = tables[3].id, tables[4].id
    return w


def post(
    client: FlaskClient,
    w: dict[str, Any],
    path: str,
    body: Any,
    *,
    headers: str = "headers",
    key: str | None = None,
) -> TestResponse:
    """POST JSON to the API as the bistro's till (or another)."""
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(PREFIX + path, json=body, headers={**w[headers], **extra})


def get(
    client: FlaskClient, w: dict[str, Any], path: str, *, headers: str = "headers"
) -> TestResponse:
    """GET from the API as the bistro's till (or another)."""
    return client.get(PREFIX + path, headers=w[headers])


def open_tab(client: FlaskClient, w: dict[str, Any], table: int = 0) -> dict[str, Any]:
    """Open a tab at the bistro's n-th table; return it."""
    response = post(
        client, w, f"/tables/{w['tables'][table]}/tab", {"operator_id": w["operator_id"]}
    )
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()


def item(w: dict[str, Any], product: str, quantity: str = "1", **fields: Any) -> dict[str, Any]:
    """Describe an item to add, with a fresh client_key."""
    return {
        "client_key": str(uuid.uuid4()),
        "product_id": w[product],
        "quantity": quantity,
        **fields,
    }


def add(
    client: FlaskClient, w: dict[str, Any], tab_id: int, *items: dict[str, Any]
) -> TestResponse:
    """Add items to a tab."""
    return post(
        client, w, f"/tabs/{tab_id}/items", {"operator_id": w["operator_id"], "items": list(items)}
    )


def added(
    client: FlaskClient, w: dict[str, Any], tab_id: int, *items: dict[str, Any]
) -> dict[str, Any]:
    """Add items to a tab and return the tab."""
    response = add(client, w, tab_id, *items)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def pay(
    client: FlaskClient,
    w: dict[str, Any],
    tab_id: int,
    split: dict[str, Any],
    *payments: tuple[str, int],
    key: str | None = None,
) -> TestResponse:
    """Pay (part of) a tab with a fresh Idempotency-Key unless one is given."""
    body = {
        "operator_id": w["operator_id"],
        "split": split,
        "payments": [{"method": m, "amount_cents": a} for m, a in payments],
    }
    return post(client, w, f"/tabs/{tab_id}/payments", body, key=key or str(uuid.uuid4()))


def snapshot(app: Flask) -> tuple[Any, ...]:
    """Return what a refused request must leave alone: tabs, items, sales, jobs and numbers."""
    with app.app_context():
        tabs = db.session.execute(
            select(Tab.id, Tab.table_id, Tab.state, Tab.version).order_by(Tab.id)
        ).all()
        items = db.session.execute(
            select(TabItem.id, TabItem.sent_at, TabItem.cancelled_at, TabItem.sale_id).order_by(
                TabItem.id
            )
        ).all()
        counts = [
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Sale, SaleLine, Payment, PrintJob)
        ]
        numbers = db.session.scalars(
            select(TicketSequence.last_number).order_by(TicketSequence.till_id)
        )
        return tuple(tabs), tuple(items), tuple(counts), tuple(numbers)


def assert_error(response: TestResponse, status: int, code: str) -> None:
    """Assert the API's error document with this status and code, and a Dutch message."""
    assert response.status_code == status, response.get_data(as_text=True)
    document = response.get_json()
    assert set(document) == {"error", "message"}
    assert document["error"] == code, document
    assert document["message"]

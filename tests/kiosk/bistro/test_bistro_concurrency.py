"""Two tablets on one tab at the same moment: nothing is lost, nothing is paid twice.

They go through a real waitress server. Runs on SQLite and, with PLUSKASSA_TEST_DATABASE_URL,
on PostgreSQL.
"""

from __future__ import annotations

import json
import uuid
from functools import partial
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Executable, func, select

from kiosk.extensions import db
from kiosk.models import Sale, Tab, TabItem
from tests.conftest import LiveServer, Shop
from tests.kiosk.bistro_support import bistro_world
from tests.kiosk.sales.test_concurrency import Answer, failures, request, run_together

TABLETS = 2
ITEMS_PER_TABLET = 20


@pytest.fixture
def w(app: Flask, shop: Shop) -> dict[str, Any]:
    """The bistro world."""
    return bistro_world(app, shop)


def call(base_url: str, w: dict[str, Any], path: str, body: Any, key: str | None = None) -> Answer:
    """POST JSON to the bistro API over a socket of its own."""
    headers = {**w["headers"], "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    return request(
        base_url, "POST", f"/api/v1{path}", body=json.dumps(body).encode(), headers=headers
    )


def rows(app: Flask, query: Executable) -> Any:
    """Run a read query in its own app context."""
    with app.app_context():
        result = db.session.execute(query).all()
        db.session.rollback()
    return result


def test_two_tablets_opening_one_table_at_once_share_one_tab(
    app: Flask, live_server: LiveServer, w: dict[str, Any]
) -> None:
    path = f"/tables/{w['tables'][0]}/tab"
    answers = run_together(
        [lambda: call(live_server.url, w, path, {"operator_id": w["operator_id"]})] * 2
    )
    assert sorted(answer.status for answer in answers) == [200, 201], failures(answers, {200, 201})
    assert answers[0].document["id"] == answers[1].document["id"]
    assert rows(app, select(func.count()).select_from(Tab)) == [(1,)]


def test_two_tablets_adding_to_one_tab_at_once_lose_nothing(
    app: Flask, live_server: LiveServer, w: dict[str, Any]
) -> None:
    opened = call(
        live_server.url, w, f"/tables/{w['tables'][0]}/tab", {"operator_id": w["operator_id"]}
    )
    tab_id = opened.document["id"]
    products = [w["soup"], w["beer"]]

    def tablet(number: int) -> list[Answer]:
        answers = []
        for n in range(ITEMS_PER_TABLET):
            body = {
                "operator_id": w["operator_id"],
                "items": [
                    {
                        "client_key": f"tablet{number}-{n}",
                        "product_id": products[number],
                        "quantity": "1",
                        "note": f"tablet {number} nr {n}",
                    }
                ],
            }
            answers.append(call(live_server.url, w, f"/tabs/{tab_id}/items", body))
        return answers

    results = run_together([partial(tablet, number) for number in range(TABLETS)])
    every = [answer for answers in results for answer in answers]
    assert [answer.status for answer in every] == [200] * len(every), failures(every, {200})
    keys = rows(app, select(TabItem.client_key).where(TabItem.tab_id == tab_id))
    assert sorted(key for (key,) in keys) == sorted(
        f"tablet{number}-{n}" for number in range(TABLETS) for n in range(ITEMS_PER_TABLET)
    )
    (version,) = rows(app, select(Tab.version).where(Tab.id == tab_id))[0]
    assert version == 1 + TABLETS * ITEMS_PER_TABLET  # every change bumped it, none overwrote one
    final = max(every, key=lambda answer: answer.document["version"]).document
    assert len(final["items"]) == 40 and final["total_cents"] == 20 * 450 + 20 * 350


def test_two_tablets_paying_one_tab_at_once_make_one_sale(
    app: Flask, live_server: LiveServer, w: dict[str, Any]
) -> None:
    opened = call(
        live_server.url, w, f"/tables/{w['tables'][0]}/tab", {"operator_id": w["operator_id"]}
    )
    tab_id = opened.document["id"]
    items = [{"client_key": str(uuid.uuid4()), "product_id": w["pasta"], "quantity": "2"}]
    call(
        live_server.url,
        w,
        f"/tabs/{tab_id}/items",
        {"operator_id": w["operator_id"], "items": items},
    )
    body = {
        "operator_id": w["operator_id"],
        "split": {"kind": "all"},
        "payments": [{"method": "card", "amount_cents": 2900}],
    }
    payments = [
        lambda: call(live_server.url, w, f"/tabs/{tab_id}/payments", body, key=str(uuid.uuid4()))
    ] * 2
    answers = run_together(payments)
    assert sorted(answer.status for answer in answers) == [201, 409], failures(answers, {201, 409})
    refused = next(answer for answer in answers if answer.status == 409)
    assert refused.document["error"] == "already_paid"
    assert rows(app, select(Sale.ticket_number, Sale.total_cents)) == [(1, 2900)]
    assert rows(app, select(Tab.state).where(Tab.id == tab_id)) == [("paid",)]


def test_two_tablets_paying_the_same_equal_part_at_once_pay_it_once(
    app: Flask, live_server: LiveServer, w: dict[str, Any]
) -> None:
    opened = call(
        live_server.url, w, f"/tables/{w['tables'][0]}/tab", {"operator_id": w["operator_id"]}
    )
    tab_id = opened.document["id"]
    items = [{"client_key": "soup", "product_id": w["soup"], "quantity": "3"}]
    call(
        live_server.url,
        w,
        f"/tabs/{tab_id}/items",
        {"operator_id": w["operator_id"], "items": items},
    )
    body = {
        "operator_id": w["operator_id"],
        "split": {"kind": "equal", "parts": 3, "part": 1},
        "payments": [{"method": "card", "amount_cents": 450}],
    }
    pay = lambda: call(live_server.url, w, f"/tabs/{tab_id}/payments", body, key=str(uuid.uuid4()))  # noqa: E731
    answers = run_together([pay, pay])
    assert sorted(answer.status for answer in answers) == [201, 409], failures(answers, {201, 409})
    assert next(a for a in answers if a.status == 409).document["error"] == "part_already_paid"
    assert rows(app, select(Sale.total_cents)) == [(450,)]

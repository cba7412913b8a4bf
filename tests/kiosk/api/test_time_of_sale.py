"""A sale's time is when the till rang it up (`rung_up_at`), not when it reached the server.

Sales go over real HTTP to waitress, as a till's offline queue sends them after midnight. The
day figures, X and Z reports and the accountant's exports then count them on the day the
customer paid; a sale whose day was closed by a Z meanwhile counts, marked late, in the next Z.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kiosk.cash.days import get_sales_after_close
from kiosk.cash.drawer import close_day, get_drawer, record_cash_count
from kiosk.cash.reports import cash_report, report_lines
from kiosk.exports.accounting import day_book_rows, sale_line_rows
from kiosk.exports.journal import journal_rows
from kiosk.extensions import db
from kiosk.models import Sale, Till, User, ZReport
from kiosk.periods import BRUSSELS, business_day
from kiosk.reports.day_figures import SalesScope, get_figures
from kiosk.sales.receipts import build_receipt
from tests.conftest import LiveServer, Shop, login
from tests.kiosk.bistro_support import bistro_world, open_tab
from tests.kiosk.bistro_support import item as tab_item
from tests.kiosk.bistro_support import post as bistro_post
from tests.kiosk.refund_support import refund, refund_world
from tests.kiosk.sales.test_concurrency import Answer, request


def today() -> date:
    """Return the server's business day now."""
    return business_day(datetime.now(UTC))


def before_midnight() -> datetime:
    """Return 23:58 Brussels time yesterday: rung up before midnight, sent after it."""
    return datetime.combine(today(), time(), BRUSSELS) - timedelta(minutes=2)


def send_sale(
    server: LiveServer, w: dict[str, Any], rung_up_at: Any = None, *, key: str | None = None
) -> Answer:
    """POST a sale of two breads paid in cash over HTTP, as the till's queue sends it."""
    body: dict[str, Any] = {
        "operator_id": w["operator_id"],
        "lines": [{"product_id": w["bread"], "quantity": "2"}],
        "payments": [{"method": "cash", "amount_cents": 1000}],
    }
    if rung_up_at is not None:
        body["rung_up_at"] = rung_up_at
    return request(
        server.url,
        "POST",
        "/api/v1/sales",
        body=json.dumps(body).encode(),
        headers={
            **w["headers"],
            "Idempotency-Key": key or str(uuid.uuid4()),
            "Content-Type": "application/json",
        },
    )


def close(till_id: int, day: date, user_id: int) -> ZReport:
    """Count the drawer (empty) and close the till's day with a Z report, committed."""
    till, user = db.session.get_one(Till, till_id), db.session.get_one(User, user_id)
    now = datetime.now(UTC)
    record_cash_count(till, day, {}, user, now, "geteld in de test")
    report = close_day(till, day, user, now)
    db.session.commit()
    return report


def test_a_sale_rung_up_at_2358_and_sent_after_midnight_counts_on_the_earlier_day(
    app: Flask, farm_shop: dict[str, Any], live_server: LiveServer
) -> None:
    w = farm_shop
    rung_up = before_midnight()
    yesterday = rung_up.date()
    answer = send_sale(live_server, w, rung_up.isoformat())  # "…T23:58:00+01:00"
    assert answer.status == 201, answer.document
    sale = answer.document
    assert datetime.fromisoformat(sale["rung_up_at"]) == rung_up
    assert sale["business_day"] == yesterday.isoformat()
    assert business_day(datetime.fromisoformat(sale["created_at"])) == today()
    assert sale["late"] is False
    with app.app_context():
        day_before = get_figures(SalesScope(yesterday, yesterday))
        assert (day_before.sales_count, day_before.turnover_cents) == (1, 760)
        assert get_figures(SalesScope(today(), today())).sales_count == 0
        stored = db.session.get_one(Sale, sale["id"])
        assert build_receipt(stored).created_at == rung_up  # the receipt prints the time of sale
        till = db.session.get_one(Till, w["till_id"])
        assert get_drawer(till, yesterday).figures.sales_count == 1
        assert get_drawer(till, today()).figures.sales_count == 0
        z = json.loads(close(w["till_id"], yesterday, w["operator_id"]).figures)
        assert z["figures"]["sales_count"] == 1 and z["figures"]["late"] == []
        assert z["figures"]["payments"] == {"cash": 760}
        lines = list(sale_line_rows(SalesScope(yesterday, yesterday)))
        assert [(row[0], row[1], row[5], row[-1]) for row in lines] == [
            (yesterday, rung_up, "HW1-000001", "nee")
        ]
        book = list(day_book_rows(yesterday, yesterday))
        assert [(row[0], row[2], row[7], row[8], row[-1]) for row in book] == [
            (yesterday, "HW1", 760, 1, "nee")
        ]
        assert {row[0] for row in journal_rows(yesterday, today())} == {yesterday}
        assert list(day_book_rows(today(), today())) == []


@pytest.mark.parametrize(
    ("rung_up_at", "why"),
    [
        (lambda now: (now + timedelta(minutes=6)).isoformat(), "ahead"),
        (lambda now: (now - timedelta(days=7, minutes=1)).isoformat(), "old"),
        (lambda now: now.astimezone(BRUSSELS).replace(tzinfo=None).isoformat(), "offset"),
        (lambda now: "gisteren om 23:58", "garbage"),
        (lambda now: 1764975492, "number"),
    ],
)
def test_a_time_ahead_too_old_or_without_offset_is_refused(
    app: Flask, farm_shop: dict[str, Any], live_server: LiveServer, rung_up_at: Any, why: str
) -> None:
    answer = send_sale(live_server, farm_shop, rung_up_at(datetime.now(UTC)))
    assert answer.status == 422, (why, answer.document)
    assert answer.document["error"] == "invalid_rung_up_at"
    assert answer.document["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Sale.id))) == 0


def test_a_time_within_the_limits_is_taken(
    farm_shop: dict[str, Any], live_server: LiveServer
) -> None:
    now = datetime.now(UTC)
    for moment in (now + timedelta(minutes=4), now - timedelta(days=6, hours=23)):
        answer = send_sale(live_server, farm_shop, moment.isoformat())
        assert answer.status == 201, answer.document
        assert datetime.fromisoformat(answer.document["rung_up_at"]) == moment


def test_a_late_sale_goes_into_the_next_z_marked_late_and_the_frozen_z_stays(
    app: Flask,
    client: FlaskClient,
    shop: Shop,
    farm_shop: dict[str, Any],
    live_server: LiveServer,
) -> None:
    w = farm_shop
    rung_up = before_midnight()
    yesterday = rung_up.date()
    on_time = send_sale(live_server, w, (rung_up - timedelta(hours=10)).isoformat())
    assert on_time.status == 201
    with app.app_context():
        closed = close(w["till_id"], yesterday, w["operator_id"])
        frozen, checksum, closed_id = closed.figures, closed.checksum, closed.id
    late = send_sale(live_server, w, rung_up.isoformat())
    assert late.status == 201, late.document
    assert late.document["late"] is True
    assert late.document["business_day"] == yesterday.isoformat()
    assert datetime.fromisoformat(late.document["rung_up_at"]) == rung_up
    with app.app_context():
        old_z = db.session.get_one(ZReport, closed_id)
        assert (old_z.figures, old_z.checksum) == (frozen, checksum)
        assert json.loads(old_z.figures)["figures"]["sales_count"] == 1
        assert get_sales_after_close(old_z) == 1
        till = db.session.get_one(Till, w["till_id"])
        x = get_drawer(till, today())
        assert x.figures.sales_count == 1 and x.figures.turnover_cents == 760
        assert [sale.receipt_number for sale in x.figures.late] == ["HW1-000002"]
        paper = report_lines(cash_report(x.as_json()), 42)
        assert any("HW1-000002" in line and "laat" in line for line in paper)
        next_z = json.loads(close(w["till_id"], today(), w["operator_id"]).figures)
        assert next_z["figures"]["sales_count"] == 1
        assert next_z["figures"]["late"] == [
            {
                "receipt_number": "HW1-000002",
                "rung_up_at": rung_up.isoformat(timespec="seconds"),
                "total_cents": 760,
            }
        ]
        # turnover and exports keep the time of sale: both sales are yesterday's
        assert get_figures(SalesScope(yesterday, yesterday)).sales_count == 2
        lines = list(sale_line_rows(SalesScope(yesterday, yesterday)))
        assert [(row[5], row[-1]) for row in lines] == [("HW1-000001", "nee"), ("HW1-000002", "ja")]
        book = list(day_book_rows(yesterday, yesterday))
        assert [(row[0], row[8], row[-1]) for row in book] == [
            (yesterday, 1, "nee"),
            (yesterday, 1, "ja"),
        ]
        assert db.session.get_one(ZReport, closed_id).figures == frozen
        next_id = db.session.scalar(select(func.max(ZReport.id)))
    shop.user("Greet", role="manager")
    assert login(client, "Greet", "wachtwoord-greet").status_code == 302
    x_page = client.get(f"/admin/cash/{w['till_id']}/{today().isoformat()}/x").text
    late_row = rung_up.strftime("%d-%m-%Y %H:%M")
    assert "Laat binnengekomen" in x_page and late_row in x_page
    next_page = client.get(f"/admin/z-reports/{next_id}").text
    assert "Laat binnengekomen" in next_page and "HW1-000002 <strong>laat</strong>" in next_page
    old_page = client.get(f"/admin/z-reports/{closed_id}").text
    assert "Laat binnengekomen" not in old_page
    assert "die er niet in staan: 1." in old_page


def test_a_replay_answers_with_the_stored_times(
    farm_shop: dict[str, Any], live_server: LiveServer
) -> None:
    rung_up = datetime.now(BRUSSELS).replace(microsecond=0) - timedelta(hours=1)
    key = str(uuid.uuid4())
    first = send_sale(live_server, farm_shop, rung_up.isoformat(), key=key)
    assert first.status == 201
    again = send_sale(live_server, farm_shop, rung_up.isoformat(), key=key)
    restamped = send_sale(live_server, farm_shop, datetime.now(UTC).isoformat(), key=key)
    for replay in (again, restamped):
        assert replay.status == 200, replay.document
        assert replay.document == first.document
    assert datetime.fromisoformat(first.document["rung_up_at"]) == rung_up


def test_refunds_and_tab_payments_take_their_time_of_sale_too(
    app: Flask, client: FlaskClient, shop: Shop, farm_shop: dict[str, Any]
) -> None:
    w = refund_world(app, shop, farm_shop)
    rung_up = before_midnight()
    sold = client.post(
        "/api/v1/sales",
        json={
            "operator_id": w["operator_id"],
            "lines": [{"product_id": w["bread"], "quantity": "1"}],
            "payments": [{"method": "cash", "amount_cents": 500}],
            "rung_up_at": (rung_up - timedelta(minutes=5)).isoformat(),
        },
        headers={**w["headers"], "Idempotency-Key": str(uuid.uuid4())},
    )
    assert sold.status_code == 201, sold.get_json()
    refused = refund(client, w, sold.get_json()["id"], rung_up_at="2026-12-05T23:58:12")
    assert (refused.status_code, refused.get_json()["error"]) == (422, "invalid_rung_up_at")
    refunded = refund(client, w, sold.get_json()["id"], rung_up_at=rung_up.isoformat())
    assert refunded.status_code == 201, refunded.get_json()
    assert refunded.get_json()["business_day"] == rung_up.date().isoformat()
    assert datetime.fromisoformat(refunded.get_json()["rung_up_at"]) == rung_up


def test_a_tab_payment_takes_its_time_of_sale(app: Flask, client: FlaskClient, shop: Shop) -> None:
    w = bistro_world(app, shop)
    tab = open_tab(client, w)
    added = bistro_post(
        client,
        w,
        f"/tabs/{tab['id']}/items",
        {"operator_id": w["operator_id"], "items": [tab_item(w, "soup")]},
    )
    assert added.status_code == 200
    rung_up = before_midnight()
    body = {
        "operator_id": w["operator_id"],
        "split": {"kind": "all"},
        "payments": [{"method": "cash", "amount_cents": 450}],
    }
    too_new = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    refused = bistro_post(
        client,
        w,
        f"/tabs/{tab['id']}/payments",
        {**body, "rung_up_at": too_new},
        key=str(uuid.uuid4()),
    )
    assert (refused.status_code, refused.get_json()["error"]) == (422, "invalid_rung_up_at")
    paid = bistro_post(
        client,
        w,
        f"/tabs/{tab['id']}/payments",
        {**body, "rung_up_at": rung_up.isoformat()},
        key=str(uuid.uuid4()),
    )
    assert paid.status_code == 201, paid.get_json()
    assert paid.get_json()["sale"]["business_day"] == rung_up.date().isoformat()

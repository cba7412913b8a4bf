"""Refunds count on the day they happen, and two tills refunding one line at once: one wins."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kiosk.cash.drawer import get_drawer
from kiosk.exports.accounting import sale_line_rows
from kiosk.extensions import db
from kiosk.models import Sale, SaleLine, TicketSequence, Till
from kiosk.reports.day_figures import SalesScope
from kiosk.sales.refunds import refund_sale
from tests.conftest import LiveServer, Shop, login
from tests.kiosk.refund_support import refund_world
from tests.kiosk.sales.test_concurrency import Answer, failures, request, run_together
from tests.kiosk.sales_support import sell

MONDAY, TUESDAY = date(2026, 11, 23), date(2026, 11, 24)


def test_a_refund_the_next_day_counts_on_that_day(
    app: Flask, shop: Shop, farm_shop: dict[str, Any]
) -> None:
    w = refund_world(app, shop, farm_shop)
    with app.app_context():
        sale = sell(
            w["till_id"], w["operator_id"], [(w["bread"], "2"), (w["candle"], "1")],
            [("cash", 5000)], datetime(2026, 11, 23, 15, 0, tzinfo=UTC),
        )  # fmt: skip
        refund, _new = refund_sale(
            db.session.get_one(Till, w["till_id"]), sale.id, w["els"], None,
            stock="return", reason="retour", idempotency_key="r1",
            now=datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
        )  # fmt: skip
        db.session.commit()
        till = db.session.get_one(Till, w["till_id"])
        monday, tuesday = get_drawer(till, MONDAY).figures, get_drawer(till, TUESDAY).figures
        assert (monday.sales_count, monday.refunds_count, monday.turnover_cents) == (1, 0, 2010)
        assert (tuesday.sales_count, tuesday.refunds_count) == (0, 1)
        assert tuesday.turnover_cents == tuesday.refunds_cents == -2010
        assert tuesday.payments == {"cash": -2010}
        assert get_drawer(till, TUESDAY).expected_cents == -2010
        rows = {day: list(sale_line_rows(SalesScope(day, day))) for day in (MONDAY, TUESDAY)}
        assert [(row[0], row[4], row[5]) for row in rows[MONDAY]] == [
            (MONDAY, 1, "HW1-000001"),
            (MONDAY, 1, "HW1-000001"),
        ]
        # the refund's rows: its own ticket, the original named, negative quantities and amounts
        assert [(row[0], row[4], row[6], row[13], row[16]) for row in rows[TUESDAY]] == [
            (TUESDAY, 2, "HW1-000001", -2000, -760),
            (TUESDAY, 2, "HW1-000001", -1000, -1250),
        ]
        assert refund.ticket_number == 2


@pytest.mark.postgres_only
def test_two_tills_refunding_one_line_at_once_one_wins(
    app: Flask, shop: Shop, farm_shop: dict[str, Any], live_server: LiveServer
) -> None:
    w = refund_world(app, shop, farm_shop)
    tokens = [w["token"]] + [shop.till("HW", name=f"Kassa {n}")[1] for n in range(5)]
    with app.app_context():
        sale = sell(
            w["till_id"], w["operator_id"], [(w["bread"], "1"), (w["eggs"], "1")],
            [("cash", 1000)], datetime.now(UTC),
        )  # fmt: skip
        sale_id, bread_line = sale.id, sale.lines[0].id

    def refund_from(token: str) -> Answer:
        return request(
            live_server.url,
            "POST",
            f"/api/v1/sales/{sale_id}/refunds",
            body=json.dumps(
                {"operator_id": w["els"], "pin": "2468", "line_ids": [bread_line]}
            ).encode(),
            headers={
                "Authorization": f"Bearer {token}",
                "Idempotency-Key": str(uuid.uuid4()),
                "Content-Type": "application/json",
            },
        )

    answers = run_together([partial(refund_from, token) for token in tokens])
    statuses = sorted(answer.status for answer in answers)
    assert statuses == [201] + [409] * (len(tokens) - 1), failures(answers, {201, 409})
    assert {a.document["error"] for a in answers if a.status == 409} == {"already_refunded"}
    with app.app_context():
        refunds = db.session.scalars(select(Sale).where(Sale.refund_of_id == sale_id)).all()
        assert len(refunds) == 1
        refunded = db.session.scalar(
            select(func.count()).where(SaleLine.refund_of_line_id == bread_line)
        )
        assert refunded == 1
        # the losers gave their ticket numbers back: every till's sequence matches its sales
        for sequence in db.session.scalars(select(TicketSequence)):
            made = db.session.scalar(select(func.count()).where(Sale.till_id == sequence.till_id))
            assert sequence.last_number == made
        assert refunds[0].total_cents == -380
        db.session.rollback()


def test_the_back_office_links_a_sale_and_its_refund(
    app: Flask, client: FlaskClient, shop: Shop, farm_shop: dict[str, Any]
) -> None:
    w = refund_world(app, shop, farm_shop)
    with app.app_context():
        sale = sell(w["till_id"], w["operator_id"], [(w["bread"], "1")], [("card", 380)],
                    datetime.now(UTC))  # fmt: skip
        refund_sale(
            db.session.get_one(Till, w["till_id"]), sale.id, w["els"], None,
            stock="return", reason="vergissing", idempotency_key="v1", now=datetime.now(UTC),
        )  # fmt: skip
        db.session.commit()
        sale_id, refund_id = sale.id, sale.id + 1
    assert login(client, "Els", "wachtwoord-els").status_code == 302
    original = client.get(f"/admin/sales/{sale_id}").text
    assert f'href="/admin/sales/{refund_id}">HW1-000002</a>' in original
    refund = client.get(f"/admin/sales/{refund_id}").text
    assert "Vergissing" in refund and f'href="/admin/sales/{sale_id}">HW1-000001</a>' in refund
    assert "TERUGBETALING" in refund
    assert "terugbetaling van HW1-000001" in client.get("/admin/sales").text

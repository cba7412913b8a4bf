"""POST /api/v1/refused-sales: a refused sale staff wiped from the till leaves one audit entry.

The entry names the staff member, the till, when the sale was rung up, its lines, total and ways
of paying, and the server's refusal; the same Idempotency-Key again adds nothing. A care user,
a staff member without a proof and malformed bodies are refused with nothing written; no sale
and no stock change in any case. The back office's audit page shows the sentence.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from kiosk.extensions import db
from kiosk.models import AuditEntry, Sale, StockMove
from kiosk.models.types import Role
from kiosk.periods import BRUSSELS, day_text
from tests.conftest import Shop, login
from tests.kiosk.api.test_operator_proof import issued, prove
from tests.kiosk.api.test_time_of_sale import before_midnight

REFUSAL = {"error": "cash_limit_exceeded", "message": "Contant betalen kan tot 3.000,00 €."}


def report(w: dict[str, Any], operator_id: int, proof: str | None, **fields: Any) -> dict[str, Any]:
    """Describe a wiped sale of two breads and some cheese, paid in cash, refused by the server."""
    body = {
        "operator_id": operator_id,
        "refused_key": "a3f1c2d4-0000-4000-8000-000000000001",
        "rung_up_at": "2026-12-05T14:07:00+01:00",
        "summary": {"lines": [["Boerenbrood", "2"], ["Hoevekaas", "0.350"]], "total_cents": 1632},
        "payments": [{"method": "cash", "amount_cents": 2000}],
        "error": REFUSAL,
        **fields,
    }
    if proof is not None:
        body["operator_proof"] = proof
    return body


def post(client: FlaskClient, w: dict[str, Any], body: Any, key: str | None = None) -> TestResponse:
    """POST a report at the farm shop's till under a key (a fresh one without)."""
    headers = {**w["headers"], "Idempotency-Key": key or str(uuid.uuid4())}
    return client.post("/api/v1/refused-sales", json=body, headers=headers)


def counted(app: Flask) -> tuple[int, int, int]:
    """Count the wiped-sale audit entries, the sales and the stock movements."""
    with app.app_context():
        entries = select(func.count()).where(AuditEntry.action == "refused_sale.wiped")
        return (
            db.session.scalar(entries) or 0,
            db.session.scalar(select(func.count()).select_from(Sale)) or 0,
            db.session.scalar(select(func.count()).select_from(StockMove)) or 0,
        )


def test_a_wiped_sale_is_audited_once_and_shown_in_the_back_office(
    app: Flask, client: FlaskClient, shop: Shop, farm_shop: dict[str, Any]
) -> None:
    w = farm_shop
    els = shop.user("Els", role=Role.STAFF, pin="2468")
    shop.user("Bart", role=Role.MANAGER, password="wachtwoord-bart")
    proof = prove(client, w["headers"], els, "2468")
    key = str(uuid.uuid4())
    first = post(client, w, report(w, els, proof), key)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["audited"] is True
    again = post(client, w, report(w, els, proof), key)  # the queue sent it twice
    assert again.status_code == 200, again.get_json()
    assert again.get_json() == first.get_json()
    late = post(client, w, report(w, els, "verlopen"), key)  # again after the proof's day
    assert (late.status_code, late.get_json()) == (200, first.get_json())
    assert counted(app) == (1, 0, 0)  # one entry; no sale, no stock
    with app.app_context():
        entry = db.session.get_one(AuditEntry, first.get_json()["audit_entry_id"])
        assert entry.user_id == els and entry.till_id == w["till_id"]
        sentence = entry.summary
    assert sentence == (
        "Niet aanvaarde verkoop van 05-12-2026 om 14:07 gewist aan kassa Kassa door Els: "
        "2 × Boerenbrood, 0,350 kg Hoevekaas; totaal 16,32 €; betaald: contant 20,00 €. "
        "Geweigerd: Contant betalen kan tot 3.000,00 €."
    )
    login(client, "Bart", "wachtwoord-bart")
    page = client.get("/admin/audit")
    assert page.status_code == 200
    assert "2 × Boerenbrood, 0,350 kg Hoevekaas; totaal 16,32 €" in page.text
    assert "Niet aanvaarde verkoop gewist" in page.text


def test_only_staff_with_their_proof_may_wipe(
    app: Flask, client: FlaskClient, shop: Shop, farm_shop: dict[str, Any]
) -> None:
    w = farm_shop
    lotte = shop.user("Lotte", pin="1111")
    els = shop.user("Els", role=Role.STAFF, pin="2468")
    nora = shop.user("Nora", role=Role.STAFF)  # no PIN, so no proof either
    care = post(client, w, report(w, lotte, prove(client, w["headers"], lotte, "1111")))
    assert (care.status_code, care.get_json()["error"]) == (403, "staff_only")
    unproven = post(client, w, report(w, els, None))
    assert (unproven.status_code, unproven.get_json()["error"]) == (403, "operator_not_proven")
    other = post(client, w, report(w, els, prove(client, w["headers"], lotte, "1111")))
    assert (other.status_code, other.get_json()["error"]) == (403, "operator_not_proven")
    no_pin = post(client, w, report(w, nora, None))
    assert (no_pin.status_code, no_pin.get_json()["error"]) == (403, "pin_required")
    assert counted(app) == (0, 0, 0)


def test_a_report_wiped_offline_keeps_the_proof_of_the_day_it_was_wiped(
    app: Flask, client: FlaskClient, shop: Shop, farm_shop: dict[str, Any]
) -> None:
    """Els wiped a refused sale at 23:58 with the tablet offline; the report arrives today."""
    w = farm_shop
    els = shop.user("Els", role=Role.STAFF, pin="2468")
    wiped_at = before_midnight()
    proof = issued(app, w["till_id"], els, wiped_at)  # her PIN check of yesterday
    today_only = post(client, w, report(w, els, proof))  # no wiped_at: checked against today
    assert (today_only.status_code, today_only.get_json()["error"]) == (403, "operator_not_proven")
    wrong_day = post(client, w, report(w, els, proof, wiped_at=rung_up_now()))
    assert (wrong_day.status_code, wrong_day.get_json()["error"]) == (403, "operator_not_proven")
    assert counted(app) == (0, 0, 0)
    answer = post(client, w, report(w, els, proof, wiped_at=wiped_at.isoformat()))
    assert answer.status_code == 201, answer.get_json()
    assert counted(app) == (1, 0, 0)
    with app.app_context():
        entry = db.session.get_one(AuditEntry, answer.get_json()["audit_entry_id"])
        assert json.loads(entry.after or "{}")["wiped_at"] == wiped_at.isoformat()
        assert entry.summary.endswith(
            f" Gewist op {day_text(wiped_at.date())} om 23:58, zonder verbinding; "
            "het verslag kwam later aan."
        )


def rung_up_now() -> str:
    """Return now as the till writes a moment: ISO 8601 with its offset."""
    return datetime.now(BRUSSELS).isoformat()


def test_malformed_reports_are_refused_with_nothing_written(
    app: Flask, client: FlaskClient, shop: Shop, farm_shop: dict[str, Any]
) -> None:
    w = farm_shop
    els = shop.user("Els", role=Role.STAFF, pin="2468")
    proof = prove(client, w["headers"], els, "2468")
    good = report(w, els, proof)
    broken: list[tuple[Any, int]] = [
        ([], 400),
        ({**good, "refused_key": "niet geldig!"}, 400),
        ({**good, "rung_up_at": None}, 400),
        ({**good, "rung_up_at": "2026-12-05 14:07"}, 422),
        ({**good, "rung_up_at": "2999-01-01T00:00:00+01:00"}, 422),
        ({**good, "summary": {"lines": "Brood", "total_cents": 1}}, 400),
        ({**good, "summary": {"lines": [["Brood"]], "total_cents": 1}}, 400),
        ({**good, "summary": {"lines": [["x" * 201, "1"]], "total_cents": 1}}, 400),
        ({**good, "summary": {"lines": [["Brood\x00", "1"]], "total_cents": 1}}, 422),
        ({**good, "error": {"error": "x", "message": "\ud800"}}, 422),
        ({**good, "summary": {"lines": [["Brood", "1"]] * 201, "total_cents": 1}}, 400),
        ({**good, "summary": {"lines": [], "total_cents": "16,32"}}, 400),
        ({**good, "payments": [{"method": "goud", "amount_cents": 5}]}, 422),
        ({**good, "payments": [{"method": "cash", "amount_cents": 0}]}, 422),
        ({**good, "error": "weigering"}, 400),
        ({**good, "error": {"error": "x", "message": 5}}, 400),
        ({**good, "operator_id": "Els"}, 400),
        ({**good, "wiped_at": "2026-12-05 18:00"}, 422),
        ({**good, "wiped_at": "2999-01-01T00:00:00+01:00"}, 422),
        ({**good, "wiped_at": "2020-01-01T00:00:00+01:00"}, 422),
        ({**good, "wiped_at": 1733420000}, 422),
    ]
    for body, status in broken:
        response = post(client, w, body)
        assert response.status_code == status, (body, response.get_json())
        document = response.get_json()
        assert document["error"] and document["message"], document
    missing_key = client.post("/api/v1/refused-sales", json=good, headers=w["headers"])
    assert missing_key.get_json()["error"] == "idempotency_key_missing"
    assert counted(app) == (0, 0, 0)

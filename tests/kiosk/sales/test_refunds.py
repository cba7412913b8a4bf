"""Refunds and voids through the API: new negative sales, money and goods back, never twice."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.models import AuditEntry, PrintJob, Sale, SaleVat, StockMove
from kiosk.printing.queue import add_printer
from kiosk.sales.receipts import build_receipt
from kiosk.stock.queries import get_ledger_sum, get_lot_balances
from printers import paper_format
from printers.preview import preview_receipt
from tests.conftest import Shop, present
from tests.kiosk.api.test_openapi import check
from tests.kiosk.refund_support import line_ids, refund, refund_world, sell
from tests.kiosk.till_requests import assert_error, snapshot


@pytest.fixture
def world(app: Flask, shop: Shop, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """The farm shop with staff, a care user with a PIN, a second till and a stocked shelf."""
    return refund_world(app, shop, farm_shop)


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    """The OpenAPI description the answers must fit."""
    return client.get("/api/v1/openapi.json").get_json()


def test_whole_cash_refund_is_a_new_negative_sale_with_the_next_ticket(
    app: Flask, client: FlaskClient, world: dict[str, Any], spec: dict[str, Any]
) -> None:
    with app.app_context():
        add_printer("Bon", "tcp://127.0.0.1:9", profile="TM-T20II", point_of_sale_code="HW")
        db.session.commit()
    sale = sell(client, world, [("bread", "2"), ("candle", "1")], [("cash", 5000)])
    answer = refund(client, world, sale["id"])
    assert answer.status_code == 201
    document = check(spec, "post", "/sales/{sale_id}/refunds", answer)
    assert document["ticket_number"] == sale["ticket_number"] + 1 == 2
    assert document["receipt_number"] == "HW1-000002"
    assert document["refund_of"] == "HW1-000001"
    assert document["refund_reason"] == "retour"
    assert [(line["quantity"], line["amount_cents"]) for line in document["lines"]] == [
        ("-2", -760),
        ("-1", -1250),
    ]
    assert document["total_cents"] == -2010
    assert document["payments"] == [{"method": "cash", "amount_cents": -2010}]
    assert document["cash_back_cents"] == 2010
    assert document["cash_back"] == [
        {"value_cents": 2000, "count": 1},
        {"value_cents": 10, "count": 1},
    ]
    assert {row["rate"]: row["total_cents"] for row in document["vat"]} == {"6": -760, "21": -1250}
    with app.app_context():
        stored = db.session.get_one(Sale, document["id"])
        assert [(v.rate_basis_points, v.gross_cents, v.vat_cents) for v in stored.vat_totals] == [
            (600, -760, -43),
            (2100, -1250, -217),
        ]
        job = db.session.scalar(select(PrintJob).where(PrintJob.sale_id == stored.id))
        assert job is not None
        assert json.loads(job.payload)["open_drawer"] is True  # cash goes back out of the drawer
        text = preview_receipt(build_receipt(stored), paper_format("TM-T20II", 80))
        assert "TERUGBETALING" in text and "bij ticket HW1-000001" in text
        assert "-7,60" in text and "Vergissing" not in text
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "refund"))
        assert entry is not None
        assert entry.subject == "sale:HW1-000001" and entry.user_name == "Els"
        assert "HW1-000002" in entry.summary
        assert json.loads(present(entry.after))["total_cents"] == -2010
    assert sell(client, world, [("eggs", "1")], [("cash", 500)])["ticket_number"] == 3


def test_partial_refunds_then_the_rest_and_never_twice(
    app: Flask, client: FlaskClient, world: dict[str, Any], spec: dict[str, Any]
) -> None:
    sale = sell(client, world, [("bread", "1"), ("eggs", "2"), ("candle", "1")], [("cash", 5000)])
    bread, eggs, candle = line_ids(client, world, sale["id"])
    first = refund(client, world, sale["id"], line_ids=[candle, bread])
    assert first.status_code == 201
    assert [line["description"] for line in first.get_json()["lines"]] == ["Boerenbrood", "Kaars"]
    before = snapshot(app)
    again = refund(client, world, sale["id"], line_ids=[eggs, bread])
    assert_error(again, 409, "already_refunded", "Boerenbrood is al terugbetaald.")
    check(spec, "post", "/sales/{sale_id}/refunds", again)
    assert snapshot(app) == before
    rest = refund(client, world, sale["id"])  # "Alles": whatever is left
    assert rest.status_code == 201
    assert [line["amount_cents"] for line in rest.get_json()["lines"]] == [-590]
    assert_error(refund(client, world, sale["id"]), 409, "already_refunded")
    recent = client.get("/api/v1/sales/recent", headers=world["headers"])
    listed = check(spec, "get", "/sales/recent", recent)["sales"]
    assert [s["receipt_number"] for s in listed] == ["HW1-000001"]  # refunds are not listed
    assert listed[0]["refunds"] == ["HW1-000002", "HW1-000003"]
    assert all(line["refunded"] for line in listed[0]["lines"])
    assert listed[0]["refundable_cents"] == 0


def test_card_goes_back_to_card_and_cash_is_rounded(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    by_card = sell(client, world, [("cheese", "0.347")], [("card", 864)])
    back = refund(client, world, by_card["id"]).get_json()
    assert back["payments"] == [{"method": "card", "amount_cents": -864}]
    assert back["rounding_cents"] == 0 and back["cash_back"] == []
    in_cash = sell(client, world, [("cheese", "0.347")], [("cash", 1000)])
    assert in_cash["rounding_cents"] == 1  # 8,64 paid as 8,65
    back = refund(client, world, in_cash["id"]).get_json()
    assert back["total_cents"] == -864
    assert back["payments"] == [{"method": "cash", "amount_cents": -865}]
    assert back["rounding_cents"] == -1 and back["cash_back_cents"] == 865
    with app.app_context():
        job_count = db.session.scalar(select(func.count()).select_from(PrintJob))
        assert job_count == 0  # no receipt printer here: nothing queued, nothing fails


def test_mixed_payment_gives_the_card_back_first_then_cash(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    sale = sell(client, world, [("bread", "2"), ("candle", "1")], [("card", 1000), ("cash", 2000)])
    bread, candle = line_ids(client, world, sale["id"])
    first = refund(client, world, sale["id"], line_ids=[candle]).get_json()
    assert first["payments"] == [
        {"method": "card", "amount_cents": -1000},
        {"method": "cash", "amount_cents": -250},
    ]
    second = refund(client, world, sale["id"], line_ids=[bread]).get_json()
    assert second["payments"] == [{"method": "cash", "amount_cents": -760}]


def test_goods_go_back_to_their_lots_or_are_booked_as_waste(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    sold = sell(client, world, [("bread", "3"), ("eggs", "1")], [("cash", 2000)])
    bread, _eggs = line_ids(client, world, sold["id"])
    with app.app_context():
        assert [b.quantity_milli for b in get_lot_balances(world["bread"], world["shelf"])] == [
            0,
            9000,
        ]
    assert refund(client, world, sold["id"], line_ids=[bread]).status_code == 201
    with app.app_context():
        assert [b.quantity_milli for b in get_lot_balances(world["bread"], world["shelf"])] == [
            2000,
            10000,
        ]
    wasted = sell(client, world, [("bread", "2")], [("cash", 2000)])
    answer = refund(client, world, wasted["id"], stock="waste", reason="beschadigd")
    assert answer.status_code == 201
    with app.app_context():
        assert get_ledger_sum(world["bread"], world["shelf"]) == 10000  # still gone
        moves = db.session.scalars(
            select(StockMove)
            .where(StockMove.sale_id == answer.get_json()["id"])
            .order_by(StockMove.id)
        ).all()
        assert [(m.kind, m.quantity_milli, m.reason) for m in moves] == [
            ("refund", 2000, "beschadigd"),
            ("waste", -2000, "damaged"),
        ]


def test_refused_refunds_change_nothing(
    app: Flask, client: FlaskClient, world: dict[str, Any], shop: Shop
) -> None:
    sale = sell(client, world, [("bread", "1")], [("cash", 500)])
    shop.point_of_sale("CA", name="Cadeaushop")
    other_headers = {"Authorization": f"Bearer {shop.till('CA')[1]}"}
    before = snapshot(app)
    sale_id = sale["id"]
    assert_error(refund(client, world, sale_id, pin="0000"), 422, "wrong_pin")
    assert_error(
        refund(client, world, sale_id, operator_id=world["lotte"], pin="1111"), 403, "staff_only"
    )
    assert_error(
        refund(client, world, sale_id, operator_id=world["nopin"], pin="1234"), 403, "pin_required"
    )
    assert_error(refund(client, world, sale_id, pin=1234), 400, "invalid_pin")
    assert_error(refund(client, world, sale_id, stock="weg"), 422, "invalid_stock")
    assert_error(refund(client, world, sale_id, reason="zomaar"), 422, "invalid_reason")
    assert_error(refund(client, world, sale_id, line_ids=[]), 422, "invalid_lines")
    assert_error(refund(client, world, sale_id, line_ids=[2**31]), 400, "invalid_request")
    assert_error(refund(client, world, sale_id, line_ids=[999]), 422, "unknown_line")
    assert_error(refund(client, world, 99999), 404, "not_found")
    other = client.post(
        f"/api/v1/sales/{sale_id}/refunds",
        data=json.dumps({"operator_id": world["els"], "pin": "2468"}),
        headers={**other_headers, "Idempotency-Key": "x1"},
        content_type="application/json",
    )
    assert_error(other, 404, "not_found")
    no_key = client.post(
        f"/api/v1/sales/{sale_id}/refunds",
        data="{}",
        headers=world["headers"],
        content_type="application/json",
    )
    assert_error(no_key, 400, "idempotency_key_missing")
    assert snapshot(app) == before
    made = refund(client, world, sale_id, operator_id=world["boss"], pin="1357").get_json()
    assert made["ticket_number"] == 2
    assert_error(refund(client, world, made["id"]), 422, "is_refund")


def test_a_replayed_key_answers_the_same_refund(
    app: Flask, client: FlaskClient, world: dict[str, Any], spec: dict[str, Any]
) -> None:
    sale = sell(client, world, [("bread", "1"), ("eggs", "1")], [("cash", 1000)])
    first = refund(client, world, sale["id"], key="refund-1")
    replay = refund(client, world, sale["id"], key="refund-1")
    assert (first.status_code, replay.status_code) == (201, 200)
    assert check(spec, "post", "/sales/{sale_id}/refunds", replay) == first.get_json()
    changed = refund(client, world, sale["id"], key="refund-1", stock="waste")
    assert_error(changed, 409, "idempotency_conflict")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Sale)) == 2


def test_a_void_undoes_the_whole_sale_just_made(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    sale = sell(client, world, [("bread", "1"), ("eggs", "1")], [("cash", 1000)])
    first_line = line_ids(client, world, sale["id"])[:1]
    partial = refund(client, world, sale["id"], reason="vergissing", line_ids=first_line)
    assert_error(partial, 422, "void_needs_whole_sale")
    void = refund(client, world, sale["id"], reason="vergissing")
    assert void.status_code == 201
    with app.app_context():
        stored = db.session.get_one(Sale, void.get_json()["id"])
        text = preview_receipt(build_receipt(stored), paper_format("TM-T20II", 80))
        assert "TERUGBETALING" in text and "Vergissing" in text and "HW1-000001" in text
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.in_(["refund", "void"]))
        ).all()
        assert actions == ["void"]
        assert db.session.scalar(select(func.sum(SaleVat.gross_cents))) == 0


def test_a_receipt_text_no_receipt_can_hold_is_simply_not_found(
    client: FlaskClient, world: dict[str, Any], spec: dict[str, Any]
) -> None:
    """A NUL byte or other character no receipt number has is 404 (PostgreSQL refused NUL: 500)."""
    sell(client, world, [("bread", "1")], [("cash", 500)])
    for text in ("HW1-000001%00", "%00", "HW1 000001", "HW1-00000é", "HW1_000001"):
        answer = client.get(f"/api/v1/sales/lookup?receipt={text}", headers=world["headers"])
        assert_error(answer, 404, "not_found")
        check(spec, "get", "/sales/lookup", answer)


def test_lookup_finds_a_receipt_by_its_barcode_text(
    client: FlaskClient, world: dict[str, Any], spec: dict[str, Any], shop: Shop
) -> None:
    sale = sell(client, world, [("bread", "1")], [("cash", 500)])
    found = client.get("/api/v1/sales/lookup?receipt=hw1-000001", headers=world["headers"])
    assert check(spec, "get", "/sales/lookup", found)["id"] == sale["id"]
    second_till = client.get(
        "/api/v1/sales/lookup?receipt=HW1-000001", headers=world["second_headers"]
    )
    assert second_till.status_code == 200  # same point of sale: any of its tills may refund
    missing = client.get("/api/v1/sales/lookup?receipt=HW1-000099", headers=world["headers"])
    assert_error(missing, 404, "not_found")
    check(spec, "get", "/sales/lookup", missing)
    assert_error(
        client.get("/api/v1/sales/lookup", headers=world["headers"]), 400, "receipt_missing"
    )
    refund(client, world, sale["id"])
    lookup = "/api/v1/sales/lookup?receipt="
    refund_receipt = client.get(lookup + "HW1-000002", headers=world["headers"])
    assert_error(refund_receipt, 422, "is_refund")
    shop.point_of_sale("CA", name="Cadeaushop")
    gift_till = {"Authorization": f"Bearer {shop.till('CA')[1]}"}
    assert_error(client.get(lookup + "HW1-000001", headers=gift_till), 404, "not_found")


def test_another_till_of_the_shop_refunds_with_its_own_ticket_number(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    sale = sell(client, world, [("bread", "1")], [("cash", 500)])
    answer = refund(client, world, sale["id"], headers="second_headers")
    assert answer.status_code == 201
    assert answer.get_json()["receipt_number"] == "HW2-000001"


def test_guessing_a_staff_pin_is_locked_as_at_the_pin_check(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    sale = sell(client, world, [("bread", "1")], [("card", 380)])
    before = snapshot(app)
    answers = [refund(client, world, sale["id"], pin="0000") for _ in range(8)]
    assert answers[0].status_code == 422
    assert answers[-1].status_code == 429
    assert_error(answers[-1], 429, "pin_locked")
    assert_error(refund(client, world, sale["id"]), 429, "pin_locked")  # even the right one
    assert snapshot(app) == before
    with app.app_context():
        failed = db.session.scalars(
            select(func.count()).where(AuditEntry.action == "pin_failed")
        ).one()
        assert failed >= 5

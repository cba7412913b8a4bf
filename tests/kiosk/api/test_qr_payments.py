"""Paying by QR: the EPC QR code's picture, its reference, and a QR sale confirmed by staff.

The picture is fetched over real HTTP (waitress) and decoded with zxing-cpp, and every line of
the EPC069-12 payload is checked. A QR sale needs a staff member's PIN proof; it is stored with
its reference (the receipt number it was made for), printed on the receipt, and named alike on
the receipt, the X report and the journal; QR money is not expected in the cash drawer.
"""

from __future__ import annotations

import io
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import zxingcpp
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select

from kiosk.cash.drawer import get_drawer
from kiosk.cash.reports import cash_report, x_report_document
from kiosk.customer_orders.payments import hand_over_on_invoice
from kiosk.exports.journal import journal_rows
from kiosk.extensions import db
from kiosk.identifiers import normalize_iban
from kiosk.models import Organisation, Payment, Sale, Till, User
from kiosk.models.types import Role, utcnow
from kiosk.payment_methods import METHODS, TILL_METHODS
from kiosk.periods import business_day
from kiosk.sales.receipts import build_receipt
from printers import paper_format
from printers.layout import layout_receipt
from tests.conftest import (
    LiveServer,
    Shop,
    StoredRows,
    base_config,
    close_app,
    make_farm_shop,
    open_app,
)

IBAN = "BE68539007547034"


def receipt_text(sale: Sale) -> str:
    """Return a sale's receipt as the printer's text lines."""
    layout = layout_receipt(build_receipt(sale), paper_format("TM-T20II", 80))
    return "\n".join(layout.text_lines())


@dataclass
class World:
    """The module's app, the farm shop's ids and token, and the rows that make them."""

    app: Flask
    ids: dict[str, Any]
    rows: StoredRows


@pytest.fixture(scope="module")
def world(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A farm shop taking cash, card and QR, its organisation's IBAN, staff with a PIN."""
    application = open_app(base_config(database_url), tmp_path_factory.mktemp("instance"))
    shop = Shop(application)
    ids = make_farm_shop(shop)
    shop.point_of_sale("GW", name="Geschenkwinkel")
    ids["gift_headers"] = {"Authorization": f"Bearer {shop.till('GW', name='Gift')[1]}"}
    ids["els"] = shop.user("Els", role=Role.STAFF, pin="2468")
    ids["nopin"] = shop.user("Nora", role=Role.STAFF)
    ids["lotte"] = shop.user("Lotte", pin="1111")
    with application.app_context():
        organisation = Organisation(id=1, name="Plus-plek De Linde vzw", iban=IBAN, bic="GEBABEBB")
        db.session.add(organisation)
        till = db.session.get_one(Till, ids["till_id"])
        till.point_of_sale.payment_methods = "cash|card|qr"
        ids["till_code"] = till.code
        db.session.commit()
        rows = StoredRows()
    yield World(application, ids, rows)
    close_app(application)


@pytest.fixture
def app(world: World) -> Flask:
    """Return the module's app, its tables holding just the world's rows again."""
    with world.app.app_context():
        world.rows.put_back()
    return world.app


@pytest.fixture
def w(app: Flask, world: World) -> dict[str, Any]:
    """Return the world's ids."""
    return world.ids


def decoded(png: bytes) -> list[str]:
    """Decode a QR code picture and return its payload's lines."""
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(results) == 1 and results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0].text.split("\n")


def test_the_picture_is_an_epc_qr_code_with_every_field(app: Flask, w: dict[str, Any]) -> None:
    with LiveServer(app, threads=2) as server:
        for cents, amount in ((1234, "EUR12.34"), (1, "EUR0.01"), (999_999_999, "EUR9999999.99")):
            request = urllib.request.Request(
                f"{server.url}/api/v1/qr-payment.png?amount_cents={cents}&reference=HW1-000042",
                headers=w["headers"],
            )
            with urllib.request.urlopen(request) as answer:
                assert answer.status == 200
                assert answer.headers["Content-Type"] == "image/png"
                assert answer.headers["Cache-Control"] == "no-store"
                lines = decoded(answer.read())
            assert lines[0] == "BCD"  # service tag
            assert lines[1] == "002"  # version
            assert lines[2] == "2"  # character set: ISO 8859-1
            assert lines[3] == "SCT"  # SEPA credit transfer
            assert lines[4] == "GEBABEBB"  # BIC
            assert lines[5] == "Plus-plek De Linde vzw"  # beneficiary: the organisation's name
            assert lines[6] == IBAN
            assert lines[7] == amount  # from whole cents, never a float
            assert lines[8] == ""  # purpose
            assert lines[9] == ""  # structured reference: none, the text carries it
            assert lines[10] == "HW1-000042"  # remittance text
            assert len(lines) == 11


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("reference=HW1-000001", 400, "invalid_request"),
        ("amount_cents=abc&reference=HW1-000001", 400, "invalid_request"),
        ("amount_cents=12.50&reference=HW1-000001", 400, "invalid_request"),
        ("amount_cents=-5&reference=HW1-000001", 400, "invalid_request"),
        ("amount_cents=0&reference=HW1-000001", 400, "invalid_request"),
        ("amount_cents=1000000000&reference=HW1-000001", 422, "invalid_amount"),
        ("amount_cents=100", 400, "invalid_request"),
        ("amount_cents=100&reference=", 422, "invalid_reference"),
        ("amount_cents=100&reference=" + "A" * 36, 422, "invalid_reference"),
        ("amount_cents=100&reference=caf%C3%A9", 422, "invalid_reference"),
        ("amount_cents=100&reference=%20HW1", 422, "invalid_reference"),
        ("amount_cents=100&reference=HW1%0A2", 422, "invalid_reference"),
        ("amount_cents=100&reference=a%26b", 422, "invalid_reference"),
    ],
)
def test_a_bad_amount_or_reference_is_refused_with_a_dutch_message(
    client: FlaskClient, w: dict[str, Any], query: str, status: int, code: str
) -> None:
    answer = client.get(f"/api/v1/qr-payment.png?{query}", headers=w["headers"])
    assert answer.status_code == status, answer.get_data(as_text=True)
    assert answer.get_json()["error"] == code
    assert answer.get_json()["message"]


def test_no_qr_without_an_iban_nor_at_a_point_of_sale_without_qr(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    query = "/api/v1/qr-payment.png?amount_cents=100&reference=GW1-000001"
    refused = client.get(query, headers=w["gift_headers"])
    assert (refused.status_code, refused.get_json()["error"]) == (
        422,
        "payment_method_not_accepted",
    )
    with app.app_context():
        db.session.get_one(Organisation, 1).iban = None
        db.session.commit()
    for path in (query.replace("GW", "HW"), "/api/v1/qr-payment/reference"):
        answer = client.get(path, headers=w["headers"])
        assert (answer.status_code, answer.get_json()["error"]) == (409, "qr_not_configured")
        assert "IBAN" in answer.get_json()["message"]


def prove(client: FlaskClient, w: dict[str, Any], operator_id: int, pin: str) -> str:
    """Check a PIN at the till and return the proof."""
    answer = client.post(
        f"/api/v1/operators/{operator_id}/pin", json={"pin": pin}, headers=w["headers"]
    )
    assert answer.status_code == 200, answer.get_json()
    return str(answer.get_json()["operator_proof"])


def qr_sale(
    client: FlaskClient, w: dict[str, Any], reference: str, **fields: Any
) -> dict[str, Any]:
    """POST a sale of two breads paid by QR; return the status and document."""
    body = {
        "operator_id": w["operator_id"],
        "lines": [{"product_id": w["bread"], "quantity": "2"}],
        "payments": [{"method": "qr", "amount_cents": 760, "reference": reference}],
        **fields,
    }
    headers = {**w["headers"], "Idempotency-Key": str(uuid.uuid4())}
    answer = client.post("/api/v1/sales", json=body, headers=headers)
    return {"status": answer.status_code, **answer.get_json()}


def payments_stored(app: Flask) -> int:
    """Count the payment rows."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Payment)) or 0


def test_a_qr_sale_without_a_staff_members_proof_is_refused(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    lotte = prove(client, w, w["lotte"], "1111")
    els = prove(client, w, w["els"], "2468")
    refusals: list[tuple[dict[str, Any], int, str]] = [
        ({}, 403, "qr_needs_staff"),
        (
            {"confirmed_by": {"operator_id": w["els"], "operator_proof": "niets"}},
            403,
            "operator_not_proven",
        ),
        (
            {"confirmed_by": {"operator_id": w["els"], "operator_proof": lotte}},
            403,
            "operator_not_proven",
        ),
        ({"confirmed_by": {"operator_id": w["lotte"], "operator_proof": lotte}}, 403, "staff_only"),
        ({"confirmed_by": {"operator_id": w["nopin"], "operator_proof": els}}, 403, "pin_required"),
        ({"confirmed_by": "Els"}, 400, "invalid_request"),
    ]
    for fields, status, code in refusals:
        answer = qr_sale(client, w, "HW1-000001", **fields)
        assert (answer["status"], answer["error"]) == (status, code), answer
    # the reference belongs to the QR payment alone, and a QR payment needs one
    confirmed = {"confirmed_by": {"operator_id": w["els"], "operator_proof": els}}
    body: dict[str, Any] = {
        "operator_id": w["operator_id"],
        "lines": [{"product_id": w["bread"], "quantity": "1"}],
        "payments": [{"method": "cash", "amount_cents": 400, "reference": "X"}],
    }
    headers = {**w["headers"], "Idempotency-Key": str(uuid.uuid4())}
    refused = client.post("/api/v1/sales", json=body, headers=headers)
    assert (refused.status_code, refused.get_json()["error"]) == (422, "reference_not_allowed")
    body["payments"] = [{"method": "qr", "amount_cents": 380}]
    refused = client.post("/api/v1/sales", json={**body, **confirmed}, headers=headers)
    assert (refused.status_code, refused.get_json()["error"]) == (422, "qr_reference_missing")
    assert payments_stored(app) == 0


def test_a_qr_sale_confirmed_by_staff_keeps_its_reference_everywhere(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    reference = client.get("/api/v1/qr-payment/reference", headers=w["headers"]).get_json()
    assert reference == {"reference": f"{w['till_code']}-000001"}
    els = prove(client, w, w["els"], "2468")
    confirmed = {"confirmed_by": {"operator_id": w["els"], "operator_proof": els}}
    sale = qr_sale(client, w, reference["reference"], **confirmed)
    assert sale["status"] == 201, sale
    assert sale["receipt_number"] == reference["reference"]
    assert sale["payments"] == [
        {"method": "qr", "amount_cents": 760, "reference": reference["reference"]}
    ]
    assert (sale["rounding_cents"], sale["change_cents"]) == (0, 0)  # a transfer is not rounded
    next_reference = client.get("/api/v1/qr-payment/reference", headers=w["headers"]).get_json()
    assert next_reference == {"reference": f"{w['till_code']}-000002"}
    with app.app_context():
        payment = db.session.scalars(select(Payment)).one()
        assert (payment.reference, payment.confirmed_by_id) == (reference["reference"], w["els"])
        receipt = receipt_text(db.session.get_one(Sale, sale["id"]))
    assert "QR-overschrijving" in receipt
    assert f"Mededeling: {reference['reference']}" in receipt

    # a refund of it goes back by transfer (staff pay it back to the account it came from)
    refund = client.post(
        f"/api/v1/sales/{sale['id']}/refunds",
        json={"operator_id": w["els"], "operator_proof": els, "stock": "waste"},
        headers={**w["headers"], "Idempotency-Key": str(uuid.uuid4())},
    ).get_json()
    # its payment keeps the reference to match, and who refunded it makes the transfer
    assert refund["payments"] == [
        {"method": "qr", "amount_cents": -760, "reference": reference["reference"]}
    ]
    assert refund["cash_back_cents"] == 0
    with app.app_context():
        back = db.session.scalars(select(Payment).where(Payment.amount_cents < 0)).one()
        assert back.confirmed_by_id == w["els"]


def test_every_method_has_one_name_on_receipt_x_report_and_journal(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    els = prove(client, w, w["els"], "2468")
    for method in TILL_METHODS:
        payment: dict[str, Any] = {
            "method": method.code,
            "amount_cents": 400 if method.cash else 380,
        }
        fields: dict[str, Any] = {}
        if method.code == "qr":
            payment = {"method": "qr", "amount_cents": 380, "reference": "HW1-000003"}
            fields = {"confirmed_by": {"operator_id": w["els"], "operator_proof": els}}
        answer = client.post(
            "/api/v1/sales",
            json={
                "operator_id": w["operator_id"],
                "lines": [{"product_id": w["bread"], "quantity": "1"}],
                "payments": [payment],
                **fields,
            },
            headers={**w["headers"], "Idempotency-Key": str(uuid.uuid4())},
        )
        assert answer.status_code == 201, answer.get_json()
    # an order on the monthly invoice: handing it over books its sale, paid "invoice"
    taken = client.post(
        "/api/v1/orders",
        json={
            "customer": {"name": "Maria", "phone": "0470 12 34 56"},
            "fulfilment": "pickup",
            "day": business_day(utcnow()).isoformat(),
            "payment": "invoice",
            "association": {"name": "VZW De Linde"},
            "lines": [{"product_id": w["bread"], "quantity": "1"}],
        },
        headers={**w["headers"], "Idempotency-Key": str(uuid.uuid4())},
    )
    with app.app_context():
        hand_over_on_invoice(taken.get_json()["id"], db.session.get_one(User, w["els"]), utcnow())
        db.session.commit()
    day = business_day(utcnow())
    with app.app_context():
        till = db.session.get_one(Till, w["till_id"])
        sales = db.session.scalars(select(Sale).order_by(Sale.id)).all()
        receipts = [receipt_text(sale) for sale in sales]
        drawer = get_drawer(till, day)
        x_report = "\n".join(
            x_report_document(cash_report(drawer.as_json()), till, utcnow(), 42).lines
        )
        journal = [row for row in journal_rows(day, day) if row[1] == "ontvangst"]
    for method, receipt in zip(METHODS, receipts, strict=True):
        assert method.name in receipt
        assert method.name in x_report
    assert {(row[2], row[3], row[4]) for row in journal} == {
        ("cash", "570000", "Ontvangsten contant"),
        ("card", "580000", "Ontvangsten kaart"),
        ("qr", "580000", "Ontvangsten QR-overschrijving"),
        ("invoice", "400000", "Verkopen op factuur"),
    }
    # QR money is on its way to the bank, an invoice's is owed: the drawer expects only cash
    assert drawer.figures.payments == {"cash": 380, "card": 380, "qr": 380, "invoice": 380}
    assert drawer.expected_cents == 380


def test_a_belgian_iban_is_checked_and_stored_compact() -> None:
    assert normalize_iban("BE68 5390 0754 7034") == IBAN
    assert normalize_iban(" be68539007547034 ") == IBAN
    for wrong in (
        "BE69 5390 0754 7034",  # check digits
        "BE68 5390 0754 7035",  # a digit changed
        "NL91 ABNA 0417 1643 00",  # not Belgian
        "BE68 5390 0754 703",  # too short
        "BE68-5390-0754-7034",  # dashes
        "",
    ):
        assert normalize_iban(wrong) is None, wrong

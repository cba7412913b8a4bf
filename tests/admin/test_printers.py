"""Back office: printers, the print queue, receipt previews and duplicates."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from kiosk.extensions import db
from kiosk.models import Printer, PrintJob
from kiosk.printing.worker import print_due_jobs
from tests.conftest import Shop, csrf_token
from tests.fake_printer import FakeNetworkPrinter
from tests.printers.escpos_stream import printed_text


def add_printer_form(manager: FlaskClient, **fields: str) -> TestResponse:
    page = manager.get("/admin/printers/new")
    assert page.status_code == 200
    data = {
        "name": "Toog",
        "url": "tcp://127.0.0.1:9100",
        "profile": "TM-T20II",
        "paper_width_mm": "80",
        "point_of_sale": "HW",
        "role": "receipt",
        "active": "y",
        "csrf_token": csrf_token(page.text),
        **fields,
    }
    return manager.post("/admin/printers/new", data=data)


def make_sale(client: FlaskClient, farm_shop: dict[str, Any], name: str = "bread") -> dict:
    body = {
        "operator_id": farm_shop["operator_id"],
        "lines": [{"product_id": farm_shop[name], "quantity": "1"}],
        "payments": [{"method": "cash", "amount_cents": 500}],
    }
    response = client.post(
        "/api/v1/sales",
        json=body,
        headers={**farm_shop["headers"], "Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201
    return response.get_json()


def test_manager_adds_a_printer_and_bad_urls_are_explained(
    app: Flask, manager: FlaskClient, farm_shop: dict[str, Any], fake_printer: FakeNetworkPrinter
) -> None:
    bad = add_printer_form(manager, url="http://printer")
    assert bad.status_code == 200
    assert "http://printer" in bad.text  # what was typed stays
    assert 'class="flash error"' in bad.text
    good = add_printer_form(manager, url=fake_printer.url)
    assert good.status_code == 302
    with app.app_context():
        printer = db.session.scalar(select(Printer))
        assert printer is not None
        assert (printer.name, printer.url, printer.point_of_sale.code) == (
            "Toog",
            fake_printer.url,
            "HW",
        )
    listing = manager.get("/admin/printers")
    assert "Toog" in listing.text and fake_printer.url in listing.text


def test_test_page_goes_through_the_queue(
    app: Flask, manager: FlaskClient, farm_shop: dict[str, Any], fake_printer: FakeNetworkPrinter
) -> None:
    add_printer_form(manager, url=fake_printer.url)
    with app.app_context():
        printer_id = db.session.scalar(select(Printer.id))
    page = manager.get("/admin/printers")
    response = manager.post(
        f"/admin/printers/{printer_id}/test", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 302
    with app.app_context():
        assert print_due_jobs() == 1
    assert "TESTPAGINA" in printed_text(fake_printer.wait_for_jobs(1)[0])


def test_sale_preview_and_duplicate(
    app: Flask,
    client: FlaskClient,
    manager: FlaskClient,
    farm_shop: dict[str, Any],
    fake_printer: FakeNetworkPrinter,
    shop: Shop,
) -> None:
    add_printer_form(manager, url=fake_printer.url)
    evil = shop.product("<script>alert(1)</script> kaas", price_cents=300)
    body = {
        "operator_id": farm_shop["operator_id"],
        "lines": [{"product_id": evil, "quantity": "1"}],
        "payments": [{"method": "card", "amount_cents": 300}],
    }
    sale = client.post(
        "/api/v1/sales",
        json=body,
        headers={**farm_shop["headers"], "Idempotency-Key": str(uuid.uuid4())},
    ).get_json()
    preview = manager.get(f"/admin/sales/{sale['id']}")
    assert preview.status_code == 200
    assert sale["receipt_number"] in preview.text
    assert "<script>alert(1)</script>" not in preview.text
    assert "&lt;script&gt;" in preview.text
    assert sale["receipt_number"] in manager.get("/admin/sales").text
    reprint = manager.post(
        f"/admin/sales/{sale['id']}/reprint", data={"csrf_token": csrf_token(preview.text)}
    )
    assert reprint.status_code == 302
    with app.app_context():
        assert print_due_jobs() == 2
    texts = [printed_text(job) for job in fake_printer.wait_for_jobs(2)]
    assert ["DUPLICAAT" in text for text in texts] == [False, True]


def test_jobs_can_be_retried_and_cancelled_by_staff(
    app: Flask,
    staff: FlaskClient,
    manager: FlaskClient,
    client: FlaskClient,
    farm_shop: dict[str, Any],
) -> None:
    add_printer_form(manager, url="tcp://127.0.0.1:9")
    make_sale(client, farm_shop)
    with app.app_context():
        job_id = db.session.scalar(select(PrintJob.id))
    page = staff.get("/admin/print-jobs")
    assert page.status_code == 200 and "wacht" in page.text
    token = csrf_token(page.text)
    assert (
        staff.post(f"/admin/print-jobs/{job_id}/retry", data={"csrf_token": token}).status_code
        == 302
    )
    assert (
        staff.post(f"/admin/print-jobs/{job_id}/cancel", data={"csrf_token": token}).status_code
        == 302
    )
    with app.app_context():
        assert db.session.get_one(PrintJob, job_id).state == "cancelled"
        assert print_due_jobs() == 0
    assert staff.get("/admin/printers").status_code == 403

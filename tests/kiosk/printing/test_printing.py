"""The print queue: a sale commits first, its receipt prints after, once, also after a fault."""

from __future__ import annotations

import json
import urllib.request
import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import PrintJob
from kiosk.printing.queue import add_printer
from kiosk.printing.worker import PrintWorker, print_due_jobs
from tests.conftest import LiveServer, Shop
from tests.fake_printer import FakeNetworkPrinter, free_port
from tests.printers.escpos_stream import printed_text as decode

CP858_EURO = b"\xd5"


def add_receipt_printer(app: Flask, url: str, name: str = "Bonprinter") -> None:
    with app.app_context():
        add_printer(name, url, profile="TM-T20II", point_of_sale_code="HW")
        db.session.commit()


def sell(
    client: FlaskClient, farm_shop: dict[str, Any], method: str = "cash", amount: int = 1000
) -> dict:
    body = {
        "operator_id": farm_shop["operator_id"],
        "lines": [{"product_id": farm_shop["bread"], "quantity": "2"}],
        "payments": [{"method": method, "amount_cents": amount}],
    }
    headers = {**farm_shop["headers"], "Idempotency-Key": str(uuid.uuid4())}
    response = client.post("/api/v1/sales", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def jobs(app: Flask) -> list[PrintJob]:
    with app.app_context():
        return list(db.session.scalars(select(PrintJob).order_by(PrintJob.id)))


def run_worker(app: Flask) -> int:
    with app.app_context():
        return print_due_jobs()


def test_a_cash_sale_prints_its_receipt_and_opens_the_drawer(
    app: Flask, client: FlaskClient, farm_shop: dict[str, Any], fake_printer: FakeNetworkPrinter
) -> None:
    add_receipt_printer(app, fake_printer.url)
    sale = sell(client, farm_shop)
    assert [job.state for job in jobs(app)] == ["pending"]
    assert run_worker(app) == 1
    data = fake_printer.wait_for_jobs(1)[0]
    assert b"\x1bp" in data  # drawer kick
    assert CP858_EURO in data
    text = decode(data)
    assert sale["receipt_number"] in text
    assert "Boerenbrood" in text
    assert "7,60" in text and "2,40" in text  # total and change
    assert data.endswith(b"\x1dV\x00") or b"\x1dV" in data[-8:]
    assert [job.state for job in jobs(app)] == ["printed"]
    assert run_worker(app) == 0
    assert len(fake_printer.jobs) == 1


def test_a_card_sale_keeps_the_drawer_shut(
    app: Flask, client: FlaskClient, farm_shop: dict[str, Any], fake_printer: FakeNetworkPrinter
) -> None:
    add_receipt_printer(app, fake_printer.url)
    sell(client, farm_shop, "card", 760)
    run_worker(app)
    assert b"\x1bp" not in fake_printer.wait_for_jobs(1)[0]


def test_printer_down_then_up_prints_exactly_once(
    app: Flask, client: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    port = free_port()
    add_receipt_printer(app, f"tcp://127.0.0.1:{port}")
    sale = sell(client, farm_shop)
    assert run_worker(app) == 0
    [job] = jobs(app)
    assert job.state == "pending" and job.attempts == 1 and job.last_error
    status = client.get(f"/api/v1/sales/{sale['id']}/receipt", headers=farm_shop["headers"])
    assert status.get_json()["state"] == "failed"
    assert "printer" in status.get_json()["message"].lower()
    printer = FakeNetworkPrinter(port)
    try:
        retry = client.post(f"/api/v1/sales/{sale['id']}/receipt", headers=farm_shop["headers"])
        assert retry.status_code == 202
        assert run_worker(app) == 1
        assert run_worker(app) == 0
        assert len(printer.wait_for_jobs(1)) == 1
    finally:
        printer.close()
    status = client.get(f"/api/v1/sales/{sale['id']}/receipt", headers=farm_shop["headers"])
    assert status.get_json() == {"state": "printed", "message": None}
    again = client.post(f"/api/v1/sales/{sale['id']}/receipt", headers=farm_shop["headers"])
    assert again.status_code == 409


def test_no_printer_means_no_job_and_the_sale_still_stands(
    app: Flask, client: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    sale = sell(client, farm_shop)
    assert jobs(app) == []
    status = client.get(f"/api/v1/sales/{sale['id']}/receipt", headers=farm_shop["headers"])
    assert status.get_json()["state"] == "none"


def test_the_server_worker_prints_after_a_sale_over_http(
    app: Flask, farm_shop: dict[str, Any], fake_printer: FakeNetworkPrinter, live_server: LiveServer
) -> None:
    add_receipt_printer(app, fake_printer.url)
    app.config["PRINT_POLL_SECONDS"] = 0.2
    worker = PrintWorker(app)
    worker.start()
    try:
        body = json.dumps(
            {
                "operator_id": farm_shop["operator_id"],
                "lines": [{"product_id": farm_shop["eggs"], "quantity": "1"}],
                "payments": [{"method": "card", "amount_cents": 295}],
            }
        ).encode()
        request = urllib.request.Request(
            f"{live_server.url}/api/v1/sales",
            data=body,
            method="POST",
            headers={
                **farm_shop["headers"],
                "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4()),
            },
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            receipt_number = json.load(answer)["receipt_number"]
        assert receipt_number in decode(fake_printer.wait_for_jobs(1, timeout=10)[0])
    finally:
        worker.stop()
        app.extensions.pop("print_worker", None)


def test_printer_cli(cli: Any, shop: Shop, fake_printer: FakeNetworkPrinter) -> None:
    shop.point_of_sale("HW")
    added = cli(
        "printer",
        "add",
        "Toog",
        "--url",
        fake_printer.url,
        "--profile",
        "TM-T88V",
        "--point-of-sale",
        "HW",
        "--width",
        "80",
    )
    assert added.exit_code == 0, added.output
    assert "tcp://127.0.0.1" in cli("printer", "list").output
    tested = cli("printer", "test", "Toog")
    assert tested.exit_code == 0, tested.output
    assert "Toog" in decode(fake_printer.wait_for_jobs(1)[0])
    bad = cli("printer", "add", "Kapot", "--url", "ftp://x", "--point-of-sale", "HW")
    assert bad.exit_code == 1 and "printer" in bad.output.lower()
    down = cli(
        "printer", "add", "Uit", "--url", f"tcp://127.0.0.1:{free_port()}", "--point-of-sale", "HW"
    )
    assert down.exit_code == 0
    offline = cli("printer", "test", "Uit")
    assert offline.exit_code == 1
    assert cli("printer", "test", "Bestaat niet").exit_code == 1

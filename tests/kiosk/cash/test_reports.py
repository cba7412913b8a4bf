"""X and Z reports on paper: the drawer's JSON read back, laid out, queued and printed."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.cash.drawer import close_day, get_drawer, open_cash_session, record_cash_count
from kiosk.cash.reports import (
    cash_report,
    report_from_payload,
    report_payload,
    x_report_document,
    z_report_document,
)
from kiosk.extensions import db
from kiosk.models import Printer, PrintJob, Till, User
from kiosk.models.types import Role
from kiosk.printing.queue import add_printer, enqueue
from kiosk.printing.worker import print_due_jobs
from kiosk.sales.operations import Order, OrderLine, record_sale
from printers import paper_format
from printers.formatting import columns_row
from tests.conftest import Shop
from tests.fake_printer import FakeNetworkPrinter
from tests.printers.escpos_stream import printed_lines

DAY = date(2026, 11, 20)
NOON = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)


@pytest.fixture
def till(ctx: None, farm_shop: dict[str, Any], shop: Shop) -> Till:
    """The farm shop's till on DAY: 10,55 € at 6 % in cash, 12,50 € at 21 % by card, counted."""
    manager = db.session.get_one(User, shop.user("Mia", role=Role.MANAGER))
    till = db.session.get_one(Till, farm_shop["till_id"])
    sales = [
        ([("bread", "2"), ("eggs", "1")], [("cash", 2000)]),  # 10,55 → 10,55 cash, 9,45 change
        ([("candle", "1")], [("card", 1250)]),
    ]
    for lines, payments in sales:
        order = Order(
            operator_id=farm_shop["operator_id"],
            lines=tuple(OrderLine(farm_shop[name], Decimal(qty)) for name, qty in lines),
            payments=tuple(payments),
        )
        record_sale(till, order, str(uuid.uuid4()), NOON)
    open_cash_session(till, DAY, 5000, manager, NOON)
    record_cash_count(
        till, DAY, {5000: 1, 1000: 1, 50: 1}, manager, NOON, "geteld in de test"
    )  # 60,50: 5 cent short
    db.session.commit()
    return till


def test_a_drawer_reads_back_from_its_json_unchanged(till: Till) -> None:
    drawer = get_drawer(till, DAY)
    report = cash_report(json.loads(json.dumps(drawer.as_json())))
    assert report.figures == drawer.figures
    assert report.expected_cents == drawer.expected_cents == 5000 + 1055
    assert (report.counted_cents, report.difference_cents) == (6050, -5)
    assert [(code, percent) for code, percent, _total in report.vat_lines()] == [
        ("C", "6%"),
        ("A", "21%"),
    ]


@pytest.mark.parametrize("width_mm", [80, 58])
def test_the_x_report_lays_out_every_rate_with_its_letter_within_the_paper(
    till: Till, width_mm: int
) -> None:
    columns = paper_format("TM-T20II", width_mm).columns
    report = cash_report(get_drawer(till, DAY).as_json())
    document = x_report_document(report, till, NOON, columns)
    assert document.title == "X-RAPPORT"
    assert ("Dag", "20-11-2026") in document.rows
    assert all(len(line) <= columns for line in document.lines)
    lines = list(document.lines)
    # 6 %: 10,55 incl., VAT round(1055 × 6 / 106) = 0,60; 21 %: 12,50 incl., VAT 2,17
    for label, amount in [
        ("C 6%", "10,55"),
        ("  excl. btw", "9,95"),
        ("  btw", "0,60"),
        ("A 21%", "12,50"),
        ("  excl. btw", "10,33"),
        ("  btw", "2,17"),
        ("Totaal incl. btw", "23,05"),
        ("Contant", "10,55"),
        ("Kaart", "12,50"),
        ("Wisselgeld teruggegeven", "9,45"),
        ("Verwacht in de lade", "60,55"),
        ("Verschil", "-0,05 TEKORT"),
    ]:
        assert columns_row(label, amount, columns)[0] in lines, label
    assert report_from_payload(json.loads(json.dumps(report_payload(document)))) == document


def add_receipt_printer(url: str) -> None:
    add_printer("Bonprinter", url, profile="TM-T20II", point_of_sale_code="HW")
    db.session.commit()


def test_x_and_z_reports_print_through_the_queue(
    till: Till, fake_printer: FakeNetworkPrinter
) -> None:
    add_receipt_printer(fake_printer.url)
    receipt_printer = db.session.scalar(select(Printer))
    assert receipt_printer is not None
    columns = paper_format(receipt_printer.profile, receipt_printer.paper_width_mm).columns
    report = cash_report(get_drawer(till, DAY).as_json())
    enqueue(
        receipt_printer,
        "report",
        NOON,
        report=report_payload(x_report_document(report, till, NOON, columns)),
    )
    mia = db.session.scalars(select(User).filter_by(name="Mia")).one()
    z_report = close_day(till, DAY, mia, NOON)
    enqueue(receipt_printer, "report", NOON, report=report_payload(z_report_document(z_report, 48)))
    db.session.commit()
    assert print_due_jobs() == 2
    x_paper, z_paper = (printed_lines(job) for job in fake_printer.wait_for_jobs(2))
    for paper in (x_paper, z_paper):
        assert columns_row("C 6%", "10,55", 48)[0] in paper
        assert columns_row("A 21%", "12,50", 48)[0] in paper
        assert columns_row("Totaal btw", "2,77", 48)[0] in paper
    assert any("X-RAPPORT" in line for line in x_paper)
    assert any("Z-RAPPORT 1" in line for line in z_paper)
    assert columns_row("Z-nummer", "1", 48)[0] in z_paper
    assert columns_row("Afgesloten door", "Mia", 48)[0] in z_paper
    assert z_report.checksum[:40] in "".join(z_paper)


def test_an_unreadable_report_job_waits_with_its_error(
    till: Till, fake_printer: FakeNetworkPrinter
) -> None:
    add_receipt_printer(fake_printer.url)
    enqueue(db.session.scalars(select(Printer).limit(1)).one(), "report", NOON, report={"rows": []})
    db.session.commit()
    assert print_due_jobs() == 0
    job = db.session.scalar(select(PrintJob))
    assert job is not None
    assert job.state == "pending"
    assert job.last_error.startswith("Dit rapport is onleesbaar")
    assert fake_printer.jobs == []

"""The back office's downloads with names a spreadsheet would run or cannot hold, and the import."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import AuditEntry, Producer
from tests.admin.test_exports_page import start, wait_until_done
from tests.admin.test_product_files import csv_file, error_rows, product_count, upload
from tests.conftest import Shop
from tests.kiosk.exports.test_unsafe_text import sell_unsafe_names

NAMES = ['=HYPERLINK("http://x.example","klik")', "+cmd|'/C calc'!A0", "@SUM(1)", "Kaas\x07"]
#: the names as the files hold them: the control character dropped, formulas kept as text
WRITTEN = ['=HYPERLINK("http://x.example","klik")', "+cmd|'/C calc'!A0", "@SUM(1)", "Kaas"]


def download(client: FlaskClient, url: str) -> bytes:
    """Get a file, check it came, and close the response (XLSX is sent from a temporary file)."""
    response = client.get(url)
    assert response.status_code == 200
    data = response.get_data()
    response.close()
    return data


@pytest.fixture
def unsafe_names(shop: Shop) -> None:
    """Products named like formulas and with a control character (from before the import check)."""
    shop.point_of_sale("HW")
    for name in NAMES:
        shop.product(name, price_cents=300)


@pytest.mark.usefixtures("unsafe_names")
def test_the_products_csv_puts_an_apostrophe_before_formulas(staff: FlaskClient) -> None:
    data = download(staff, "/admin/products/export.csv").decode("utf-8-sig")
    names = [row[0] for row in csv.reader(io.StringIO(data, newline=""), delimiter=";")][1:]
    assert sorted(names) == sorted(["'" + WRITTEN[0], "'" + WRITTEN[1], "'" + WRITTEN[2], "Kaas"])


@pytest.mark.usefixtures("unsafe_names")
def test_the_products_xlsx_opens_with_every_name_a_string(staff: FlaskClient) -> None:
    workbook = load_workbook(io.BytesIO(download(staff, "/admin/products/export.xlsx")))
    cells = [row[0] for row in workbook["Producten"].iter_rows(min_row=2)]
    assert sorted((cell.value, cell.data_type) for cell in cells) == sorted(
        (name, "s") for name in WRITTEN
    )
    assert {row[4].value for row in workbook["Producten"].iter_rows(min_row=2)} == {3}
    workbook.close()


def test_a_settlement_download_lists_unsafe_names_as_strings(
    app: Flask, manager: FlaskClient, goods: dict[str, Any]
) -> None:
    producer_id = sell_unsafe_names(app, goods, "Hoeve De Linde")
    url = f"/admin/settlement/{producer_id}/statement.xlsx?from=2026-11-01&to=2026-11-30"
    workbook = load_workbook(io.BytesIO(download(manager, url)))
    cells = [row[3] for row in workbook["Afrekening"].iter_rows(min_row=2)]
    assert sorted((cell.value, cell.data_type) for cell in cells) == [
        ("=1+1", "s"),
        ("Kaas", "s"),
        ("TOTAAL", "s"),
    ]
    workbook.close()


def test_an_import_refuses_a_control_character_by_row_and_column(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    data = csv_file(
        "Spelt-desem;Brood;;HW;4,60;stuk;food;;;;ja;;ja",
        "Kaas\x07;Kaas;;HW;3,80;stuk;food;;;;ja;;ja",
        "Melk;Zuivel\x1b;;HW;1,20;stuk;food;;;;ja;;ja",
    )
    response = upload(staff, data, "import")
    assert response.status_code == 200
    assert error_rows(response.text) == [
        ("3", "naam", "Deze cel bevat een onzichtbaar stuurteken (U+0007); haal het weg."),
        ("4", "categorie", "Deze cel bevat een onzichtbaar stuurteken (U+001B); haal het weg."),
    ]
    assert product_count(app) == 4  # the farm shop's, nothing added


def test_the_back_office_names_each_export_as_the_cli_does(
    app: Flask, manager: FlaskClient, cli: Any, goods: dict[str, Any], tmp_path: Path
) -> None:
    with app.app_context():
        db.session.add(Producer(name="Hoeve De Linde", consignment=True))
        db.session.commit()
        producer_id = db.session.scalar(select(Producer.id))
    period = ("--from", "2026-11-01", "--to", "2026-11-30")
    from_cli = [
        ("products",),
        ("settlement", "--producer", "Hoeve De Linde", *period),
        ("stock-valuation",),
        ("stock-valuation", "--per-category"),
        ("sales", *period),
        ("day", "--date", "2026-11-20"),
        ("journal", *period),
    ]
    for number, command in enumerate(from_cli):
        assert cli("export", *command, "--out", str(tmp_path / f"{number}.csv")).exit_code == 0
    download(manager, "/admin/products/export.xlsx")
    download(
        manager, f"/admin/settlement/{producer_id}/statement.csv?from=2026-11-01&to=2026-11-30"
    )
    download(manager, "/admin/valuation/products.csv")
    download(manager, "/admin/valuation/categories.xlsx")
    for kind in ("verkopen", "dagontvangsten", "journaal"):
        days = {"first_day": "2026-11-01", "last_day": "2026-11-30", "file_format": "csv"}
        started = start(manager, kind=kind, **days)
        wait_until_done(manager, started.headers["Location"])  # no thread outlives the test
    with app.app_context():
        subjects = db.session.scalars(
            select(AuditEntry.subject).where(AuditEntry.action == "export").order_by(AuditEntry.id)
        ).all()
    assert subjects[: len(from_cli)] == subjects[len(from_cli) :]
    assert subjects[:4] == [
        "export:producten",
        "export:afrekening Hoeve De Linde",
        "export:voorraadwaarde per product",
        "export:voorraadwaarde per categorie",
    ]

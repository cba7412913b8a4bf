"""The products file page: check a file (every error by row and column), import it, export it."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from kiosk.catalog.product_file import COLUMNS
from kiosk.extensions import db
from kiosk.models import Product
from tests.admin.catalog_forms import existing_product, stored_product, submit

PAGE = "/admin/products/file"
HEADER = ";".join(COLUMNS)
GOOD_ROWS = (
    "Spelt-desem;Brood;;HW;4,60;stuk;food;5412718101118;1F33E;3,20;ja;4;ja",
    "Boerenbrood;Brood;;HW;3,90;stuk;food;;1F35E;;ja;;ja",
)


def csv_file(*rows: str) -> io.BytesIO:
    """Return a products CSV as Belgian spreadsheets write it (UTF-8 with BOM, ';')."""
    return io.BytesIO(("\n".join([HEADER, *rows]) + "\n").encode("utf-8-sig"))


def upload(
    client: FlaskClient, data: io.BytesIO, action: str, name: str = "producten.csv"
) -> TestResponse:
    """Send a file to the products file page with one of its two buttons."""
    return submit(client, PAGE, {"file": (data, name), "action": action})


def product_count(app: Flask) -> int:
    """Return how many products there are."""
    with app.app_context():
        return db.session.scalar(select(func.count(Product.id))) or 0


def error_rows(html: str) -> list[tuple[str, str, str]]:
    """Return the report's error table as (row, column, message)."""
    cells = r"<tr><td>(\d+)</td><td><code>([^<]+)</code></td><td>([^<]+)</td></tr>"
    return re.findall(cells, html)


def test_the_page_offers_upload_and_both_downloads(staff: FlaskClient) -> None:
    page = staff.get(PAGE)
    assert page.status_code == 200
    assert 'href="/admin/products/export.xlsx"' in page.text
    assert 'href="/admin/products/export.csv"' in page.text
    assert 'type="file"' in page.text


def test_a_check_lists_every_error_by_row_and_column_and_saves_nothing(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    data = csv_file(
        "Kaas;Kaas;;ZZ;abc;liter;wijn;5412718100372;;;misschien;;ja",
        "Hoevekaas;Kaas;Onbekende boer;HW;;kg;food;;;;ja;;ja",
        *GOOD_ROWS,
    )
    response = upload(staff, data, "check")
    assert response.status_code == 200
    assert "8 fout(en) gevonden. Er is niets bewaard." in response.text
    assert error_rows(response.text) == [
        ("2", "verkooppunten", "Verkooppunt ZZ bestaat niet."),
        ("2", "prijs", "abc is geen bedrag (bv. 3,80)."),
        ("2", "eenheid", "Kies stuk of kg."),
        (
            "2",
            "btw_klasse",
            "wijn is geen btw-klasse: schrijf voeding, afhaalmaaltijd, frisdrank, alcohol, "
            "geen voeding (of food, takeaway_meal, soft_drink, alcohol, non_food).",
        ),
        (
            "2",
            "barcode",
            "Het controlecijfer van 5412718100372 klopt niet: het laatste cijfer moet 1 zijn, "
            "niet 2.",
        ),
        ("2", "voorraad_bijhouden", "Schrijf ja of nee."),
        ("3", "producent", "Producent Onbekende boer is niet gekend."),
        ("3", "prijs", "Geef een prijs, bv. 3,80."),
    ]
    assert product_count(app) == 4


def test_an_import_with_an_error_saves_nothing(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    response = upload(
        staff, csv_file(*GOOD_ROWS, "Fout;Brood;;HW;gratis;stuk;food;;;;ja;;ja"), "import"
    )
    assert response.status_code == 200
    assert ("4", "prijs", "gratis is geen bedrag (bv. 3,80).") in error_rows(response.text)
    assert stored_product(app, "Spelt-desem") is None
    assert existing_product(app, "Boerenbrood").price_cents == 380


def test_a_clean_check_says_what_an_import_would_do_and_saves_nothing(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    response = upload(staff, csv_file(*GOOD_ROWS), "check")
    assert "Het bestand is in orde: 1 nieuwe en 1 gewijzigde producten." in response.text
    assert stored_product(app, "Spelt-desem") is None
    assert existing_product(app, "Boerenbrood").price_cents == 380


def test_an_import_adds_and_changes_products(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    response = upload(staff, csv_file(*GOOD_ROWS), "import")
    assert response.status_code == 200
    assert "Ingelezen: 1 nieuwe en 1 gewijzigde producten." in response.text
    added = stored_product(app, "Spelt-desem")
    assert added is not None
    assert (added.price_cents, added.purchase_price_cents, added.minimum_stock_milli) == (
        460,
        320,
        4000,
    )
    assert added.category is not None and added.category.name == "Brood"
    assert existing_product(app, "Boerenbrood").price_cents == 390


def test_an_xlsx_file_is_imported(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    sheet.append(["Spelt-desem", "Brood", "", "HW", 4.6, "stuk", "food", "", "", "", "ja", 4, "ja"])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    response = upload(staff, data, "import", "producten.xlsx")
    assert "Ingelezen: 1 nieuwe en 0 gewijzigde producten." in response.text
    assert existing_product(app, "Spelt-desem").price_cents == 460


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            b"naam;prijs\nBrood;3,80\n",
            "producten.txt",
            "Kies een bestand dat eindigt op .csv of .xlsx.",
        ),
        (b"PK\x03\x04 kapot", "producten.xlsx", "Dit bestand kan niet gelezen worden."),
        (b"\xff\xfe\x00n\x00a\x00a\x00m", "producten.csv", "Dit bestand kan niet gelezen worden."),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_in_dutch(
    app: Flask,
    staff: FlaskClient,
    farm_shop: dict[str, Any],
    content: bytes,
    name: str,
    message: str,
) -> None:
    response = upload(staff, io.BytesIO(content), "import", name)
    assert response.status_code == 200
    assert message in response.text
    assert product_count(app) == 4


def test_a_file_too_large_is_refused(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    app.config["PRODUCT_FILE_MAX_BYTES"] = 1024 * 1024
    big = csv_file(*GOOD_ROWS * 9000)
    assert 1024 * 1024 < len(big.getvalue()) < app.config["MAX_CONTENT_LENGTH"]
    response = upload(staff, big, "import")
    assert response.status_code == 200
    assert "Het bestand is te groot (hoogstens 1 MB)." in response.text
    assert stored_product(app, "Spelt-desem") is None


def test_a_post_without_a_file_asks_for_one(staff: FlaskClient) -> None:
    response = submit(staff, PAGE, {"action": "check"})
    assert response.status_code == 200
    assert "Kies een bestand." in response.text


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_through_the_pages_changes_nothing(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any], file_format: str
) -> None:
    with app.app_context():
        cheese = db.session.get_one(Product, farm_shop["cheese"])
        cheese.purchase_price_cents, cheese.minimum_stock_milli = 1650, 2500
        db.session.commit()
    download = staff.get(f"/admin/products/export.{file_format}")
    assert download.status_code == 200
    disposition = download.headers["Content-Disposition"]
    assert re.search(
        rf"attachment; filename=producten-\d{{4}}-\d{{2}}-\d{{2}}\.{file_format}", disposition
    )
    data = download.data
    download.close()
    if file_format == "csv":
        assert data.startswith(b"\xef\xbb\xbf" + HEADER.encode())
        assert "Hoevekaas;Kaas;;HW;24,90;kg;food;;1F35E;16,50;ja;2,5;ja" in data.decode("utf-8-sig")
    else:
        rows = list(
            load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True)
        )
        assert list(rows[0]) == COLUMNS and len(rows) == 5
    response = upload(staff, io.BytesIO(data), "import", f"producten.{file_format}")
    assert "Ingelezen: 0 nieuwe en 0 gewijzigde producten." in response.text
    cheese = existing_product(app, "Hoevekaas")
    assert (cheese.price_cents, cheese.purchase_price_cents, cheese.minimum_stock_milli) == (
        2490,
        1650,
        2500,
    )

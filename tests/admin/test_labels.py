"""Back office: A4 sticker sheets, weighed-pack labels and labels on the receipt printer."""

from __future__ import annotations

import io
import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select
from werkzeug.test import TestResponse

from kiosk.extensions import db
from kiosk.models import Printer, PrintJob, Product
from kiosk.printing.queue import add_printer
from kiosk.printing.worker import print_due_jobs
from tests.conftest import csrf_token
from tests.fake_printer import FakeNetworkPrinter
from tests.printers.escpos_stream import commands, printed_lines

CHEESE_CODE = "2100001000004"  # the shop's own code: 2100001, price 00000
BREAD_CODE = "5412718100371"
HONEY_CODE = "5412718100746"
CUT = "GS V"


@pytest.fixture
def label_shop(shop: Any, farm_shop: dict[str, Any]) -> dict[str, int]:
    """The farm shop with barcodes: a loaf, honey, a weighed cheese; candles keep none."""
    with shop.app.app_context():
        products = {
            name: db.session.get_one(Product, farm_shop[name]) for name in ("bread", "cheese")
        }
        products["bread"].barcode = BREAD_CODE
        products["cheese"].barcode = CHEESE_CODE
        db.session.commit()
    return {
        "bread": farm_shop["bread"],
        "cheese": farm_shop["cheese"],
        "candle": farm_shop["candle"],
        "honey": shop.product("Honing", price_cents=650, barcode=HONEY_CODE),
        "broken": shop.product("Jam", price_cents=450, barcode="5412718100372"),
        "old": shop.product("Oude honing", price_cents=500, barcode="5412718101118", active=False),
    }


def post_sheet(client: FlaskClient, fields: dict[str, Any]) -> TestResponse:
    """Post the sheet form with its CSRF token."""
    page = client.get("/admin/labels")
    assert page.status_code == 200
    data = {"layout": "3x8", "start": "1", **fields, "csrf_token": csrf_token(page.text)}
    return client.post("/admin/labels", data=data)


def jobs(app: Flask) -> list[PrintJob]:
    """Return the print jobs, oldest first."""
    with app.app_context():
        return list(db.session.scalars(select(PrintJob).order_by(PrintJob.id)))


@pytest.fixture
def receipt_printer(app: Flask, fake_printer: Any) -> int:
    """Add the fake network printer as the farm shop's receipt printer."""
    with app.app_context():
        printer = add_printer("Toog", fake_printer.url, profile="TM-T20II", point_of_sale_code="HW")
        db.session.commit()
        return printer.id


# -- A4 sheets -------------------------------------------------------------------------------
def test_the_label_page_offers_products_with_a_code_and_names_the_others(
    staff: FlaskClient, label_shop: dict[str, int]
) -> None:
    page = staff.get("/admin/labels")
    assert page.status_code == 200
    text = page.text
    for name in ("bread", "honey", "cheese"):
        assert f'for="count_{label_shop[name]}"' in text
    assert "Aantal etiketten van Boerenbrood" in text
    assert f"count_{label_shop['candle']}" not in text
    assert "Kaars: geen streepjescode" in text
    assert "Jam: ongeldige streepjescode 5412718100372" in text
    assert "Oude honing" not in text  # no longer sold
    assert f'href="/admin/labels/products/{label_shop["cheese"]}">Gewogen pak' in text
    assert "3 × 8 = 24 etiketten van 70 × 37 mm" in text
    assert "2 × 7 = 14 etiketten van 99,1 × 38,1 mm" in text


def test_counts_make_a_printable_a4_page_with_every_label_in_place(
    staff: FlaskClient, label_shop: dict[str, int]
) -> None:
    response = post_sheet(
        staff,
        {
            "start": "2",
            f"count_{label_shop['bread']}": "2",
            f"count_{label_shop['cheese']}": "1",
            f"best_before_{label_shop['cheese']}": "2099-05-01",
            f"count_{label_shop['honey']}": "0",
        },
    )
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/admin/labels/sheet"
    query = parse_qs(location.query)
    assert query["layout"] == ["3x8"] and query["start"] == ["2"]
    assert sorted(query["label"]) == sorted(
        [f"{label_shop['bread']}:2", f"{label_shop['cheese']}:1:2099-05-01"]
    )
    sheet = staff.get(response.headers["Location"])
    assert sheet.status_code == 200
    html = sheet.text
    assert "@page { size: A4; margin: 0; }" in html
    assert "width: 210mm; height: 297mm" in html
    places = re.findall(r'<div class="label" style="([^"]+)"', html)
    # place 1 stays free; then 2 and 3 on the top row, and the first place of row two
    assert places == [
        "top: 0.5mm; left: 70mm; width: 70mm; height: 37mm",
        "top: 0.5mm; left: 140mm; width: 70mm; height: 37mm",
        "top: 37.5mm; left: 0mm; width: 70mm; height: 37mm",
    ]
    assert html.count("<svg ") == 3
    assert html.count(f">{BREAD_CODE}</text>") == 2
    assert html.count(f">{CHEESE_CODE}</text>") == 1
    assert "€ 3,80" in html and "€ 24,90" in html and "THT 01-05-2099" in html
    assert re.search(r'(src|href)="https?:', html) is None  # nothing fetched from elsewhere
    assert "Etiketten: 3 · A4-vellen: 1" in html


def test_bad_sheet_choices_are_explained_and_what_was_typed_stays(
    staff: FlaskClient, label_shop: dict[str, int]
) -> None:
    bread = f"count_{label_shop['bread']}"
    too_many = post_sheet(staff, {bread: "501"})
    assert too_many.status_code == 200
    assert "Kies 0 tot 500 etiketten." in too_many.text
    assert 'value="501"' in too_many.text
    none = post_sheet(staff, {bread: "0"})
    assert "Kies minstens één etiket." in none.text
    layout = post_sheet(staff, {bread: "1", "layout": "4x4"})
    assert "Kies een etikettenvel." in layout.text
    start = post_sheet(staff, {bread: "1", "start": "25"})
    assert "Dit vel heeft 24 etiketten." in start.text
    past = post_sheet(staff, {bread: "1", f"best_before_{label_shop['bread']}": "2020-01-01"})
    assert "Die datum is al voorbij." in past.text
    assert 'value="2020-01-01"' in past.text
    honey, cheese = f"count_{label_shop['honey']}", f"count_{label_shop['cheese']}"
    ream = post_sheet(staff, {bread: "500", honey: "500", cheese: "1"})
    assert "Druk hoogstens 1000 etiketten per keer af." in ream.text
    assert post_sheet(staff, {bread: "500", honey: "500", "layout": "2x7"}).status_code == 302


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("layout=9x9&label={bread}:1", "Kies een etikettenvel."),
        ("layout=3x8&start=25&label={bread}:1", "Dat beginnummer ligt niet op het vel."),
        ("layout=3x8&label={bread}:0", "Kies 1 tot 500 etiketten per product."),
        ("layout=3x8&label={bread}:x", "Deze etikettenlijst is onleesbaar."),
        ("layout=3x8&label={bread}:1:2099-13-01", "Deze etikettenlijst is onleesbaar."),
        ("layout=3x8", "Kies 1 tot 1000 etiketten."),
        ("layout=3x8&label=99999999999:1", "Dit product bestaat niet meer."),
        ("layout=3x8&label={broken}:1", "het controlecijfer klopt niet"),
        ("layout=3x8&label={candle}:1", "Kaars heeft geen streepjescode."),
    ],
)
def test_a_sheet_address_that_the_form_did_not_make_is_refused(
    staff: FlaskClient, label_shop: dict[str, int], query: str, message: str
) -> None:
    response = staff.get("/admin/labels/sheet?" + query.format(**label_shop))
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/admin/labels"
    assert message in staff.get("/admin/labels").text


def test_the_png_of_a_code_scans_and_a_wrong_code_is_not_drawn(staff: FlaskClient) -> None:
    png = staff.get(f"/admin/labels/ean13/{HONEY_CODE}.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    image = Image.open(io.BytesIO(png.data)).convert("L")
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [HONEY_CODE]
    assert staff.get("/admin/labels/ean13/5412718100747.png").status_code == 404
    assert staff.get("/admin/labels/ean13/541271810074.png").status_code == 404


# -- single labels ---------------------------------------------------------------------------
def test_a_weighed_pack_shows_its_weight_prices_and_the_code_the_till_reads(
    staff: FlaskClient, label_shop: dict[str, int]
) -> None:
    page = staff.get(f"/admin/labels/products/{label_shop['cheese']}")
    assert page.status_code == 200
    assert "Gewicht in kg" in page.text and "<svg" not in page.text
    shown = staff.get(
        f"/admin/labels/products/{label_shop['cheese']}?weight=0,750&best_before=2099-05-01"
    )
    assert shown.status_code == 200
    text = shown.text
    # 0,750 kg at 24,90 €/kg = 18,675 € → 18,68 €, in price digits 8-12 of 2100001 01868 9
    code = "2100001018689"
    assert f">{code}</text>" in text
    for expected in ("0,750 kg", "€ 24,90", "per kg", "€ 18,68", "THT 01-05-2099"):
        assert expected in text
    assert "De kassa leest uit deze code Hoevekaas, 0,750 kg, voor € 18,68." in text
    assert f'href="/admin/labels/ean13/{code}.png"' in text


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("0", "Geef een gewicht van meer dan 0 kg en hoogstens 500 kg."),
        ("-1", "Geef een gewicht van meer dan 0 kg en hoogstens 500 kg."),
        ("0,0005", "hoogstens 3 cijfers na de komma"),
        ("veel", "Geef het gewicht in kg, bv. 0,750."),
        ("", "Geef het gewicht."),
        ("50", "€ 999,99 dragen, niet € 1.245,00"),
    ],
)
def test_a_bad_weight_is_explained_next_to_the_field(
    staff: FlaskClient, label_shop: dict[str, int], weight: str, message: str
) -> None:
    page = staff.get(
        f"/admin/labels/products/{label_shop['cheese']}", query_string={"weight": weight}
    )
    assert page.status_code == 200
    assert message in page.text
    assert "<svg" not in page.text
    assert 'aria-invalid="true"' in page.text


def test_a_product_without_a_usable_code_says_why(
    app: Flask, staff: FlaskClient, label_shop: dict[str, int]
) -> None:
    assert (
        "Kaars heeft geen streepjescode."
        in staff.get(f"/admin/labels/products/{label_shop['candle']}").text
    )
    with app.app_context():
        db.session.get_one(Product, label_shop["cheese"]).barcode = "5412718101484"
        db.session.commit()
    page = staff.get(f"/admin/labels/products/{label_shop['cheese']}?weight=1")
    assert "begint niet met 2" in page.text and "<svg" not in page.text


def test_a_piece_label_is_shown_at_once(staff: FlaskClient, label_shop: dict[str, int]) -> None:
    page = staff.get(f"/admin/labels/products/{label_shop['bread']}")
    assert page.status_code == 200
    assert f">{BREAD_CODE}</text>" in page.text and "€ 3,80" in page.text
    assert "Gewicht" not in page.text


# -- on the receipt printer ------------------------------------------------------------------
def post_print(client: FlaskClient, product_id: int, fields: dict[str, Any]) -> TestResponse:
    """Open a product's label page and post its print form."""
    page = client.get(f"/admin/labels/products/{product_id}")
    return client.post(
        f"/admin/labels/products/{product_id}/print",
        data={**fields, "csrf_token": csrf_token(page.text)},
    )


def test_a_weighed_label_prints_on_the_receipt_printer_with_its_ean13(
    app: Flask,
    staff: FlaskClient,
    label_shop: dict[str, int],
    receipt_printer: int,
    fake_printer: FakeNetworkPrinter,
) -> None:
    response = post_print(
        staff,
        label_shop["cheese"],
        {"weight": "0,750", "best_before": "2099-05-01", "printer": receipt_printer, "copies": "2"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/admin/labels/products/{label_shop['cheese']}?weight=0,750&best_before=2099-05-01"
    )
    assert (
        "De etiketten staan in de wachtrij van Toog."
        in staff.get(response.headers["Location"]).text
    )
    [job] = jobs(app)
    assert (job.kind, job.state, job.printer_id, job.sale_id) == (
        "label",
        "pending",
        receipt_printer,
        None,
    )
    payload = json.loads(job.payload)
    assert payload["copies"] == 2 and payload["product_id"] == label_shop["cheese"]
    assert payload["label"]["ean13"] == "2100001018689"
    with app.app_context():
        assert print_due_jobs() == 1
    data = fake_printer.wait_for_jobs(1)[0]
    assert commands(data, "GS k") == [b"\x02" + b"210000101868" + b"\x00"] * 2
    lines = [line.strip() for line in printed_lines(data)]
    for text in ("Hoevekaas", "Gewicht 0,750 kg", "€ 24,90 per kg", "Te betalen € 18,68"):
        assert lines.count(text) == 2
    assert lines.count("THT 01-05-2099") == 2
    assert len(commands(data, CUT)) == 2
    assert [job.state for job in jobs(app)] == ["printed"]


def test_a_piece_label_prints_without_a_weight(
    app: Flask,
    staff: FlaskClient,
    label_shop: dict[str, int],
    receipt_printer: int,
    fake_printer: FakeNetworkPrinter,
) -> None:
    response = post_print(staff, label_shop["bread"], {"printer": receipt_printer, "copies": "1"})
    assert response.status_code == 302
    with app.app_context():
        print_due_jobs()
    data = fake_printer.wait_for_jobs(1)[0]
    assert commands(data, "GS k") == [b"\x02" + BREAD_CODE[:12].encode() + b"\x00"]
    assert "€ 3,80 per stuk" in [line.strip() for line in printed_lines(data)]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"copies": "0"}, "Kies 1 tot 500 etiketten."),
        ({"copies": "501"}, "Kies 1 tot 500 etiketten."),
        ({"copies": ""}, "Geef een aantal."),
        ({"printer": ""}, "Kies een printer."),
        ({"printer": "999999"}, "Kies een printer."),
        ({"weight": "0"}, "Geef een gewicht van meer dan 0 kg en hoogstens 500 kg."),
        ({"weight": "50"}, "€ 999,99 dragen"),
        ({"best_before": "2020-01-01"}, "Die datum is al voorbij."),
    ],
)
def test_a_bad_print_request_is_explained_and_nothing_is_queued(
    app: Flask,
    staff: FlaskClient,
    label_shop: dict[str, int],
    receipt_printer: int,
    fields: dict[str, str],
    message: str,
) -> None:
    good = {"weight": "0,750", "printer": str(receipt_printer), "copies": "3"}
    response = post_print(staff, label_shop["cheese"], {**good, **fields})
    assert response.status_code == 200
    assert message in response.text
    assert jobs(app) == []


def test_a_printer_that_is_off_is_not_offered(
    app: Flask, staff: FlaskClient, label_shop: dict[str, int], receipt_printer: int
) -> None:
    with app.app_context():
        db.session.get_one(Printer, receipt_printer).active = False
        db.session.commit()
    page = staff.get(f"/admin/labels/products/{label_shop['bread']}")
    assert "Er is nog geen actieve printer." in page.text
    response = post_print(staff, label_shop["bread"], {"printer": receipt_printer, "copies": "1"})
    assert response.status_code == 200
    assert "Er is nog geen actieve printer." in response.text
    assert jobs(app) == []


def test_the_pages_work_in_english_and_the_label_stays_dutch(
    staff: FlaskClient, label_shop: dict[str, int]
) -> None:
    staff.get("/language/en")
    page = staff.get("/admin/labels")
    assert page.status_code == 200
    assert "99.1 × 38.1 mm" in page.text  # the decimal point of English
    shown = staff.get(f"/admin/labels/products/{label_shop['cheese']}?weight=0.75")
    assert shown.status_code == 200
    assert "Te betalen" in shown.text and "€ 18,68" in shown.text  # as on the receipts

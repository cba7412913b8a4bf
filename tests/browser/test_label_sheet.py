"""Labels in Chromium: an A4 sheet placed to the mm that scans, and a weighed pack printed."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from flask import Flask
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Product
from kiosk.models.types import Role
from kiosk.printing.queue import add_printer
from kiosk.printing.worker import print_due_jobs
from tests.browser.page_support import serious_violations
from tests.printers.escpos_stream import commands

STAFF = ("Sam", "sam-is-medewerker")
PX_PER_MM = 96 / 25.4  # CSS pixels
# name: (price in cents, unit, barcode)
PRODUCTS = {
    "Boerenbrood": (380, "piece", "5412718100371"),
    "Bloemenhoning van de imker uit het dorp": (650, "piece", "5412718100746"),
    "Hoevekaas": (2490, "kg", "2100001000004"),
    "Stokbrood": (230, "piece", None),
}


@pytest.fixture
def label_shop(shop: Any) -> None:
    """A farm shop with three products that have a barcode and one without, and a staff member."""
    shop.point_of_sale("HW", name="Hoevewinkel")
    for name, (price, unit, barcode) in PRODUCTS.items():
        shop.product(name, price_cents=price, unit=unit, barcode=barcode)
    shop.user(STAFF[0], role=Role.STAFF, password=STAFF[1])


@pytest.fixture
def sharp_page(browser: Browser) -> Iterator[Page]:
    """A page on a PC screen that draws four device pixels per CSS pixel, so bars are sharp."""
    context = browser.new_context(
        locale="nl-BE", viewport={"width": 1280, "height": 900}, device_scale_factor=4
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def decoded(png: bytes) -> list[str]:
    """Return the EAN-13 codes zxing-cpp reads in a screenshot, top to bottom, left to right."""
    image = Image.open(io.BytesIO(png)).convert("L")
    results = [r for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.EAN13]
    results.sort(key=lambda r: (round(r.position.top_left.y / 100), r.position.top_left.x))
    return [r.text for r in results]


@pytest.mark.browser
def test_a_sheet_of_stickers_is_placed_to_the_mm_and_every_barcode_scans(
    sharp_page: Page, live_server: Any, label_shop: None, artifacts: Path
) -> None:
    page = sharp_page
    page.goto(f"{live_server.url}/admin/login?next=/admin/labels")
    page.get_by_label("Naam", exact=True).fill(STAFF[0])
    page.get_by_label("Wachtwoord", exact=True).fill(STAFF[1])
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="Etiketten en streepjescodes", level=1)).to_be_visible()
    expect(page.get_by_role("listitem")).to_contain_text(["Stokbrood: geen streepjescode"])
    assert serious_violations(page) == []

    page.get_by_label("Etikettenvel").select_option("3x8")
    page.get_by_label("Begin bij etiket nummer").fill("23")  # a sheet with 22 labels used
    page.get_by_label("Aantal etiketten van Boerenbrood").fill("2")
    page.get_by_label("Aantal etiketten van Bloemenhoning van de imker uit het dorp").fill("1")
    page.get_by_label("Aantal etiketten van Hoevekaas").fill("2")
    page.get_by_label("Ten minste houdbaar tot, Hoevekaas").fill("2099-05-01")
    page.screenshot(path=artifacts / "labels-form.png")
    page.get_by_role("button", name="A4-pagina maken").click()

    expect(page.get_by_role("heading", name="Etiketten afdrukken")).to_be_visible()
    sheets = page.get_by_role("region", name=re.compile(r"^Vel \d$"))
    expect(sheets).to_have_count(2)
    page.screenshot(path=artifacts / "labels-sheet.png")
    assert serious_violations(page) == []

    # places 23 and 24 of sheet one (bottom row, middle and right), then sheet two from the top
    first, second = sheets.nth(0), sheets.nth(1)
    sheet_box = first.bounding_box()
    assert sheet_box is not None
    assert sheet_box["width"] == pytest.approx(210 * PX_PER_MM, abs=0.5)
    assert sheet_box["height"] == pytest.approx(297 * PX_PER_MM, abs=0.5)
    labels = first.locator(".label")
    expect(labels).to_have_count(2)
    box = labels.first.bounding_box()
    assert box is not None
    assert box["x"] - sheet_box["x"] == pytest.approx(70 * PX_PER_MM, abs=0.5)
    assert box["y"] - sheet_box["y"] == pytest.approx((0.5 + 7 * 37) * PX_PER_MM, abs=0.5)
    assert box["width"] == pytest.approx(70 * PX_PER_MM, abs=0.5)
    assert box["height"] == pytest.approx(37 * PX_PER_MM, abs=0.5)
    expect(second.locator(".label")).to_have_count(3)
    expect(second).to_contain_text("Hoevekaas")
    expect(second).to_contain_text("€ 24,90 per kg")
    expect(second).to_contain_text("THT 01-05-2099")

    # what a scanner reads off the screen, at four device pixels per CSS pixel
    # (the products come by name: Bloemenhoning, Boerenbrood, Hoevekaas)
    assert decoded(first.screenshot()) == ["5412718100746", "5412718100371"]
    assert decoded(second.screenshot(path=artifacts / "labels-sheet-2.png")) == [
        "5412718100371",
        "2100001000004",
        "2100001000004",
    ]

    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (artifacts / "labels-sheet.pdf").write_bytes(pdf)
    pages = re.findall(rb"/Type\s*/Page\b", pdf)
    assert len(pages) == 2  # one A4 page a sheet, the toolbar hidden
    media_boxes = re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert media_boxes and all(
        (float(width), float(height)) == pytest.approx((595.3, 841.9), abs=0.5)
        for width, height in media_boxes
    )


@pytest.mark.browser
def test_a_weighed_pack_label_is_shown_and_sent_to_the_receipt_printer(
    page: Page, live_server: Any, label_shop: None, app: Flask, fake_printer: Any, artifacts: Path
) -> None:
    with app.app_context():
        add_printer("Toog", fake_printer.url, profile="TM-T20II", point_of_sale_code="HW")
        cheese = db.session.scalar(select(Product.id).where(Product.name == "Hoevekaas"))
        db.session.commit()
    page.goto(f"{live_server.url}/admin/login?next=/admin/labels/products/{cheese}")
    page.get_by_label("Naam", exact=True).fill(STAFF[0])
    page.get_by_label("Wachtwoord", exact=True).fill(STAFF[1])
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="Gewogen pak: Hoevekaas")).to_be_visible()
    page.get_by_label("Gewicht in kg").fill("0,5")
    page.get_by_role("button", name="Etiket tonen").click()
    # 0,500 kg at 24,90 €/kg: 12,45 €, in the code 2100001 01245 and its check digit
    expect(page.get_by_role("img", name="EAN-13 2100001012458")).to_be_visible()
    expect(
        page.get_by_text("De kassa leest uit deze code Hoevekaas, 0,500 kg, voor € 12,45.")
    ).to_be_visible()
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "labels-weighed-pack.png", full_page=True)

    page.get_by_label("Aantal etiketten").fill("2")
    page.get_by_role("button", name="Afdrukken op de bonprinter").click()
    expect(page.get_by_role("status")).to_have_text("De etiketten staan in de wachtrij van Toog.")
    with app.app_context():
        assert print_due_jobs() == 1
    data = fake_printer.wait_for_jobs(1)[0]
    assert commands(data, "GS k") == [b"\x02210000101245\x00"] * 2

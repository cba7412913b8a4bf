"""What goes on a label: EAN-13 checks, scale codes the till reads back, barcodes, sheets."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from barcode import EAN13
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageDraw
from sqlalchemy import select

from kiosk import money
from kiosk.catalog.label_sheets import (
    A4_HEIGHT_MM,
    A4_WIDTH_MM,
    SHEET_LAYOUTS,
    SheetLayout,
    place_labels,
)
from kiosk.catalog.labels import (
    barcode_image,
    barcode_png,
    barcode_svg,
    embed_price,
    label_from_payload,
    label_payload,
    label_problem,
    parse_weight,
    product_label,
    weight_label,
)
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.identifiers import is_valid_ean13
from kiosk.models import PrintJob, Product
from kiosk.models.types import utcnow
from kiosk.printing.queue import add_printer, enqueue, enqueue_labels
from kiosk.printing.worker import print_due_jobs
from tests.conftest import Shop, present
from tests.fake_printer import FakeNetworkPrinter

ROOT = Path(__file__).resolve().parents[3]
TILL_JS = ROOT / "kiosk" / "static" / "till" / "js"
CHEESE_CODE = "2100001000004"  # the shop's own code for Hoevekaas: 2100001, price 00000
BREAD_CODE = "5412718100371"


def decoded(image: Image.Image) -> list[str]:
    """Return the EAN-13 codes zxing-cpp reads in an image."""
    return [
        result.text
        for result in zxingcpp.read_barcodes(image)
        if result.format == zxingcpp.BarcodeFormat.EAN13
    ]


def till_line_amount(price_cents: int, grams: int) -> int:
    """The till's lineAmount (kiosk/static/till/js/money.js), written out in Python."""
    return (price_cents * grams + 500) // 1000


@pytest.fixture
def products(shop: Shop, ctx: None) -> dict[str, Product]:
    """A farm shop with a weighed cheese (code 2100001…), a loaf and a product without a code."""
    shop.point_of_sale("HW")
    ids = {
        "cheese": shop.product("Hoevekaas", price_cents=2490, unit="kg", barcode=CHEESE_CODE),
        "bread": shop.product("Boerenbrood", price_cents=380, barcode=BREAD_CODE),
        "apples": shop.product("Appels", price_cents=280, unit="kg"),
    }
    return {name: db.session.get_one(Product, product_id) for name, product_id in ids.items()}


# -- scale codes -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("grams", "amount"), [(750, 1868), (1, 2), (250, 623), (1234, 3073), (40160, 99998)]
)
def test_a_weight_label_embeds_the_tills_own_price_for_that_weight(
    products: dict[str, Product], grams: int, amount: int
) -> None:
    cheese = products["cheese"]
    label = weight_label(cheese, grams, date(2026, 5, 1))
    code = label.ean13
    assert is_valid_ean13(code)
    assert code[:7] == CHEESE_CODE[:7]
    assert int(code[7:12]) == amount == label.amount_cents
    assert amount == money.line_amount_cents(cheese.price_cents, Decimal(grams) / 1000)
    assert amount == till_line_amount(cheese.price_cents, grams)
    assert (label.weight_grams, label.price_cents, label.unit) == (grams, 2490, "kg")
    assert decoded(barcode_image(code)) == [code]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run the till's code")
def test_the_tills_scanner_reads_the_label_as_the_weight_and_price_on_it(
    products: dict[str, Product],
) -> None:
    cheese, bread = products["cheese"], products["bread"]
    labels = [weight_label(cheese, grams) for grams in (750, 250, 1234, 3)]
    catalog = [
        {"id": p.id, "barcode": p.barcode, "unit": p.unit, "price_cents": p.price_cents}
        for p in (bread, cheese)
    ]
    script = (
        f"import {{ lookUpCode }} from {json.dumps((TILL_JS / 'scanner.js').as_uri())};\n"
        f"import {{ lineAmount }} from {json.dumps((TILL_JS / 'money.js').as_uri())};\n"
        f"const products = {json.dumps(catalog)};\n"
        f"const codes = {json.dumps([label.ean13 for label in labels])};\n"
        "console.log(JSON.stringify(codes.map((code) => {\n"
        "  const found = lookUpCode(code, products, lineAmount);\n"
        "  return [found.product.id, lineAmount(found.product.price_cents, found.quantityMilli)];\n"
        "})));\n"
    )
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    read = json.loads(result.stdout)
    assert read == [[cheese.id, label.amount_cents] for label in labels]


@given(st.data())
def test_any_price_that_fits_makes_a_valid_code_with_the_money_rules_price(
    data: st.DataObject,
) -> None:
    price_per_kg = data.draw(st.integers(min_value=1, max_value=500_000), label="price_per_kg")
    # the heaviest pack whose price still fits in five digits: price × grams + 500 < 10⁸
    heaviest = min(500_000, 99_999_499 // price_per_kg)
    grams = data.draw(st.integers(min_value=1, max_value=heaviest), label="grams")
    amount = money.line_amount_cents(price_per_kg, Decimal(grams) / 1000)
    assert 0 <= amount <= 99_999
    code = embed_price("2100001", amount)
    assert is_valid_ean13(code)
    assert code.startswith("2100001")
    assert int(code[7:12]) == amount == till_line_amount(price_per_kg, grams)


def test_a_scale_code_holds_seven_item_digits_starting_with_2_and_five_price_digits() -> None:
    assert embed_price("2100001", 1868) == "2100001018689"
    for item, amount in (("5412718", 100), ("210000", 100), ("2100001", 100_000)):
        with pytest.raises(ValueError):
            embed_price(item, amount)


def refusal(call: Callable[..., object], *args: Any) -> str:
    """Return the Dutch message of the OperationError that call raises."""
    with pytest.raises(OperationError) as raised:
        call(*args)
    return raised.value.message


def test_impossible_weight_labels_are_refused_in_dutch(products: dict[str, Product]) -> None:
    cheese, bread, apples = products["cheese"], products["bread"], products["apples"]
    assert "meer dan 0 kg" in refusal(weight_label, cheese, 0)
    assert "meer dan 0 kg" in refusal(weight_label, cheese, -5)
    assert "hoogstens 500 kg" in refusal(weight_label, cheese, 500_001)
    # 40,161 kg at 24,90 €/kg is 1000,01 €: five price digits cannot say it
    assert "€ 999,99 dragen, niet € 1.000,01" in refusal(weight_label, cheese, 40_161)
    assert "per stuk verkocht" in refusal(weight_label, bread, 750)
    assert refusal(weight_label, apples, 750) == "Appels heeft geen streepjescode."
    cheese.barcode = "5412718100388"  # a valid EAN-13 that the till reads as one product only
    assert "begint niet met 2" in refusal(weight_label, cheese, 750)
    assert "begint niet met 2" in present(label_problem(cheese))
    assert label_problem(bread) is None


def test_a_code_with_a_wrong_check_digit_is_refused_before_python_barcode_corrects_it(
    products: dict[str, Product],
) -> None:
    bread = products["bread"]
    bread.barcode = "5412718100372"
    assert EAN13(bread.barcode).get_fullcode() == BREAD_CODE  # what would have been printed
    assert "controlecijfer klopt niet" in refusal(product_label, bread)
    assert "controlecijfer klopt niet" in present(label_problem(bread))
    for draw in (barcode_image, barcode_png):
        assert "geen geldige EAN-13" in refusal(draw, "5412718100372")
    with pytest.raises(OperationError):
        barcode_svg("5412718100372", module_width_mm=0.33, bar_height_mm=15)


def test_a_scale_code_the_till_would_read_as_another_product_is_refused(
    products: dict[str, Product],
) -> None:
    cheese = products["cheese"]
    code = weight_label(cheese, 750).ean13
    other = Product(name="Raclettekaas", price_cents=500, barcode=code)
    db.session.add(other)
    db.session.commit()
    assert "is de streepjescode van Raclettekaas" in refusal(weight_label, cheese, 750)
    other.barcode = None
    db.session.add(Product(name="Jonge kaas", price_cents=1990, unit="kg", barcode="2100001999995"))
    db.session.commit()
    assert "met dezelfde 7 cijfers" in refusal(weight_label, cheese, 750)


@pytest.mark.parametrize(
    ("text", "grams"),
    [("0,750", 750), ("0.75", 750), ("1", 1000), (" 2,5 kg ", 2500), ("500", 500_000)],
)
def test_weights_are_read_with_a_decimal_comma_to_the_gram(text: str, grams: int) -> None:
    assert parse_weight(text) == grams


@pytest.mark.parametrize(
    "text", ["", "abc", "0", "-1", "0,0005", "500,001", "NaN", "Infinity", "1e400", "1,2,3"]
)
def test_what_is_no_weight_is_refused(text: str) -> None:
    with pytest.raises(OperationError) as raised:
        parse_weight(text)
    assert raised.value.code == "invalid_weight"


def test_a_piece_label_carries_the_products_own_code_and_price(
    products: dict[str, Product],
) -> None:
    label = product_label(products["bread"], date(2026, 5, 1))
    assert (label.name, label.unit, label.price_cents, label.ean13) == (
        "Boerenbrood",
        "piece",
        380,
        BREAD_CODE,
    )
    assert (label.best_before, label.weighed) == (date(2026, 5, 1), False)
    per_kg = product_label(products["cheese"])
    assert (per_kg.unit, per_kg.ean13, per_kg.weighed) == ("kg", CHEESE_CODE, False)


def test_a_print_jobs_payload_gives_back_the_same_label(products: dict[str, Product]) -> None:
    label = weight_label(products["cheese"], 750, date(2026, 5, 1))
    payload = json.loads(json.dumps(label_payload(label, 3, products["cheese"].id)))
    assert label_from_payload(payload) == (label, 3)
    payload["copies"] = 0
    with pytest.raises(ValueError, match="copies"):
        label_from_payload(payload)


# -- drawings --------------------------------------------------------------------------------
def rasterise(svg: str, pixels_per_mm: float) -> Image.Image:
    """Draw the black rectangles of a python-barcode SVG (sizes in mm) on a white image."""
    root = ET.fromstring(svg)

    def mm(value: str) -> float:
        return float(value.removesuffix("mm"))

    size = (
        round(mm(root.get("width", "")) * pixels_per_mm),
        round(mm(root.get("height", "")) * pixels_per_mm),
    )
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    for rect in root.iter("{http://www.w3.org/2000/svg}rect"):
        if "fill:black" in rect.get("style", ""):
            left, top = mm(rect.get("x", "")) * pixels_per_mm, mm(rect.get("y", "")) * pixels_per_mm
            width, height = (
                mm(rect.get("width", "")) * pixels_per_mm,
                mm(rect.get("height", "")) * pixels_per_mm,
            )
            draw.rectangle(
                [round(left), round(top), round(left + width) - 1, round(top + height) - 1], fill=0
            )
    return image


@pytest.mark.parametrize("layout", SHEET_LAYOUTS.values(), ids=SHEET_LAYOUTS)
def test_the_sheets_inline_svg_scans_as_the_same_code(layout: SheetLayout) -> None:
    code = "2100001018689"
    svg = barcode_svg(
        code,
        module_width_mm=float(layout.module_width_mm),
        bar_height_mm=float(layout.bar_height_mm),
    )
    assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "DOCTYPE" not in svg and " id=" not in svg
    assert 'aria-hidden="true"' in svg
    assert re.search(r'width="[\d.]+mm" height="[\d.]+mm"', svg)
    assert re.search(r"https?://(?!www\.w3\.org/2000/svg)", svg) is None  # nothing to fetch
    # four pixels a bar module, like a 600 dpi printer prints a 0.264 mm module (6 dots)
    image = rasterise(svg, 4 / float(layout.module_width_mm))
    assert decoded(image) == [code]


def test_the_png_is_a_full_size_ean13_that_scans() -> None:
    image = Image.open(io.BytesIO(barcode_png(BREAD_CODE)))
    assert image.format == "PNG"
    assert image.width > 300  # 0.33 mm modules at 300 dpi: about 4 pixels each
    assert decoded(image.convert("L")) == [BREAD_CODE]


# -- sheets ----------------------------------------------------------------------------------
def test_the_sheet_layouts_fit_on_a4() -> None:
    assert {key: layout.per_sheet for key, layout in SHEET_LAYOUTS.items()} == {
        "3x8": 24,
        "2x7": 14,
    }
    for layout in SHEET_LAYOUTS.values():
        assert layout.fits_on_a4()
        bottom, right = layout.position(layout.per_sheet - 1)
        assert bottom + layout.label_height_mm <= A4_HEIGHT_MM
        assert right + layout.label_width_mm <= A4_WIDTH_MM
    labels_70x37 = SHEET_LAYOUTS["3x8"]
    assert (labels_70x37.label_width_mm, labels_70x37.label_height_mm) == (70, 37)
    assert SHEET_LAYOUTS["2x7"].label_width_mm == Decimal("99.1")


def test_labels_fill_sheets_row_by_row_after_the_used_places(products: dict[str, Product]) -> None:
    layout = SHEET_LAYOUTS["2x7"]
    label = product_label(products["bread"])
    sheets = place_labels([label] * 20, layout, skip=3)
    assert [len(sheet) for sheet in sheets] == [11, 9]
    first = sheets[0][0]
    assert (first.slot, first.top_mm, first.left_mm) == (3, Decimal("53.25"), Decimal("106.25"))
    assert [placed.slot for placed in sheets[1]] == list(range(9))  # a new sheet starts at the top
    assert (sheets[1][0].top_mm, sheets[1][0].left_mm) == (Decimal("15.15"), Decimal("4.65"))
    last = sheets[0][-1]
    assert (last.slot, last.top_mm + layout.label_height_mm) == (13, Decimal("281.85"))
    with pytest.raises(ValueError, match="skip"):
        place_labels([label], layout, skip=14)
    assert place_labels([], layout) == []


# -- the print queue -------------------------------------------------------------------------
def test_queueing_labels_refuses_a_printer_that_cannot_and_silly_counts(
    products: dict[str, Product],
) -> None:
    label = product_label(products["bread"])
    printer = add_printer("Toog", "tcp://127.0.0.1:9", profile="TM-T20II", point_of_sale_code="HW")
    for copies in (0, 501):
        with pytest.raises(OperationError, match="Kies 1 tot 500"):
            enqueue_labels(printer, label, copies, utcnow(), product_id=products["bread"].id)
    display = add_printer(
        "Klantendisplay", "tcp://127.0.0.1:9", profile="OCD-300", point_of_sale_code="HW"
    )
    with pytest.raises(OperationError, match="kan geen streepjescodes afdrukken"):
        enqueue_labels(display, label, 1, utcnow(), product_id=products["bread"].id)
    printer.active = False
    with pytest.raises(OperationError, match="staat uit"):
        enqueue_labels(printer, label, 1, utcnow(), product_id=products["bread"].id)
    assert db.session.scalars(select(PrintJob)).all() == []


def test_a_label_job_that_cannot_be_read_waits_with_a_dutch_error(
    products: dict[str, Product], fake_printer: FakeNetworkPrinter
) -> None:
    printer = add_printer("Toog", fake_printer.url, profile="TM-T20II", point_of_sale_code="HW")
    good = label_payload(product_label(products["bread"]), 1, products["bread"].id)
    wrong_digit = json.loads(json.dumps(good))
    wrong_digit["label"]["ean13"] = "5412718100372"
    enqueue(printer, "label", utcnow(), copies=1)
    enqueue(printer, "label", utcnow(), **wrong_digit)
    enqueue(printer, "label", utcnow(), **good)
    db.session.commit()
    assert print_due_jobs() == 1
    errors = [job.last_error for job in db.session.scalars(select(PrintJob).order_by(PrintJob.id))]
    assert present(errors[0]).startswith("Deze etiketopdracht is onleesbaar")
    assert errors[1] == "5412718100372 is geen geldige EAN-13-code: het controlecijfer moet 1 zijn."
    assert errors[2] is None
    assert len(fake_printer.wait_for_jobs(1)) == 1

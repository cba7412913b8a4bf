"""Product labels on the receipt printer: EAN-13 by python-escpos, texts, copies and refusals."""

from __future__ import annotations

from datetime import date

import pytest
import zxingcpp
from PIL import Image, ImageOps

from printers.errors import PrinterError
from printers.labels import (
    InvalidBarcode,
    Label,
    check_ean13,
    format_weight,
    label_texts,
    layout_label,
    render_labels,
)
from printers.paper import PaperFormat, paper_format
from tests.printers.escpos_stream import Command, commands, decode, printed_lines

BREAD = Label("Boerenbrood", "piece", 380, "5412718100371", best_before=date(2026, 5, 1))
# Hoevekaas at 24,90 €/kg, a pack of 750 g: 18,675 → 18,68 €; scale code 2100001 01868 check
CHEESE = Label(
    "Hoevekaas belegen",
    "kg",
    2490,
    "2100001018689",
    best_before=date(2026, 5, 1),
    weight_grams=750,
    amount_cents=1868,
)
EAN13_FUNCTION_A = 2  # GS k m d1…d12 NUL: m=2 is EAN13 in ESC/POS function A


def test_the_digits_of_the_codes_used_here_are_right() -> None:
    check_ean13(BREAD.ean13)
    check_ean13(CHEESE.ean13)


def test_a_wrong_check_digit_is_refused_not_corrected() -> None:
    # python-barcode would silently print 5412718100371 for this code: a different product
    with pytest.raises(InvalidBarcode, match="controlecijfer moet 1 zijn"):
        Label("Boerenbrood", "piece", 380, "5412718100372")
    for code in ("541271810037", "54127181003710", "54127181OO371", "５412718100371"):
        with pytest.raises(InvalidBarcode, match="13 cijfers"):
            check_ean13(code)
    assert isinstance(InvalidBarcode("x"), PrinterError)  # the print queue shows its message


def test_a_label_refuses_what_cannot_be_printed_right() -> None:
    with pytest.raises(TypeError, match="int"):
        Label("Kaas", "kg", 24.9, "2100001018689")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="both weight_grams and amount_cents"):
        Label("Kaas", "kg", 2490, "2100001018689", weight_grams=750)
    with pytest.raises(ValueError, match="Only a kg product"):
        Label("Brood", "piece", 380, "5412718100371", weight_grams=750, amount_cents=285)
    with pytest.raises(ValueError, match="'piece' or 'kg'"):
        Label("Brood", "liter", 380, "5412718100371")  # type: ignore[arg-type]


def test_texts_are_belgian() -> None:
    assert format_weight(750) == "0,750 kg"
    assert format_weight(12005) == "12,005 kg"
    bread = label_texts(BREAD)
    assert (bread.price, bread.per, bread.weight, bread.amount) == (
        "€ 3,80",
        "per stuk",
        None,
        None,
    )
    assert bread.best_before == "01-05-2026"
    cheese = label_texts(CHEESE)
    assert (cheese.price, cheese.per, cheese.weight, cheese.amount) == (
        "€ 24,90",
        "per kg",
        "0,750 kg",
        "€ 18,68",
    )
    assert label_texts(Label("Kaars", "piece", 1250, "5412718100371")).best_before is None


def test_a_piece_label_prints_name_price_best_before_and_the_ean13() -> None:
    data = render_labels(BREAD, paper_format("TM-T20II", 80))
    lines = [line.strip() for line in printed_lines(data)]
    assert "Boerenbrood" in lines
    assert "€ 3,80 per stuk" in lines
    assert "THT 01-05-2026" in lines
    assert commands(data, "GS k") == [bytes([EAN13_FUNCTION_A]) + b"541271810037\x00"]
    assert b"\xd5 3,80" in data  # the euro sign in code page CP858
    assert decode(data)[-1] == Command("GS V", b"\x00")


def test_a_weighed_label_prints_weight_price_per_kg_and_the_price_to_pay() -> None:
    data = render_labels(CHEESE, paper_format("TM-T20II", 58))
    lines = [line.strip() for line in printed_lines(data)]
    assert "Gewicht 0,750 kg" in lines
    assert "€ 24,90 per kg" in lines
    assert "Te betalen € 18,68" in lines
    assert "THT 01-05-2026" in lines
    [barcode] = commands(data, "GS k")
    assert barcode == bytes([EAN13_FUNCTION_A]) + CHEESE.ean13[:12].encode() + b"\x00"
    assert commands(data, "GS h") == [bytes([80])]  # 10 mm high bars at 203 dpi
    assert commands(data, "GS H") == [b"\x02"]  # the digits below the bars


def test_copies_are_cut_one_by_one_after_one_reset() -> None:
    data = render_labels(BREAD, paper_format("TM-T88V", 80), copies=3)
    assert commands(data, "ESC @") == [b""]
    assert len(commands(data, "GS V")) == 3
    assert len(commands(data, "GS k")) == 3
    assert [line.strip() for line in printed_lines(data)].count("Boerenbrood") == 3
    for copies in (0, 501):
        with pytest.raises(ValueError, match="copies"):
            render_labels(BREAD, paper_format("TM-T88V", 80), copies=copies)


def test_a_long_name_wraps_in_large_letters_within_the_paper() -> None:
    paper = paper_format("TM-T20II", 58)
    label = Label("Jonge hoevekaas met verse tuinkruiden", "kg", 2690, "2100001000004")
    layout = layout_label(label, paper)
    large = [block for block in layout if getattr(block, "size", None) == "large"]
    assert len(large) > 1
    assert all(len(block.text) <= paper.large_columns for block in large)  # type: ignore[union-attr]


def raster_images(data: bytes) -> list[Image.Image]:
    """Return the raster images (GS v 0) in a stream as black-on-white Pillow images."""
    images = []
    for params in commands(data, "GS v"):
        width_bytes, height = params[2] + 256 * params[3], params[4] + 256 * params[5]
        bits = Image.frombytes("1", (width_bytes * 8, height), params[6:])  # 1 = a black dot
        images.append(ImageOps.expand(ImageOps.invert(bits.convert("L")), border=40, fill=255))
    return images


def test_a_printer_without_barcode_commands_prints_an_image_that_scans() -> None:
    paper = paper_format("POS-5890", 58)
    assert not paper.hardware_barcode
    data = render_labels(CHEESE, paper, copies=2)
    assert commands(data, "GS k") == []
    images = raster_images(data)
    assert len(images) == 2
    for image in images:
        assert [(r.text, r.format) for r in zxingcpp.read_barcodes(image)] == [
            (CHEESE.ean13, zxingcpp.BarcodeFormat.EAN13)
        ]


def test_a_printer_that_prints_no_barcode_at_all_is_refused() -> None:
    blind = PaperFormat("TM-T20II", 80, 48, 576, hardware_barcode=False, software_barcode=False)
    with pytest.raises(PrinterError, match="geen streepjescodes"):
        render_labels(BREAD, blind)

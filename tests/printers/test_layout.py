"""Layouts fit the paper: every line within the profile's columns, names wrapped, amounts whole."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from printers.documents import KitchenItem, ReceiptLine, TextReport, VatSummary
from printers.errors import PrinterProfileError
from printers.formatting import format_amount
from printers.layout import BarcodeLine, PrintLayout, TextLine, layout_receipt
from printers.layout_tickets import layout_kitchen_ticket, layout_report, layout_test_page
from printers.paper import PaperFormat, known_profiles, paper_format
from tests.printers.conftest import SALE_TIME, make_kitchen_ticket, make_receipt

PAPERS = [("TM-T20II", 80), ("TM-T88V", 80), ("TM-T20II", 58), ("POS-5890", 58), ("default", 80)]
LONG_NAME = ("Biologische " + "hoeve" * 40)[:200]  # 200 characters, one 188-letter word
HOSTILE_NAMES = [
    "<script>alert('kassa')</script>",
    "Aardbeien 🍓🍓 van bij ons 👍🏽",
    LONG_NAME,
    "Kaas\nmet\r\nregeleinden",
]


@cache
def paper(profile: str, width_mm: int) -> PaperFormat:
    return paper_format(profile, width_mm)


def assert_fits(layout: PrintLayout) -> None:
    for block in layout.blocks:
        if isinstance(block, TextLine):
            assert block.columns <= layout.paper.columns, block
            assert "\n" not in block.text
            block.text.encode("cp858")


def test_columns_come_from_the_profile_or_the_paper_width() -> None:
    assert paper("TM-T20II", 80).columns == 48
    assert paper("TM-T88V", 80).columns == 42
    assert paper("POS-5890", 58).columns == 32
    # A profile written for 80 mm paper loaded with 58 mm paper, or one that names no paper.
    assert paper("TM-T20II", 58).columns == 32
    assert paper("default", 80).columns == 48
    assert paper("default", 58).columns == 32


def test_unknown_profiles_and_paper_widths_are_refused_in_dutch() -> None:
    with pytest.raises(PrinterProfileError, match="Onbekend printerprofiel 'TM-X'"):
        paper_format("TM-X", 80)
    with pytest.raises(PrinterProfileError, match="kies 58 of 80 mm"):
        paper_format("TM-T20II", 76)
    # "simple" has no code pages at all, so it cannot print the euro sign.
    with pytest.raises(PrinterProfileError, match="CP858"):
        paper_format("simple", 80)
    assert "TM-T20II" in known_profiles()
    assert "simple" not in known_profiles()


@pytest.mark.parametrize(("profile", "width_mm"), PAPERS)
def test_every_document_fits_the_paper(profile: str, width_mm: int) -> None:
    sheet = paper(profile, width_mm)
    hostile_lines = tuple(
        ReceiptLine(name, "3", "piece", 123456, 370368, "21") for name in HOSTILE_NAMES
    )
    receipt = make_receipt(
        lines=make_receipt().lines + hostile_lines,
        operator=LONG_NAME,
        point_of_sale=HOSTILE_NAMES[0],
        header_text=LONG_NAME,
        refund_of="HW1-000040",
        duplicate=True,
        vat_summaries=(VatSummary("21", 98765432, 20740741, 119506173),),
    )
    ticket = make_kitchen_ticket(
        table_label=LONG_NAME,
        items=tuple(KitchenItem(12, name, notes=name) for name in HOSTILE_NAMES),
        cancel=True,
    )
    report = TextReport(
        title="Z-rapport " + LONG_NAME,
        rows=tuple((name, name) for name in HOSTILE_NAMES),
        lines=(LONG_NAME, "  ingesprongen  ", ""),
        created_at=SALE_TIME,
        footer_text=LONG_NAME,
    )
    for layout in (
        layout_receipt(receipt, sheet),
        layout_kitchen_ticket(ticket, sheet),
        layout_report(report, sheet),
        layout_test_page(LONG_NAME, sheet),
    ):
        assert_fits(layout)


@pytest.mark.parametrize(("profile", "width_mm"), PAPERS)
def test_long_product_names_wrap_and_keep_the_amount_on_the_first_line(
    profile: str, width_mm: int
) -> None:
    sheet = paper(profile, width_mm)
    line = ReceiptLine(LONG_NAME, "1", "piece", 123456, 123456, "6")
    texts = layout_receipt(make_receipt(lines=(line,)), sheet).text_lines()
    start = next(i for i, text in enumerate(texts) if text.startswith("Biologische"))
    assert texts[start].endswith("1.234,56 A")
    wrapped = []
    for text in texts[start:]:
        if text.startswith("---"):
            break
        wrapped.append(text)
    assert len(wrapped) > 1
    assert "".join(wrapped).replace("1.234,56 A", "").replace(" ", "") == LONG_NAME.replace(" ", "")


def test_emoji_and_markup_are_printed_safely() -> None:
    lines = [ReceiptLine(name, "1", "piece", 100, 100, "6") for name in HOSTILE_NAMES[:2]]
    texts = layout_receipt(make_receipt(lines=tuple(lines)), paper("TM-T20II", 80)).text_lines()
    assert any(text.startswith("<script>alert('kassa')</script>") for text in texts)
    assert any(text.startswith("Aardbeien ?? van bij ons ?") for text in texts)


def test_duplicate_and_refund_are_marked_in_large_letters() -> None:
    sheet = paper("TM-T20II", 80)
    layout = layout_receipt(make_receipt(duplicate=True, refund_of="HW1-000040"), sheet)
    large = [
        block.text.strip()
        for block in layout.blocks
        if isinstance(block, TextLine) and block.size == "large"
    ]
    assert large == ["DUPLICAAT", "TERUGBETALING", "DUPLICAAT"]
    assert "bij ticket HW1-000040" in [text.strip() for text in layout.text_lines()]
    plain = layout_receipt(make_receipt(), sheet)
    assert not [b for b in plain.blocks if isinstance(b, TextLine) and b.size == "large"]


def test_the_barcode_gets_narrower_modules_on_narrow_paper_or_is_left_out() -> None:
    receipt = make_receipt()
    wide = layout_receipt(receipt, paper("TM-T20II", 80)).blocks
    narrow = layout_receipt(receipt, paper("TM-T20II", 58)).blocks
    assert [b for b in wide if isinstance(b, BarcodeLine)] == [BarcodeLine("HW1-000042", 3)]
    assert [b for b in narrow if isinstance(b, BarcodeLine)] == [BarcodeLine("HW1-000042", 2)]
    too_long = layout_receipt(make_receipt(receipt_number="X" * 30), paper("TM-T20II", 58))
    assert not [b for b in too_long.blocks if isinstance(b, BarcodeLine)]


def test_the_vat_table_stacks_when_four_columns_do_not_fit() -> None:
    huge = (VatSummary("21", 98765432, 20740741, 119506173),)
    texts = layout_receipt(make_receipt(vat_summaries=huge), paper("POS-5890", 58)).text_lines()
    assert "Btw C 21%" in texts or "Btw A 21%" in texts
    assert any(text.endswith("1.195.061,73") for text in texts)


def test_kitchen_items_are_large_and_notes_tall() -> None:
    layout = layout_kitchen_ticket(make_kitchen_ticket(), paper("TM-T20II", 80))
    styles = {
        block.text.strip(): block.size for block in layout.blocks if isinstance(block, TextLine)
    }
    assert styles["KEUKEN"] == "large"
    assert styles["Tafel 5"] == "large"
    assert styles["2 x Soep van de dag"] == "large"
    assert styles["> zonder kaas"] == "tall"
    assert "*** ANNULEER ***" not in styles


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    description=st.text(max_size=250),
    cents=st.integers(-(10**8), 10**8),
    quantity=st.decimals(min_value=-999, max_value=999, places=3, allow_nan=False),
    sheet=st.sampled_from(PAPERS),
)
def test_any_description_fits_and_keeps_its_amount(
    description: str, cents: int, quantity: object, sheet: tuple[str, int]
) -> None:
    line = ReceiptLine(description, str(quantity), "kg", cents, cents, "12")
    layout = layout_receipt(make_receipt(lines=(line,)), paper(*sheet))
    assert_fits(layout)
    # The receipt's rates are 6, 12 and 21 %, so 12 % is letter B.
    assert any(text.endswith(f" {format_amount(cents)} B") for text in layout.text_lines())

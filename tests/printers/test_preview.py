"""The HTML preview shows the paper's lines, escaped, with the barcode as an inline SVG."""

from __future__ import annotations

import html
import re
from xml.dom import minidom

from printers.documents import ReceiptLine, TextReport
from printers.layout import layout_receipt
from printers.paper import paper_format
from printers.preview import (
    PREVIEW_CSS,
    preview_kitchen_ticket,
    preview_receipt,
    preview_report,
    preview_test_page,
)
from printers.render import render_receipt
from tests.printers.conftest import make_kitchen_ticket, make_receipt
from tests.printers.escpos_stream import printed_lines

SCRIPT = "<script>alert('kassa')</script>"


def visible_lines(fragment: str) -> list[str]:
    """Return the preview's text lines as a browser shows them (tags dropped, entities decoded)."""
    text = "\n".join(re.findall(r"<pre>(.*?)</pre>", fragment, flags=re.DOTALL))
    return [html.unescape(re.sub(r"<[^>]+>", "", line)).rstrip() for line in text.split("\n")]


def test_preview_shows_the_same_lines_as_the_paper() -> None:
    sheet = paper_format("TM-T20II", 80)
    receipt = make_receipt()
    paper = [line for line in printed_lines(render_receipt(receipt, sheet)) if line]
    shown = [line for line in visible_lines(preview_receipt(receipt, sheet)) if line]
    assert shown == paper
    assert shown == [text.rstrip() for text in layout_receipt(receipt, sheet).text_lines() if text]


def test_names_with_markup_are_escaped() -> None:
    receipt = make_receipt(
        operator=SCRIPT,
        point_of_sale='"><img src=x onerror=alert(1)>',
        lines=(ReceiptLine(SCRIPT, "1", "piece", 100, 100, "6"),),
        footer_text="Tom & Jerry 🍓",
    )
    fragment = preview_receipt(receipt, paper_format("TM-T20II", 80))
    assert "<script>" not in fragment
    assert "<img" not in fragment
    assert "&lt;script&gt;alert(&#x27;kassa&#x27;)&lt;/script&gt;" in fragment or (
        "&lt;script&gt;alert('kassa')&lt;/script&gt;" in fragment
    )
    assert "Tom &amp; Jerry ?" in fragment
    assert any(line.startswith(SCRIPT) for line in visible_lines(fragment))


def test_the_fragment_is_well_formed_with_an_inline_svg_barcode() -> None:
    fragment = preview_receipt(make_receipt(), paper_format("TM-T20II", 58))
    document = minidom.parseString(fragment)  # parses as XML: every tag closed, text escaped
    root = document.documentElement
    assert root is not None
    assert root.getAttribute("class") == "receipt-preview"
    assert root.getAttribute("data-columns") == "32"
    [barcode] = [
        div
        for div in root.getElementsByTagName("div")
        if div.getAttribute("class") == "receipt-barcode"
    ]
    assert barcode.getAttribute("aria-label") == "Barcode HW1-000042"
    assert barcode.getElementsByTagName("svg")
    assert "<?xml" not in fragment and "DOCTYPE" not in fragment


def test_lines_are_padded_to_the_paper_width() -> None:
    sheet = paper_format("TM-T88V", 80)
    fragment = preview_receipt(make_receipt(duplicate=True), sheet)
    text = "\n".join(re.findall(r"<pre>(.*?)</pre>", fragment, flags=re.DOTALL))
    for raw in text.split("\n"):
        line = html.unescape(re.sub(r"<[^>]+>", "", raw))
        expected = sheet.large_columns if 'class="bold large"' in raw else sheet.columns
        assert len(line) == expected, raw


def test_every_document_has_a_preview() -> None:
    sheet = paper_format("TM-T20II", 80)
    kitchen = preview_kitchen_ticket(make_kitchen_ticket(cancel=True), sheet)
    assert "*** ANNULEER ***" in kitchen and 'class="bold large"' in kitchen
    report = preview_report(TextReport("Z-rapport", rows=(("Tickets", "12"),)), sheet)
    assert "Z-RAPPORT" in report.upper()
    page = preview_test_page("Bar <1>", sheet)
    assert "Bar &lt;1&gt;" in page and "<svg" in page
    assert ".receipt-preview" in PREVIEW_CSS

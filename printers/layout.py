"""Lay a document out as lines for one paper format; the printer and the preview both draw these.

A layout is a tuple of blocks: text lines that already fit the paper's columns (double-width
lines fit half of them), and barcodes. :mod:`printers.render` turns a layout into ESC/POS bytes,
:mod:`printers.preview` into HTML, so a preview shows exactly what the paper will show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from printers.documents import Receipt, ReceiptLine, VatSummary
from printers.formatting import (
    center,
    columns_row,
    format_amount,
    format_quantity,
    format_rate,
    format_time,
    paper_lines,
    paper_text,
    rate_key,
    rule,
    vat_codes,
    wrap,
)
from printers.paper import PaperFormat

Size = Literal["normal", "tall", "large"]
"""normal; tall = double height; large = double height and double width (half the columns)."""

_CODE128_QUIET_MODULES = 20
_MAX_MODULE_WIDTH = 3


@dataclass(frozen=True)
class TextLine:
    """One printed line, already fitted to the paper."""

    text: str
    bold: bool = False
    size: Size = "normal"

    @property
    def columns(self) -> int:
        """Return how many normal-width columns this line takes on paper."""
        return len(self.text) * (2 if self.size == "large" else 1)


@dataclass(frozen=True)
class BarcodeLine:
    """A centered Code128 barcode of printable ASCII data, with the data printed below it."""

    data: str
    module_width: int


Block = TextLine | BarcodeLine


@dataclass(frozen=True)
class PrintLayout:
    """A document laid out for one paper format."""

    paper: PaperFormat
    blocks: tuple[Block, ...]

    def text_lines(self) -> list[str]:
        """Return the text of every line, for tests and logs."""
        return [block.text for block in self.blocks if isinstance(block, TextLine)]


def lines(texts: Iterable[str], *, bold: bool = False, size: Size = "normal") -> list[TextLine]:
    """Return text lines with one style."""
    return [TextLine(text, bold=bold, size=size) for text in texts]


def banner(text: str, paper: PaperFormat, *, size: Size = "large") -> list[TextLine]:
    """Return text centered in large (or tall) bold letters, wrapped to fit."""
    width = paper.large_columns if size == "large" else paper.columns
    return lines(center(paper_text(text), width), bold=True, size=size)


def barcode(data: str, paper: PaperFormat) -> list[Block]:
    """Return a Code128 barcode of data if this printer can print it across this paper."""
    if not (paper.hardware_barcode or paper.software_barcode):
        return []
    # Code128: 11 modules per character, plus start, checksum and a 13-module stop pattern.
    modules = 11 * (len(data) + 3) + 2 + _CODE128_QUIET_MODULES
    module_width = min(_MAX_MODULE_WIDTH, paper.dots // modules)
    return [BarcodeLine(data, module_width)] if module_width >= 2 else []


def layout_receipt(receipt: Receipt, paper: PaperFormat) -> PrintLayout:
    """Lay a customer receipt out for the given paper."""
    width = paper.columns
    blocks: list[Block] = []
    blocks += banner(receipt.organisation_name, paper, size="tall")
    for text in paper_lines(receipt.organisation_address):
        blocks += lines(center(text, width))
    if receipt.vat_number:
        blocks += lines(center(paper_text(f"Btw {receipt.vat_number}"), width))
    for text in paper_lines(receipt.header_text):
        blocks += lines(center(text, width))
    blocks.append(TextLine(""))
    if receipt.duplicate:
        blocks += banner("DUPLICAAT", paper)
    if receipt.refund_of is not None:
        blocks += banner("TERUGBETALING", paper)
        if receipt.void:
            blocks += lines(center("Vergissing", width), bold=True)
        blocks += lines(center(paper_text(f"bij ticket {receipt.refund_of}"), width), bold=True)
    blocks += _receipt_heading(receipt, width)
    blocks.append(TextLine(rule(width)))
    codes = vat_codes(
        [line.vat_rate for line in receipt.lines] + [row.rate for row in receipt.vat_summaries],
        [(line.vat_rate, line.vat_code) for line in receipt.lines if line.vat_code],
    )
    for line in receipt.lines:
        blocks += lines(_sale_line(line, codes[rate_key(line.vat_rate)], width))
    blocks.append(TextLine(rule(width)))
    blocks += _totals(receipt, width)
    blocks.append(TextLine(rule(width)))
    blocks += lines(vat_table(receipt.vat_summaries, codes, width))
    blocks.append(TextLine(rule(width)))
    for text in paper_lines(receipt.footer_text):
        blocks += lines(center(text, width))
    blocks += barcode(receipt.receipt_number, paper)
    if receipt.duplicate:
        blocks += banner("DUPLICAAT", paper)
    return PrintLayout(paper, tuple(blocks))


def _receipt_heading(receipt: Receipt, width: int) -> list[TextLine]:
    rows = [
        ("Verkooppunt:", receipt.point_of_sale),
        ("Kassa:", receipt.till_code),
        ("Ticket:", f"{receipt.receipt_number} (nr. {receipt.ticket_number})"),
        ("Datum:", format_time(receipt.created_at)),
        ("Bediende:", receipt.operator),
    ]
    result: list[TextLine] = []
    for label, value in rows:
        result += lines(wrap(paper_text(f"{label} {value}"), width, indent="  "))
    return result


def _sale_line(line: ReceiptLine, code: str, width: int) -> list[str]:
    texts = columns_row(
        paper_text(line.description), f"{format_amount(line.amount_cents)} {code}", width
    )
    quantity = format_quantity(line.quantity)
    if line.unit == "kg":
        detail = f"{quantity} kg x {format_amount(line.unit_price_cents)}/kg"
    elif quantity != "1":
        detail = f"{quantity} x {format_amount(line.unit_price_cents)}"
    else:
        return texts
    return texts + wrap(f"  {detail}", width, indent="  ")


def _totals(receipt: Receipt, width: int) -> list[TextLine]:
    result = lines(columns_row("TOTAAL", format_amount(receipt.total_cents, euro=True), width))
    result = [TextLine(text.text, bold=True, size="tall") for text in result]
    rows: list[tuple[str, int]] = []
    if receipt.rounding_cents:
        rows.append(("Afronding contant", receipt.rounding_cents))
        rows.append(("Te betalen", receipt.total_cents + receipt.rounding_cents))
    rows += [(payment.method, payment.amount_cents) for payment in receipt.payments]
    if receipt.change_cents:
        rows.append(("Wisselgeld", receipt.change_cents))
    for label, cents in rows:
        result += lines(columns_row(paper_text(label), format_amount(cents, euro=True), width))
    for payment in receipt.payments:
        if payment.reference:
            result += lines(wrap(paper_text(f"Mededeling: {payment.reference}"), width))
    return result


def vat_table(summaries: Iterable[VatSummary], codes: dict[Decimal, str], width: int) -> list[str]:
    """Return the per-rate VAT table (rate, base, VAT, total) as lines that fit width."""
    header = ("Tarief", "Basis", "Btw", "Totaal")
    rows: list[tuple[str, ...]] = [
        (
            f"{codes[rate_key(row.rate)]} {format_rate(row.rate)}",
            format_amount(row.base_cents),
            format_amount(row.vat_cents),
            format_amount(row.total_cents),
        )
        for row in sorted(summaries, key=lambda row: rate_key(row.rate))
    ]
    if not rows:
        return []
    first = max(len(row[0]) for row in [header, *rows])
    amount = max(len(cell) for row in [header, *rows] for cell in row[1:])
    gap = (width - first - 3 * amount) // 3
    if gap < 1:
        return _vat_stacked(header, rows, width)
    first = width - 3 * (amount + gap)
    return [
        row[0].ljust(first) + "".join(cell.rjust(amount + gap) for cell in row[1:])
        for row in [header, *rows]
    ]


def _vat_stacked(header: tuple[str, ...], rows: list[tuple[str, ...]], width: int) -> list[str]:
    # Too narrow for four columns (58 mm paper, large amounts): one small block per rate.
    texts: list[str] = []
    for row in rows:
        texts += wrap(f"Btw {row[0]}", width)
        for label, value in zip(header[1:], row[1:], strict=True):
            texts += columns_row(f"  {label}", value, width)
    return texts

"""Layouts for the other paper documents: kitchen and bar tickets, text reports, the test page."""

from __future__ import annotations

from printers.documents import KitchenTicket, TextReport
from printers.formatting import (
    center,
    columns_row,
    format_amount,
    format_time,
    paper_lines,
    paper_text,
    rule,
    wrap,
)
from printers.layout import Block, PrintLayout, TextLine, banner, barcode, lines
from printers.paper import CODE_PAGE, PaperFormat

TEST_PAGE_BARCODE = "PLUSKASSA-TEST"
STATION_TITLES = {"keuken": "KEUKEN", "bar": "BAR"}


def layout_kitchen_ticket(ticket: KitchenTicket, paper: PaperFormat) -> PrintLayout:
    """Lay a kitchen or bar ticket out in large letters, readable from the stove."""
    width, large = paper.columns, paper.large_columns
    blocks: list[Block] = []
    blocks += banner(STATION_TITLES[ticket.station], paper)
    if ticket.cancel:
        blocks += banner("*** ANNULEER ***", paper)
    blocks += banner(ticket.table_label, paper)
    blocks += lines(columns_row(format_time(ticket.created_at), paper_text(ticket.operator), width))
    blocks.append(TextLine(rule(width)))
    for item in ticket.items:
        prefix = f"{item.quantity} x "
        indent = " " * min(len(prefix), large // 4)
        texts = wrap(paper_text(f"{prefix}{item.name}"), large, indent=indent)
        blocks += lines(texts, bold=True, size="large")
        for note in paper_lines(item.notes):
            blocks += lines(wrap(f"  > {note}", width, indent="    "), bold=True, size="tall")
    blocks.append(TextLine(rule(width)))
    if ticket.cancel:
        blocks += banner("*** ANNULEER ***", paper)
    return PrintLayout(paper, tuple(blocks))


def layout_report(report: TextReport, paper: PaperFormat) -> PrintLayout:
    """Lay a text report out: title, date, label/value rows, then its lines as given."""
    width = paper.columns
    blocks: list[Block] = []
    blocks += banner(report.title, paper)
    if report.created_at is not None:
        blocks += lines(center(f"Datum: {format_time(report.created_at)}", width))
    blocks.append(TextLine(rule(width)))
    for label, value in report.rows:
        blocks += lines(columns_row(paper_text(label), paper_text(value), width))
    if report.lines:
        if report.rows:
            blocks.append(TextLine(rule(width)))
        for text in report.lines:
            blocks += lines(_cut(paper_text(text).rstrip(), width))
    if report.footer_text:
        blocks.append(TextLine(rule(width)))
        for text in paper_lines(report.footer_text):
            blocks += lines(center(text, width))
    return PrintLayout(paper, tuple(blocks))


def _cut(text: str, width: int) -> list[str]:
    # Preformatted lines keep their spacing; a line too long continues on the next one.
    return [text[start : start + width].rstrip() for start in range(0, len(text), width)] or [""]


def layout_test_page(printer_name: str, paper: PaperFormat) -> PrintLayout:
    """Lay out a test page: printer, profile, code page with accents and €, widths, a barcode."""
    width = paper.columns
    blocks: list[Block] = []
    blocks += banner("TESTPAGINA", paper)
    blocks += lines(center("PlusKassa", width))
    blocks.append(TextLine(rule(width)))
    rows = [
        ("Printer:", paper_text(printer_name)),
        ("Profiel:", paper.profile),
        ("Papier:", f"{paper.width_mm} mm, {width} kolommen"),
    ]
    for label, value in rows:
        blocks += lines(columns_row(label, value, width))
    blocks += lines(wrap(f"Codetabel {CODE_PAGE}: € é è ç ë", width))
    blocks += lines(wrap("Accenten: à â ä ê ï î ô ö û ü ñ É È Ç À Ô", width))
    blocks.append(TextLine(("1234567890" * (width // 10 + 1))[:width]))
    blocks += lines(columns_row("Bedrag", format_amount(123456, euro=True), width))
    blocks.append(TextLine("Vet", bold=True))
    blocks.append(TextLine("Dubbel hoog", size="tall"))
    blocks.append(TextLine("Groot", size="large"))
    blocks.append(TextLine(rule(width)))
    blocks += barcode(TEST_PAGE_BARCODE, paper)
    return PrintLayout(paper, tuple(blocks))

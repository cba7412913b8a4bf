"""Render documents to ESC/POS bytes through python-escpos's ``Dummy`` printer.

Every job starts by resetting the printer and forcing code page CP858, so accents and the euro
sign (byte 0xD5) print the same whatever the printer did before, and ends with a cut. The bytes
can be stored in the print queue and sent later with :func:`printers.send.send`.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from printers.documents import KitchenTicket, Receipt, TextReport
from printers.layout import BarcodeLine, PrintLayout, Size, TextLine, layout_receipt
from printers.layout_tickets import layout_kitchen_ticket, layout_report, layout_test_page
from printers.paper import CODE_PAGE, PaperFormat

if TYPE_CHECKING:
    from escpos.escpos import Escpos

BARCODE_HEIGHT_DOTS = 64
CASH_DRAWER_PIN = 2
#: the style a job starts and ends in: bold off, normal size
NORMAL: tuple[bool, Size] = (False, "normal")
Other = TypeVar("Other")


def render_receipt(receipt: Receipt, paper: PaperFormat, *, open_drawer: bool = False) -> bytes:
    """Render a customer receipt; open_drawer kicks the cash drawer (for cash sales)."""
    return render_layout(layout_receipt(receipt, paper), open_drawer=open_drawer)


def render_kitchen_ticket(ticket: KitchenTicket, paper: PaperFormat) -> bytes:
    """Render a kitchen or bar ticket in large letters."""
    return render_layout(layout_kitchen_ticket(ticket, paper))


def render_report(report: TextReport, paper: PaperFormat) -> bytes:
    """Render a text report, such as an X or Z report."""
    return render_layout(layout_report(report, paper))


def render_test_page(printer_name: str, paper: PaperFormat) -> bytes:
    """Render a test page showing the printer, its profile, the code page and a barcode."""
    return render_layout(layout_test_page(printer_name, paper))


def render_layout(layout: PrintLayout, *, open_drawer: bool = False) -> bytes:
    """Render a laid-out document to ESC/POS bytes, ending with a cut."""
    from escpos.printer import Dummy

    printer = Dummy(profile=layout.paper.profile)
    printer.hw("INIT")
    printer.charcode(CODE_PAGE)
    if open_drawer:
        # Kick first: the drawer opens while the receipt prints, so change is ready sooner.
        printer.cashdraw(CASH_DRAWER_PIN)
    print_blocks(printer, layout.blocks, lambda block: _barcode(printer, block, layout.paper))
    printer.cut()
    output: bytes = printer.output
    return output


def print_blocks(
    printer: Escpos,
    blocks: Iterable[TextLine | Other],
    print_other: Callable[[Other], None],
) -> None:
    """Print text lines in their style and hand any other block (a barcode) to `print_other`.

    Styles are sent only when they change; the job ends in the normal style, bold off.
    """
    style: tuple[bool, Size] = NORMAL
    for block in blocks:
        if isinstance(block, TextLine):
            style = _set_style(printer, style, (block.bold, block.size))
            printer.textln(block.text)
        else:
            style = _set_style(printer, style, NORMAL)
            print_other(block)
    _set_style(printer, style, NORMAL)


def _set_style(
    printer: Escpos, current: tuple[bool, Size], wanted: tuple[bool, Size]
) -> tuple[bool, Size]:
    bold, size = wanted
    if size != current[1]:
        # The size command (ESC !) also switches bold off, so bold is sent again after it;
        # python-escpos's set() sends the size before the bold flag.
        printer.set(
            normal_textsize=size == "normal",
            double_height=size in ("tall", "large"),
            double_width=size == "large",
            bold=bold,
        )
    elif bold != current[0]:
        printer.set(bold=bold)
    return wanted


def _barcode(printer: Escpos, block: BarcodeLine, paper: PaperFormat) -> None:
    # python-escpos print()s which barcode renderer it chose; keep that off the server's stdout.
    with contextlib.redirect_stdout(io.StringIO()):
        if paper.hardware_barcode:
            # ESC/POS Code128 wants the code set first: "{B" = letters, digits and punctuation.
            printer.barcode(
                "{B" + block.data,
                "CODE128",
                height=BARCODE_HEIGHT_DOTS,
                width=block.module_width,
                pos="BELOW",
                font="A",
                function_type="B",
            )
        else:
            printer.barcode(
                block.data,
                "CODE128",
                height=BARCODE_HEIGHT_DOTS,
                width=block.module_width,
                force_software=True,
            )
    printer.set(align="left")

"""Show a document as HTML, line for line as the paper would print it, for the back office.

The HTML comes from the same layout as the ESC/POS bytes (:mod:`printers.layout`), so columns,
wrapping and replaced characters match the paper. All text is escaped; the barcode is an inline
SVG from python-barcode. Style it with :data:`PREVIEW_CSS` (or the back office's own CSS).
"""

from __future__ import annotations

import html

from printers.documents import KitchenTicket, Receipt, TextReport
from printers.layout import BarcodeLine, PrintLayout, TextLine, layout_receipt
from printers.layout_tickets import layout_kitchen_ticket, layout_report, layout_test_page
from printers.paper import PaperFormat

PREVIEW_CSS = """\
.receipt-preview { display: inline-block; background: #fff; color: #000; padding: 1em;
  box-shadow: 0 1px 4px rgba(0, 0, 0, .3); }
.receipt-preview pre { margin: 0; font: 14px/1.3 "DejaVu Sans Mono", monospace; }
.receipt-preview .bold { font-weight: bold; }
.receipt-preview .tall { display: inline-block; transform: scaleY(2); margin: .35em 0; }
.receipt-preview .large { font-size: 200%; line-height: 1.3; }
.receipt-preview .receipt-barcode { text-align: center; margin: .5em 0; }
.receipt-preview .receipt-barcode svg { max-width: 100%; height: auto; }
"""


def preview_receipt(receipt: Receipt, paper: PaperFormat) -> str:
    """Return a customer receipt as an escaped HTML fragment."""
    return preview_layout(layout_receipt(receipt, paper))


def preview_kitchen_ticket(ticket: KitchenTicket, paper: PaperFormat) -> str:
    """Return a kitchen or bar ticket as an escaped HTML fragment."""
    return preview_layout(layout_kitchen_ticket(ticket, paper))


def preview_report(report: TextReport, paper: PaperFormat) -> str:
    """Return a text report as an escaped HTML fragment."""
    return preview_layout(layout_report(report, paper))


def preview_test_page(printer_name: str, paper: PaperFormat) -> str:
    """Return the test page as an escaped HTML fragment."""
    return preview_layout(layout_test_page(printer_name, paper))


def preview_layout(layout: PrintLayout) -> str:
    """Return a laid-out document as an HTML fragment: <pre> lines and inline SVG barcodes."""
    columns = layout.paper.columns
    parts = [
        f'<div class="receipt-preview" data-columns="{columns}" '
        f'data-profile="{html.escape(layout.paper.profile)}">'
    ]
    pending: list[str] = []
    for block in layout.blocks:
        if isinstance(block, TextLine):
            pending.append(_line_html(block, columns))
            continue
        parts.append(_pre(pending))
        pending = []
        parts.append(_barcode_html(block))
    parts.append(_pre(pending))
    parts.append("</div>")
    return "".join(part for part in parts if part)


def _pre(lines: list[str]) -> str:
    return f"<pre>{chr(10).join(lines)}</pre>" if lines else ""


def _line_html(line: TextLine, columns: int) -> str:
    # Pad to the full width, so the fragment is exactly as wide as the paper's columns.
    width = columns // 2 if line.size == "large" else columns
    text = html.escape(line.text.ljust(width), quote=False)
    classes = (["bold"] if line.bold else []) + ([line.size] if line.size != "normal" else [])
    return f'<span class="{" ".join(classes)}">{text}</span>' if classes else text


def _barcode_html(block: BarcodeLine) -> str:
    import barcode
    from barcode.writer import SVGWriter

    writer = SVGWriter()
    code = barcode.get("code128", block.data, writer=writer)
    svg = code.render(
        writer_options={"module_width": 0.1 * block.module_width, "module_height": 8.0}
    ).decode("utf-8")
    # Drop the XML declaration and doctype: the SVG sits inline in an HTML page.
    svg = svg[svg.index("<svg") :]
    label = html.escape(block.data)
    return f'<div class="receipt-barcode" role="img" aria-label="Barcode {label}">{svg}</div>'

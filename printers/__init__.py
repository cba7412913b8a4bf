"""The ESC/POS receipt-printer layer: plain receipt data in, bytes to a printer out.

No Flask and no models here (imports flow admin → kiosk → printers). python-escpos is imported
only inside functions, so importing this package has no side effect; before the first render,
point python-escpos's capabilities cache at the instance folder with
:func:`printers.paper.use_capabilities_cache`. Built in issue #4.

Typical use::

    paper = paper_format("TM-T20II", 80)
    data = render_receipt(receipt, paper, open_drawer=True)   # store in the print queue
    send(parse_printer_url("tcp://192.168.1.50:9100"), data)  # may raise PrinterUnavailable
"""

from printers.documents import (
    KitchenItem,
    KitchenTicket,
    Payment,
    Receipt,
    ReceiptLine,
    TextReport,
    VatSummary,
)
from printers.errors import PrinterError, PrinterProfileError, PrinterUnavailable, PrinterUrlError
from printers.paper import PaperFormat, known_profiles, paper_format, use_capabilities_cache
from printers.preview import preview_kitchen_ticket, preview_receipt, preview_report
from printers.render import render_kitchen_ticket, render_receipt, render_report, render_test_page
from printers.send import PrinterStatus, send, status
from printers.urls import PrinterAddress, format_printer_url, parse_printer_url

__all__ = [
    "KitchenItem",
    "KitchenTicket",
    "PaperFormat",
    "Payment",
    "PrinterAddress",
    "PrinterError",
    "PrinterProfileError",
    "PrinterStatus",
    "PrinterUnavailable",
    "PrinterUrlError",
    "Receipt",
    "ReceiptLine",
    "TextReport",
    "VatSummary",
    "format_printer_url",
    "known_profiles",
    "paper_format",
    "parse_printer_url",
    "preview_kitchen_ticket",
    "preview_receipt",
    "preview_report",
    "render_kitchen_ticket",
    "render_receipt",
    "render_report",
    "render_test_page",
    "send",
    "status",
    "use_capabilities_cache",
]

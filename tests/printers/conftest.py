"""Printer fixtures: a private capabilities cache, a fake network printer, sample documents."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from printers.documents import (
    KitchenItem,
    KitchenTicket,
    Payment,
    Receipt,
    ReceiptLine,
    VatSummary,
)
from printers.paper import CAPABILITIES_ENV

# 3 March 2026, 14:05 in Brussels (CET, UTC+1).
SALE_TIME = datetime(2026, 3, 3, 13, 5, 30, tzinfo=UTC)


@pytest.fixture(scope="session", autouse=True)
def escpos_capabilities_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep python-escpos's capabilities pickle in a temporary folder, as the app does."""
    folder = tmp_path_factory.mktemp("escpos-capabilities")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CAPABILITIES_ENV, str(folder))
        yield folder


def make_receipt(**changes: Any) -> Receipt:
    """Return a realistic farm-shop receipt (cash, three VAT rates), with changes applied."""
    values: dict[str, Any] = {
        "organisation_name": "Zorgboerderij De Linde vzw",
        "organisation_address": "Kerkstraat 1\n9000 Gent",
        "vat_number": "BE 0123.456.789",
        "point_of_sale": "Hoevewinkel",
        "till_code": "HW1",
        "receipt_number": "HW1-000042",
        "ticket_number": 42,
        "created_at": SALE_TIME,
        "operator": "Anaïs",
        "lines": (
            ReceiptLine("Bruin brood", "2", "piece", 160, 320, "6"),
            ReceiptLine("Jonge kaas van 't Hof", "0.745", "kg", 1890, 1408, "6"),
            ReceiptLine("Crème brûlée", "1", "piece", 450, 450, "12"),
            ReceiptLine("Hagelands wijn, rosé", "1", "piece", 1295, 1295, "21"),
        ),
        "total_cents": 3473,
        "vat_summaries": (
            VatSummary("6", 1630, 98, 1728),
            VatSummary("12", 402, 48, 450),
            VatSummary("21", 1070, 225, 1295),
        ),
        "payments": (Payment("Contant", 5000),),
        "rounding_cents": 2,
        "change_cents": 1525,
        "header_text": "Welkom in onze hoevewinkel!",
        "footer_text": "Bedankt en tot ziens!\nOpen di-za 9-18 u.",
    }
    values.update(changes)
    return Receipt(**values)


def make_kitchen_ticket(**changes: Any) -> KitchenTicket:
    """Return a bistro kitchen ticket for table 5, with changes applied."""
    values: dict[str, Any] = {
        "station": "keuken",
        "table_label": "Tafel 5",
        "items": (
            KitchenItem(2, "Soep van de dag"),
            KitchenItem(1, "Croque monsieur", notes="zonder kaas"),
        ),
        "created_at": SALE_TIME,
        "operator": "Jef",
    }
    values.update(changes)
    return KitchenTicket(**values)

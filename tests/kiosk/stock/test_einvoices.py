"""Reading producers' e-invoices: OpenPEPPOL's examples, units, prices, and hostile files."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from kiosk.stock.einvoices import MAX_BYTES, EInvoiceError, read_einvoice

PEPPOL = Path(__file__).parents[2] / "fixtures" / "peppol"


def refusal(app: Flask, content: bytes) -> tuple[str, str]:
    """Return the code and Dutch message an e-invoice file is refused with."""
    with app.test_request_context(), pytest.raises(EInvoiceError) as refused:
        read_einvoice(content)
    return refused.value.code, refused.value.message


def test_the_belgian_invoice_reads_pieces_kg_and_grams_with_exact_cent_prices(app: Flask) -> None:
    with app.app_context():
        invoice = read_einvoice((PEPPOL / "belgian-dairy-invoice.xml").read_bytes())
    assert invoice.number == "VL-2026-0412"
    assert invoice.seller_vat_number == "BE0123.456.749"
    assert invoice.order_reference == "1"
    assert [
        (line.position, line.ean, line.item_code, line.unit, line.quantity_milli, line.price_cents)
        for line in invoice.lines
    ] == [
        (1, "5434412100372", "MELK-1L", "piece", 24000, 95),
        # 6,00 per 2 pieces (BaseQuantity 2) is 3,00 a piece
        (2, "5434412101485", None, "piece", 10000, 300),
        # 14,505 a kg rounds half up to 14,51
        (3, None, "KAAS-J", "kg", 4250, 1451),
        # 2500 g at 0,0165 a gram is 2,500 kg at 16,50 a kg
        (4, None, "KAAS-B", "kg", 2500, 1650),
    ]


def test_openpeppols_allowance_example_reads_its_price_per_base_quantity(app: Flask) -> None:
    with app.app_context():
        invoice = read_einvoice((PEPPOL / "Allowance-example.xml").read_bytes())
    assert invoice.seller_vat_number is None  # GB1232434: not a Belgian VAT number
    assert invoice.seller_name == "SupplierTradingName Ltd."
    assert [(line.item_code, line.quantity_milli, line.price_cents) for line in invoice.lines] == [
        ("97iugug876", 10000, 41000),
        ("97iugug876", 10000, 10000),  # 200 per BaseQuantity 2
        ("97iugug876", 10000, 10000),
    ]


def test_a_credit_note_is_refused_and_said_so(app: Flask) -> None:
    content = (PEPPOL / "base-creditnote-correction.xml").read_bytes()
    code, message = refusal(app, content)
    assert code == "credit_note" and "creditnota" in message


def test_an_invoice_with_days_as_unit_is_refused_by_line(app: Flask) -> None:
    code, message = refusal(app, (PEPPOL / "base-example.xml").read_bytes())
    assert code == "unknown_unit" and "Regel 1" in message and "DAY" in message


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"<Invoice><cbc:ID>1</Invoice>", "malformed_xml"),
        (b"", "malformed_xml"),
        (b"\xff\xfe not xml", "malformed_xml"),
        (b'<?xml version="1.0"?><Order xmlns="urn:x"/>', "not_an_invoice"),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'
            b"&x;</Invoice>",
            "unsafe_xml",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
            b"<lolz>&lol3;</lolz>",
            "unsafe_xml",
        ),
        (b"<a>" + b" " * MAX_BYTES + b"</a>", "file_too_large"),
    ],
    ids=["malformed", "empty", "binary", "other-document", "xxe", "billion-laughs", "too-large"],
)
def test_hostile_or_wrong_files_are_refused_in_dutch(app: Flask, content: bytes, code: str) -> None:
    refused_code, message = refusal(app, content)
    assert refused_code == code
    assert message and "Traceback" not in message


def test_a_credit_note_type_code_in_an_invoice_document_is_a_credit_note(app: Flask) -> None:
    content = (PEPPOL / "belgian-dairy-invoice.xml").read_bytes()
    code, _message = refusal(app, content.replace(b">380<", b">381<"))
    assert code == "credit_note"


@pytest.mark.parametrize(
    ("original", "changed"),
    [
        (b">4.250<", b">1e999999<"),
        (b">4.250<", b">3000000<"),
        (b">6.00<", b">1E+400000<"),
        (b'unitCode="H87">2<', b'unitCode="H87">1e-999999<'),
    ],
    ids=["absurd-quantity", "quantity-too-large", "absurd-price", "tiny-base-quantity"],
)
def test_a_quantity_or_price_too_large_to_store_is_refused(
    app: Flask, original: bytes, changed: bytes
) -> None:
    content = (PEPPOL / "belgian-dairy-invoice.xml").read_bytes()
    assert original in content
    code, message = refusal(app, content.replace(original, changed))
    assert code == "amount_too_large" and "Regel" in message

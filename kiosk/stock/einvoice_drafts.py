"""An imported e-invoice as delivery draft lines: its producer, matched products and order.

Lines are matched to the producer's products by EAN, then by the producer's item code; the rest
wait for a choice on the matching page, and a chosen match is remembered as the product's
supplier item code. The invoice is checked against the purchase order it names: differences are
warnings. The uploaded file is kept in the instance folder under its SHA-256 until booked.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk.audit import log as audit
from kiosk.decimal_text import milli_text
from kiosk.errors import Message
from kiosk.extensions import db
from kiosk.models import AuditEntry, Producer, Product, PurchaseOrder, User
from kiosk.models.orders import OrderStatus
from kiosk.models.types import Unit
from kiosk.money import format_euro
from kiosk.stock.delivery_drafts import DeliveryDraft, DraftLine
from kiosk.stock.einvoices import EInvoice, EInvoiceError, InvoiceLine, read_einvoice

TOKEN = re.compile(r"^[0-9a-f]{64}$")
UNIT_WORDS: dict[str, Message] = {Unit.PIECE: _l("stuk"), Unit.KG: _l("kg")}


@dataclass(frozen=True)
class LineMatch:
    """An invoice line and the product it is (None: still to choose) and how it was found."""

    line: InvoiceLine
    product: Product | None
    #: "ean", "item_code", "chosen" or "" (not matched)
    matched_by: str = ""


@dataclass(frozen=True)
class ImportedInvoice:
    """An e-invoice read, its producer, its line matches and the sent order it answers."""

    invoice: EInvoice
    producer: Producer
    matches: list[LineMatch]
    order: PurchaseOrder | None
    #: the producer's products, the choices for an unmatched line
    producer_products: list[Product]

    @property
    def unmatched(self) -> list[LineMatch]:
        """Return the lines still without a product."""
        return [match for match in self.matches if match.product is None]


def import_einvoice(content: bytes, chosen: dict[int, int] | None = None) -> ImportedInvoice:
    """Read an e-invoice, find its producer and match its lines; refuse an unknown seller."""
    invoice = read_einvoice(content)
    producer = None
    if invoice.seller_vat_number is not None:
        producer = db.session.scalar(
            select(Producer).where(Producer.vat_number == invoice.seller_vat_number)
        )
    if producer is None:
        raise EInvoiceError(
            "unknown_seller",
            _l(
                "Geen producent heeft btw-nummer %(vat)s (verkoper: %(name)s). Vul het "
                "btw-nummer in bij de producent en laad de factuur opnieuw.",
                vat=invoice.seller_vat_number or "?",
                name=invoice.seller_name or "?",
            ),
        )
    products = list(db.session.scalars(select(Product).where(Product.producer_id == producer.id)))
    matches = [
        match_line(line, products, (chosen or {}).get(line.position)) for line in invoice.lines
    ]
    return ImportedInvoice(invoice, producer, matches, invoice_order(invoice, producer), products)


def match_line(line: InvoiceLine, products: list[Product], chosen_id: int | None) -> LineMatch:
    """Match one line to the producer's products by EAN, item code, or the staff's choice."""
    for product in products:
        if line.ean and product.barcode == line.ean:
            return LineMatch(line, product, "ean")
    for product in products:
        if line.item_code and product.supplier_item_code == line.item_code:
            return LineMatch(line, product, "item_code")
    for product in products:
        if product.id == chosen_id:
            return LineMatch(line, product, "chosen")
    return LineMatch(line, None)


def invoice_order(invoice: EInvoice, producer: Producer) -> PurchaseOrder | None:
    """Return the sent purchase order of this producer the invoice references, if any."""
    reference = (invoice.order_reference or "").strip()
    if not reference.isdigit():
        return None
    return db.session.scalar(
        select(PurchaseOrder).where(
            PurchaseOrder.number == int(reference),
            PurchaseOrder.producer_id == producer.id,
            PurchaseOrder.status == OrderStatus.SENT,
        )
    )


def remember_item_codes(imported: ImportedInvoice) -> None:
    """Keep a chosen line's item code as its product's supplier item code."""
    for match in imported.matches:
        if match.matched_by == "chosen" and match.product is not None and match.line.item_code:
            match.product.supplier_item_code = match.line.item_code
    db.session.flush()


def unit_mismatches(imported: ImportedInvoice) -> list[str]:
    """List the lines invoiced in kg for a product sold by the piece, or the other way round."""
    return [
        str(
            _l(
                "Regel %(line)s is gefactureerd in %(invoiced)s, maar %(product)s gaat per "
                "%(unit)s: kijk de hoeveelheid na.",
                line=m.line.position,
                invoiced=UNIT_WORDS[m.line.unit],
                product=m.product.name,
                unit=UNIT_WORDS[m.product.unit],
            )
        )
        for m in imported.matches
        if m.product is not None and m.product.unit != m.line.unit
    ]


def order_differences(imported: ImportedInvoice) -> list[str]:
    """List where the invoice differs from its purchase order: products, quantities, prices."""
    if imported.order is None:
        return []
    invoiced = {m.product.id: m.line for m in imported.matches if m.product is not None}
    ordered = {line.product_id: line for line in imported.order.lines}
    differences = []
    for line in imported.order.lines:
        got = invoiced.get(line.product_id)
        unit = line.product.unit
        if got is None:
            differences.append(
                str(_l("%(product)s is besteld maar niet gefactureerd.", product=line.product.name))
            )
            continue
        if got.quantity_milli != line.quantity_milli:
            differences.append(
                str(
                    _l(
                        "%(product)s: besteld %(ordered)s, gefactureerd %(invoiced)s.",
                        product=line.product.name,
                        ordered=milli_text(line.quantity_milli, unit),
                        invoiced=milli_text(got.quantity_milli, unit),
                    )
                )
            )
        if line.purchase_price_cents is not None and got.price_cents != line.purchase_price_cents:
            differences.append(
                str(
                    _l(
                        "%(product)s: verwachte prijs € %(ordered)s, gefactureerd € %(invoiced)s.",
                        product=line.product.name,
                        ordered=format_euro(line.purchase_price_cents),
                        invoiced=format_euro(got.price_cents),
                    )
                )
            )
    for match in imported.matches:
        if match.product is not None and match.product.id not in ordered:
            differences.append(
                str(
                    _l(
                        "%(product)s is gefactureerd maar niet besteld.",
                        product=match.product.name,
                    )
                )
            )
    return differences


def einvoice_draft(imported: ImportedInvoice) -> DeliveryDraft:
    """Return the delivery draft of an invoice whose lines are all matched."""
    return DeliveryDraft(
        producer_id=imported.producer.id,
        lines=[
            DraftLine(m.product.id, m.line.quantity_milli, m.line.price_cents)
            for m in imported.matches
            if m.product is not None
        ],
        purchase_order_id=imported.order.id if imported.order is not None else None,
    )


def record_einvoice_import(imported: ImportedInvoice, user: User | None) -> AuditEntry:
    """Log an imported e-invoice: its number, producer, lines and those matched."""
    return audit.record(
        "einvoice.imported",
        user=user,
        subject=f"producer:{imported.producer.id}",
        after={
            "invoice": imported.invoice.number,
            "producer": imported.producer.name,
            "lines": len(imported.matches),
            "matched": len(imported.matches) - len(imported.unmatched),
        },
    )


def einvoice_folder() -> Path:
    """Return the instance folder that keeps uploaded e-invoices until they are booked."""
    return Path(current_app.instance_path) / "einvoices"


def keep_einvoice(content: bytes) -> str:
    """Keep an uploaded e-invoice's file and return its token (its SHA-256 in hex)."""
    token = hashlib.sha256(content).hexdigest()
    folder = einvoice_folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{token}.xml").write_bytes(content)
    return token


def kept_einvoice(token: str) -> bytes | None:
    """Return a kept e-invoice's file by its token, or None when there is none."""
    path = einvoice_folder() / f"{token}.xml"
    return path.read_bytes() if TOKEN.match(token) and path.is_file() else None

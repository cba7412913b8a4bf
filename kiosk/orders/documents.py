"""What a purchase order becomes for the producer: CSV rows and a mail text to copy.

Both are fixed Dutch (as the exports' column names are): the producer reads them, whatever
language the back office is in. The CSV goes through kiosk.exports.spreadsheets.
"""

from __future__ import annotations

from collections.abc import Iterator

from kiosk.decimal_text import unit_word
from kiosk.exports.spreadsheets import Column, Kind, Row
from kiosk.extensions import db
from kiosk.models import Organisation, PurchaseOrder
from kiosk.money import euro_text
from kiosk.periods import business_day, day_text
from kiosk.stock.audit_entries import quantity_words

ORDER_COLUMNS = (
    Column("bestelling", Kind.INTEGER),
    Column("producent"),
    Column("product"),
    Column("ean"),
    Column("eenheid"),
    Column("hoeveelheid", Kind.QUANTITY_MILLI),
    Column("aankoopprijs", Kind.MONEY_CENTS),
    Column("totaal", Kind.MONEY_CENTS),
)


def order_rows(order: PurchaseOrder) -> Iterator[Row]:
    """Yield one CSV row per line of the order."""
    for line in order.lines:
        yield (
            order.number,
            order.producer.name,
            line.product.name,
            line.product.barcode or "",
            unit_word(line.product.unit),
            line.quantity_milli,
            line.purchase_price_cents,
            line.total_cents,
        )


def mail_text(order: PurchaseOrder) -> str:
    """Write the order as a plain Dutch mail to copy into the shop's own mail program."""
    organisation = db.session.get(Organisation, 1)
    shop = organisation.name if organisation is not None else "PlusKassa"
    contact = order.producer.contact or order.producer.name
    lines = [
        f"Onderwerp: Bestelling {order.number} van {shop}",
        "",
        f"Beste {contact},",
        "",
        "Graag bestellen we bij de volgende levering:",
        "",
    ]
    for line in order.lines:
        price = (
            f" (aan {euro_text(line.purchase_price_cents)} per {unit_word(line.product.unit)})"
            if line.purchase_price_cents is not None
            else ""
        )
        quantity = quantity_words(line.product, line.quantity_milli)
        lines.append(f"- {quantity} {line.product.name}{price}")
    if order.total_cents:
        lines += ["", f"Verwacht totaal: {euro_text(order.total_cents)}"]
    if order.note:
        lines += ["", order.note]
    lines += [
        "",
        f"Bestelnummer: {order.number}, gemaakt op {day_text(business_day(order.created_at))}.",
        "",
        "Met vriendelijke groeten,",
        shop,
    ]
    return "\n".join(lines)

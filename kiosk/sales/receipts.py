"""Turn stored sales into the printers library's receipt documents."""

from __future__ import annotations

from kiosk import money
from kiosk.decimal_text import quantity_text, rate_text
from kiosk.extensions import db
from kiosk.models import Organisation, Sale
from kiosk.payment_methods import method_name
from printers import Payment as PrintedPayment
from printers import Receipt, ReceiptLine, VatSummary

#: Belgian certified tills print fixed letters per rate; we follow that convention.
VAT_CODES = {"21": "A", "12": "B", "6": "C", "0": "D"}


def build_receipt(sale: Sale, *, duplicate: bool = False) -> Receipt:
    """Describe a stored sale as the receipt the customer gets."""
    organisation = db.session.get(Organisation, 1) or Organisation(name="PlusKassa")
    vat = money.vat_breakdown((line.vat_rate, line.amount_cents) for line in sale.lines)
    return Receipt(
        organisation_name=organisation.name,
        organisation_address=organisation.address or "",
        vat_number=organisation.vat_number or "",
        header_text=organisation.receipt_header or "",
        footer_text=organisation.receipt_footer or "",
        point_of_sale=sale.point_of_sale.name,
        till_code=sale.till.code,
        receipt_number=sale.receipt_number,
        ticket_number=sale.ticket_number,
        created_at=sale.rung_up_at,  # the time of sale, also when an offline sale printed later
        operator=sale.operator.name,
        lines=tuple(
            ReceiptLine(
                description=line.description,
                quantity=quantity_text(line.quantity, line.unit),
                unit="kg" if line.unit == "kg" else "piece",
                unit_price_cents=line.unit_price_cents,
                amount_cents=line.amount_cents,
                vat_rate=rate_text(line.vat_rate),
                vat_code=VAT_CODES.get(rate_text(line.vat_rate)),
            )
            for line in sale.lines
        ),
        total_cents=sale.total_cents,
        vat_summaries=tuple(
            VatSummary(rate_text(s.rate), s.base_cents, s.vat_cents, s.total_cents) for s in vat
        ),
        payments=tuple(
            PrintedPayment(method_name(p.method), p.amount_cents, p.reference)
            for p in sale.payments
        ),
        rounding_cents=sale.rounding_cents,
        change_cents=sale.change_cents,
        duplicate=duplicate,
        refund_of=sale.refund_of.receipt_number if sale.refund_of is not None else None,
        void=sale.refund_reason == "vergissing",
    )

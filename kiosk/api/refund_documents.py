"""What the till needs to choose a refund: recent sales, their lines with pictures, what is done."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kiosk import money
from kiosk.api.documents import pictogram_url, sale_document
from kiosk.decimal_text import quantity_text
from kiosk.extensions import db
from kiosk.models import Product, Sale, Till

RECENT_SALES = 20


def get_recent_sales(till: Till, limit: int = RECENT_SALES) -> list[Sale]:
    """Return the till's latest sales (refunds left out), newest first."""
    return list(
        db.session.scalars(
            select(Sale)
            .where(Sale.till_id == till.id, Sale.refund_of_id.is_(None))
            .order_by(Sale.ticket_number.desc())
            .limit(limit)
        )
    )


def get_sale_by_receipt(till: Till, receipt_number: str) -> Sale | None:
    """Return the sale with this receipt number, if the till's point of sale made it."""
    return db.session.scalar(
        select(Sale).where(
            Sale.receipt_number == receipt_number,
            Sale.point_of_sale_id == till.point_of_sale_id,
        )
    )


def refunds_of(sales: list[Sale]) -> dict[int, list[Sale]]:
    """Return the refunds made of each sale, by sale id."""
    found: dict[int, list[Sale]] = {sale.id: [] for sale in sales}
    if found:
        for refund in db.session.scalars(
            select(Sale).where(Sale.refund_of_id.in_(found)).order_by(Sale.id)
        ):
            found[refund.refund_of_id or 0].append(refund)
    return found


def refundable_documents(sales: list[Sale]) -> list[dict[str, Any]]:
    """Describe sales for the refund screen: lines with pictures, refunded or not."""
    refunds = refunds_of(sales)
    product_ids = {line.product_id for sale in sales for line in sale.lines if line.product_id}
    products = {
        product.id: product
        for product in db.session.scalars(select(Product).where(Product.id.in_(product_ids)))
    }
    return [refundable_document(sale, refunds[sale.id], products) for sale in sales]


def refundable_document(
    sale: Sale, refunds: list[Sale], products: dict[int, Product]
) -> dict[str, Any]:
    """Describe one sale and what of it may still be refunded."""
    done = {line.refund_of_line_id for refund in refunds for line in refund.lines}
    lines = []
    for line in sale.lines:
        product = products.get(line.product_id or 0)
        lines.append(
            {
                "id": line.id,
                "product_id": line.product_id,
                "description": line.description,
                "quantity": quantity_text(line.quantity, line.unit),
                "unit": line.unit,
                "amount_cents": line.amount_cents,
                "pictogram_url": pictogram_url(product.pictogram, product.photo)
                if product is not None
                else None,
                "refunded": line.id in done,
            }
        )
    return {
        "id": sale.id,
        "receipt_number": sale.receipt_number,
        "ticket_number": sale.ticket_number,
        "created_at": sale.created_at.isoformat(),
        "operator": {"id": sale.operator.id, "name": sale.operator.name},
        "total_cents": sale.total_cents,
        "payment_methods": sorted({payment.method for payment in sale.payments}),
        "lines": lines,
        "refundable_cents": sum(line["amount_cents"] for line in lines if not line["refunded"]),
        "refunds": [refund.receipt_number for refund in refunds],
    }


def refund_document(refund: Sale) -> dict[str, Any]:
    """Describe a refund as a sale, plus what it refunds and the cash to give back."""
    cash_back = -sum(p.amount_cents for p in refund.payments if p.method in money.CASH_METHODS)
    original = refund.refund_of
    return {
        **sale_document(refund),
        "refund_of": original.receipt_number if original is not None else None,
        "refund_of_id": refund.refund_of_id,
        "refund_reason": refund.refund_reason,
        "cash_back_cents": cash_back,
        "cash_back": [
            {"value_cents": value, "count": count}
            for value, count in money.change_pieces(max(cash_back, 0))
        ],
    }

"""Readers of purchase orders: the list, one order, and the delivery draft it pre-fills."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kiosk.extensions import db
from kiosk.models import PurchaseOrder, PurchaseOrderLine
from kiosk.stock.delivery_drafts import DeliveryDraft, DraftLine

#: how many orders the list shows, newest first
LIST_LIMIT = 200


def get_purchase_orders(status: str | None = None) -> list[PurchaseOrder]:
    """Return the latest purchase orders, newest first, optionally of one status."""
    query = (
        select(PurchaseOrder)
        .options(selectinload(PurchaseOrder.producer), selectinload(PurchaseOrder.lines))
        .order_by(PurchaseOrder.number.desc())
        .limit(LIST_LIMIT)
    )
    if status:
        query = query.where(PurchaseOrder.status == status)
    return list(db.session.scalars(query))


def get_purchase_order(order_id: int) -> PurchaseOrder | None:
    """Return one purchase order with its lines and their products."""
    return db.session.scalar(
        select(PurchaseOrder)
        .options(selectinload(PurchaseOrder.lines).selectinload(PurchaseOrderLine.product))
        .where(PurchaseOrder.id == order_id)
    )


def get_delivery_draft(order: PurchaseOrder) -> DeliveryDraft:
    """Return the delivery draft a purchase order pre-fills the delivery form with."""
    return DeliveryDraft(
        producer_id=order.producer_id,
        lines=[
            DraftLine(line.product_id, line.quantity_milli, line.purchase_price_cents)
            for line in order.lines
        ],
        purchase_order_id=order.id,
    )

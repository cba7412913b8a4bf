"""Delivery draft lines: goods expected in, that the delivery form shows ready to check and book.

This is the one way lines reach the delivery form from elsewhere. A purchase order makes a draft
(kiosk.orders.queries.get_delivery_draft); a producer's e-invoice imported later makes one the
same way, with its own `source` so booking can close what the draft came from. The form
(admin/deliveries.py) fills its rows from `lines`, the staff member corrects them (what really
came in, lots, best-before dates) and books: nothing is stored before that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class DraftLine:
    """One expected line: product, quantity (thousandths of its unit), price, lot, best-before."""

    product_id: int
    quantity_milli: int | None = None
    purchase_price_cents: int | None = None
    lot_code: str | None = None
    best_before: date | None = None


@dataclass(frozen=True)
class DeliveryDraft:
    """The lines a delivery form starts from, the producer, and the purchase order they answer."""

    producer_id: int | None
    lines: list[DraftLine] = field(default_factory=list)
    #: the purchase order that booking this delivery receives (None: none)
    purchase_order_id: int | None = None

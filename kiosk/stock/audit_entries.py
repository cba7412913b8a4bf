"""What the audit log keeps of stock corrections: counts, waste, deliveries and their reversals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kiosk.audit import log as audit
from kiosk.decimal_text import milli_text
from kiosk.extensions import db
from kiosk.models import AuditEntry, Delivery, Location, Product, StockMove, User
from kiosk.models.types import Unit

if TYPE_CHECKING:  # kiosk.stock.corrections writes through this module
    from kiosk.stock.corrections import CorrectedLine


def quantity_words(product: Product, milli: int) -> str:
    """Write a quantity as people read it: 3 stuks, 1,250 kg."""
    if product.unit == Unit.KG:
        return f"{milli_text(milli, Unit.KG)} kg"
    return f"{milli_text(milli)} stuks"


def record_stock_correction(
    action: str,
    product: Product,
    location: Location,
    on_hand_before: int,
    on_hand_after: int,
    user: User | None,
    why: str,
) -> AuditEntry:
    """Log a count correction ("stock_count") or waste ("stock_waste") with the stock around it."""
    return audit.record(
        action,
        user=user,
        subject=f"product:{product.id}",
        summary=(
            f"{why} van {product.name} in {location.name}: "
            f"{quantity_words(product, on_hand_before)} → {quantity_words(product, on_hand_after)}."
        ),
        before={"on_hand_milli": on_hand_before, "location": location.code},
        after={"on_hand_milli": on_hand_after, "location": location.code},
    )


def record_delivery(
    delivery: Delivery, location: Location, lines: int, user: User | None
) -> AuditEntry:
    """Log a delivery booked in: from which producer, where, how many lines."""
    return audit.record(
        "delivery.received",
        user=user,
        subject=f"delivery:{delivery.id}",
        after={
            "producer": delivery.producer.name if delivery.producer is not None else None,
            "location": location.code,
            "lines": lines,
        },
    )


def delivered_line(entry: StockMove, quantity_milli: int, price_cents: int | None) -> dict:
    """Keep one delivered line as the audit log reads it: product, unit, quantity, price."""
    product = db.session.get_one(Product, entry.product_id)
    return {
        "product": product.name,
        "unit": product.unit,
        "quantity_milli": quantity_milli,
        "purchase_price_cents": price_cents,
    }


def record_delivery_correction(
    delivery: Delivery,
    correction: Delivery,
    changed: list[tuple[StockMove, CorrectedLine]],
    cancelled: bool,
    user: User | None,
) -> AuditEntry:
    """Log a delivery cancelled ("delivery.cancelled") or its lines corrected, with the reason."""
    after: dict[str, Any] = {
        "producer": delivery.producer.name if delivery.producer is not None else None,
        "correction": correction.id,
        "reason": correction.reason,
    }
    if cancelled:
        return audit.record(
            "delivery.cancelled",
            user=user,
            subject=f"delivery:{delivery.id}",
            after={**after, "lines": len(changed)},
        )
    return audit.record(
        "delivery.corrected",
        user=user,
        subject=f"delivery:{delivery.id}",
        before={
            "lines": [
                delivered_line(entry, entry.quantity_milli, entry.lot.purchase_price_cents)
                for entry, _line in changed
                if entry.lot is not None
            ]
        },
        after={
            **after,
            "lines": [
                delivered_line(entry, line.quantity_milli, line.purchase_price_cents)
                for entry, line in changed
            ],
        },
    )


def record_waste_reversed(
    product: Product,
    location: Location,
    on_hand_before: int,
    on_hand_after: int,
    reason: str,
    user: User | None,
) -> AuditEntry:
    """Log a waste entry undone, with the stock around it and the reason."""
    return audit.record(
        "stock_waste.reversed",
        user=user,
        subject=f"product:{product.id}",
        before={"on_hand_milli": on_hand_before, "location": location.code},
        after={"on_hand_milli": on_hand_after, "location": location.code, "reason": reason},
    )


def record_count_reversed(
    location: Location, products: list[Product], reason: str, user: User | None
) -> AuditEntry:
    """Log a count undone: where, which products it had changed, and the reason."""
    return audit.record(
        "stock_count.reversed",
        user=user,
        subject=f"location:{location.id}",
        after={
            "location": location.code,
            "products": [product.name for product in products],
            "reason": reason,
        },
    )

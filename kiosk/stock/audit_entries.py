"""What the audit log keeps of stock corrections: counts and waste, with stock before and after."""

from __future__ import annotations

from kiosk.audit import log as audit
from kiosk.decimal_text import milli_text
from kiosk.models import AuditEntry, Delivery, Location, Product, User
from kiosk.models.types import Unit


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

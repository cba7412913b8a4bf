"""What the audit log keeps of purchase orders: made, sent, received, cancelled."""

from __future__ import annotations

from kiosk.audit import log as audit
from kiosk.models import AuditEntry, PurchaseOrder, User


def record_order_event(action: str, order: PurchaseOrder, user: User | None) -> AuditEntry:
    """Log a step of a purchase order with its number, producer, lines and any delivery."""
    return audit.record(
        action,
        user=user,
        subject=f"purchase_order:{order.id}",
        after={
            "number": order.number,
            "producer": order.producer.name,
            "lines": len(order.lines),
            "delivery": order.delivery_id,
        },
    )

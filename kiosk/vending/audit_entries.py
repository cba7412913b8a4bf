"""What the audit log keeps of the vending machines: refills, counts and emptyings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.audit import log as audit
from kiosk.models import (
    AuditEntry,
    Location,
    PointOfSale,
    Sale,
    User,
    VendingCount,
    VendingEmptying,
)

if TYPE_CHECKING:  # kiosk.vending.visits writes through this module
    from kiosk.vending.visits import Fill


def record_refill(
    machine: PointOfSale, source: Location, fills: list[Fill], user: User
) -> AuditEntry:
    """Log a machine filled: from where, and the pieces per compartment."""
    return audit.record(
        "vending.refilled",
        user=user,
        subject=f"point_of_sale:{machine.id}",
        after={
            "machine": machine.name,
            "location": source.name,
            "pieces": sum(fill.pieces for fill in fills),
            "compartments": [
                {
                    "number": fill.compartment.number,
                    "product": fill.compartment.product.name,
                    "pieces": fill.pieces,
                }
                for fill in fills
            ],
        },
    )


def record_count(
    machine: PointOfSale, count: VendingCount, sale: Sale | None, user: User
) -> AuditEntry:
    """Log a machine's count: the pieces sold (and the receipt booking them) and expired."""
    return audit.record(
        "vending.counted",
        user=user,
        subject=f"point_of_sale:{machine.id}",
        after={
            "machine": machine.name,
            "sold": sum(line.sold for line in count.lines),
            "expired": sum(line.expired for line in count.lines),
            "receipt": sale.receipt_number if sale is not None else None,
            "total_cents": sale.total_cents if sale is not None else 0,
        },
    )


def record_emptying(emptying: VendingEmptying, user: User) -> AuditEntry:
    """Log a machine's cash box emptied: counted, expected and the difference."""
    return audit.record(
        "vending.emptied",
        user=user,
        subject=f"point_of_sale:{emptying.point_of_sale_id}",
        after={
            "machine": emptying.machine.name,
            "counted_cents": emptying.counted_cents,
            "expected_cents": emptying.expected_cents,
            "difference_cents": emptying.difference_cents,
            "note": emptying.note,
        },
    )

"""A refused sale staff wiped from the till, kept in the audit log: why the drawer is off.

The till rang it up and the care user took the money, but the server refused it (README, "The
till", "Niet aanvaard"); wiping it stores nothing but one audit entry, once per Idempotency-Key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk.audit import log as audit
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import AuditEntry, Till
from kiosk.models.types import Role
from kiosk.sales.operations import checked_operator

WIPED = "refused_sale.wiped"


@dataclass(frozen=True)
class WipedSale:
    """What the till kept of a refused sale: its key, when, what, how paid, and why refused."""

    refused_key: str
    rung_up_at: datetime
    #: when staff wiped it on the tablet, if the till said (a report queued offline arrives later)
    wiped_at: datetime | None
    lines: tuple[tuple[str, str], ...]
    total_cents: int
    payments: tuple[tuple[str, int], ...]
    error: str
    message: str


def wiped_subject(refused_key: str) -> str:
    """Return the audit subject of a wiped sale: "refused:<its Idempotency-Key>"."""
    return f"refused:{refused_key}"


def get_wiped_entry(till: Till, key: str) -> AuditEntry | None:
    """Return the audit entry a report under this Idempotency-Key made at this till, if any."""
    return db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == WIPED,
            AuditEntry.till_id == till.id,
            AuditEntry.subject == wiped_subject(key),
        )
    )


def record_wiped_sale(
    till: Till, operator_id: int, key: str, wiped: WipedSale
) -> tuple[AuditEntry, bool]:
    """Add the audit entry of a wiped refused sale once per key; return it and whether it is new."""
    # one report per till at a time, so two sends of one key cannot both find nothing; NO KEY
    # UPDATE (PostgreSQL), so the till's sales, whose foreign keys share its row, never wait
    db.session.execute(select(Till.id).where(Till.id == till.id).with_for_update(key_share=True))
    earlier = get_wiped_entry(till, key)
    if earlier is not None:
        return earlier, False
    operator = checked_operator(operator_id)
    if operator.role not in (Role.STAFF, Role.MANAGER):
        raise OperationError(
            403,
            "staff_only",
            _l("Alleen een begeleider of verantwoordelijke kan een verkoop wissen."),
        )
    payments: dict[str, int] = {}
    for method, cents in wiped.payments:
        payments[method] = payments.get(method, 0) + cents
    entry = audit.record(
        WIPED,
        user=operator,
        till=till,
        subject=wiped_subject(key),
        after={
            "till_name": till.name or till.code,
            "refused_key": wiped.refused_key,
            "rung_up_at": wiped.rung_up_at.isoformat(),
            **({"wiped_at": wiped.wiped_at.isoformat()} if wiped.wiped_at else {}),
            "lines": [list(line) for line in wiped.lines],
            "total_cents": wiped.total_cents,
            "payments": payments,
            "error": wiped.error,
            "message": wiped.message,
        },
    )
    db.session.flush()
    return entry, True

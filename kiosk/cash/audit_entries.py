"""What the audit log keeps of the cash drawer: the float, cash in and out, the count, the Z."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from kiosk.audit import log as audit
from kiosk.models import AuditEntry, CashMovement, CashSession, Till, User, ZReport

#: the drawer's figures a count and a Z report keep
CASH_FIGURES = ("counted_cents", "expected_cents", "difference_cents")


def record_drawer_event(
    action: str,
    till: Till,
    day: date,
    user: User,
    fields: dict[str, Any],
    *,
    subject: str = "",
    before: dict[str, Any] | None = None,
) -> AuditEntry:
    """Log something done to a till's drawer on a business day, naming the till as it was."""
    return audit.record(
        action,
        user=user,
        till=till,
        subject=subject or f"till:{till.id}",
        before=before,
        after={
            "till": till.code,
            "till_name": till.name,
            "business_day": day.isoformat(),
            **fields,
        },
    )


def record_float(session: CashSession, till: Till, user: User) -> AuditEntry:
    """Log the float a till's day was opened with."""
    fields = {"opening_float_cents": session.opening_float_cents}
    return record_drawer_event("cash.float", till, session.business_day, user, fields)


def record_movement(movement: CashMovement, till: Till, day: date, user: User) -> AuditEntry:
    """Log cash put into (positive) or taken out of (negative) the drawer, with the reason."""
    fields = {"amount_cents": movement.amount_cents, "reason": movement.reason}
    return record_drawer_event("cash.movement", till, day, user, fields)


def record_count(
    till: Till,
    day: date,
    drawer: dict[str, Any],
    earlier_count: int | None,
    user: User,
    reason: str | None = None,
) -> AuditEntry:
    """Log a count beside what was expected, with the reason for a difference.

    A recount keeps the count it replaces.
    """
    fields: dict[str, Any] = {name: drawer[name] for name in CASH_FIGURES}
    if reason:
        fields["difference_reason"] = reason
    earlier = None if earlier_count is None else {"counted_cents": earlier_count}
    return record_drawer_event("cash.count", till, day, user, fields, before=earlier)


def record_z_report(report: ZReport, till: Till, user: User) -> AuditEntry:
    """Log the numbered Z report that closed a till's day, with its cash figures."""
    figures = json.loads(report.figures)
    fields = {"number": report.number, **{name: figures[name] for name in CASH_FIGURES}}
    return record_drawer_event(
        "cash.z", till, report.business_day, user, fields, subject=f"z_report:{report.id}"
    )

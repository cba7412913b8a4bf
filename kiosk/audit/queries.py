"""Read the audit log: filter by period, user, action, group and text; newest first, by pages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from kiosk.audit.sentences import action_group
from kiosk.extensions import db
from kiosk.models import AuditEntry
from kiosk.reports.day_figures import day_start

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    """What the manager asks for: Brussels business days, a user, an action or group, a text."""

    first_day: date | None = None
    last_day: date | None = None
    user_id: int | None = None
    action: str | None = None
    group: str | None = None
    text: str = ""

    def where(self, query: Select[Any]) -> Select[Any]:
        """Limit a query on AuditEntry to the entries this filter lets through."""
        if self.first_day is not None:
            query = query.where(AuditEntry.created_at >= day_start(self.first_day))
        if self.last_day is not None:
            query = query.where(AuditEntry.created_at < day_start(self.last_day + timedelta(1)))
        if self.user_id is not None:
            query = query.where(AuditEntry.user_id == self.user_id)
        if self.action:
            query = query.where(AuditEntry.action == self.action)
        if self.group:
            actions = [
                action for action in get_audit_actions() if action_group(action) == self.group
            ]
            query = query.where(AuditEntry.action.in_(actions))
        if self.text:
            pattern = "%" + self.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            pattern += "%"
            query = query.where(
                or_(
                    AuditEntry.subject.ilike(pattern, escape="\\"),
                    AuditEntry.summary.ilike(pattern, escape="\\"),
                    AuditEntry.user_name.ilike(pattern, escape="\\"),
                )
            )
        return query


def get_audit_page(
    scope: AuditFilter, older_than: int | None = None, size: int = PAGE_SIZE
) -> tuple[list[AuditEntry], int | None]:
    """Return a page of entries, newest first, and the id to ask the next page with (or None)."""
    query = scope.where(select(AuditEntry)).options(
        joinedload(AuditEntry.till), joinedload(AuditEntry.user)
    )
    if older_than is not None:
        query = query.where(AuditEntry.id < older_than)  # keyset: fast however long the log
    rows = list(db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(size + 1)))
    following = rows[size - 1].id if len(rows) > size else None
    return rows[:size], following


def iter_audit_entries(scope: AuditFilter, batch: int = 500) -> Iterator[AuditEntry]:
    """Yield every entry the filter lets through, newest first, a batch at a time."""
    older_than: int | None = None
    while True:
        rows, older_than = get_audit_page(scope, older_than, batch)
        yield from rows
        if older_than is None:
            return


def get_audit_actions() -> list[str]:
    """Return the actions the log holds."""
    return list(
        db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    )

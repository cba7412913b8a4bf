"""Write the audit log: who did what, when, to what, with the fields before and after.

`record()` adds an entry to the session of the change it describes, so the entry and the change
commit together or not at all; the caller commits, as with every operation. Entries are never
changed or deleted (kiosk.models.audit refuses it).
"""

from __future__ import annotations

import json
from typing import Any

from flask import has_request_context, request
from flask_babel import force_locale
from flask_login import current_user

from kiosk.audit.sentences import describe
from kiosk.extensions import db
from kiosk.models import AuditEntry, Till, User
from kiosk.models.types import utcnow


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Keep only the fields whose value differs; return (before, after) of those."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def record(
    action: str,
    *,
    user: User | None = None,
    user_name: str | None = None,
    till: Till | None = None,
    subject: str = "",
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry; the acting user defaults to the one logged in to the back office.

    Without a summary the entry's sentence in Dutch is kept as one, so the text filter finds it.
    """
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user._get_current_object()
    entry = AuditEntry(
        created_at=utcnow(),
        action=action,
        user_id=user.id if user is not None else None,
        user_name=(user.name if user is not None else user_name or "")[:80],
        till_id=till.id if till is not None else None,
        remote_addr=(request.remote_addr or "")[:45] if has_request_context() else "",
        subject=subject[:120],
        summary=summary,
        before=_json(before),
        after=_json(after),
    )
    if not summary:
        with force_locale("nl"):
            entry.summary = describe(entry)
    db.session.add(entry)
    return entry


def _json(values: dict[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)

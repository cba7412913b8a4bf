"""Read audit entries as people do: each entry's sentence in Dutch and in English."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from kiosk.audit.sentences import describe
from kiosk.extensions import db
from kiosk.models import AuditEntry


def sentences(entry: AuditEntry) -> tuple[str, str]:
    """Return the entry's sentence in Dutch and in English."""
    with force_locale("nl"):
        dutch = describe(entry)
    with force_locale("en"):
        english = describe(entry)
    return dutch, english


def sentences_of(app: Flask, action: str) -> list[tuple[str, str]]:
    """Return the Dutch and English sentences of one action's entries, oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
        return [sentences(row) for row in rows]

"""Back-office sessions kept on the server: opened at login, ended at logout or expiry.

Flask's session is a signed cookie: the server cannot take one back, so a copy of it would keep
working after logout. Each login therefore adds a BackOfficeSession row and puts a random token in
the cookie; a request counts as logged in only while the row for its token is there and younger
than the longest session. Logout and expiry delete the row, and every copy of the cookie with it.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from kiosk.extensions import db
from kiosk.models import BackOfficeSession, User
from kiosk.organisation.queries import hash_token


def open_session(user: User, now: datetime, longest: timedelta) -> str:
    """Add a session for the user and return its token (for the cookie); drop sessions too old."""
    too_old = BackOfficeSession.started_at < now - longest
    db.session.execute(delete(BackOfficeSession).where(too_old))
    token = secrets.token_urlsafe(32)
    db.session.add(BackOfficeSession(token_hash=hash_token(token), user_id=user.id, started_at=now))
    db.session.flush()
    return token


def get_session_user(user_id: int, token: object, now: datetime, longest: timedelta) -> User | None:
    """Return the user whose live session this token is, or None (logged out, expired, forged)."""
    if not isinstance(token, str) or not token:
        return None
    return db.session.scalar(
        select(User)
        .join(BackOfficeSession, BackOfficeSession.user_id == User.id)
        .where(
            User.id == user_id,
            BackOfficeSession.token_hash == hash_token(token),
            BackOfficeSession.started_at >= now - longest,
        )
    )


def end_session(token: object) -> None:
    """End the session of this token, for every copy of its cookie."""
    if isinstance(token, str) and token:
        db.session.execute(
            delete(BackOfficeSession).where(BackOfficeSession.token_hash == hash_token(token))
        )

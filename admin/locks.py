"""Locks on guessing (/admin/locks) and the staff unlock ("Ontgrendelen").

The page shows who or what is locked after too many wrong PINs or passwords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import HiddenField

from admin.blueprint import bp
from admin.forms import BackOfficeForm
from kiosk.audit import log as audit
from kiosk.database import get_row
from kiosk.extensions import db
from kiosk.models import GuessLock, Till, User
from kiosk.models.types import Role, utcnow
from kiosk.organisation.login_limits import active_locks, forget, user_lock_keys

#: what a staff member may unlock: a user (PIN and password), a till, an address
RELEASE_KEY = re.compile(r"^(user|till):(\d{1,10})$|^ip:([0-9A-Za-z.:_-]{1,45})$")


class ReleaseForm(BackOfficeForm):
    """Unlock "user:12", "till:3" or "ip:192.0.2.7"; `back` names the page to go back to."""

    key = HiddenField()
    back = HiddenField()


@dataclass(frozen=True)
class LockRow:
    """One locked thing as the page shows it."""

    release_key: str
    what: str
    failures: int
    until: str


@bp.get("/locks")
def lock_list() -> ResponseReturnValue:
    """Show what is locked after too many wrong PINs or passwords, with an unlock button."""
    rows = [describe(lock) for lock in active_locks(utcnow())]
    return render_template("admin/locks.html", rows=rows, release=ReleaseForm(back="locks"))


@bp.post("/locks/release")
def lock_release() -> ResponseReturnValue:
    """Unlock a user, a till or an address, and log who did it."""
    form = ReleaseForm()
    back = "admin.user_list" if form.back.data == "users" else "admin.lock_list"
    match = RELEASE_KEY.match(form.key.data or "") if form.validate_on_submit() else None
    if match is None:
        flash(_("Kies wat je wilt ontgrendelen."), "error")
        return redirect(url_for("admin.lock_list"))
    if refused(form.key.data):
        flash(_("Alleen een verantwoordelijke kan een verantwoordelijke ontgrendelen."), "error")
        return redirect(url_for(back))
    if release(form.key.data):
        db.session.commit()
        flash(_("Ontgrendeld."), "success")
    else:
        flash(_("Dit was niet (meer) vergrendeld."), "success")
    return redirect(url_for(back))


def refused(key: str) -> bool:
    """Return whether the logged-in user may not unlock this (staff never unlock a manager)."""
    kind, _sep, ident = key.partition(":")
    if kind != "user" or current_user.role == Role.MANAGER:
        return False
    user = get_row(User, int(ident))
    return user is not None and user.role == Role.MANAGER


def release(key: str) -> bool:
    """Forget the failures behind a release key and log the unlock; False if there were none."""
    kind, _sep, ident = key.partition(":")
    keys = user_lock_keys(int(ident)) if kind == "user" else [key]
    locks = db.session.scalars(select(GuessLock).where(GuessLock.key.in_(keys))).all()
    if not locks:
        return False
    before = {
        lock.key: lock.locked_until.isoformat() if lock.locked_until else None for lock in locks
    }
    forget(keys)
    audit.record(
        "unlock",
        till=get_row(Till, int(ident)) if kind == "till" else None,
        subject=key,
        summary=f"{subject_text(key)} ontgrendeld.",
        before=before,
        after={name: None for name in before},
    )
    return True


def subject_text(key: str) -> str:
    """Name what a key counts, in Dutch: a user by name, a till by code, an address."""
    kind, _sep, rest = key.partition(":")
    ident = rest.split(":")[0]
    if kind == "user":
        user = get_row(User, int(ident))
        return f"Gebruiker {user.name if user else ident}"
    if kind == "till":
        till = get_row(Till, int(ident))
        return f"Kassa {till.code if till else ident}"
    return f"Adres {rest}"


def describe(lock: GuessLock) -> LockRow:
    """Return a lock as a row of the page."""
    kind, _sep, rest = lock.key.partition(":")
    release_key = f"user:{rest.split(':')[0]}" if kind == "user" else lock.key
    what = subject_text(lock.key)
    if kind == "user":
        what += " — " + (_("pincode") if lock.key.endswith(":pin") else _("wachtwoord"))
    return LockRow(release_key, what, lock.failures, until_text(lock.locked_until))


def until_text(moment: datetime | None) -> str:
    """Return a lock's end in Brussels time."""
    return format_datetime(moment, "HH:mm") if moment else ""


def locked_users() -> dict[int, str]:
    """Return the users locked right now, with the Brussels time their lock ends."""
    found: dict[int, str] = {}
    for lock in active_locks(utcnow()):
        if lock.key.startswith("user:"):
            found.setdefault(int(lock.key.split(":")[1]), until_text(lock.locked_until))
    return found

"""Locks on guessing (/admin/locks) and the staff unlock ("Ontgrendelen").

The page shows who or what is locked after too many wrong PINs or passwords, each lock with
where it holds (a person is locked at one till or from one address, not everywhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import HiddenField

from admin.blueprint import bp
from admin.forms import BackOfficeForm
from kiosk.database import get_row
from kiosk.extensions import db
from kiosk.models import GuessLock, Till
from kiosk.models.types import utcnow
from kiosk.organisation.login_limits import active_locks
from kiosk.organisation.unlocking import may_release, parse_key, release, subject_text

#: staff unlock care users, tills and addresses; a staff member or manager only a manager
MANAGERS_ONLY = _l(
    "Alleen een verantwoordelijke kan een medewerker of verantwoordelijke ontgrendelen."
)


class ReleaseForm(BackOfficeForm):
    """Unlock "user:12" (all their locks) or one lock by its key; `back` names the page after."""

    key = HiddenField()
    back = HiddenField()


@dataclass(frozen=True)
class LockRow:
    """One locked thing as the page shows it."""

    release_key: str
    what: str
    failures: int
    until: str
    releasable: bool


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
    if not form.validate_on_submit() or not form.key.data:
        flash(_("Kies wat je wilt ontgrendelen."), "error")
        return redirect(url_for("admin.lock_list"))
    if not may_release(current_user.role, form.key.data):
        flash(str(MANAGERS_ONLY), "error")
        return redirect(url_for(back))
    if release(form.key.data):
        db.session.commit()
        flash(_("Ontgrendeld."), "success")
    else:
        flash(_("Dit was niet (meer) vergrendeld."), "success")
    return redirect(url_for(back))


def describe(lock: GuessLock) -> LockRow:
    """Return a lock as a row of the page: whose or what, and at which till or from where."""
    parsed = parse_key(lock.key)
    what = subject_text(lock.key)
    _kind, _sep, place = parsed.place.partition(":")
    if parsed.secret == "pin":
        till = get_row(Till, int(place)) if place.isdigit() else None
        what += " — " + _("pincode op kassa %(till)s", till=till.code if till else place)
    elif parsed.secret:
        what += " — " + _("wachtwoord vanaf adres %(address)s", address=place)
    releasable = may_release(current_user.role, lock.key)
    return LockRow(lock.key, what, lock.failures, until_text(lock.locked_until), releasable)


def until_text(moment: datetime | None) -> str:
    """Return a lock's end in Brussels time."""
    return format_datetime(moment, "HH:mm") if moment else ""


def locked_users() -> dict[int, str]:
    """Return the users locked right now, with the Brussels time their last lock ends."""
    found: dict[int, str] = {}
    for lock in active_locks(utcnow()):
        user_id = parse_key(lock.key).user_id
        if user_id is not None:
            found.setdefault(user_id, until_text(lock.locked_until))
    return found

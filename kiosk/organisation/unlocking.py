"""Lifting locks on guessing: who may lift which, and the unlock itself (page and command line).

A release key names what to unlock: "user:12" (all of that person's locks, at every till and
address) or one lock's own key ("user:12:pin@till:3", "name:jan@ip:192.0.2.7", "till:3",
"ip:192.0.2.7"). A manager lifts any lock; staff lift locks on care users, tills, addresses and
names nobody has, never on staff or managers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from kiosk.audit import log as audit
from kiosk.database import get_row
from kiosk.extensions import db
from kiosk.models import GuessLock, Till, User
from kiosk.models.types import Role
from kiosk.organisation.login_limits import forget
from kiosk.organisation.queries import get_user_by_name

#: the longest key a release names (GuessLock.key)
LONGEST_KEY = 200


@dataclass(frozen=True)
class LockKey:
    """A key taken apart: whose or what ("user" 12, "name" jan, "till" 3, "ip" …), and where."""

    kind: str
    ident: str
    secret: str = ""  # "pin" or "password", for a person
    place: str = ""  # "till:3" or "ip:192.0.2.7", for a person

    @property
    def user_id(self) -> int | None:
        """Return the user's id when the key counts a user."""
        return int(self.ident) if self.kind == "user" and self.ident.isdigit() else None


def parse_key(key: str) -> LockKey:
    """Take a key (or a release key) apart."""
    kind, _sep, rest = key.partition(":")
    if kind not in ("user", "name"):
        return LockKey(kind, rest)
    who, _at, place = rest.rpartition("@") if "@" in rest else (rest, "", "")
    if kind == "name":
        return LockKey(kind, who, "password", place)
    ident, _colon, secret = who.partition(":")
    return LockKey(kind, ident, secret, place)


def may_release(role: str, key: str) -> bool:
    """Return whether someone of this role may lift this lock (staff: never staff or managers)."""
    user_id = parse_key(key).user_id
    if role == Role.MANAGER or user_id is None:
        return True
    user = get_row(User, user_id)
    return user is None or user.role == Role.CARE


def keys_behind(key: str) -> list[str]:
    """Return the stored keys a release key lifts."""
    if len(key) > LONGEST_KEY:
        return []
    parsed = parse_key(key)
    wanted = GuessLock.key == key
    if parsed.user_id is not None and not parsed.secret and not parsed.place:  # "user:12"
        wanted = or_(wanted, GuessLock.key.startswith(f"{key}:", autoescape=True))
    return list(db.session.scalars(select(GuessLock.key).where(wanted)))


def release(key: str, *, by: str = "") -> bool:
    """Forget the failures behind a release key and log the unlock; False if there were none."""
    locks = db.session.scalars(select(GuessLock).where(GuessLock.key.in_(keys_behind(key)))).all()
    if not locks:
        return False
    before = {
        lock.key: lock.locked_until.isoformat() if lock.locked_until else None for lock in locks
    }
    forget(list(before))
    parsed = parse_key(key)
    till = get_row(Till, int(parsed.ident)) if parsed.kind == "till" else None
    audit.record(
        "unlock",
        user_name=by,
        till=till,
        subject=key,
        summary=f"{subject_text(key)} ontgrendeld.",
        before=before,
        after={name: None for name in before},
    )
    return True


def unlock_user(name: str, *, by: str) -> tuple[User, bool]:
    """Lift every lock on the user of this name; return them and whether anything was locked."""
    user = get_user_by_name(name)
    return user, release(f"user:{user.id}", by=by)


def subject_text(key: str) -> str:
    """Name whose or what a key counts, in Dutch: a user by name, a name, a till, an address."""
    parsed = parse_key(key)
    if parsed.kind == "user":
        user = get_row(User, parsed.user_id) if parsed.user_id is not None else None
        return f"Gebruiker {user.name if user else parsed.ident}"
    if parsed.kind == "name":
        return f"Naam {parsed.ident}"
    if parsed.kind == "till":
        till = get_row(Till, int(parsed.ident)) if parsed.ident.isdigit() else None
        return f"Kassa {till.code if till else parsed.ident}"
    return f"Adres {parsed.ident}"

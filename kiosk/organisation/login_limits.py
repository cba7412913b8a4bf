"""Limits on guessing PINs and passwords: count failures per person and place, and per place.

A person is counted where they are guessed at: wrong PINs per person and till
("user:12:pin@till:3"), wrong passwords per name and address ("user:12:password@ip:192.0.2.7";
a name no user has is counted the same way, as "name:jan@ip:192.0.2.7", so the answers never
tell which names exist). A place is counted for everyone: "till:3", "ip:192.0.2.7". So guesses
from one address or till never lock a person out elsewhere, and made-up names lock only the
address they come from.

Failures within the window are counted; at the limit the key is locked, and each further
failure after a lock ends (before the window has passed) locks it twice as long, up to a day.
While any of a check's keys is locked even the right secret is refused. A right secret forgets
only the person's own failures at that place: a till or an address keeps its count, so one known
PIN cannot be used to reset the count between guesses at someone else's.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Literal

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from kiosk.audit import log as audit
from kiosk.extensions import db
from kiosk.models import GuessLock, Till, User
from kiosk.passwords import hash_secret, secret_matches

PinAnswer = Literal["ok", "wrong", "locked"]
#: however often it is guessed at, a key is never locked longer than this at a time
LONGEST_LOCK = timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    """How many failures within `window` lock a key, and for how long."""

    max_failures: int
    window: timedelta
    lock: timedelta


def configured_limit(prefix: str, per: str) -> Limit:
    """Read a limit from the config: {prefix}_MAX_FAILURES_PER_{per}, _WINDOW_, _LOCK_MINUTES."""
    config = current_app.config
    return Limit(
        max_failures=max(1, int(config[f"{prefix}_MAX_FAILURES_PER_{per}"])),
        window=timedelta(minutes=float(config[f"{prefix}_FAILURE_WINDOW_MINUTES"])),
        lock=timedelta(minutes=float(config[f"{prefix}_LOCK_MINUTES"])),
    )


def user_key(user_id: int, secret: str) -> str:
    """Return the key that counts a user's failed PINs ("pin") or passwords ("password")."""
    return f"user:{user_id}:{secret}"


def pin_key(operator: User, till: Till) -> str:
    """Return the key that counts a person's wrong PINs at one till."""
    return f"{user_key(operator.id, 'pin')}@till:{till.id}"


def pin_limits(operator: User, till: Till) -> dict[str, Limit]:
    """Return the keys a PIN check at a till counts, with their limits."""
    return {
        pin_key(operator, till): configured_limit("PIN", "USER"),
        f"till:{till.id}": configured_limit("PIN", "TILL"),
    }


def address_key(remote_addr: str) -> str:
    """Return the key that counts wrong logins from one address, under any name."""
    return f"ip:{remote_addr or 'onbekend'}"


def password_key(user: User | None, name: str, remote_addr: str) -> str:
    """Return the key that counts one name's wrong passwords from one address."""
    who = user_key(user.id, "password") if user is not None else f"name:{name.strip().lower()}"
    return f"{who[:140]}@{address_key(remote_addr)}"


def password_limits(user: User | None, name: str, remote_addr: str) -> dict[str, Limit]:
    """Return the keys a back-office login counts: the name at this address, and the address."""
    return {
        password_key(user, name, remote_addr): configured_limit("LOGIN", "USER"),
        address_key(remote_addr): configured_limit("LOGIN", "IP"),
    }


@cache
def decoy_password_hash() -> str:
    """Return a hash no password matches, to check for names without one: it takes as long."""
    return hash_secret(secrets.token_urlsafe(32))


def locked_until(keys: list[str], now: datetime) -> datetime | None:
    """Return until when the latest-ending lock on these keys holds, or None when none does."""
    return db.session.scalar(
        select(GuessLock.locked_until)
        .where(GuessLock.key.in_(keys), GuessLock.locked_until > now)
        .order_by(GuessLock.locked_until.desc())
        .limit(1)
    )


def count_failure(limits: dict[str, Limit], now: datetime) -> datetime | None:
    """Count one failure on every key; return until when a key is now locked, if one is."""
    latest: datetime | None = None
    for key in sorted(limits):  # always in the same order: no deadlock between two checks
        limit = limits[key]
        lock = locked_row(key)
        if counting_is_over(lock, limit, now):
            lock.failures, lock.first_failure_at, lock.locked_until = 0, now, None
        lock.failures += 1
        if lock.failures >= limit.max_failures:
            lock.locked_until = now + lock_time(limit, lock.failures)
            if latest is None or lock.locked_until > latest:
                latest = lock.locked_until
    db.session.flush()
    return latest


def counting_is_over(lock: GuessLock, limit: Limit, now: datetime) -> bool:
    """Return whether a key's failures are too long ago to count: start again from none."""
    if lock.locked_until is not None:  # a lock is remembered for a window after it ends
        return now > lock.locked_until + limit.window
    return lock.first_failure_at is None or now - lock.first_failure_at > limit.window


def lock_time(limit: Limit, failures: int) -> timedelta:
    """Return how long a key is locked after this many failures: twice as long for each more."""
    doublings = min(failures - limit.max_failures, 16)
    return min(limit.lock * 2**doublings, LONGEST_LOCK)


def locked_row(key: str) -> GuessLock:
    """Return the key's row, locked for this transaction, adding it when it is the first failure."""
    lock = db.session.get(GuessLock, key, with_for_update=True)
    if lock is not None:
        return lock
    try:
        with db.session.begin_nested():
            lock = GuessLock(key=key, failures=0)
            db.session.add(lock)
        return lock
    except IntegrityError:  # another request counted this key's first failure a moment ago
        found = db.session.get(GuessLock, key, with_for_update=True, populate_existing=True)
        assert found is not None
        return found


def forget(keys: list[str]) -> None:
    """Forget the failures (and any lock) of these keys: a right secret, or a staff unlock."""
    db.session.execute(delete(GuessLock).where(GuessLock.key.in_(keys)))


def verify_pin(operator: User, pin: str, till: Till, now: datetime) -> PinAnswer:
    """Check a PIN typed at a till, counting failures; the caller commits whatever the answer."""
    limits = pin_limits(operator, till)
    if locked_until(list(limits), now) is not None:
        return "locked"
    if operator.pin_hash is None or secret_matches(operator.pin_hash, pin):
        forget([pin_key(operator, till)])
        return "ok"
    until = count_failure(limits, now)
    audit.record(
        "pin_failed",
        user=operator,
        till=till,
        subject=f"user:{operator.id}",
        summary=f"Verkeerde pincode voor {operator.name} op kassa {till.code}.",
    )
    return "locked" if until is not None else "wrong"


def active_locks(now: datetime) -> list[GuessLock]:
    """Return the keys locked right now, the one that ends last first."""
    return list(
        db.session.scalars(
            select(GuessLock)
            .where(GuessLock.locked_until > now)
            .order_by(GuessLock.locked_until.desc(), GuessLock.key)
        )
    )


def minutes_left(until: datetime, now: datetime) -> int:
    """Return the whole minutes until a lock ends, at least one."""
    return max(1, -(-int((until - now).total_seconds()) // 60))

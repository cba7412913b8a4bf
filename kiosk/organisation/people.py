"""Users and tills: add, change, revoke."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from kiosk.audit import log as audit
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import PointOfSale, TicketSequence, Till, User
from kiosk.models.types import DEVICE_ROLES, VENDING_ROLE, Role
from kiosk.organisation.places import point_of_sale_by_code
from kiosk.organisation.queries import get_user_by_name, hash_token
from kiosk.organisation.till_settings import (
    TillSettings,
    apply_till_settings,
    till_settings_fields,
)

MIN_PASSWORD_LENGTH = 8
#: the roles in the audit log's Dutch sentences
ROLE_WORDS: dict[str, str] = {
    Role.CARE: "zorggebruiker",
    Role.STAFF: "medewerker",
    Role.MANAGER: "verantwoordelijke",
}


def add_user(
    name: str,
    role: str,
    *,
    password: str | None = None,
    pin: str | None = None,
    pictogram: str | None = None,
    active: bool = True,
    settings: TillSettings | None = None,
    may_count_cash: bool = False,
) -> User:
    """Add a user; staff and managers need a password for the back office."""
    name = name.strip()
    if not name or len(name) > 80:
        raise OperationError(422, "invalid_name", _l("Geef een naam van 1 tot 80 tekens."))
    if role not in set(Role):
        raise OperationError(
            422, "invalid_role", _l("Kies de rol zorggebruiker, medewerker of verantwoordelijke.")
        )
    if db.session.scalar(select(User.id).where(func.lower(User.name) == name.lower())):
        raise OperationError(
            409, "name_taken", _l("Er is al iemand met de naam %(name)s.", name=name)
        )
    user = User(
        name=name, role=role, pictogram=pictogram, active=active, may_count_cash=may_count_cash
    )
    if role != Role.CARE or password:
        user.set_password(checked_password(password))
    if pin:
        user.set_pin(checked_pin(pin))
    apply_till_settings(user, TillSettings(False, True, 160, False))  # the model's defaults
    if settings is not None:
        apply_till_settings(user, settings)
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user_added",
        subject=f"user:{user.id}",
        summary=f"Gebruiker {user.name} toegevoegd als {ROLE_WORDS[user.role]}.",
        after=user_audit_fields(user),
    )
    return user


def user_audit_fields(user: User) -> dict[str, object]:
    """Return what the audit log keeps of a user: never a secret, only whether there is one."""
    return {
        "name": user.name,
        "role": str(user.role),
        "active": bool(user.active),
        "has_password": user.password_hash is not None,
        "has_pin": user.pin_hash is not None,
        **till_settings_fields(user),
        "may_count_cash": bool(user.may_count_cash),
    }


def record_user_change(
    user: User, before: dict[str, object], new_secrets: Iterable[str] = (), *, by: str = ""
) -> None:
    """Log what changed about a user (a new password or PIN as a fact, never its value)."""
    old, new = audit.changed_fields(before, user_audit_fields(user))
    for secret in new_secrets:
        old[secret], new[secret] = "…", "gewijzigd"
    if new:
        audit.record(
            "user_changed",
            user_name=by,
            subject=f"user:{user.id}",
            summary=f"Gegevens van {user.name} gewijzigd: {', '.join(sorted(new))}.",
            before=old,
            after=new,
        )


def change_till_settings(
    name: str, settings: TillSettings, *, may_count_cash: bool | None = None, by: str = ""
) -> User:
    """Change the person's till settings and whether they may count the drawer, and log it."""
    user = get_user_by_name(name)
    before = user_audit_fields(user)
    apply_till_settings(user, settings)
    if may_count_cash is not None:
        user.may_count_cash = may_count_cash
    record_user_change(user, before, by=by)
    return user


def checked_password(password: str | None) -> str:
    """Return the password if it is long enough."""
    if not password or len(password) < MIN_PASSWORD_LENGTH:
        raise OperationError(
            422,
            "weak_password",
            _l(
                "Kies een wachtwoord van minstens %(min_password_length)s tekens.",
                min_password_length=MIN_PASSWORD_LENGTH,
            ),
        )
    return password


def checked_pin(pin: str) -> str:
    """Return the PIN if it is 4 to 6 digits (entered as picture buttons on the till)."""
    if not (pin.isdigit() and 4 <= len(pin) <= 6):
        raise OperationError(422, "invalid_pin", _l("Een pincode heeft 4 tot 6 cijfers."))
    return pin


def new_token() -> str:
    """Make a fresh random till token."""
    return "pk_" + secrets.token_urlsafe(32)


def demo_token(secret_key: str, till_code: str) -> str:
    """Derive a demo till's token from the instance secret, so it survives restarts unstored."""
    digest = hmac.new(secret_key.encode(), f"demo-till:{till_code}".encode(), hashlib.sha256)
    return "pk_demo_" + digest.hexdigest()[:32]


def add_till(
    name: str,
    point_of_sale_code: str,
    *,
    code: str | None = None,
    token: str | None = None,
    role: str = "till",
) -> tuple[Till, str]:
    """Pair a new till (or kitchen or bar screen) with a point of sale; return it and its token.

    The token is shown only once.
    """
    point_of_sale = point_of_sale_by_code(point_of_sale_code)
    name = name.strip()
    if not name or len(name) > 80:
        raise OperationError(422, "invalid_name", _l("Geef een naam van 1 tot 80 tekens."))
    if role not in (*DEVICE_ROLES, VENDING_ROLE):
        raise OperationError(422, "invalid_role", _l("Kies kassa, keuken of bar."))
    code = code or next_till_code(point_of_sale)
    if db.session.scalar(select(Till.id).where(Till.code == code)):
        raise OperationError(409, "code_taken", _l("Er is al een kassa %(code)s.", code=code))
    token = token or new_token()
    till = Till(
        name=name, code=code, point_of_sale=point_of_sale, token_hash=hash_token(token), role=role
    )
    db.session.add(till)
    db.session.flush()
    db.session.add(TicketSequence(till_id=till.id, last_number=0))
    db.session.flush()
    audit.record(
        "till_paired",
        till=till,
        subject=f"till:{till.id}",
        summary=f"Kassa {till.code} ({till.name}) gekoppeld aan {point_of_sale.name}.",
    )
    return till, token


def next_till_code(point_of_sale: PointOfSale) -> str:
    """Return the first free till code of a point of sale: HW1, HW2 and so on."""
    taken = set(db.session.scalars(select(Till.code)))
    number = 1
    while f"{point_of_sale.code}{number}" in taken:
        number += 1
    return f"{point_of_sale.code}{number}"


def revoke_till(till: Till, now: datetime) -> None:
    """Stop a till's token from working; its sales and numbers stay."""
    if till.revoked_at is None:
        till.revoked_at = now
        audit.record(
            "till_revoked",
            till=till,
            subject=f"till:{till.id}",
            summary=f"Kassa {till.code} ontkoppeld: haar token werkt niet meer.",
        )


def renew_till_token(till: Till) -> str:
    """Give a till a new token (the old one stops working); return it to show once."""
    token = new_token()
    was_revoked = till.revoked_at is not None
    till.token_hash = hash_token(token)
    till.revoked_at = None
    audit.record(
        "till_token_renewed",
        till=till,
        subject=f"till:{till.id}",
        summary=f"Kassa {till.code} kreeg een nieuw token; het oude werkt niet meer.",
        before={"revoked": was_revoked},
        after={"revoked": False},
    )
    return token

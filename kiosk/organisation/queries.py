"""Read who may use the till: tills by their token, the people who may run one."""

from __future__ import annotations

import hashlib

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import PointOfSale, Till, User
from kiosk.models.types import PaymentMethod, Role


def hash_token(token: str) -> str:
    """Hash a till token for storage and look-up (tokens are long and random)."""
    return hashlib.sha256(token.encode()).hexdigest()


#: built once: every API request reads it; every till request needs the point of sale too
TILL_BY_TOKEN = (
    select(Till)
    .where(Till.token_hash == bindparam("token_hash"))
    .options(joinedload(Till.point_of_sale))
)


def get_till_by_token(token: str) -> Till | None:
    """Return the active till that owns this token, if any."""
    till = db.session.scalar(TILL_BY_TOKEN, {"token_hash": hash_token(token)})
    return till if till is not None and till.active else None


def get_operators() -> list[User]:
    """Return the people who may run a till: care users first, then staff and managers."""
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
    order = {Role.CARE: 0, Role.STAFF: 1, Role.MANAGER: 2}
    return sorted(users, key=lambda user: order.get(Role(user.role), 3))


def get_user_by_name(name: str) -> User:
    """Return the person of this name (case aside), or refuse an unknown name."""
    user = db.session.scalar(select(User).where(func.lower(User.name) == name.strip().lower()))
    if user is None:
        raise OperationError(
            404, "unknown_user", _l("Er is geen gebruiker met de naam %(name)s.", name=name)
        )
    return user


def points_of_sale_taking_qr() -> list[PointOfSale]:
    """Return the points of sale that accept QR payments (they need the organisation's IBAN)."""
    points = db.session.scalars(select(PointOfSale).order_by(PointOfSale.code))
    return [point for point in points if PaymentMethod.QR in point.accepted_methods]

"""The organisation, its users, their back-office sessions and the paired tills."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import Model
from kiosk.models.catalog import PointOfSale
from kiosk.models.types import VENDING_ROLE, Role, UTCDateTime, utcnow
from kiosk.passwords import hash_secret, secret_matches


class Organisation(Model):
    """The care organisation's details that every receipt carries (one row)."""

    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200), default="")
    vat_number: Mapped[str] = mapped_column(String(20), default="")
    receipt_header: Mapped[str] = mapped_column(Text, default="")
    receipt_footer: Mapped[str] = mapped_column(Text, default="")
    #: where customers pay by QR transfer (compact, BE + 14 digits); none: no QR payments
    iban: Mapped[str | None] = mapped_column(String(34))
    #: the account holder's name in the QR code (EPC: at most 70 characters)
    beneficiary_name: Mapped[str | None] = mapped_column(String(70))
    bic: Mapped[str | None] = mapped_column(String(11))

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"


class User(UserMixin, Model):
    """A person: a care user at the till, or staff and managers in the back office."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(10), default=Role.CARE)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    pictogram: Mapped[str | None] = mapped_column(String(40))
    photo: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    speech: Mapped[bool] = mapped_column(Boolean, default=False)
    sound: Mapped[bool] = mapped_column(Boolean, default=True)
    tile_size: Mapped[int] = mapped_column(Integer, default=160)
    #: bigger amounts and PIN digits on the till, for poor sight
    large_digits: Mapped[bool] = mapped_column(Boolean, default=False)
    #: a staff member who may count the drawer (managers always may)
    may_count_cash: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        """Return whether the user may log in."""
        return self.active

    @property
    def can_use_back_office(self) -> bool:
        """Return whether the user may open /admin."""
        return self.role in (Role.STAFF, Role.MANAGER)

    @property
    def can_count_cash(self) -> bool:
        """Return whether the user may count a till's drawer in the back office."""
        return self.role == Role.MANAGER or (self.role == Role.STAFF and bool(self.may_count_cash))

    def set_password(self, password: str) -> None:
        """Store a hash of the password."""
        self.password_hash = hash_secret(password)

    def check_password(self, password: str) -> bool:
        """Return whether the password matches."""
        return bool(self.password_hash) and secret_matches(self.password_hash or "", password)

    def set_pin(self, pin: str | None) -> None:
        """Store a hash of the PIN, or clear it."""
        self.pin_hash = hash_secret(pin) if pin else None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.name!r} {self.role}>"


class Till(Model):
    """A paired device bound to one point of sale, known by a secret token kept hashed."""

    __tablename__ = "till"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    point_of_sale_id: Mapped[int] = mapped_column(ForeignKey("point_of_sale.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: till (sells), kitchen or bar (a kitchen screen: shows that station's orders)
    role: Mapped[str] = mapped_column(String(10), default="till", server_default="till")
    #: when a kitchen screen last asked for its orders (a station not seen for a while is down)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    point_of_sale: Mapped[PointOfSale] = relationship()

    @property
    def active(self) -> bool:
        """Return whether the till's token still works."""
        return self.revoked_at is None

    @property
    def has_drawer(self) -> bool:
        """Return whether a cash drawer is counted at this till (a vending machine's is not)."""
        return self.role != VENDING_ROLE

    def __repr__(self) -> str:
        return f"<Till {self.code} {self.role} at {self.point_of_sale_id}>"


class BackOfficeSession(Model):
    """One back-office login, alive until logout or expiry; its cookie carries the token.

    Only the token's SHA-256 is stored: whoever reads the database cannot take over a session.
    Deleting the row ends the session, however many copies of its cookie are around.
    """

    __tablename__ = "back_office_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<BackOfficeSession {self.id} of user {self.user_id}>"

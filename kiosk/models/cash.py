"""The cash drawer of a till per business day: float, cash in and out, the count and Z reports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import Model
from kiosk.models.people import Till, User
from kiosk.models.types import UTCDateTime, utcnow


class CashSession(Model):
    """One till's drawer on one business day (Europe/Brussels), from the float to the count."""

    __tablename__ = "cash_session"
    __table_args__ = (UniqueConstraint("till_id", "business_day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    till_id: Mapped[int] = mapped_column(ForeignKey("till.id"))
    business_day: Mapped[date] = mapped_column(Date)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    opening_float_cents: Mapped[int] = mapped_column(Integer, default=0)
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    counted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    counted_cents: Mapped[int | None] = mapped_column(Integer)
    #: the count per note and coin, as JSON {"value_cents": number, …}
    counted_pieces: Mapped[str | None] = mapped_column(Text)
    #: why the count differs from what was expected (required to close a day with a difference)
    difference_reason: Mapped[str | None] = mapped_column(String(200))
    #: set at the close: the cash left in the drawer, the next day's opening float by default
    next_float_cents: Mapped[int | None] = mapped_column(Integer)

    till: Mapped[Till] = relationship()
    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    counted_by: Mapped[User | None] = relationship(foreign_keys=[counted_by_id])
    movements: Mapped[list[CashMovement]] = relationship(
        back_populates="cash_session", order_by="CashMovement.id", cascade="all"
    )

    def __repr__(self) -> str:
        return f"<CashSession till={self.till_id} {self.business_day}>"


#: CashMovement.kind: cash put in or taken out during the day (it counts in what is expected)
IN_OUT = "in_out"
#: CashMovement.kind: cash taken to the bank at the close, after the count
TO_BANK = "bank"


class CashMovement(Model):
    """Cash put into the drawer (positive) or taken out of it (negative), with a reason."""

    __tablename__ = "cash_movement"
    id: Mapped[int] = mapped_column(primary_key=True)
    cash_session_id: Mapped[int] = mapped_column(ForeignKey("cash_session.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10), default=IN_OUT, server_default=IN_OUT)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cash_session: Mapped[CashSession] = relationship(back_populates="movements")
    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<CashMovement {self.amount_cents}c {self.reason!r}>"


class ZReport(Model):
    """The final, numbered close of one till's business day; written once, never changed."""

    __tablename__ = "z_report"
    __table_args__ = (
        UniqueConstraint("till_id", "number"),
        UniqueConstraint("till_id", "business_day"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    till_id: Mapped[int] = mapped_column(ForeignKey("till.id"))
    #: unbroken per till, starting at 1
    number: Mapped[int] = mapped_column(Integer)
    business_day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: the report's figures as canonical JSON, frozen when the day was closed
    figures: Mapped[str] = mapped_column(Text)
    #: SHA-256 of `figures`, so a changed row shows
    checksum: Mapped[str] = mapped_column(String(64))

    till: Mapped[Till] = relationship()
    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ZReport till={self.till_id} nr {self.number} {self.business_day}>"


class LedgerAccount(Model):
    """A manager's own ledger account for one kind of journal posting (else the MAR default)."""

    __tablename__ = "ledger_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the posting kind's key, e.g. `omzet_600_takeaway`, `kas`, `kasverschil_tekort`
    posting: Mapped[str] = mapped_column(String(40), unique=True)
    number: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(120))

    def __repr__(self) -> str:
        return f"<LedgerAccount {self.posting} {self.number}>"

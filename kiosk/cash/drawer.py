"""The cash drawer: open a till's day with a float, cash in and out, count it, and close it (Z)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from kiosk.cash import audit_entries
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import CashMovement, CashSession, Till, User, ZReport
from kiosk.money import EURO_PIECES
from kiosk.reports.day_figures import Figures, SalesScope, get_figures

#: more than this of one note or coin in a drawer is a typing slip
MAX_PIECES_OF_ONE_KIND = 9999
#: a float or a single cash movement above this is a typing slip (€ 10,000)
MAX_DRAWER_AMOUNT_CENTS = 1_000_000


@dataclass(frozen=True)
class Drawer:
    """A till's day: its sales' figures and what should be, and is, in the cash drawer."""

    till_code: str
    business_day: date
    figures: Figures
    opening_float_cents: int
    movements_cents: int
    counted_cents: int | None

    @property
    def expected_cents(self) -> int:
        """Return the cash that should be in the drawer: float, cash taken, cash in and out."""
        return (
            self.opening_float_cents + self.figures.payments.get("cash", 0) + self.movements_cents
        )

    @property
    def difference_cents(self) -> int | None:
        """Return counted minus expected (negative: cash is missing), or None before a count."""
        return None if self.counted_cents is None else self.counted_cents - self.expected_cents

    def as_json(self) -> dict[str, Any]:
        """Return the drawer as plain JSON values, for a frozen Z report."""
        return {
            "till_code": self.till_code,
            "business_day": self.business_day.isoformat(),
            "figures": self.figures.as_json(),
            "opening_float_cents": self.opening_float_cents,
            "movements_cents": self.movements_cents,
            "expected_cents": self.expected_cents,
            "counted_cents": self.counted_cents,
            "difference_cents": self.difference_cents,
        }


def get_cash_session(till: Till, day: date) -> CashSession | None:
    """Return the till's cash session of that business day, if it was opened."""
    return db.session.scalar(
        select(CashSession).where(CashSession.till_id == till.id, CashSession.business_day == day)
    )


def get_z_report(till: Till, day: date) -> ZReport | None:
    """Return the till's Z report of that business day, if the day was closed."""
    return db.session.scalar(
        select(ZReport).where(ZReport.till_id == till.id, ZReport.business_day == day)
    )


def get_drawer(till: Till, day: date) -> Drawer:
    """Add up the till's day as an X report shows it (and a Z report freezes it)."""
    session = get_cash_session(till, day)
    return Drawer(
        till_code=till.code,
        business_day=day,
        figures=get_figures(SalesScope(day, day, till_id=till.id, closing=True)),
        opening_float_cents=session.opening_float_cents if session else 0,
        movements_cents=sum(m.amount_cents for m in session.movements) if session else 0,
        counted_cents=session.counted_cents if session else None,
    )


def drawer_amount(amount_cents: int, *, allow_zero: bool = False) -> int:
    """Refuse drawer amounts that cannot be meant."""
    if abs(amount_cents) > MAX_DRAWER_AMOUNT_CENTS or (amount_cents == 0 and not allow_zero):
        raise OperationError(
            422, "invalid_amount", _l("Geef een bedrag tussen 0,01 en 10.000 euro.")
        )
    return amount_cents


def open_cash_session(
    till: Till,
    day: date,
    opening_float_cents: int,
    user: User,
    now: datetime,
    *,
    audited: bool = True,
) -> CashSession:
    """Start the till's day with the float that is in the drawer."""
    if opening_float_cents < 0:
        raise OperationError(422, "invalid_amount", _l("De wisselkas kan niet negatief zijn."))
    drawer_amount(opening_float_cents, allow_zero=True)
    open_day(till, day)
    if get_cash_session(till, day) is not None:
        raise OperationError(409, "already_open", _l("Deze kassa is voor die dag al geopend."))
    session = CashSession(
        till_id=till.id,
        business_day=day,
        opened_at=now,
        opened_by_id=user.id,
        opening_float_cents=opening_float_cents,
    )
    db.session.add(session)
    db.session.flush()
    if audited:  # a day opened by its first movement or count had no float to log
        audit_entries.record_float(session, till, user)
    return session


def open_day(till: Till, day: date) -> None:
    """Refuse changes to a day whose Z report was made."""
    if get_z_report(till, day) is not None:
        raise OperationError(
            409,
            "day_closed",
            _l("Deze dag is afgesloten met een Z-rapport. Er kan niets meer bij."),
        )


def session_for(till: Till, day: date, user: User, now: datetime) -> CashSession:
    """Return the till's session of the day, opening one without a float if there was none."""
    return get_cash_session(till, day) or open_cash_session(till, day, 0, user, now, audited=False)


def add_cash_movement(
    till: Till, day: date, amount_cents: int, reason: str, user: User, now: datetime
) -> CashMovement:
    """Book cash put in (positive) or taken out (negative), with the reason."""
    drawer_amount(amount_cents)
    reason = reason.strip()
    if not reason:
        raise OperationError(
            422, "reason_missing", _l("Zeg waarom er geld in of uit de kassa gaat.")
        )
    open_day(till, day)
    movement = CashMovement(
        cash_session=session_for(till, day, user, now),
        amount_cents=amount_cents,
        reason=reason[:200],
        user_id=user.id,
        created_at=now,
    )
    db.session.add(movement)
    audit_entries.record_movement(movement, till, day, user)
    return movement


def record_cash_count(
    till: Till, day: date, pieces: dict[int, int], user: User, now: datetime
) -> CashSession:
    """Store the count of each note and coin in the drawer; a new count replaces the last."""
    open_day(till, day)
    unknown = set(pieces) - set(EURO_PIECES)
    if unknown:
        raise OperationError(422, "unknown_piece", _l("Dit biljet of muntstuk bestaat niet."))
    if any(not 0 <= count <= MAX_PIECES_OF_ONE_KIND for count in pieces.values()):
        raise OperationError(
            422,
            "invalid_count",
            _l(
                "Tel per biljet of muntstuk 0 tot %(max_pieces_of_one_kind)s.",
                max_pieces_of_one_kind=MAX_PIECES_OF_ONE_KIND,
            ),
        )
    session = session_for(till, day, user, now)
    earlier_count = session.counted_cents
    session.counted_pieces = json.dumps(
        {str(value): count for value, count in sorted(pieces.items(), reverse=True) if count}
    )
    session.counted_cents = sum(value * count for value, count in pieces.items())
    session.counted_at = now
    session.counted_by_id = user.id
    drawer = get_drawer(till, day).as_json()
    audit_entries.record_count(till, day, drawer, earlier_count, user)
    return session


def close_day(till: Till, day: date, user: User, now: datetime) -> ZReport:
    """Make the till's numbered, final Z report of the day from its figures as they are now."""
    open_day(till, day)
    session = get_cash_session(till, day)
    if session is None or session.counted_cents is None:
        raise OperationError(
            409, "not_counted", _l("Tel eerst de kassa. Dan kan je de dag afsluiten.")
        )
    figures = json.dumps(get_drawer(till, day).as_json(), sort_keys=True, ensure_ascii=False)
    last = db.session.scalar(select(func.max(ZReport.number)).where(ZReport.till_id == till.id))
    report = ZReport(
        till_id=till.id,
        number=(last or 0) + 1,
        business_day=day,
        created_at=now,
        user_id=user.id,
        figures=figures,
        checksum=hashlib.sha256(figures.encode()).hexdigest(),
    )
    db.session.add(report)
    db.session.flush()
    audit_entries.record_z_report(report, till, user)
    return report

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
from kiosk.models.cash import IN_OUT, TO_BANK
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
    difference_reason: str | None = None
    next_float_cents: int | None = None
    to_bank_cents: int | None = None
    #: a vending machine's till: no drawer, its cash is counted when the machine is emptied
    machine: bool = False

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
        machine = {"machine": True} if self.machine else {}
        return machine | {
            "till_code": self.till_code,
            "business_day": self.business_day.isoformat(),
            "figures": self.figures.as_json(),
            "opening_float_cents": self.opening_float_cents,
            "movements_cents": self.movements_cents,
            "expected_cents": self.expected_cents,
            "counted_cents": self.counted_cents,
            "difference_cents": self.difference_cents,
            "difference_reason": self.difference_reason,
            "next_float_cents": self.next_float_cents,
            "to_bank_cents": self.to_bank_cents,
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
    movements = session.movements if session else []
    return Drawer(
        till_code=till.code,
        business_day=day,
        figures=get_figures(SalesScope(day, day, till_id=till.id, closing=True)),
        opening_float_cents=session.opening_float_cents if session else 0,
        movements_cents=sum(m.amount_cents for m in movements if m.kind == IN_OUT),
        counted_cents=session.counted_cents if session else None,
        difference_reason=session.difference_reason if session else None,
        next_float_cents=session.next_float_cents if session else None,
        to_bank_cents=bank_cents(movements)
        if session and session.next_float_cents is not None
        else None,
        machine=not till.has_drawer,
    )


def bank_cents(movements: list[CashMovement]) -> int:
    """Return the cash taken to the bank at the close (a positive amount)."""
    return -sum(m.amount_cents for m in movements if m.kind == TO_BANK)


def get_next_day_float(till: Till, day: date) -> int:
    """Return the float the till's last closed day before this one left in the drawer (or 0)."""
    left = db.session.scalar(
        select(CashSession.next_float_cents)
        .where(
            CashSession.till_id == till.id,
            CashSession.business_day < day,
            CashSession.next_float_cents.is_not(None),
        )
        .order_by(CashSession.business_day.desc())
        .limit(1)
    )
    return left or 0


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
    check_drawer(till)
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


def check_drawer(till: Till) -> None:
    """Refuse drawer work at a vending machine's till: its cash is counted at each emptying."""
    if not till.has_drawer:
        raise OperationError(
            409,
            "no_drawer",
            _l(
                "%(till)s is een automaat zonder kaslade: tel het geld bij het leegmaken "
                "(Geld uit automaten).",
                till=till.name,
            ),
        )


def open_day(till: Till, day: date) -> None:
    """Refuse changes to a day whose Z report was made."""
    if get_z_report(till, day) is not None:
        raise OperationError(
            409,
            "day_closed",
            _l("Deze dag is afgesloten met een Z-rapport. Er kan niets meer bij."),
        )


def session_for(till: Till, day: date, user: User, now: datetime) -> CashSession:
    """Return the till's session of the day, opening one with the float the last close left.

    A day opened this way logs its float only when the last close left one.
    """
    session = get_cash_session(till, day)
    if session is not None:
        return session
    float_cents = get_next_day_float(till, day)
    return open_cash_session(till, day, float_cents, user, now, audited=float_cents > 0)


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
    check_drawer(till)
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
    till: Till, day: date, pieces: dict[int, int], user: User, now: datetime, reason: str = ""
) -> CashSession:
    """Store the count of each note and coin, and why it differs; a new count replaces the last."""
    check_drawer(till)
    open_day(till, day)
    counted_pieces, counted_cents = checked_pieces(pieces)
    session = session_for(till, day, user, now)
    earlier_count = session.counted_cents
    session.counted_pieces = counted_pieces
    session.counted_cents = counted_cents
    session.counted_at = now
    session.counted_by_id = user.id
    session.difference_reason = reason.strip()[:200] or None
    drawer = get_drawer(till, day).as_json()
    audit_entries.record_count(till, day, drawer, earlier_count, user, session.difference_reason)
    return session


def checked_pieces(pieces: dict[int, int]) -> tuple[str, int]:
    """Check a count per note and coin; return it as stored (JSON, largest first) and its sum.

    The drawer's count and a vending machine's emptying keep their pieces this way.
    """
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
    stored = json.dumps(
        {str(value): count for value, count in sorted(pieces.items(), reverse=True) if count}
    )
    return stored, sum(value * count for value, count in pieces.items())


def close_day(
    till: Till,
    day: date,
    user: User,
    now: datetime,
    next_float_cents: int | None = None,
    to_bank_cents: int | None = None,
) -> ZReport:
    """Close the drawer and make the till's numbered, final Z report of the day.

    The next day's float stays in the drawer and the cash to the bank leaves it (after the
    count, so it changes nothing expected); the Z report freezes the figures as they are now.
    Without a next float, what was in the drawer this morning stays (no more than was counted);
    without an amount for the bank, whatever is counted beyond the next float goes.
    A vending machine's till has no drawer: its day closes without a count.
    """
    open_day(till, day)
    if not till.has_drawer:
        return make_z_report(till, day, user, now)
    session = get_cash_session(till, day)
    if session is None or session.counted_cents is None:
        raise OperationError(
            409, "not_counted", _l("Tel eerst de kassa. Dan kan je de dag afsluiten.")
        )
    counted = session.counted_cents
    if get_drawer(till, day).difference_cents and not session.difference_reason:
        raise OperationError(
            409,
            "reason_missing",
            _l("Er is een kasverschil. Noteer eerst de reden bij de telling."),
        )
    if next_float_cents is None:
        next_float_cents = min(session.opening_float_cents, counted)
    if not 0 <= next_float_cents <= counted:
        raise OperationError(
            422,
            "invalid_next_float",
            _l("De wisselkas voor morgen kan niet meer zijn dan er geteld is."),
        )
    if to_bank_cents is None:
        to_bank_cents = counted - next_float_cents
    if not 0 <= to_bank_cents <= counted - next_float_cents:
        raise OperationError(
            422,
            "invalid_to_bank",
            _l("Naar de bank kan niet meer gaan dan wat er na de wisselkas overblijft."),
        )
    session.next_float_cents = next_float_cents
    if to_bank_cents:
        session.movements.append(
            CashMovement(
                amount_cents=-to_bank_cents,
                reason="Naar de bank",
                kind=TO_BANK,
                user_id=user.id,
                created_at=now,
            )
        )
    return make_z_report(till, day, user, now)


def make_z_report(till: Till, day: date, user: User, now: datetime) -> ZReport:
    """Make the till's numbered, final Z report of the day from its figures as they are now."""
    db.session.flush()
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

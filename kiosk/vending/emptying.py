"""Empty a machine's cash box: count it per note and coin beside what its sales brought."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from kiosk.cash.drawer import checked_pieces
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import PointOfSale, User, VendingEmptying
from kiosk.vending.audit_entries import record_emptying
from kiosk.vending.queries import get_expected_cash, get_last_emptying, get_machine_till


def book_emptying(
    machine: PointOfSale, pieces: dict[int, int], user: User, now: datetime, note: str = ""
) -> VendingEmptying:
    """Store the cash taken out against the cash the sales since the last emptying brought."""
    till = get_machine_till(machine)
    if till is None:
        raise OperationError(
            422, "no_machine_till", _l("%(machine)s heeft geen kassa.", machine=machine.name)
        )
    stored, counted_cents = checked_pieces(pieces)
    last = get_last_emptying(machine)
    since = last.created_at if last is not None else None
    emptying = VendingEmptying(
        point_of_sale_id=machine.id,
        machine=machine,
        created_at=now,
        since=since,
        user_id=user.id,
        expected_cents=get_expected_cash(till, since, now),
        counted_cents=counted_cents,
        counted_pieces=stored,
        note=note.strip()[:200] or None,
    )
    db.session.add(emptying)
    db.session.flush()
    record_emptying(emptying, user)
    return emptying

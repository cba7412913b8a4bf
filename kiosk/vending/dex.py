"""Read a vending machine's EVA-DTS audit file (DEX/UCS) and book its sales instead of counting.

An audit file is text: one data segment per line, its elements separated by `*` (`PA1*3*250`).
Per selection the machine writes `PA1` (PA101 the selection number, as on its door; PA102 its
price in cents) and then `PA2` (PA201 the paid vends since the machine was set up, PA202 their
value). The counters only go up, so the sales between two files are the difference: a
compartment's last reading is kept (`vending_compartment.dex_vends`), and the first file read
for a compartment only sets that starting point. Other segments (DXS, ID1, CA…, EA…) are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from kiosk.errors import OperationError
from kiosk.models import PointOfSale, User, VendingCompartment, VendingCount
from kiosk.vending.queries import get_compartments
from kiosk.vending.visits import Counted, book_count, lock_compartments, refuse

#: an audit file is a few kilobytes; more is not one
MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class Selection:
    """One selection's counters in an audit file."""

    number: int
    price_cents: int | None
    vends: int


def parse_dex(content: bytes) -> dict[int, Selection]:
    """Return the selections of an audit file by number; refuse what is not one."""
    not_dex = OperationError(
        422, "invalid_dex", _l("Dit is geen EVA-DTS-auditbestand (DEX) van een automaat.")
    )
    try:
        text = content.decode("ascii")
    except UnicodeDecodeError:
        raise not_dex from None
    segments = [line.strip().split("*") for line in text.splitlines() if line.strip()]
    if len(content) > MAX_BYTES or not segments or segments[0][0] not in ("DXS", "ST"):
        raise not_dex
    selections: dict[int, Selection] = {}
    current: tuple[int, int | None] | None = None
    for segment in segments:
        if segment[0] == "PA1":
            current = (whole(element(segment, 1), not_dex), optional_whole(element(segment, 2)))
        elif segment[0] == "PA2" and current is not None:
            number, price = current
            selections[number] = Selection(number, price, whole(element(segment, 1), not_dex))
            current = None
    if not selections:
        raise not_dex
    return selections


def element(segment: list[str], position: int) -> str:
    """Return a segment's element at a position ('' when the machine left it out)."""
    return segment[position].strip() if position < len(segment) else ""


def whole(text: str, refusal: OperationError) -> int:
    """Return a counter or selection number; refuse anything but digits."""
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise refusal
    return int(text)


def optional_whole(text: str) -> int | None:
    """Return a number the machine may leave out (a price), or None."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def book_dex_count(
    machine: PointOfSale, content: bytes, user: User, now: datetime
) -> tuple[VendingCount, list[VendingCompartment]]:
    """Book the sales an audit file shows since the last one; return the count and new starts.

    Compartments read for the first time only get their starting point (nothing is booked for
    them); the file's selections without a compartment are left aside. Nothing past its date is
    known from a file: take it out with a count.
    """
    selections = parse_dex(content)
    compartments = [c for c in get_compartments([machine.id]) if c.number in selections]
    lock_compartments(compartments)
    counts: list[Counted] = []
    started: list[VendingCompartment] = []
    for compartment in compartments:
        vends = selections[compartment.number].vends
        if compartment.dex_vends is None:
            started.append(compartment)
        elif vends < compartment.dex_vends:
            raise refuse(
                compartment,
                str(
                    _l(
                        "de teller staat lager dan vorige keer (%(last)s).",
                        last=compartment.dex_vends,
                    )
                ),
            )
        else:
            sold = vends - compartment.dex_vends
            if sold > compartment.count_inside:
                raise refuse(
                    compartment,
                    str(
                        _l(
                            "het bestand telt %(sold)s verkocht, er zaten er maar %(inside)s in.",
                            sold=sold,
                            inside=compartment.count_inside,
                        )
                    ),
                )
            counts.append(Counted(compartment, compartment.count_inside - sold))
    count = book_count(machine, counts, user, now)
    for compartment in compartments:
        compartment.dex_vends = selections[compartment.number].vends
    return count, started

"""A visit to the machines: fill the compartments from the shop, count what is left.

Filling moves goods from the shop's location into the machine's, first expiry first (kiosk.stock
transfer). Counting books what left a compartment as the machine's sale, paid in cash, on its
till (kiosk.sales complete_sale: VAT, receipts, reports, exports and settlement count it), and
what was taken out past its date as waste (kiosk.stock book_waste), before the sale, so the waste
takes the earliest lots; the sale's Z report is made with it (kiosk.cash.machine_days).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk import money
from kiosk.cash.machine_days import close_machine_days
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import (
    Location,
    PointOfSale,
    Sale,
    SaleLine,
    User,
    VendingCompartment,
    VendingCount,
    VendingCountLine,
)
from kiosk.periods import business_day
from kiosk.sales.operations import complete_sale
from kiosk.sales.pricing import sale_line, vat_rate
from kiosk.sales.queries import get_vat_rates
from kiosk.stock.operations import book_waste, transfer
from kiosk.vending.audit_entries import record_count, record_refill
from kiosk.vending.queries import get_earliest_best_before, get_machine_location, get_machine_till


@dataclass(frozen=True)
class Fill:
    """Pieces put into one compartment."""

    compartment: VendingCompartment
    pieces: int


@dataclass(frozen=True)
class Counted:
    """One compartment's count: the pieces left in it, and how many of those were past date."""

    compartment: VendingCompartment
    left: int
    expired: int = 0


def machine_location(machine: PointOfSale) -> Location:
    """Return the machine's stock location, or refuse when it has none."""
    location = get_machine_location(machine)
    if location is None:
        raise OperationError(
            422,
            "no_machine_location",
            _l("%(machine)s heeft geen voorraadplaats.", machine=machine.name),
        )
    return location


def refuse(compartment: VendingCompartment, message: str) -> OperationError:
    """Return a refusal about one compartment, naming it as the machine's door does."""
    return OperationError(
        422,
        "invalid_count",
        _l(
            "%(machine)s, vak %(number)s (%(product)s): %(message)s",
            machine=compartment.machine.name,
            number=compartment.number,
            product=compartment.product.name,
            message=message,
        ),
    )


def lock_compartments(compartments: list[VendingCompartment]) -> None:
    """Lock the compartments until commit and read them again (what is inside may have changed).

    Two people booking the same machine at once would otherwise both start from the same count;
    PostgreSQL makes the second wait for the first's commit (SQLite writes one at a time).
    """
    ids = sorted(compartment.id for compartment in compartments)
    db.session.scalars(
        select(VendingCompartment)
        .where(VendingCompartment.id.in_(ids))
        .order_by(VendingCompartment.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()


def book_refill(source: Location, fills: list[Fill], user: User, now: datetime) -> int:
    """Move the pieces from `source` into the machines, first expiry first; return how many."""
    lock_compartments([fill.compartment for fill in fills])
    if not any(fill.pieces for fill in fills):
        raise OperationError(422, "nothing_to_fill", _l("Vul minstens één vak aan."))
    for fill in fills:
        if fill.pieces < 0:
            raise refuse(fill.compartment, str(_l("een aantal kan niet negatief zijn.")))
        if fill.pieces > fill.compartment.to_fill:
            raise refuse(
                fill.compartment,
                str(_l("er passen nog maar %(room)s stuks bij.", room=fill.compartment.to_fill)),
            )
    per_machine: dict[int, list[Fill]] = {}
    for fill in fills:
        if fill.pieces:
            per_machine.setdefault(fill.compartment.point_of_sale_id, []).append(fill)
    for machine_fills in per_machine.values():
        machine = machine_fills[0].compartment.machine
        target = machine_location(machine)
        for fill in machine_fills:
            compartment = fill.compartment
            transfer(compartment.product, source, target, fill.pieces * 1000, user, now)
            compartment.count_inside += fill.pieces
            compartment.best_before = get_earliest_best_before(compartment.product_id, target)
        record_refill(machine, source, machine_fills, user)
    return sum(fill.pieces for fill in fills)


def book_count(
    machine: PointOfSale, counts: list[Counted], user: User, now: datetime
) -> VendingCount:
    """Book a machine's count: the expired pieces as waste, the pieces gone as one cash sale."""
    lock_compartments([counted.compartment for counted in counts])
    for counted in counts:
        if counted.compartment.point_of_sale_id != machine.id:
            raise refuse(counted.compartment, str(_l("dit vak hoort bij een andere automaat.")))
        check_count(counted)
    location = machine_location(machine)
    count = VendingCount(point_of_sale_id=machine.id, created_at=now, user_id=user.id)
    db.session.add(count)
    for counted in counts:
        compartment = counted.compartment
        count.lines.append(
            VendingCountLine(
                compartment_number=compartment.number,
                product_id=compartment.product_id,
                price_cents=compartment.price_cents,
                before=compartment.count_inside,
                left=counted.left,
                expired=counted.expired,
            )
        )
    db.session.flush()
    for counted in counts:
        if counted.expired:
            product = counted.compartment.product
            book_waste(product, location, counted.expired * 1000, "expired", user, now)
    sale = book_machine_sale(machine, count, user, now)
    count.sale_id = sale.id if sale is not None else None
    for counted in counts:
        compartment = counted.compartment
        compartment.count_inside = counted.left - counted.expired
        compartment.best_before = (
            get_earliest_best_before(compartment.product_id, location)
            if compartment.count_inside
            else None
        )
    record_count(machine, count, sale, user)
    if sale is not None:  # its Z report closes with it: a machine has no drawer to count
        close_machine_days(sale.till, business_day(now), user, now)
    return count


def check_count(counted: Counted) -> None:
    """Refuse a count below zero, above what fits or was inside, or more expired than left."""
    compartment = counted.compartment
    if counted.left < 0 or counted.expired < 0:
        raise refuse(compartment, str(_l("een aantal kan niet negatief zijn.")))
    if counted.left > compartment.capacity:
        raise refuse(
            compartment,
            str(_l("er passen maar %(capacity)s stuks in.", capacity=compartment.capacity)),
        )
    if counted.left > compartment.count_inside:
        raise refuse(
            compartment,
            str(
                _l(
                    "er zaten maar %(inside)s stuks in. Tel opnieuw.",
                    inside=compartment.count_inside,
                )
            ),
        )
    if counted.expired > counted.left:
        raise refuse(
            compartment,
            str(_l("er kunnen niet meer stuks over datum zijn dan er nog in zitten.")),
        )


def book_machine_sale(
    machine: PointOfSale, count: VendingCount, user: User, now: datetime
) -> Sale | None:
    """Book what left the compartments as one sale, paid in cash, on the machine's till."""
    till = get_machine_till(machine)
    if till is None:
        raise OperationError(
            422, "no_machine_till", _l("%(machine)s heeft geen kassa.", machine=machine.name)
        )
    consumption = machine.default_consumption
    rates = get_vat_rates(business_day(now))
    lines: list[SaleLine] = []
    for line in count.lines:
        if line.sold <= 0:
            continue
        product = line.product
        rate = vat_rate(rates, product.vat_class, consumption, product.name)
        lines.append(sale_line(len(lines) + 1, product, Decimal(line.sold), line.price_cents, rate))
    if not lines:
        return None
    total = sum(line.amount_cents for line in lines)
    paid = {"cash": money.cash_round(total)}
    key = f"vending-count-{count.id}"
    return complete_sale(
        till,
        user,
        lines,
        paid,
        consumption=consumption,
        idempotency_key=key,
        fingerprint=hashlib.sha256(key.encode()).hexdigest(),
        now=now,
        # many customers' coins, not one payment: the legal cash cap per payment does not apply
        settlement=money.settle(total, paid),
    )

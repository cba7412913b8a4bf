"""Read the vending machines: their compartments, what to bring, the cash their sales brought."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.models import (
    Location,
    Payment,
    PointOfSale,
    Product,
    Sale,
    Till,
    User,
    VendingCompartment,
    VendingCount,
    VendingCountLine,
    VendingEmptying,
)
from kiosk.models.types import VENDING_ROLE
from kiosk.reports.day_figures import within_days
from kiosk.stock.queries import get_lot_balances, get_sales_location

#: the kind of point of sale a vending machine is
MACHINE_KIND = "automaat"


def get_machines() -> list[PointOfSale]:
    """Return the vending machines, by code."""
    return list(
        db.session.scalars(
            select(PointOfSale).where(PointOfSale.kind == MACHINE_KIND).order_by(PointOfSale.code)
        )
    )


def get_machine_location(machine: PointOfSale) -> Location | None:
    """Return the stock location that is the machine: its stock is what its compartments hold."""
    return get_sales_location(machine.id)


def get_machine_till(machine: PointOfSale) -> Till | None:
    """Return the till the machine's sales are booked on."""
    return db.session.scalar(
        select(Till)
        .where(Till.point_of_sale_id == machine.id, Till.role == VENDING_ROLE)
        .order_by(Till.id)
        .limit(1)
    )


def get_compartments(machine_ids: list[int]) -> list[VendingCompartment]:
    """Return the compartments of these machines, by machine and number."""
    return list(
        db.session.scalars(
            select(VendingCompartment)
            .where(VendingCompartment.point_of_sale_id.in_(machine_ids))
            .order_by(VendingCompartment.point_of_sale_id, VendingCompartment.number)
        )
    )


@dataclass(frozen=True)
class ToBring:
    """One product of the refill round: how many pieces fill every compartment it is in."""

    product: Product
    pieces: int


def get_refill_list(compartments: list[VendingCompartment]) -> list[ToBring]:
    """Return what to bring to fill these compartments, per product, summed over machines."""
    totals: dict[int, ToBring] = {}
    for compartment in compartments:
        if compartment.to_fill:
            known = totals.get(compartment.product_id)
            pieces = (known.pieces if known else 0) + compartment.to_fill
            totals[compartment.product_id] = ToBring(compartment.product, pieces)
    return sorted(totals.values(), key=lambda line: line.product.name)


def get_earliest_best_before(product_id: int, location: Location) -> date | None:
    """Return the earliest best-before of the goods of a product still in a location."""
    dates = [
        balance.best_before
        for balance in get_lot_balances(product_id, location.id)
        if balance.quantity_milli > 0 and balance.best_before is not None
    ]
    return min(dates, default=None)


def get_expected_cash(till: Till, since: datetime | None, until: datetime) -> int:
    """Return the cash the machine's sales brought after `since` up to `until` (minus change)."""
    paid = select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
        Payment.sale_id == Sale.id, Payment.method == "cash"
    )
    query = select(func.coalesce(func.sum(paid.scalar_subquery() - Sale.change_cents), 0)).where(
        Sale.till_id == till.id, Sale.created_at <= until
    )
    if since is not None:
        query = query.where(Sale.created_at > since)
    return int(db.session.scalar(query) or 0)


def get_last_emptying(machine: PointOfSale) -> VendingEmptying | None:
    """Return the machine's latest emptying, if it was ever emptied."""
    return db.session.scalar(
        select(VendingEmptying)
        .where(VendingEmptying.point_of_sale_id == machine.id)
        .order_by(VendingEmptying.created_at.desc(), VendingEmptying.id.desc())
        .limit(1)
    )


def get_emptyings(
    machine_id: int | None, first_day: date | None, last_day: date | None
) -> list[VendingEmptying]:
    """Return the emptyings of one machine (or all) in a period of Brussels days, newest first."""
    query = select(VendingEmptying).order_by(
        VendingEmptying.created_at.desc(), VendingEmptying.id.desc()
    )
    if machine_id is not None:
        query = query.where(VendingEmptying.point_of_sale_id == machine_id)
    return list(
        db.session.scalars(within_days(query, VendingEmptying.created_at, first_day, last_day))
    )


#: the count page lists this many of the machine's latest counts
PAST_COUNTS_SHOWN = 20


@dataclass(frozen=True)
class PastCount:
    """One earlier count of a machine, as its count page lists it."""

    created_at: datetime
    counted_by: str | None
    sold: int
    sold_cents: int
    expired: int
    sale_id: int | None
    receipt_number: str | None


def get_past_counts(machine: PointOfSale, limit: int = PAST_COUNTS_SHOWN) -> list[PastCount]:
    """Return the machine's latest counts (and audit files read), newest first, with their sale."""
    line = VendingCountLine
    rows = db.session.execute(
        select(
            VendingCount.created_at,
            User.name,
            func.coalesce(func.sum(line.before - line.left), 0),
            func.coalesce(func.sum((line.before - line.left) * line.price_cents), 0),
            func.coalesce(func.sum(line.expired), 0),
            VendingCount.sale_id,
            Sale.receipt_number,
        )
        .outerjoin(line, line.count_id == VendingCount.id)
        .outerjoin(User, User.id == VendingCount.user_id)
        .outerjoin(Sale, Sale.id == VendingCount.sale_id)
        .where(VendingCount.point_of_sale_id == machine.id)
        .group_by(VendingCount.id, VendingCount.created_at, User.name, Sale.receipt_number)
        .order_by(VendingCount.created_at.desc(), VendingCount.id.desc())
        .limit(limit)
    )
    return [
        PastCount(moment, name, int(sold), int(cents), int(expired), sale_id, receipt)
        for moment, name, sold, cents, expired, sale_id, receipt in rows
    ]


def get_expiring_compartments(until: date) -> list[VendingCompartment]:
    """Return compartments with goods inside whose best-before is on or before `until`."""
    return list(
        db.session.scalars(
            select(VendingCompartment)
            .join(PointOfSale, PointOfSale.id == VendingCompartment.point_of_sale_id)
            .where(
                VendingCompartment.count_inside > 0,
                VendingCompartment.best_before.is_not(None),
                VendingCompartment.best_before <= until,
            )
            .order_by(VendingCompartment.best_before, PointOfSale.code, VendingCompartment.number)
        )
    )

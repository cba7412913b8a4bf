"""The GKS watch: a calendar year's eat-in meal turnover excl. VAT against the legal threshold.

A catering business whose meals served on the spot exceed €25,000 excl. VAT in a year must use
a certified registered cash system (GKS); drinks and take-away do not count (README, the GKS watch).
PlusKassa is no GKS, so it watches that figure and warns from the warning threshold. Both amounts
live in the rules table (seed/rules/thresholds.csv), never in code.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.models import Sale, SaleLine
from kiosk.models.rules import basis_points_to_rate
from kiosk.models.types import Consumption, VatClass, utcnow
from kiosk.money import vat_included_cents
from kiosk.periods import business_day
from kiosk.reports.dashboard import lines_in
from kiosk.reports.day_figures import SalesScope
from kiosk.sales.queries import get_threshold

LIMIT = "gks_eat_in_meals"
WARNING = "gks_warning"
#: the VAT classes of meals and food; soft drinks and alcohol are drinks, non-food is no meal
MEAL_CLASSES = (VatClass.FOOD, VatClass.TAKEAWAY_MEAL)
#: app.extensions key: per year, the settled days' scope, the newest sale id then, and the sums
MEMORY = "pluskassa.gks_settled_days"


class GksState(enum.StrEnum):
    """Where the year's eat-in meal turnover stands against the thresholds."""

    OK = "ok"
    WARNING = "warning"
    OVER = "over"


@dataclass(frozen=True)
class GksWatch:
    """A year's eat-in meal turnover excl. VAT, the thresholds in force, and the state."""

    year: int
    turnover_cents: int
    warning_cents: int | None
    limit_cents: int | None
    state: GksState
    #: the year's turnover if the rest of it goes as it went so far (the current year only)
    projected_cents: int | None = None

    @property
    def percent_of_limit(self) -> int:
        """Return the turnover as a whole percentage of the limit (0 without a limit)."""
        if not self.limit_cents:
            return 0
        return self.turnover_cents * 100 // self.limit_cents

    @property
    def needs_attention(self) -> bool:
        """Return whether managers should be warned."""
        return self.state != GksState.OK


def get_gks_watch(year: int, today: date | None = None) -> GksWatch:
    """Return the GKS watch of a calendar year (Brussels days); `today` adds a projection."""
    # the base per rate, as the VAT return splits turnover; refunds (negative lines) count off
    turnover = sum(
        gross - vat_included_cents(gross, basis_points_to_rate(rate))
        for rate, gross in get_meal_gross(year).items()
    )
    last_day = date(year, 12, 31)
    limit = get_threshold(LIMIT, last_day)
    warning = get_threshold(WARNING, last_day)
    if limit is not None and turnover > limit:
        state = GksState.OVER
    elif warning is not None and turnover >= warning:
        state = GksState.WARNING
    else:
        state = GksState.OK
    projected = None
    if today is not None and today.year == year:
        days_so_far = (today - date(year, 1, 1)).days + 1
        days_in_year = (last_day - date(year, 1, 1)).days + 1
        projected = turnover * days_in_year // days_so_far
    return GksWatch(year, turnover, warning, limit, state, projected)


def get_meal_gross(year: int) -> dict[int, int]:
    """Return a year's eat-in meal turnover incl. VAT per rate: settled days remembered.

    Adding up a busy year takes a second on a million sales, and the start page asks on every
    visit. Days before yesterday are settled: sales are immutable (yesterday stays live for a
    sale whose transaction spans midnight). Their sums are remembered per process and summed
    again when sales appeared in them since (a generated history, a till's offline sale rung up
    days ago) or the sales table shrank (a restored backup).
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    yesterday = business_day(utcnow()) - timedelta(days=1)
    settled_last = min(last, yesterday - timedelta(days=1))
    gross: dict[int, int] = {}
    if settled_last >= first:
        gross = dict(remembered_gross(SalesScope(first, settled_last)))
    live_first = max(first, settled_last + timedelta(days=1))
    if live_first <= last:
        for rate, amount in meal_gross(SalesScope(live_first, last)).items():
            gross[rate] = gross.get(rate, 0) + amount
    return gross


def remembered_gross(scope: SalesScope) -> dict[int, int]:
    """Return `meal_gross(scope)` for settled days, from this process's memory when still true."""
    memory = current_app.extensions.setdefault(MEMORY, {})
    newest = db.session.scalar(select(func.max(Sale.id))) or 0
    known = memory.get(scope.first_day.year)
    if known is not None and known[0] == scope and known[1] <= newest:
        _start, end = scope.utc_bounds()
        added = db.session.scalar(
            select(Sale.id)
            .where(Sale.id > known[1], Sale.rung_up_at < end)
            # by id: the planner then walks the few sales since, not the settled ones by time
            .order_by(Sale.id)
            .limit(1)
        )
        if added is None:
            return dict(known[2])
    gross = meal_gross(scope)
    memory[scope.first_day.year] = (scope, newest, gross)
    return gross


def meal_gross(scope: SalesScope) -> dict[int, int]:
    """Add up the eat-in meal lines of a scope per VAT rate (incl. VAT)."""
    rows = db.session.execute(
        scope.where(
            select(SaleLine.vat_rate_basis_points, func.sum(SaleLine.amount_cents))
            .select_from(SaleLine)
            .join(Sale, Sale.id == SaleLine.sale_id)
            .where(lines_in(scope))
            .where(
                func.coalesce(SaleLine.consumption, Sale.consumption) == Consumption.EAT_IN,
                SaleLine.vat_class.in_(MEAL_CLASSES),
            )
            .group_by(SaleLine.vat_rate_basis_points)
        )
    ).all()
    return {int(rate): int(gross) for rate, gross in rows}

"""A generated sales history: years of realistic sales in minutes, for the demo and benchmarks.

The history is written in batches of bulk inserts (kiosk/demo/bulk_sales.py), never through
`record_sale` one sale at a time. Each sale still gets what a real one has: its lines at the VAT
rate of its day and consumption, its payments, cash rounding and change (`money.settle`), its
VAT per rate exactly as its receipt computes it, an unbroken ticket number that continues the
till's `TicketSequence`, and a unique idempotency key. So the day figures reconcile to the cent.

It skips the stock ledger (no stock moves: history is about turnover, and the demo's stock stays
as delivered) and the print queue (no receipts to print). It writes only after a till's last
sale, so ticket numbers keep following time; run it on a shop that is not selling meanwhile.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text, update

from kiosk.catalog.queries import get_catalog_products
from kiosk.demo.baskets import Article, SalesProfile, settle_basket
from kiosk.demo.bulk_sales import PendingSale, write_batch
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Sale, TicketSequence, Till, User
from kiosk.models.types import VENDING_ROLE, Consumption, Role
from kiosk.periods import BRUSSELS
from kiosk.sales.queries import get_threshold, get_vat_rates

#: how busy each Brussels opening hour is, by the point of sale's usual consumption
OPENING_HOURS = {
    Consumption.TAKEAWAY: {9: 6, 10: 10, 11: 11, 12: 8, 13: 7, 14: 8, 15: 10, 16: 11, 17: 9},
    Consumption.EAT_IN: {
        **{10: 4, 11: 8, 12: 16, 13: 14, 14: 8, 15: 9},
        **{16: 8, 17: 6, 18: 7, 19: 6, 20: 3},
    },
}
#: Monday first; the factors average 1, so `per_day` stays the mean
WEEKDAY_FACTORS = (0.7, 0.85, 0.95, 0.95, 1.1, 1.35, 1.1)
#: (month, day) the plus-plek is closed
CLOSED_DAYS = frozenset({(1, 1), (12, 25)})
BATCH_SALES = 2000
DEMO_DAYS = 60
DEMO_SALES_PER_DAY = 25
DEMO_SEED = 2026


@dataclass(frozen=True)
class HistorySummary:
    """What a generated history holds."""

    first_day: date
    last_day: date
    till_codes: tuple[str, ...]
    sales: int
    lines: int


@dataclass
class TillPlan:
    """A till the history sells on: its point of sale's goods and its next ticket number."""

    till_id: int
    code: str
    point_of_sale_id: int
    profile: SalesProfile
    next_ticket: int


def generate_history(
    first_day: date,
    last_day: date,
    per_day: int,
    *,
    seed: int = 1,
    till_codes: list[str] | None = None,
) -> HistorySummary:
    """Write `per_day` sales a till on average for each day, on the given (or every active) till."""
    if first_day > last_day:
        raise OperationError(422, "invalid_period", _l("De eerste dag ligt na de laatste."))
    if per_day < 1 or per_day > 5000:
        raise OperationError(422, "invalid_per_day", _l("Kies 1 tot 5000 verkopen per dag."))
    rng = random.Random(seed)
    plans = till_plans(till_codes, rng)
    check_after_last_sales(plans, day_moment(first_day, time()))
    operators = operator_ids()
    sales = lines = 0
    pending: list[PendingSale] = []
    day = first_day
    while day <= last_day:
        rates = get_vat_rates(day)
        cash_limit = get_threshold("cash_limit", day)
        for plan in plans:
            for sale in day_sales(rng, plan, day, per_day, rates, cash_limit, operators):
                pending.append(sale)
                lines += len(sale.basket.lines)
            if len(pending) >= BATCH_SALES:
                sales += write_batch(pending)
                pending = []
        day += timedelta(days=1)
    sales += write_batch(pending)
    for plan in plans:
        db.session.execute(
            update(TicketSequence)
            .where(TicketSequence.till_id == plan.till_id)
            .values(last_number=plan.next_ticket - 1)
        )
    if db.session.get_bind().dialect.name == "postgresql":
        # fresh statistics, so the planner knows the tables grew (autovacuum would come later)
        db.session.execute(text("ANALYZE sale, sale_line, payment, sale_vat"))
    return HistorySummary(first_day, last_day, tuple(p.code for p in plans), sales, lines)


def add_demo_history(today: date) -> HistorySummary:
    """Give the demo the sales of its last 60 days, ending yesterday: today starts empty."""
    return generate_history(
        today - timedelta(days=DEMO_DAYS),
        today - timedelta(days=1),
        DEMO_SALES_PER_DAY,
        seed=DEMO_SEED,
    )


def till_plans(till_codes: list[str] | None, rng: random.Random) -> list[TillPlan]:
    """Return the tills to sell on, each with its point of sale's products and next ticket."""
    # a vending machine's till sells only what its counts book (kiosk.vending)
    query = (
        select(Till).where(Till.revoked_at.is_(None), Till.role != VENDING_ROLE).order_by(Till.code)
    )
    if till_codes is not None:
        query = select(Till).where(Till.code.in_(till_codes)).order_by(Till.code)
    tills = list(db.session.scalars(query))
    missing = sorted(set(till_codes or ()) - {till.code for till in tills})
    if missing:
        raise OperationError(
            422, "unknown_till", _l("Kassa %(codes)s bestaat niet.", codes=", ".join(missing))
        )
    if not tills:
        raise OperationError(422, "no_tills", _l("Er is geen kassa om verkopen op te zetten."))
    plans = []
    for till in tills:
        articles = [
            Article(p.id, p.name, p.unit, p.price_cents, p.vat_class)
            for p in get_catalog_products(till.point_of_sale)
            if p.price_cents > 0
        ]
        if not articles:
            continue  # a point of sale without products sells nothing
        last = db.session.scalar(
            select(TicketSequence.last_number).where(TicketSequence.till_id == till.id)
        )
        plans.append(
            TillPlan(
                till_id=till.id,
                code=till.code,
                point_of_sale_id=till.point_of_sale_id,
                profile=SalesProfile.for_point_of_sale(
                    articles,
                    till.point_of_sale.default_consumption,
                    till.point_of_sale.accepted_methods,
                    rng,
                ),
                next_ticket=(last or 0) + 1,
            )
        )
    return plans


def check_after_last_sales(plans: list[TillPlan], start: datetime) -> None:
    """Refuse a history that would begin before a till's last sale: tickets follow time."""
    if not plans:
        return
    last_sale = db.session.scalar(
        select(func.max(Sale.created_at)).where(Sale.till_id.in_([p.till_id for p in plans]))
    )
    if last_sale is not None and last_sale >= start:
        raise OperationError(
            409,
            "history_overlaps",
            _l(
                "Deze kassa's hebben al verkopen in of na die periode. "
                "Een geschiedenis kan alleen voor een lege periode na de laatste verkoop."
            ),
        )


def operator_ids() -> list[int]:
    """Return the people who run the tills in the history: care users, else anyone active."""
    users = db.session.execute(
        select(User.id, User.role).where(User.active.is_(True)).order_by(User.id)
    ).all()
    care = [user_id for user_id, role in users if role == Role.CARE]
    chosen = care or [user_id for user_id, _role in users]
    if not chosen:
        raise OperationError(
            422, "no_operators", _l("Er is geen gebruiker om de kassa te bedienen.")
        )
    return chosen


def day_moment(day: date, at: time) -> datetime:
    """Return the UTC moment of a Brussels wall-clock time."""
    return datetime.combine(day, at, BRUSSELS).astimezone(UTC)


def sales_count(rng: random.Random, day: date, per_day: int) -> int:
    """Return how many sales a till makes on a day: busier on Saturdays and in summer."""
    if (day.month, day.day) in CLOSED_DAYS:
        return 0
    season = 1 + 0.15 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 196) / 365.25)
    return max(0, round(per_day * WEEKDAY_FACTORS[day.weekday()] * season * rng.gauss(1, 0.1)))


def sale_moments(rng: random.Random, day: date, count: int, consumption: str) -> list[datetime]:
    """Return `count` UTC moments in the Brussels opening hours of a day, in order."""
    busy = OPENING_HOURS.get(Consumption(consumption), OPENING_HOURS[Consumption.TAKEAWAY])
    hours = rng.choices(list(busy), weights=list(busy.values()), k=count)
    # opening hours lie after the 02:00-03:00 DST change, so noon's offset holds all of them
    midnight = datetime.combine(day, time(), UTC) - brussels_offset(day)
    return sorted(midnight + timedelta(seconds=hour * 3600 + rng.randrange(3600)) for hour in hours)


def brussels_offset(day: date) -> timedelta:
    """Return how far Brussels is ahead of UTC at noon on a day (1 or 2 hours)."""
    return datetime.combine(day, time(12), BRUSSELS).utcoffset() or timedelta()


def day_sales(
    rng: random.Random,
    plan: TillPlan,
    day: date,
    per_day: int,
    rates: dict[tuple[str, str], int],
    cash_limit: int | None,
    operators: list[int],
) -> Iterator[PendingSale]:
    """Make one till's sales of one day, in ticket order."""
    count = sales_count(rng, day, per_day)
    if not count:
        return
    crew = rng.sample(operators, k=min(len(operators), rng.choice((1, 2))))
    profile = plan.profile
    for moment in sale_moments(rng, day, count, profile.default_consumption):
        consumption = profile.consumption(rng)
        basket = profile.basket(rng, consumption, rates)
        settle_basket(rng, basket, profile.methods, cash_limit)
        ticket = plan.next_ticket
        plan.next_ticket += 1
        yield PendingSale(
            plan.till_id,
            ticket,
            moment,
            (
                plan.till_id,
                plan.point_of_sale_id,
                rng.choice(crew),
                ticket,
                f"{plan.code}-{ticket:06d}",
                f"history-{plan.code}-{ticket}",  # unique per till, and says where it came from
                f"{rng.getrandbits(256):064x}",
                moment,
                consumption,
                basket.total_cents,
                basket.rounding_cents,
                basket.change_cents,
            ),
            basket,
        )

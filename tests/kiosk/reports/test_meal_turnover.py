"""The GKS watch: only meals eaten on the spot count, without VAT, per Brussels calendar year."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask import Flask

from kiosk.demo.history import generate_history
from kiosk.extensions import db
from kiosk.models import Sale, Threshold, Till
from kiosk.models.rules import basis_points_to_rate
from kiosk.money import vat_included_cents
from kiosk.reports.day_figures import SalesScope
from kiosk.reports.meal_turnover import MEMORY, GksState, get_gks_watch, meal_gross
from kiosk.sales.operations import Order, OrderLine, record_sale
from tests.conftest import Shop

# €112 incl. 12 % VAT is €100 without: 200 of them make exactly the €20,000 warning threshold
BIG_MEAL_CENTS = 11200


PRODUCTS = {
    "soup": ("Soep", 400, "takeaway_meal"),
    "cake": ("Appeltaart", 380, "food"),
    "coffee": ("Koffie", 220, "soft_drink"),
    "beer": ("Tripel", 390, "alcohol"),
    "card": ("Wenskaart", 350, "non_food"),
    "banquet": ("Feestmaal", BIG_MEAL_CENTS, "takeaway_meal"),
}


@pytest.fixture
def bistro(shop: Shop) -> dict[str, int]:
    """A bistro that serves meals, food, soft drinks and beer, eat-in or to take away."""
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in")
    ids = {"till": shop.till("BI", name="Bistro")[0], "operator": shop.user("Jan")}
    for key, (name, price, vat_class) in PRODUCTS.items():
        ids[key] = shop.product(name, price_cents=price, vat_class=vat_class, point_of_sale="BI")
    return ids


def sell(
    bistro: dict[str, int],
    lines: Sequence[tuple[str, int]],
    moment: datetime,
    consumption: str = "eat_in",
) -> Sale:
    """Record a sale at the bistro, paid exactly by card."""
    order = Order(
        operator_id=bistro["operator"],
        lines=tuple(OrderLine(bistro[key], Decimal(quantity)) for key, quantity in lines),
        payments=(("card", sum(PRODUCTS[key][1] * quantity for key, quantity in lines)),),
        consumption=consumption,
    )
    sale, _new = record_sale(
        db.session.get_one(Till, bistro["till"]), order, str(uuid.uuid4()), moment
    )
    db.session.commit()
    return sale


def test_only_meals_eaten_on_the_spot_count_without_vat(
    app: Flask, ctx: None, bistro: dict[str, int]
) -> None:
    noon = datetime(2026, 6, 10, 10, tzinfo=UTC)
    sell(bistro, [("soup", 2), ("cake", 1), ("coffee", 3), ("beer", 2), ("card", 1)], noon)
    sell(bistro, [("soup", 5), ("cake", 4)], noon, consumption="takeaway")
    watch = get_gks_watch(2026)
    # soup and cake eaten on the spot, at 12 %: 800 + 380 = 1180 incl. VAT
    vat = round(Decimal(1180) * 12 / 112)
    assert watch.turnover_cents == 1180 - vat == 1054
    assert watch.state == GksState.OK and not watch.needs_attention
    assert watch.limit_cents == 2_500_000 and watch.warning_cents == 2_000_000
    assert get_gks_watch(2025).turnover_cents == 0


def test_the_year_follows_brussels_time(app: Flask, ctx: None, bistro: dict[str, int]) -> None:
    # 23:30 on 31 December in Brussels is 22:30 UTC; 00:30 on 1 January is 23:30 UTC the day before
    sell(bistro, [("cake", 1)], datetime(2025, 12, 31, 22, 30, tzinfo=UTC))
    sell(bistro, [("soup", 1)], datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
    assert get_gks_watch(2025).turnover_cents == 380 - round(Decimal(380) * 12 / 112)
    assert get_gks_watch(2026).turnover_cents == 400 - round(Decimal(400) * 12 / 112)


@pytest.mark.parametrize(
    ("banquets", "state"),
    [(199, GksState.OK), (200, GksState.WARNING), (250, GksState.WARNING), (251, GksState.OVER)],
)
def test_warning_from_the_warning_threshold_and_over_above_the_limit(
    app: Flask, ctx: None, bistro: dict[str, int], banquets: int, state: GksState
) -> None:
    sell(bistro, [("banquet", banquets)], datetime(2026, 5, 1, 11, tzinfo=UTC))
    watch = get_gks_watch(2026)
    assert watch.turnover_cents == banquets * 10000
    assert watch.state == state
    assert watch.needs_attention == (state != GksState.OK)
    assert watch.percent_of_limit == banquets * 10000 * 100 // 2_500_000


def test_thresholds_come_from_the_rules_table(
    app: Flask, ctx: None, bistro: dict[str, int]
) -> None:
    sell(bistro, [("banquet", 50)], datetime(2026, 5, 1, 11, tzinfo=UTC))
    assert get_gks_watch(2026).state == GksState.OK
    db.session.add(Threshold(name="gks_warning", value_cents=500_000, valid_from=date(2026, 1, 1)))
    db.session.commit()
    assert get_gks_watch(2026).state == GksState.WARNING
    assert get_gks_watch(2026).warning_cents == 500_000
    assert get_gks_watch(2025).warning_cents == 2_000_000


def test_the_current_year_is_projected_to_its_end(
    app: Flask, ctx: None, bistro: dict[str, int]
) -> None:
    sell(bistro, [("banquet", 73)], datetime(2026, 3, 1, 11, tzinfo=UTC))
    # 1 January to 31 March is 90 days of 365
    watch = get_gks_watch(2026, today=date(2026, 3, 31))
    assert watch.projected_cents == 730_000 * 365 // 90
    assert get_gks_watch(2026).projected_cents is None
    assert get_gks_watch(2026, today=date(2027, 1, 5)).projected_cents is None


def test_settled_days_are_remembered_until_sales_appear_in_them(
    app: Flask, ctx: None, bistro: dict[str, int]
) -> None:
    last_year = datetime.now(UTC).year - 1
    sell(bistro, [("banquet", 10)], datetime(last_year, 1, 5, 11, tzinfo=UTC))
    assert get_gks_watch(last_year).turnover_cents == 100_000
    remembered = app.extensions[MEMORY][last_year]
    assert get_gks_watch(last_year).turnover_cents == 100_000
    assert app.extensions[MEMORY][last_year] is remembered  # not summed again
    # a generated history adds sales to settled days: the sums follow
    generate_history(date(last_year, 3, 2), date(last_year, 3, 4), 30, seed=3)
    db.session.commit()
    everything = meal_gross(SalesScope(date(last_year, 1, 1), date(last_year, 12, 31)))
    expected = sum(
        g - vat_included_cents(g, basis_points_to_rate(r)) for r, g in everything.items()
    )
    assert get_gks_watch(last_year).turnover_cents == expected > 100_000
    # today's sales always count at once
    this_year = get_gks_watch(last_year + 1).turnover_cents
    sell(bistro, [("banquet", 1)], datetime.now(UTC))
    assert get_gks_watch(last_year + 1).turnover_cents == this_year + 10_000

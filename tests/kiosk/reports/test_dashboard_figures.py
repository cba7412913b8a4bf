"""Dashboard figures: Brussels days and hours (across DST), top products, waste at cost."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask import Flask

from kiosk import money
from kiosk.demo.history import generate_history
from kiosk.extensions import db
from kiosk.models import Location, Product, Till
from kiosk.reports.dashboard import (
    get_daily_totals,
    get_daily_turnover,
    get_hourly_sales,
    get_top_products,
    get_waste_by_reason,
)
from kiosk.reports.day_figures import SalesScope, get_figures
from kiosk.sales.operations import Order, OrderLine, record_sale
from kiosk.stock.corrections import reverse_waste
from kiosk.stock.operations import DeliveredLine, book_waste, receive_delivery
from tests.conftest import Shop

SPRING = SalesScope(date(2026, 3, 28), date(2026, 3, 30))  # the 29th has 23 hours


@pytest.fixture
def two_shops(shop: Shop) -> dict[str, int]:
    """A farm shop and a gift shop with a till each, and a few products."""
    shop.point_of_sale("HW")
    shop.point_of_sale("GW", name="Geschenkwinkel")
    return {
        "farm": shop.till("HW")[0],
        "gift": shop.till("GW", name="Giftshop")[0],
        "operator": shop.user("Jan"),
        "bread": shop.product("Boerenbrood", price_cents=380),
        "cheese": shop.product("Hoevekaas", price_cents=2490, unit="kg"),
        "candle": shop.product(
            "Kaars", price_cents=1250, vat_class="non_food", point_of_sale="HW|GW"
        ),
    }


def sell(ids: dict[str, int], till: str, lines: Iterable[tuple[str, str]], moment: datetime) -> int:
    """Record a card sale; return its total."""
    prices = {"bread": 380, "cheese": 2490, "candle": 1250}
    total = sum(money.line_amount_cents(prices[name], Decimal(q)) for name, q in lines)
    order = Order(
        operator_id=ids["operator"],
        lines=tuple(OrderLine(ids[name], Decimal(quantity)) for name, quantity in lines),
        payments=(("card", total),),
    )
    record_sale(db.session.get_one(Till, ids[till]), order, str(uuid.uuid4()), moment)
    db.session.commit()
    return total


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Return a UTC moment."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_days_and_hours_are_brussels_ones_across_the_dst_change(
    app: Flask, ctx: None, two_shops: dict[str, int]
) -> None:
    sell(two_shops, "farm", [("bread", "1")], utc(2026, 3, 28, 22, 30))  # 23:30 on the 28th
    sell(two_shops, "farm", [("bread", "2")], utc(2026, 3, 28, 23, 30))  # 00:30 on the 29th
    sell(two_shops, "gift", [("candle", "1")], utc(2026, 3, 29, 9, 15))  # 11:15 summer time
    sell(two_shops, "farm", [("cheese", "0.347")], utc(2026, 3, 29, 21, 59))  # 23:59
    sell(two_shops, "farm", [("bread", "3")], utc(2026, 3, 29, 22, 0))  # 00:00 on the 30th
    sell(two_shops, "gift", [("candle", "2")], utc(2026, 3, 30, 10, 0))  # 12:00
    sell(two_shops, "farm", [("bread", "9")], utc(2026, 3, 30, 22, 0))  # the 31st: outside
    days, per_point = get_daily_turnover(SPRING)
    assert days == [date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)]
    cheese = money.line_amount_cents(2490, Decimal("0.347"))
    assert per_point == {
        "Geschenkwinkel": [0, 1250, 2500],
        "Hoevewinkel": [380, 760 + cheese, 1140],
    }
    totals = get_daily_totals(SPRING)
    for day, total in zip(days, totals, strict=True):
        assert total == get_figures(SalesScope(day, day)).turnover_cents
    hours = get_hourly_sales(SPRING)
    assert {hour: count for hour, count in enumerate(hours) if count} == {23: 2, 0: 2, 11: 1, 12: 1}
    # the autumn change: 01:30 UTC on 25 October is 02:30 winter time (and 03:30 the day before)
    sell(two_shops, "farm", [("bread", "1")], utc(2026, 10, 25, 1, 30))
    sell(two_shops, "farm", [("bread", "1")], utc(2026, 10, 24, 1, 30))
    autumn = get_hourly_sales(SalesScope(date(2026, 10, 24), date(2026, 10, 25)))
    assert {hour: count for hour, count in enumerate(autumn) if count} == {2: 1, 3: 1}


def test_top_products_by_turnover(app: Flask, ctx: None, two_shops: dict[str, int]) -> None:
    noon = utc(2026, 3, 29, 11)
    sell(two_shops, "farm", [("bread", "4"), ("cheese", "1.250")], noon)
    sell(two_shops, "gift", [("candle", "1")], noon)
    sell(two_shops, "farm", [("cheese", "0.500"), ("bread", "1")], noon)
    top = get_top_products(SPRING)
    cheese = money.line_amount_cents(2490, Decimal("1.250")) + 1245
    assert [(p.name, p.unit, p.quantity_milli, p.gross_cents) for p in top] == [
        ("Hoevekaas", "kg", 1750, cheese),
        ("Boerenbrood", "piece", 5000, 1900),
        ("Kaars", "piece", 1000, 1250),
    ]
    assert [p.name for p in get_top_products(SPRING, limit=1)] == ["Hoevekaas"]
    assert get_top_products(SalesScope(date(2026, 4, 1), date(2026, 4, 2))) == []


def test_waste_is_valued_at_the_lots_purchase_price(
    app: Flask, ctx: None, two_shops: dict[str, int]
) -> None:
    shelf = Location(code="REK", name="Winkelrek")
    db.session.add(shelf)
    bread = db.session.get_one(Product, two_shops["bread"])
    cheese = db.session.get_one(Product, two_shops["cheese"])
    cheese.purchase_price_cents = 1450  # per kg; the lot does not say
    moment = utc(2026, 3, 29, 8)
    receive_delivery(
        None,
        shelf,
        [DeliveredLine(bread, 10000, 150, "B1", None), DeliveredLine(cheese, 5000, None, "K1")],
        None,
        moment,
    )
    book_waste(bread, shelf, 2000, "expired", None, moment)
    book_waste(bread, shelf, 1000, "expired", None, moment)
    book_waste(cheese, shelf, 250, "damaged", None, moment)
    book_waste(bread, shelf, 1000, "eaten", None, moment + timedelta(days=5))  # outside
    (mistake,) = book_waste(cheese, shelf, 500, "damaged", None, moment + timedelta(minutes=1))
    db.session.flush()
    reverse_waste(mistake.id, "Verkeerde kaas aangeduid", None, moment + timedelta(hours=1))
    db.session.commit()
    waste = get_waste_by_reason(SPRING)
    # 0.250 kg at 14.50 €/kg is 362.5 cents: rounded half up once, on the total; the
    # reversed 0.500 kg counts nowhere
    assert [(w.reason, w.bookings, w.value_cents) for w in waste] == [
        ("expired", 2, 450),
        ("damaged", 1, 363),
    ]


def test_the_figures_of_a_generated_history_add_up(
    app: Flask, ctx: None, two_shops: dict[str, int]
) -> None:
    scope = SalesScope(date(2025, 6, 1), date(2025, 6, 14))
    generate_history(scope.first_day, scope.last_day, 20, seed=9)
    db.session.commit()
    figures = get_figures(scope)
    assert sum(get_daily_totals(scope)) == figures.turnover_cents
    assert sum(get_hourly_sales(scope)) == figures.sales_count
    top = get_top_products(scope, limit=100)
    assert sum(product.gross_cents for product in top) == figures.turnover_cents
    assert [p.gross_cents for p in top] == sorted((p.gross_cents for p in top), reverse=True)

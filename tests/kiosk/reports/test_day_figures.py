"""Day figures and the cash drawer: every number reconciles with the sales, to the cent."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import money
from kiosk.cash.drawer import (
    add_cash_movement,
    close_day,
    get_drawer,
    open_cash_session,
    record_cash_count,
)
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Sale, Till, User
from kiosk.reports.day_figures import Figures, SalesScope, day_start, get_figures
from kiosk.sales.receipts import build_receipt
from tests.kiosk.sales_support import sell

DAY = date(2026, 11, 20)
NOON = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)


def check_reconciles(scope: SalesScope) -> Figures:
    """Assert the figures of a scope agree with its sales, their receipts and one another."""
    figures = get_figures(scope)
    sales = db.session.scalars(scope.where(db.select(Sale))).all()
    assert figures.sales_count + figures.refunds_count == len(sales)
    assert figures.turnover_cents == sum(line.amount_cents for s in sales for line in s.lines)
    # lines = payments − change − rounding
    assert figures.turnover_cents == figures.received_cents - figures.rounding_cents
    receipts = [build_receipt(s) for s in sales]
    by_rate: dict[str, list[int]] = {}
    for receipt in receipts:
        for summary in receipt.vat_summaries:
            totals = by_rate.setdefault(summary.rate, [0, 0])
            totals[0] += summary.total_cents
            totals[1] += summary.vat_cents
    assert {
        str(Decimal(t.rate_basis_points) / 100).rstrip("0").rstrip("."): [
            t.gross_cents,
            t.vat_cents,
        ]
        for t in figures.vat
    } == by_rate
    assert sum(t.gross_cents for t in figures.vat) == figures.turnover_cents
    assert sum(g.gross_cents for g in figures.categories) == figures.turnover_cents
    assert sum(g.gross_cents for g in figures.operators) == figures.turnover_cents
    assert sum(g.base_cents for g in figures.operators) == figures.base_cents
    assert sum(g.count for g in figures.operators) == len(sales)
    return figures


def test_a_day_adds_up_per_rate_method_category_and_operator(
    app: Flask, ctx: None, goods: dict[str, Any]
) -> None:
    sell(goods["till"], goods["operator"], [(goods["bread"], "2")], [("cash", 1000)], NOON)
    sell(
        goods["till"],
        goods["second_operator"],
        [(goods["cheese"], "0.347"), (goods["candle"], "1")],
        [("card", 500), ("cash", 2000)],
        NOON + timedelta(hours=1),
    )
    sell(goods["gift_till"], goods["operator"], [(goods["candle"], "3")], [("card", 3897)], NOON)
    figures = check_reconciles(SalesScope(DAY, DAY))
    cheese = money.line_amount_cents(2495, Decimal("0.347"))  # 866
    assert figures.turnover_cents == 770 + cheese + 1299 + 3897
    assert [(t.rate_basis_points, t.gross_cents) for t in figures.vat] == [
        (600, 770 + cheese),
        (2100, 1299 + 3897),
    ]
    assert figures.payments == {"card": 500 + 3897, "cash": 770 + (cheese + 1299 - 500) + 0}
    assert figures.rounding_cents == money.cash_round(cheese + 1299 - 500) - (cheese + 1299 - 500)
    assert figures.payments["cash"] == 770 + money.cash_round(cheese + 1299 - 500)
    codes = {db.session.get_one(Till, goods[name]).code: name for name in ("till", "gift_till")}
    assert {
        codes[t.till_code]: (t.first_ticket, t.last_ticket, t.count) for t in figures.tickets
    } == {
        "till": (1, 2, 2),
        "gift_till": (1, 1, 1),
    }
    farm = check_reconciles(SalesScope(DAY, DAY, till_id=goods["till"]))
    assert farm.sales_count == 2
    assert farm.average_basket_cents == (770 + cheese + 1299 + 1) // 2


def test_business_days_follow_brussels_time_across_both_dst_changes(
    app: Flask, ctx: None, goods: dict[str, Any]
) -> None:
    # 2026-03-29 has 23 hours, 2026-10-25 has 25; the database keeps UTC
    spring, autumn = date(2026, 3, 29), date(2026, 10, 25)
    assert day_start(spring) == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    assert day_start(spring + timedelta(days=1)) - day_start(spring) == timedelta(hours=23)
    assert day_start(autumn + timedelta(days=1)) - day_start(autumn) == timedelta(hours=25)
    moments = [
        datetime(2026, 3, 28, 22, 59, tzinfo=UTC),  # 23:59 on the 28th in Brussels
        datetime(2026, 3, 28, 23, 0, tzinfo=UTC),  # midnight: the 29th
        datetime(2026, 3, 29, 21, 59, tzinfo=UTC),  # 23:59 CEST on the 29th
        datetime(2026, 3, 29, 22, 0, tzinfo=UTC),  # the 30th
        datetime(2026, 10, 25, 22, 59, tzinfo=UTC),  # 23:59 CET on the 25th
        datetime(2026, 10, 25, 23, 0, tzinfo=UTC),  # the 26th
    ]
    for moment in moments:
        sell(goods["till"], goods["operator"], [(goods["bread"], "1")], [("card", 385)], moment)
    counts = {
        day: get_figures(SalesScope(day, day)).sales_count
        for day in (date(2026, 3, 28), spring, date(2026, 3, 30), autumn, date(2026, 10, 26))
    }
    assert counts == {
        date(2026, 3, 28): 1,
        spring: 2,
        date(2026, 3, 30): 1,
        autumn: 1,
        date(2026, 10, 26): 1,
    }


def test_the_drawer_expects_float_cash_taken_and_cash_moved(
    app: Flask, ctx: None, goods: dict[str, Any]
) -> None:
    till = db.session.get_one(Till, goods["till"])
    manager = db.session.get_one(User, goods["operator"])
    open_cash_session(till, DAY, 15000, manager, NOON)
    sell(goods["till"], goods["operator"], [(goods["bread"], "3")], [("cash", 2000)], NOON)
    add_cash_movement(till, DAY, -2500, "Eieren betaald aan boer", manager, NOON)
    add_cash_movement(till, DAY, 1000, "Extra wisselgeld", manager, NOON)
    record_cash_count(
        till, DAY, {5000: 2, 2000: 1, 1000: 1, 500: 3, 10: 2}, manager, NOON, "geteld in de test"
    )
    db.session.commit()
    drawer = get_drawer(till, DAY)
    assert drawer.expected_cents == 15000 + 1155 - 2500 + 1000
    assert drawer.counted_cents == 10000 + 2000 + 1000 + 1500 + 20
    assert drawer.difference_cents == 14520 - 14655


def test_the_z_report_freezes_the_x_figures_and_numbers_without_gaps(
    app: Flask, ctx: None, goods: dict[str, Any]
) -> None:
    till = db.session.get_one(Till, goods["till"])
    manager = db.session.get_one(User, goods["operator"])
    for offset, day in enumerate((DAY, DAY + timedelta(days=1))):
        sell(
            goods["till"],
            goods["operator"],
            [(goods["bread"], "1")],
            [("cash", 400)],
            NOON + timedelta(days=offset),
        )
        record_cash_count(till, day, {200: 2}, manager, NOON, "geteld in de test")
        x_report = get_drawer(till, day).as_json()
        report = close_day(till, day, manager, NOON + timedelta(days=offset, hours=8))
        db.session.commit()
        assert report.number == offset + 1
        # the close adds what stays in the drawer (this morning's float: none) and goes to the bank
        assert json.loads(report.figures) == {
            **x_report,
            "next_float_cents": 0,
            "to_bank_cents": 400,
        }
    with pytest.raises(OperationError) as closed:
        close_day(till, DAY, manager, NOON)
    assert closed.value.code == "day_closed"
    with pytest.raises(OperationError):
        add_cash_movement(till, DAY, 100, "te laat", manager, NOON)
    with pytest.raises(OperationError):
        record_cash_count(till, DAY, {200: 3}, manager, NOON, "geteld in de test")


@pytest.mark.parametrize(
    ("pieces", "code"),
    [({3: 1}, "unknown_piece"), ({200: -1}, "invalid_count"), ({200: 10000}, "invalid_count")],
)
def test_a_count_refuses_pieces_that_do_not_exist(
    app: Flask, ctx: None, goods: dict[str, Any], pieces: dict[int, int], code: str
) -> None:
    till = db.session.get_one(Till, goods["till"])
    with pytest.raises(OperationError) as refused:
        record_cash_count(
            till,
            DAY,
            pieces,
            db.session.get_one(User, goods["operator"]),
            NOON,
            "geteld in de test",
        )
    assert refused.value.code == code


def test_a_day_cannot_close_before_the_count(app: Flask, ctx: None, goods: dict[str, Any]) -> None:
    till = db.session.get_one(Till, goods["till"])
    with pytest.raises(OperationError) as refused:
        close_day(till, DAY, db.session.get_one(User, goods["operator"]), NOON)
    assert refused.value.code == "not_counted"


baskets = st.lists(
    st.tuples(
        st.lists(
            st.tuples(st.sampled_from(["bread", "cheese", "candle"]), st.integers(1, 3000)),
            min_size=1,
            max_size=4,
        ),
        st.sampled_from(["cash", "card", "mixed"]),
        st.integers(0, 2 * 24 * 60 - 1),  # minutes from the start of the first day
        st.sampled_from(["operator", "second_operator"]),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=baskets)
def test_generated_histories_reconcile(
    app: Flask,
    ctx: None,
    goods: dict[str, Any],
    history: list[tuple[list[tuple[str, int]], str, int, str]],
) -> None:
    # each example starts without sales (the fixtures are made once for all examples)
    for table in ("sale_vat", "payment", "stock_move", "print_job", "sale_line"):
        db.session.execute(db.text(f"DELETE FROM {table}"))
    db.session.execute(db.text("DELETE FROM sale"))
    db.session.execute(db.text("UPDATE ticket_sequence SET last_number = 0"))
    db.session.commit()
    start = day_start(DAY)
    for lines, method, minute, who in history:
        order_lines = [
            (goods[name], str(Decimal(amount) / 1000) if name == "cheese" else str(amount % 5 + 1))
            for name, amount in lines
        ]
        total = sum(
            money.line_amount_cents(
                {"bread": 385, "cheese": 2495, "candle": 1299}[name], Decimal(quantity)
            )
            for (name, _), (_, quantity) in zip(lines, order_lines, strict=True)
        )
        payments = {
            "cash": [("cash", money.cash_round(total) + 500)],
            "card": [("card", total)],
            "mixed": [("card", max(1, total // 2)), ("cash", total + 500)],
        }[method]
        sell(goods["till"], goods[who], order_lines, payments, start + timedelta(minutes=minute))
    first = check_reconciles(SalesScope(DAY, DAY))
    second = check_reconciles(SalesScope(DAY + timedelta(days=1), DAY + timedelta(days=1)))
    both = check_reconciles(SalesScope(DAY, DAY + timedelta(days=1)))
    assert both.sales_count == first.sales_count + second.sales_count == len(history)
    assert both.turnover_cents == first.turnover_cents + second.turnover_cents

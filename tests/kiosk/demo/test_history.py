"""The generated sales history: every sale is a real one, to the cent, and fast to make."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from kiosk import money
from kiosk.demo.history import CLOSED_DAYS, OPENING_HOURS, generate_history
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Payment, Sale, SaleLine, StockMove, TicketSequence, Till
from kiosk.models.types import Consumption
from kiosk.periods import BRUSSELS, business_day
from kiosk.reports.day_figures import SalesScope, day_start, get_figures
from kiosk.sales.operations import Order, OrderLine, record_sale, vat_totals
from kiosk.sales.queries import get_vat_rates
from tests.conftest import Shop

# the VAT change of 1 March 2026 lies inside; 29 March 2026 has 23 hours
FIRST, LAST = date(2026, 2, 27), date(2026, 3, 2)
DST_DAY = date(2026, 3, 29)


@pytest.fixture
def plus_plek(shop: Shop) -> dict[str, int]:
    """A farm shop and a bistro with a till each, products of every VAT class, two operators."""
    shop.point_of_sale("HW")
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in")
    ids = {
        "farm_till": shop.till("HW", name="Toog")[0],
        "bistro_till": shop.till("BI", name="Bistro")[0],
        "operator": shop.user("Jan"),
        "second_operator": shop.user("Lien"),
    }
    for name, price, unit, vat_class, point in (
        ("Boerenbrood", 380, "piece", "food", "HW"),
        ("Hoevekaas", 2490, "kg", "food", "HW"),
        ("Appelsap 1 l", 350, "piece", "soft_drink", "HW|BI"),
        ("Kaars", 1250, "piece", "non_food", "HW"),
        ("Soep van de dag", 400, "piece", "takeaway_meal", "BI"),
        ("Dagschotel", 1450, "piece", "takeaway_meal", "BI"),
        ("Appeltaart", 380, "piece", "food", "BI"),
        ("Koffie", 220, "piece", "soft_drink", "BI"),
        ("Tripel", 390, "piece", "alcohol", "BI"),
    ):
        ids[name] = shop.product(
            name, price_cents=price, unit=unit, vat_class=vat_class, point_of_sale=point
        )
    return ids


def all_sales() -> Sequence[Sale]:
    """Return every sale, in till and ticket order."""
    return db.session.scalars(select(Sale).order_by(Sale.till_id, Sale.ticket_number)).all()


def snapshot() -> list[tuple[Any, ...]]:
    """Return what the stored history is, row by row, without database ids."""
    return [
        (
            sale.receipt_number,
            sale.created_at,
            sale.consumption,
            sale.total_cents,
            sale.rounding_cents,
            sale.change_cents,
            [(line.description, line.quantity_milli, line.amount_cents) for line in sale.lines],
            [(payment.method, payment.amount_cents) for payment in sale.payments],
        )
        for sale in all_sales()
    ]


def test_every_day_reconciles_to_the_cent(app: Flask, ctx: None, plus_plek: dict[str, int]) -> None:
    summary = generate_history(FIRST, LAST, 40, seed=3)
    db.session.commit()
    assert summary.till_codes == ("BI1", "HW1")
    assert summary.sales == db.session.scalars(select(func.count(Sale.id))).one() > 200
    assert summary.lines == db.session.scalar(select(func.count(SaleLine.id)))
    day = FIRST
    while day <= LAST:
        scope = SalesScope(day, day)
        figures = get_figures(scope)
        sales = db.session.scalars(scope.where(select(Sale))).all()
        assert figures.sales_count == len(sales) > 0
        lines = [line for sale in sales for line in sale.lines]
        assert figures.turnover_cents == sum(line.amount_cents for line in lines)
        # lines = payments − change − rounding
        assert figures.received_cents - figures.rounding_cents == figures.turnover_cents
        assert sum(t.gross_cents for t in figures.vat) == figures.turnover_cents
        rates = get_vat_rates(day)
        for sale in sales:
            assert business_day(sale.created_at) == day
            assert sale.total_cents == sum(line.amount_cents for line in sale.lines) > 0
            paid = sum(payment.amount_cents for payment in sale.payments)
            assert paid - sale.change_cents - sale.rounding_cents == sale.total_cents
            # only the part paid in cash is rounded to 5 cents
            card = sum(p.amount_cents for p in sale.payments if p.method != "cash")
            if any(p.method == "cash" for p in sale.payments):
                assert (sale.total_cents - card + sale.rounding_cents) % 5 == 0
            else:
                assert sale.rounding_cents == sale.change_cents == 0
            expected = [
                (vat.rate_basis_points, vat.gross_cents, vat.vat_cents)
                for vat in vat_totals(list(sale.lines))
            ]
            stored = [(v.rate_basis_points, v.gross_cents, v.vat_cents) for v in sale.vat_totals]
            assert stored == expected
            for line in sale.lines:
                assert line.vat_rate_basis_points == rates[line.vat_class, sale.consumption]
                if line.unit == "piece":
                    assert line.quantity_milli % 1000 == 0
                assert line.amount_cents == money.line_amount_cents(
                    line.unit_price_cents, line.quantity
                )
        day += timedelta(days=1)
    # the rate table of each day was used: eat-in soft drinks went from 21 % to 12 %
    coffee_rates = {
        (business_day(sale.created_at) >= date(2026, 3, 1), line.vat_rate_basis_points)
        for sale in all_sales()
        if sale.consumption == Consumption.EAT_IN
        for line in sale.lines
        if line.description == "Koffie"
    }
    assert coffee_rates == {(False, 2100), (True, 1200)}


def test_baskets_and_payments_look_like_a_plus_plek(
    app: Flask, ctx: None, plus_plek: dict[str, int]
) -> None:
    generate_history(FIRST, LAST, 60, seed=4)
    db.session.commit()
    sales = all_sales()
    bistro = [sale for sale in sales if sale.till_id == plus_plek["bistro_till"]]
    farm = [sale for sale in sales if sale.till_id == plus_plek["farm_till"]]
    assert {sale.consumption for sale in farm} == {Consumption.TAKEAWAY}
    eat_in = sum(sale.consumption == Consumption.EAT_IN for sale in bistro) / len(bistro)
    assert 0.6 < eat_in < 0.95
    assert all(line.description != "Kaars" for sale in bistro for line in sale.lines)
    assert any(line.unit == "kg" and line.quantity_milli % 1000 for s in farm for line in s.lines)
    methods = Counter(tuple(sorted(p.method for p in sale.payments)) for sale in sales)
    assert set(methods) == {("cash",), ("card",), ("card", "cash")}
    assert methods["cash",] > methods["card", "cash"] and methods["card",] > methods["card", "cash"]
    assert any(sale.change_cents for sale in sales) and any(sale.rounding_cents for sale in sales)
    assert {sale.operator_id for sale in sales} == {
        plus_plek["operator"],
        plus_plek["second_operator"],
    }
    for sale in sales:
        local = sale.created_at.astimezone(BRUSSELS)
        default = Consumption.EAT_IN if sale in bistro else Consumption.TAKEAWAY
        assert local.hour in OPENING_HOURS[default]
    assert db.session.scalar(select(func.count(StockMove.id))) == 0  # history skips the ledger


def test_ticket_numbers_run_on_from_the_tills_sequence_unbroken(
    app: Flask, ctx: None, plus_plek: dict[str, int]
) -> None:
    till = db.session.get_one(Till, plus_plek["farm_till"])
    order = Order(
        operator_id=plus_plek["operator"],
        lines=(OrderLine(plus_plek["Boerenbrood"], Decimal(1)),),
        payments=(("card", 380),),
    )
    record_sale(till, order, str(uuid.uuid4()), datetime(2026, 2, 20, 10, tzinfo=UTC))
    db.session.commit()
    generate_history(FIRST, LAST, 20, seed=5)
    generate_history(DST_DAY, DST_DAY, 20, seed=6)  # a second run carries on
    db.session.commit()
    for till_id in (plus_plek["farm_till"], plus_plek["bistro_till"]):
        sales = [sale for sale in all_sales() if sale.till_id == till_id]
        code = db.session.get_one(Till, till_id).code
        assert [sale.ticket_number for sale in sales] == list(range(1, len(sales) + 1))
        assert [sale.receipt_number for sale in sales] == [
            f"{code}-{n:06d}" for n in range(1, len(sales) + 1)
        ]
        moments = [sale.created_at for sale in sales]
        assert moments == sorted(moments)  # ticket order is time order
        sequence = db.session.get_one(TicketSequence, till_id)
        assert sequence.last_number == len(sales)
    keys = [(sale.till_id, sale.idempotency_key) for sale in all_sales()]
    assert len(set(keys)) == len(keys)
    assert all(len(sale.request_hash) == 64 for sale in all_sales())
    dst_sales = get_figures(SalesScope(DST_DAY, DST_DAY)).sales_count
    assert dst_sales == db.session.scalar(
        select(func.count(Sale.id)).where(Sale.created_at >= day_start(DST_DAY))
    )
    # the next real sale takes the next number
    sale, _new = record_sale(till, order, str(uuid.uuid4()), datetime(2026, 4, 1, 10, tzinfo=UTC))
    assert sale.ticket_number == db.session.get_one(TicketSequence, till.id).last_number


def test_the_same_seed_makes_the_same_history(
    app: Flask, ctx: None, plus_plek: dict[str, int]
) -> None:
    generate_history(FIRST, LAST, 15, seed=11)
    db.session.commit()
    first = snapshot()
    for table in ("sale_vat", "payment", "sale_line", "sale"):
        db.session.execute(db.text(f"DELETE FROM {table}"))
    db.session.execute(db.text("UPDATE ticket_sequence SET last_number = 0"))
    db.session.commit()
    generate_history(FIRST, LAST, 15, seed=11)
    db.session.commit()
    assert snapshot() == first
    for table in ("sale_vat", "payment", "sale_line", "sale"):
        db.session.execute(db.text(f"DELETE FROM {table}"))
    db.session.execute(db.text("UPDATE ticket_sequence SET last_number = 0"))
    generate_history(FIRST, LAST, 15, seed=12)
    assert snapshot() != first


def test_busy_days_and_closed_days(app: Flask, ctx: None, plus_plek: dict[str, int]) -> None:
    # a Saturday sells more than a Monday on average; Christmas is closed
    generate_history(date(2025, 12, 1), date(2025, 12, 31), 30, seed=1)
    db.session.commit()
    per_day = {
        day: get_figures(SalesScope(day, day)).sales_count
        for day in (date(2025, 12, 1) + timedelta(days=n) for n in range(31))
    }
    assert per_day[date(2025, 12, 25)] == 0 and (12, 25) in CLOSED_DAYS
    saturdays = [count for day, count in per_day.items() if day.weekday() == 5]
    mondays = [count for day, count in per_day.items() if day.weekday() == 0]
    assert sum(saturdays) / len(saturdays) > sum(mondays) / len(mondays)
    open_days = [count for day, count in per_day.items() if count]
    assert 40 < sum(open_days) / len(open_days) < 80  # two tills, 30 a day each on average


def test_a_history_cannot_go_back_before_a_tills_last_sale(
    app: Flask, ctx: None, plus_plek: dict[str, int]
) -> None:
    generate_history(FIRST, LAST, 10, seed=1)
    db.session.commit()
    before = snapshot()
    with pytest.raises(OperationError) as overlap:
        generate_history(LAST, LAST + timedelta(days=2), 10, seed=2)
    assert overlap.value.code == "history_overlaps"
    db.session.rollback()
    with pytest.raises(OperationError) as unknown:
        generate_history(DST_DAY, DST_DAY, 10, till_codes=["ZZ9"])
    assert unknown.value.code == "unknown_till"
    with pytest.raises(OperationError):
        generate_history(LAST, FIRST, 10)
    assert snapshot() == before


def test_only_the_chosen_tills_sell(app: Flask, ctx: None, plus_plek: dict[str, int]) -> None:
    generate_history(FIRST, FIRST, 10, till_codes=["BI1"])
    db.session.commit()
    assert {sale.till_id for sale in all_sales()} == {plus_plek["bistro_till"]}
    assert db.session.get_one(TicketSequence, plus_plek["farm_till"]).last_number == 0


def test_seed_history_command(cli: Any, app: Flask, plus_plek: dict[str, int]) -> None:
    result = cli("seed", "history", "--days", "3", "--per-day", "8", "--seed", "2")
    assert result.exit_code == 0, result.output
    yesterday = datetime.now(BRUSSELS).date() - timedelta(days=1)
    with app.app_context():
        sales = all_sales()
        assert f"{len(sales)} verkopen" in result.output
        assert "BI1, HW1" in result.output
        days = {business_day(sale.created_at) for sale in sales}
        assert max(days) == yesterday and min(days) >= yesterday - timedelta(days=2)
    again = cli("seed", "history", "--days", "3")
    assert again.exit_code == 1
    assert "al verkopen" in again.output
    refused = cli("seed", "history", "--days", "0")
    assert refused.exit_code == 2


def test_the_demo_carries_60_days_ending_yesterday(cli: Any, app: Flask) -> None:
    result = cli("seed", "demo")
    assert result.exit_code == 0, result.output
    today = datetime.now(BRUSSELS).date()
    with app.app_context():
        first, last = db.session.execute(
            select(func.min(Sale.created_at), func.max(Sale.created_at))
        ).one()
        assert business_day(first) == today - timedelta(days=60)
        assert business_day(last) == today - timedelta(days=1)
        assert get_figures(SalesScope(today, today)).sales_count == 0
        count = db.session.scalars(select(func.count(Sale.id))).one()
        assert 2000 < count < 12000
        tills = db.session.scalars(select(Till)).all()
        # AU1 books the demo vending machine's counts: the history sells nothing there
        assert {till.code for till in tills} == {"HW1", "GW1", "BI1", "AU1"}
        machine_till = next(till for till in tills if till.code == "AU1")
        assert db.session.get_one(TicketSequence, machine_till.id).last_number == 0
        for till in tills:
            numbers = db.session.scalars(
                select(Sale.ticket_number).where(Sale.till_id == till.id)
            ).all()
            assert db.session.get_one(TicketSequence, till.id).last_number == len(numbers)
            assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assert db.session.scalars(select(func.count(Payment.id))).one() >= count
    assert datetime.combine(today, time(), BRUSSELS) > last  # nothing today

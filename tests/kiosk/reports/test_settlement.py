"""Consignment settlement: statements reconcile with the sales made through the real API."""

from __future__ import annotations

import csv
import io
import itertools
import uuid
from collections import defaultdict
from collections.abc import Container, Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kiosk import money
from kiosk.extensions import db
from kiosk.models import PointOfSale, Producer, Product, Sale, SaleLine, Till, User
from kiosk.periods import parse_day
from kiosk.reports.settlement import (
    Settlement,
    find_producer,
    get_settlement,
    period_bounds,
)
from tests.conftest import Shop, present

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(text: str) -> datetime:
    """Return a UTC moment written '2026-01-31 23:30'."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """Set the till's clock: sales are recorded at clock[0] (UTC)."""
    moment = [at("2026-01-15 12:00")]
    monkeypatch.setattr("kiosk.api.sales.utcnow", lambda: moment[0])
    return moment


@pytest.fixture
def world(app: Flask, shop: Shop, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """Two producers: De Linde on consignment (20 %), bakery Peeters sells to the shop."""
    juice = shop.product("Appelsap", price_cents=220, vat_class="soft_drink")
    with app.app_context():
        linde = Producer(
            name="Hoeve De Linde",
            farm="De Linde",
            town="Lier",
            consignment=True,
            commission_percent=20,
        )
        peeters = Producer(name="Bakkerij Peeters", consignment=False)
        db.session.add_all([linde, peeters])
        db.session.flush()
        for key, producer in [
            ("eggs", linde),
            ("cheese", linde),
            ("candle", linde),
            ("bread", peeters),
        ]:
            db.session.get_one(Product, farm_shop[key]).producer = producer
        db.session.get_one(Product, juice).producer = peeters
        db.session.commit()
        return {**farm_shop, "juice": juice, "linde": linde.id, "peeters": peeters.id}


def sell(
    client: FlaskClient,
    world: dict[str, Any],
    clock: list[datetime],
    when: datetime,
    *lines: tuple[str, str],
) -> dict[str, Any]:
    """Sell through POST /api/v1/sales at `when`; return the sale document."""
    clock[0] = when
    body = {
        "operator_id": world["operator_id"],
        "lines": [{"product_id": world[key], "quantity": quantity} for key, quantity in lines],
        "payments": [{"method": "cash", "amount_cents": 200_000}],  # the till gives change
    }
    headers = {**world["headers"], "Idempotency-Key": str(uuid.uuid4())}
    response = client.post("/api/v1/sales", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def statement(
    app: Flask, world: dict[str, Any], producer: str, first: date, last: date
) -> Settlement:
    with app.app_context():
        return get_settlement(db.session.get_one(Producer, world[producer]), first, last)


def lines_of(sales: Iterable[dict[str, Any]], product_ids: Container[int]) -> list[dict[str, Any]]:
    return [line for sale in sales for line in sale["lines"] if line["product_id"] in product_ids]


def linde_products(world: dict[str, Any]) -> set[int]:
    return {world["eggs"], world["cheese"], world["candle"]}


# --- the rules as pure functions -----------------------------------------------------------------


RATES = st.sampled_from([Decimal(0), Decimal(6), Decimal(12), Decimal(21), Decimal("5.5")])


def test_a_period_is_whole_brussels_days_in_winter_and_summer() -> None:
    assert period_bounds(date(2026, 1, 1), date(2026, 1, 31)) == (
        at("2025-12-31 23:00"),
        at("2026-01-31 23:00"),
    )
    assert period_bounds(date(2026, 7, 1), date(2026, 7, 31)) == (
        at("2026-06-30 22:00"),
        at("2026-07-31 22:00"),
    )
    # the day summer time starts has 23 hours
    start, end = period_bounds(date(2026, 3, 29), date(2026, 3, 29))
    assert end - start == timedelta(hours=23)


def test_parse_day_takes_iso_dates_of_this_era_only() -> None:
    assert parse_day(" 2026-02-28 ") == date(2026, 2, 28)
    assert [parse_day(t) for t in ("2026-02-30", "31-01-2026", "", None, "0202-01-01")] == [
        None
    ] * 5


# --- statements from real sales ------------------------------------------------------------------


def test_statement_keeps_to_the_brussels_days_of_the_period(
    app: Flask, client: FlaskClient, world: dict[str, Any], clock: list[datetime]
) -> None:
    def sale(when: str, *lines: tuple[str, str]) -> dict[str, Any]:
        return sell(client, world, clock, at(when), *lines)

    before = [
        sale("2025-12-31 22:30", ("eggs", "1")),  # 31 December 23:30 in Brussels
        sale("2026-01-31 23:30", ("eggs", "2")),  # already 1 February in Brussels
    ]
    inside = [
        sale("2025-12-31 23:30", ("eggs", "3")),  # 1 January 00:30 in Brussels
        sale("2026-01-15 12:00", ("eggs", "2"), ("bread", "1"), ("cheese", "0.347")),
        sale("2026-01-20 09:00", ("candle", "1"), ("juice", "2")),
        sale("2026-01-31 22:59", ("cheese", "1.5")),  # 23:59 in Brussels
    ]
    settlement = statement(app, world, "linde", date(2026, 1, 1), date(2026, 1, 31))
    expected = lines_of(inside, linde_products(world))
    assert settlement.turnover_cents == sum(line["amount_cents"] for line in expected)
    assert settlement.turnover_cents == 885 + 590 + 864 + 1250 + 3735
    assert {line.name: line.quantity_milli for line in settlement.lines} == {
        "Eieren (6)": 5000,
        "Hoevekaas": 1847,
        "Kaars": 1000,
    }
    assert lines_of(before, linde_products(world))  # those sales did sell De Linde's eggs


def test_summer_time_moves_the_day_boundary_by_an_hour(
    app: Flask, client: FlaskClient, world: dict[str, Any], clock: list[datetime]
) -> None:
    for when in ("2026-06-30 21:59", "2026-06-30 22:00", "2026-07-31 21:59", "2026-07-31 22:00"):
        sell(client, world, clock, at(when), ("eggs", "1"))
    settlement = statement(app, world, "linde", date(2026, 7, 1), date(2026, 7, 31))
    assert settlement.lines[0].quantity_milli == 2000  # 22:00 UTC opens and closes July


def test_vat_of_single_producer_receipts_is_exactly_what_they_print(
    app: Flask, client: FlaskClient, world: dict[str, Any], clock: list[datetime]
) -> None:
    sales = [
        sell(client, world, clock, at("2026-02-02 10:00"), ("eggs", "1")),
        sell(client, world, clock, at("2026-02-03 10:00"), ("eggs", "1")),
        sell(client, world, clock, at("2026-02-04 10:00"), ("eggs", "1"), ("candle", "1")),
    ]
    settlement = statement(app, world, "linde", date(2026, 2, 1), date(2026, 2, 28))
    printed: defaultdict[Decimal, list[int]] = defaultdict(lambda: [0, 0])
    for sale in sales:
        for rate in sale["vat"]:
            printed[Decimal(rate["rate"])][0] += rate["base_cents"]
            printed[Decimal(rate["rate"])][1] += rate["vat_cents"]
    assert {s.rate: [s.base_cents, s.vat_cents] for s in settlement.vat} == printed
    # three receipts of 2,95 hold 17 cents of VAT each: 51, where one sum of 8,85 would hold 50
    assert settlement.lines[0].vat_cents == 51
    assert settlement.vat_cents == sum(v for _, v in printed.values())
    assert settlement.excl_vat_cents == settlement.turnover_cents - settlement.vat_cents


def test_commission_is_taken_on_the_total_and_shared_without_drift(
    app: Flask, shop: Shop, client: FlaskClient, world: dict[str, Any], clock: list[datetime]
) -> None:
    ids = [shop.product(f"Honing {n}", price_cents=105) for n in "ABC"]
    with app.app_context():
        bees = Producer(name="Imkerij", consignment=True, commission_percent=10)
        db.session.add(bees)
        db.session.flush()
        for product_id in ids:
            db.session.get_one(Product, product_id).producer = bees
        db.session.commit()
        world = {**world, "bees": bees.id, "a": ids[0], "b": ids[1], "c": ids[2]}
    sell(client, world, clock, at("2026-03-10 10:00"), ("a", "1"), ("b", "1"), ("c", "1"))
    settlement = statement(app, world, "bees", date(2026, 3, 1), date(2026, 3, 31))
    assert settlement.turnover_cents == 315
    assert settlement.commission_cents == 32  # 31,5 rounded half up once; per line it would be 33
    assert [line.commission_cents for line in settlement.lines] == [11, 11, 10]
    assert [line.owed_cents for line in settlement.lines] == [94, 94, 95]
    assert (
        settlement.owed_cents == 283 == sum(present(line.owed_cents) for line in settlement.lines)
    )


def test_a_producer_who_sells_to_the_shop_gets_what_was_sold_and_nothing_owed(
    app: Flask, client: FlaskClient, world: dict[str, Any], clock: list[datetime]
) -> None:
    sell(client, world, clock, at("2026-01-15 12:00"), ("bread", "2"), ("juice", "1"))
    settlement = statement(app, world, "peeters", date(2026, 1, 1), date(2026, 1, 31))
    assert not settlement.consignment
    assert settlement.turnover_cents == 980
    assert settlement.commission_cents is None and settlement.owed_cents is None
    assert [(line.name, line.commission_cents, line.owed_cents) for line in settlement.lines] == [
        ("Appelsap", None, None),
        ("Boerenbrood", None, None),
    ]


def record_refund(app: Flask, sale_id: int, when: datetime, positions: set[int]) -> None:
    """Store a refund as the refund operation will: a new sale with negative lines."""
    with app.app_context():
        original = db.session.get_one(Sale, sale_id)
        lines = [
            SaleLine(
                position=line.position,
                product_id=line.product_id,
                description=line.description,
                unit=line.unit,
                quantity_milli=-line.quantity_milli,
                unit_price_cents=line.unit_price_cents,
                amount_cents=-line.amount_cents,
                vat_class=line.vat_class,
                vat_rate_basis_points=line.vat_rate_basis_points,
            )
            for line in original.lines
            if line.position in positions
        ]
        refund = Sale(
            till=db.session.get(Till, original.till_id),
            point_of_sale=db.session.get(PointOfSale, original.point_of_sale_id),
            operator=db.session.get(User, original.operator_id),
            ticket_number=900,
            receipt_number="HW1-000900",
            idempotency_key=str(uuid.uuid4()),
            request_hash="refund",
            created_at=when,
            consumption=original.consumption,
            total_cents=sum(line.amount_cents for line in lines),
            refund_of_id=original.id,
            lines=lines,
        )
        db.session.add(refund)
        db.session.commit()


def test_refunds_net_out_in_the_period_they_are_made(
    app: Flask, client: FlaskClient, world: dict[str, Any], clock: list[datetime]
) -> None:
    sale = sell(client, world, clock, at("2026-01-30 10:00"), ("eggs", "2"), ("candle", "1"))
    record_refund(app, sale["id"], at("2026-02-02 10:00"), {2})  # the candle comes back
    january = statement(app, world, "linde", date(2026, 1, 1), date(2026, 1, 31))
    both = statement(app, world, "linde", date(2026, 1, 1), date(2026, 2, 28))
    assert january.turnover_cents == 590 + 1250
    assert both.turnover_cents == 590
    assert {line.name: line.turnover_cents for line in both.lines} == {
        "Eieren (6)": 590,
        "Kaars": 0,
    }
    assert {line.name: line.vat_cents for line in both.lines} == {"Eieren (6)": 33, "Kaars": 0}
    assert (
        both.commission_cents == 118 == sum(present(line.commission_cents) for line in both.lines)
    )


BASKET = st.lists(
    st.tuples(
        st.sampled_from(["eggs", "cheese", "candle", "bread", "juice"]),
        st.integers(min_value=1, max_value=4),
    ),
    min_size=1,
    max_size=4,
)
SALES = st.lists(st.tuples(st.integers(0, 3 * 24 * 60 - 1), BASKET), min_size=1, max_size=6)


@pytest.fixture
def fresh_days() -> itertools.count[int]:
    """Give each hypothesis example days of its own, so earlier examples' sales stay outside."""
    return itertools.count()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sales=SALES)
def test_statements_reconcile_with_the_sales_and_their_receipts(
    app: Flask,
    client: FlaskClient,
    world: dict[str, Any],
    clock: list[datetime],
    fresh_days: itertools.count[int],
    sales: list[tuple[int, list[tuple[str, int]]]],
) -> None:
    first = date(2027, 1, 1) + timedelta(days=5 * next(fresh_days))
    last = first + timedelta(days=1)
    start = datetime.combine(first - timedelta(days=1), datetime.min.time(), UTC)
    made = []
    for minute, basket in sales:
        lines = [
            (key, f"{Decimal(count * 250) / 1000}" if key == "cheese" else str(count))
            for key, count in basket
        ]
        when = start + timedelta(minutes=minute)
        made.append((when, sell(client, world, clock, when, *lines)))
    inside = [sale for when, sale in made if first <= when.astimezone(BRUSSELS).date() <= last]
    linde = statement(app, world, "linde", first, last)
    peeters = statement(app, world, "peeters", first, last)
    for settlement, products in [
        (linde, linde_products(world)),
        (peeters, {world["bread"], world["juice"]}),
    ]:
        expected = lines_of(inside, products)
        assert settlement.turnover_cents == sum(line["amount_cents"] for line in expected)
        assert sum(line.turnover_cents for line in settlement.lines) == settlement.turnover_cents
        assert sum(line.vat_cents for line in settlement.lines) == settlement.vat_cents
        assert sum(v.vat_cents for v in settlement.vat) == settlement.vat_cents
        assert sum(v.total_cents for v in settlement.vat) == settlement.turnover_cents
    # every line of these sales belongs to one of the two: their VAT is the receipts' VAT
    receipts_vat = sum(rate["vat_cents"] for sale in inside for rate in sale["vat"])
    assert linde.vat_cents + peeters.vat_cents == receipts_vat
    assert linde.commission_cents == money.round_half_up(Decimal(linde.turnover_cents) / 5)
    assert sum(present(line.commission_cents) for line in linde.lines) == linde.commission_cents
    assert linde.owed_cents == linde.turnover_cents - linde.commission_cents


def test_find_producer_by_id_or_name_in_any_case(app: Flask, world: dict[str, Any]) -> None:
    with app.app_context():
        assert present(find_producer(str(world["linde"]))).name == "Hoeve De Linde"
        assert present(find_producer(" hoeve de LINDE ")).id == world["linde"]
        assert find_producer("99999999999") is None
        assert find_producer("Hoeve%") is None


# --- the command line ----------------------------------------------------------------------------


def test_cli_writes_the_statement_as_csv_and_xlsx(
    app: Flask,
    client: FlaskClient,
    world: dict[str, Any],
    clock: list[datetime],
    cli: Any,
    tmp_path: Path,
) -> None:
    sell(client, world, clock, at("2026-01-15 12:00"), ("eggs", "2"), ("cheese", "0.347"))
    out = tmp_path / "linde.csv"
    result = cli(
        "export", "settlement", "--producer", "hoeve de linde",
        "--from", "2026-01-01", "--to", "2026-01-31", "--format", "csv", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "2 product(en), te betalen 11,63 euro" in result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfproducent;van;tot_en_met;product;")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [(r["product"], r["aantal"], r["omzet_incl_btw"], r["te_betalen"]) for r in rows] == [
        ("Eieren (6)", "2", "5,90", "4,72"),
        ("Hoevekaas", "0,347", "8,64", "6,91"),
        ("TOTAAL", "", "14,54", "11,63"),
    ]
    assert {r["van"] for r in rows} == {"2026-01-01"} and rows[0]["commissie_pct"] == "20"

    out = tmp_path / "linde.xlsx"
    result = cli(
        "export", "settlement", "--producer", str(world["linde"]),
        "--from", "2026-01-01", "--to", "2026-01-31", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out)
    sheet = workbook["Afrekening"]
    total = [cell.value for cell in sheet[4]]
    assert total[3:] == ["TOTAAL", None, None, 14.54, 0.82, 13.72, 0.2, 2.91, 11.63]
    assert sheet["B2"].value == datetime(2026, 1, 1)
    workbook.close()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--producer", "Onbekend"], "Producent Onbekend is niet gekend."),
        (["--from", "2026-02-30"], "2026-02-30 is geen geldige datum. Schrijf jjjj-mm-dd."),
        (["--from", "2026-02-01", "--to", "2026-01-31"], "De begindatum (--from) ligt na"),
        (["--format", "pdf"], "Kies --format csv of --format xlsx."),
        (["--out", "/nonexistent/dir/x.csv"], "Kan /nonexistent/dir/x.csv niet schrijven"),
    ],
    ids=["producer", "date", "order", "format", "folder"],
)
def test_cli_refuses_bad_input_in_dutch(
    world: dict[str, Any], cli: Any, tmp_path: Path, arguments: list[str], message: str
) -> None:
    options = {
        "--producer": "Hoeve De Linde",
        "--from": "2026-01-01",
        "--to": "2026-01-31",
        "--out": str(tmp_path / "x.csv"),
    }
    for name, value in zip(arguments[::2], arguments[1::2], strict=True):
        options[name] = value
    result = cli("export", "settlement", *itertools.chain(*options.items()))
    assert result.exit_code == 1
    assert message in result.output

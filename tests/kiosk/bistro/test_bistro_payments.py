"""Paying a tab: all, by items or in equal parts; each part a sale that adds up to the cent."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kiosk import money
from kiosk.bistro.payments import Split, TabPayment, pay_tab
from kiosk.bistro.queries import get_tab_balance
from kiosk.extensions import db
from kiosk.models import Location, PointOfSale, Sale, SaleLine, SaleVat, StockMove, Tab, Till
from kiosk.printing.queue import add_printer
from kiosk.printing.worker import print_due_jobs
from tests.conftest import Shop
from tests.fake_printer import FakeNetworkPrinter
from tests.kiosk.bistro_support import (
    PREFIX,
    added,
    assert_error,
    bistro_world,
    get,
    item,
    open_tab,
    pay,
    post,
    snapshot,
)
from tests.printers.escpos_stream import printed_lines

BEFORE_MARCH_2026 = datetime(2026, 2, 10, 12, 0, tzinfo=UTC)
FROM_MARCH_2026 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def w(app: Flask, shop: Shop) -> dict[str, Any]:
    """The bistro world, selling from a stock location."""
    world = bistro_world(app, shop)
    with app.app_context():
        bistro = db.session.scalars(select(PointOfSale).filter_by(code="BI")).one()
        db.session.add(Location(code="BISTRO", name="Bistrokeuken", sells_for=bistro))
        db.session.commit()
    return world


def a_table_of_five(client: FlaskClient, w: dict[str, Any]) -> dict[str, Any]:
    """Open a tab with five items at four rates-to-be: 2855 cents, not a multiple of 3."""
    tab = open_tab(client, w)
    return added(
        client,
        w,
        tab["id"],
        item(w, "soup"),
        item(w, "pasta"),
        item(w, "beer"),
        item(w, "juice"),
        item(w, "cake"),
    )


def sales(app: Flask) -> list[dict[str, Any]]:
    """Return every sale's total, rounding, lines and VAT rows, oldest first."""
    with app.app_context():
        return [
            {
                "ticket": sale.ticket_number,
                "total": sale.total_cents,
                "rounding": sale.rounding_cents,
                "lines": [
                    (
                        line.product_id,
                        line.quantity_milli,
                        line.amount_cents,
                        line.vat_rate_basis_points,
                        line.consumption,
                    )
                    for line in sale.lines
                ],
                "vat": {
                    row.rate_basis_points: (row.gross_cents, row.vat_cents)
                    for row in sale.vat_totals
                },
            }
            for sale in db.session.scalars(select(Sale).order_by(Sale.id))
        ]


def test_paying_all_at_once_is_one_sale_like_the_tills(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    tab = open_tab(client, w)
    tab = added(
        client,
        w,
        tab["id"],
        item(w, "soup"),
        item(w, "soup", consumption="takeaway"),
        item(w, "beer", "2"),
    )
    response = pay(client, w, tab["id"], {"kind": "all"}, ("cash", 2000))
    assert response.status_code == 201
    document = response.get_json()
    sale, paid = document["sale"], document["tab"]
    assert sale == get(client, w, f"/sales/{sale['id']}").get_json()  # the sales API's own document
    assert (sale["ticket_number"], sale["total_cents"], sale["change_cents"]) == (1, 1600, 400)
    assert sale["consumption"] == "eat_in"
    assert [(x["description"], x["quantity"], x["vat_rate"]) for x in sale["lines"]] == [
        ("Soep", "1", "12"),
        ("Soep", "1", "12"),  # take-away soup: 12 % since 1 March 2026
        ("Hoevebier", "2", "21"),
    ]
    assert paid["state"] == "paid" and paid["unpaid_cents"] == 0 and paid["total_cents"] == 1600
    assert all(i["paid"] for i in paid["items"]) and paid["version"] == tab["version"] + 1
    assert get(client, w, "/tables").get_json()["tables"][2]["tab"] is None
    with app.app_context():
        consumptions = db.session.scalars(select(SaleLine.consumption).order_by(SaleLine.position))
        assert list(consumptions) == [None, "takeaway", None]
        moves = db.session.scalars(select(func.sum(StockMove.quantity_milli))).one()
        assert moves == -4000


def test_paying_by_items_makes_a_sale_per_choice_and_closes_with_the_last(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    tab = a_table_of_five(client, w)
    ids = [i["id"] for i in tab["items"]]
    first = pay(
        client,
        w,
        tab["id"],
        {"kind": "items", "item_ids": [ids[1], ids[0], ids[1]]},
        ("card", 1900),
    )
    assert first.status_code == 201
    assert first.get_json()["sale"]["total_cents"] == 1900
    middle = first.get_json()["tab"]
    assert middle["state"] == "open" and middle["unpaid_cents"] == 955
    assert [i["paid"] for i in middle["items"]] == [True, True, False, False, False]
    twice = pay(client, w, tab["id"], {"kind": "items", "item_ids": [ids[0]]}, ("card", 450))
    assert_error(twice, 409, "already_paid")
    rest = pay(client, w, tab["id"], {"kind": "all"}, ("cash", 955)).get_json()
    assert rest["sale"]["ticket_number"] == 2 and rest["sale"]["total_cents"] == 955
    assert rest["sale"]["rounding_cents"] == 0 and rest["tab"]["state"] == "paid"
    assert sum(sale["total"] for sale in sales(app)) == 2855


def test_a_cancelled_item_cannot_be_paid(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    tab = a_table_of_five(client, w)
    cake = tab["items"][4]["id"]
    post(client, w, f"/tabs/{tab['id']}/items/{cake}/cancel", {"operator_id": w["operator_id"]})
    before = snapshot(app)
    assert_error(
        pay(client, w, tab["id"], {"kind": "items", "item_ids": [cake]}, ("card", 325)),
        409,
        "item_cancelled",
    )
    assert snapshot(app) == before
    assert pay(client, w, tab["id"], {"kind": "all"}, ("card", 2530)).status_code == 201


def test_three_equal_parts_of_an_odd_total_reconcile_to_the_cent(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    tab = a_table_of_five(client, w)
    parts = []
    for part, payment in [(1, ("card", 952)), (2, ("cash", 1000)), (3, ("cash", 950))]:
        response = pay(client, w, tab["id"], {"kind": "equal", "parts": 3, "part": part}, payment)
        assert response.status_code == 201, response.get_json()
        parts.append(response.get_json())
        if part == 1:
            again = pay(
                client, w, tab["id"], {"kind": "equal", "parts": 3, "part": 1}, ("card", 952)
            )
            assert_error(again, 409, "part_already_paid")
            other = pay(
                client, w, tab["id"], {"kind": "equal", "parts": 2, "part": 1}, ("card", 952)
            )
            assert_error(other, 409, "split_in_progress")
    assert [p["sale"]["total_cents"] for p in parts] == [952, 952, 951]
    assert [p["sale"]["ticket_number"] for p in parts] == [1, 2, 3]
    # cash is rounded per part, never the card part: 952 → 950, 951 → 950
    assert [p["sale"]["rounding_cents"] for p in parts] == [0, -2, -1]
    assert [p["sale"]["change_cents"] for p in parts] == [0, 50, 0]
    assert [p["tab"]["unpaid_cents"] for p in parts] == [1903, 951, 0]
    assert [p["tab"]["state"] for p in parts] == ["open", "open", "paid"]
    assert [all(i["paid"] for i in p["tab"]["items"]) for p in parts] == [False, False, True]
    assert [len(p["tab"]["items"]) for p in parts] == [5, 5, 5]  # shares are not items

    per_product: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    per_rate: dict[int, int] = defaultdict(int)
    for sale in sales(app):
        assert sum(line[2] for line in sale["lines"]) == sale["total"]
        assert sum(gross for gross, _vat in sale["vat"].values()) == sale["total"]
        for product_id, milli, cents, rate, _consumption in sale["lines"]:
            per_product[product_id][0] += milli
            per_product[product_id][1] += cents
            per_rate[rate] += cents
    assert dict(per_product) == {
        w["soup"]: [1000, 450],
        w["pasta"]: [1000, 1450],
        w["beer"]: [1000, 350],
        w["juice"]: [1000, 280],
        w["cake"]: [1000, 325],
    }
    assert dict(per_rate) == {1200: 450 + 1450 + 280 + 325, 2100: 350}
    with app.app_context():  # stock: exactly one of each, in thirds
        taken = db.session.execute(
            select(StockMove.product_id, func.sum(StockMove.quantity_milli)).group_by(
                StockMove.product_id
            )
        ).all()
        assert sorted(taken) == sorted((product, -1000) for product in per_product)
    receipt_line = parts[0]["sale"]["lines"][0]
    assert (receipt_line["quantity"], receipt_line["unit_price_cents"]) == ("0.333", 450)


@pytest.mark.parametrize(
    ("quantities", "parts"),
    [
        ({"soup": "1"}, 3),
        ({"soup": "1", "beer": "1"}, 7),
        ({"pasta": "3", "juice": "2", "cake": "1"}, 4),
        ({"beer": "5", "cake": "7"}, 6),
        ({"soup": "2"}, 2),
    ],
)
def test_equal_parts_are_the_largest_remainder_shares_of_the_total(
    app: Flask, client: FlaskClient, w: dict[str, Any], quantities: dict[str, str], parts: int
) -> None:
    tab = open_tab(client, w)
    tab = added(client, w, tab["id"], *(item(w, name, q) for name, q in quantities.items()))
    total = tab["unpaid_cents"]
    expected = money.share_out(total, [1] * parts)
    paid = []
    for part in range(1, parts + 1):
        due = expected[part - 1]
        response = pay(
            client, w, tab["id"], {"kind": "equal", "parts": parts, "part": part}, ("card", due)
        )
        assert response.status_code == 201, response.get_json()
        paid.append(response.get_json()["sale"]["total_cents"])
    assert paid == expected and sum(paid) == total
    assert get(client, w, f"/tabs/{tab['id']}").get_json()["state"] == "paid"


def test_parts_paid_out_of_order_and_an_item_added_midway_still_add_up(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    tab = a_table_of_five(client, w)
    third = pay(client, w, tab["id"], {"kind": "equal", "parts": 3, "part": 3}, ("card", 951))
    assert third.get_json()["sale"]["total_cents"] == 951  # part 3 of 952, 952, 951
    added(client, w, tab["id"], item(w, "beer"))  # one more beer, shared by the two parts left
    left = 2855 - 951 + 350
    first = pay(client, w, tab["id"], {"kind": "equal", "parts": 3, "part": 1}, ("card", 1127))
    assert first.get_json()["sale"]["total_cents"] == left // 2
    last = pay(client, w, tab["id"], {"kind": "equal", "parts": 3, "part": 2}, ("card", 1127))
    assert last.status_code == 201 and last.get_json()["tab"]["state"] == "paid"
    assert sum(sale["total"] for sale in sales(app)) == 2855 + 350


def test_items_left_after_an_equal_part_can_be_paid_by_item(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    tab = a_table_of_five(client, w)
    pay(client, w, tab["id"], {"kind": "equal", "parts": 2, "part": 1}, ("card", 1428))
    pasta = tab["items"][1]["id"]
    cancel = post(
        client, w, f"/tabs/{tab['id']}/items/{pasta}/cancel", {"operator_id": w["operator_id"]}
    )
    assert_error(cancel, 409, "item_paid")  # half of it is paid
    rest = pay(
        client, w, tab["id"], {"kind": "items", "item_ids": [pasta]}, ("card", 725)
    ).get_json()
    assert rest["sale"]["total_cents"] == 725 and rest["tab"]["unpaid_cents"] == 2855 - 1428 - 725
    last = pay(client, w, tab["id"], {"kind": "equal", "parts": 2, "part": 2}, ("card", 702))
    assert last.get_json()["tab"]["state"] == "paid"
    assert sum(sale["total"] for sale in sales(app)) == 2855


def test_a_replayed_payment_answers_with_its_sale_and_pays_nothing_twice(
    app: Flask, client: FlaskClient, w: dict[str, Any]
) -> None:
    tab = a_table_of_five(client, w)
    key = str(uuid.uuid4())
    split = {"kind": "equal", "parts": 2, "part": 1}
    first = pay(client, w, tab["id"], split, ("card", 1428), key=key)
    assert first.status_code == 201
    before = snapshot(app)
    replay = pay(client, w, tab["id"], split, ("card", 1428), key=key)
    assert replay.status_code == 200 and replay.get_json() == first.get_json()
    assert snapshot(app) == before
    assert_error(
        pay(client, w, tab["id"], {"kind": "all"}, ("card", 1427), key=key),
        409,
        "idempotency_conflict",
    )
    sale_body = {
        "operator_id": w["operator_id"],
        "lines": [{"product_id": w["cake"], "quantity": "1"}],
        "payments": [{"method": "card", "amount_cents": 325}],
    }
    reused = client.post(
        f"{PREFIX}/sales", json=sale_body, headers={**w["headers"], "Idempotency-Key": key}
    )
    assert_error(reused, 409, "idempotency_conflict")
    assert snapshot(app) == before


def pay_at(app: Flask, w: dict[str, Any], tab_id: int, now: datetime) -> int:
    """Pay a whole tab by card at a chosen moment, through the operation the API uses."""
    with app.app_context():
        till = db.session.get_one(Till, w["till_id"])
        unpaid = get_tab_balance(db.session.get_one(Tab, tab_id)).unpaid_cents
        request = TabPayment(w["operator_id"], Split("all"), (("card", unpaid),))
        sale, _tab, created = pay_tab(till, tab_id, request, str(uuid.uuid4()), now)
        assert created
        db.session.commit()
        return sale.id


@pytest.mark.parametrize(
    ("moment", "takeaway_soup", "juice_here"),
    [(BEFORE_MARCH_2026, 600, 2100), (FROM_MARCH_2026, 1200, 1200)],
)
def test_vat_follows_each_items_consumption_and_the_rates_of_the_day(
    app: Flask,
    client: FlaskClient,
    w: dict[str, Any],
    fake_printer: FakeNetworkPrinter,
    moment: datetime,
    takeaway_soup: int,
    juice_here: int,
) -> None:
    with app.app_context():
        add_printer("Bonprinter", fake_printer.url, profile="TM-T20II", point_of_sale_code="BI")
        db.session.commit()
    tab = open_tab(client, w)
    added(
        client,
        w,
        tab["id"],
        item(w, "soup"),
        item(w, "soup", consumption="takeaway"),
        item(w, "beer", "2"),
        item(w, "juice"),
    )
    sale_id = pay_at(app, w, tab["id"], moment)
    with app.app_context():
        sale = db.session.get_one(Sale, sale_id)
        assert [line.vat_rate_basis_points for line in sale.lines] == [
            1200,
            takeaway_soup,
            2100,
            juice_here,
        ]
        assert [line.consumption for line in sale.lines] == [None, "takeaway", None, None]
        vat = {
            row.rate_basis_points: (row.gross_cents, row.vat_cents)
            for row in db.session.scalars(select(SaleVat))
        }
        assert print_due_jobs() == 1
    gross: dict[int, int] = defaultdict(int)
    for rate, cents in [(1200, 450), (takeaway_soup, 450), (2100, 700), (juice_here, 280)]:
        gross[rate] += cents
    assert vat == {
        rate: (cents, money.vat_included_cents(cents, Decimal(rate) / 100))
        for rate, cents in gross.items()
    }
    lines = printed_lines(fake_printer.wait_for_jobs(1)[0])
    for rate, (cents, vat_cents) in vat.items():  # the receipt shows every rate: base, VAT, total
        shown = f"{rate // 100}%"
        row = next(
            line for line in lines if shown in line.split() and money.format_euro(cents) in line
        )
        assert money.format_euro(cents - vat_cents) in row and money.format_euro(vat_cents) in row


def test_a_paid_tab_refuses_more(app: Flask, client: FlaskClient, w: dict[str, Any]) -> None:
    tab = a_table_of_five(client, w)
    assert pay(client, w, tab["id"], {"kind": "all"}, ("card", 2855)).status_code == 201
    before = snapshot(app)
    for split in (
        {"kind": "all"},
        {"kind": "equal", "parts": 2, "part": 1},
        {"kind": "items", "item_ids": [tab["items"][0]["id"]]},
    ):
        assert_error(pay(client, w, tab["id"], split, ("card", 100)), 409, "already_paid")
    response = post(
        client,
        w,
        f"/tabs/{tab['id']}/items",
        {"operator_id": w["operator_id"], "items": [item(w, "beer")]},
    )
    assert_error(response, 409, "tab_closed")
    assert snapshot(app) == before

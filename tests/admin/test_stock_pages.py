"""Back office: stock levels, a product's ledger, waste, transfers and the morning list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from admin.fields import parse_day, parse_euro, parse_quantity
from admin.stock_forms import WASTE_LABELS
from kiosk.decimal_text import unit_quantity_text as quantity_text
from kiosk.extensions import db
from kiosk.models import Lot, Product, StockMove
from kiosk.models.types import utcnow
from kiosk.stock.operations import WASTE_REASONS
from kiosk.stock.queries import get_lot_balances, get_on_hand
from tests.admin.stock_support import (
    deliver,
    ledger_rows,
    post_form,
    stock_shop_fixture,  # noqa: F401
    today,
)


@pytest.fixture
def page_context(app: Flask) -> Iterator[None]:
    """Push a request context: the messages are translated for the page's language."""
    with app.test_request_context("/admin/"):
        yield


@pytest.mark.parametrize(
    ("text", "unit", "milli"),
    [
        ("3", "piece", 3000),
        (" 12 ", "piece", 12000),
        ("2,0", "piece", 2000),
        ("1,250", "kg", 1250),
        ("0.5", "kg", 500),
        ("1,2500", "kg", 1250),
        ("99999", "kg", 99999000),
    ],
)
def test_quantities_are_read_with_a_decimal_comma(
    page_context: None, text: str, unit: str, milli: int
) -> None:
    assert parse_quantity(text, unit) == milli


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("1,5", "piece", "Geef een geheel aantal stuks."),
        ("0,0001", "kg", "hoogstens 3 cijfers na de komma"),
        ("0", "piece", "groter dan nul"),
        ("-2", "piece", "Een hoeveelheid kan niet negatief zijn."),
        ("1.000,5", "kg", "Typ een getal"),
        ("100000", "piece", "hoogstens 99.999"),
        ("drie", "piece", "Typ een getal"),
        ("", "kg", "Typ een getal"),
        ("٣", "piece", "Typ een getal"),
    ],
)
def test_wrong_quantities_are_explained(
    page_context: None, text: str, unit: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        parse_quantity(text, unit)


def test_counts_may_be_zero_and_amounts_and_dates_are_read_the_belgian_way(
    page_context: None,
) -> None:
    assert parse_quantity("0", "piece", allow_zero=True) == 0
    assert parse_euro("3,80") == 380
    assert parse_euro("€ 12") == 1200
    with pytest.raises(ValueError):
        parse_euro("1,234")
    assert parse_day("05-01-2027").isoformat() == "2027-01-05"
    assert parse_day("2027-01-05").isoformat() == "2027-01-05"
    with pytest.raises(ValueError):
        parse_day("2027-13-01")
    assert quantity_text(-1250, "kg") == "-1,250 kg"
    assert quantity_text(3000, "piece") == "3 st."
    assert quantity_text(10000, "piece") == "10 st."
    assert quantity_text(0, "piece") == "0 st."
    assert quantity_text(-20000, "piece") == "-20 st."
    assert quantity_text(0, "kg") == "0,000 kg"


def test_every_waste_reason_has_a_translatable_label() -> None:
    assert WASTE_LABELS.keys() == WASTE_REASONS.keys()
    assert [str(label) for label in WASTE_LABELS.values()] == list(WASTE_REASONS.values())


def test_stock_levels_show_lots_and_flag_negative_stock(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    soon = today() + timedelta(days=2)
    deliver(app, stock_shop["bread"], stock_shop["shelf"], 5000, soon, "B-1")
    deliver(app, stock_shop["cheese"], stock_shop["room"], 2500, None)
    with app.app_context():  # sold more eggs than the ledger knew of
        from kiosk.models import Location
        from kiosk.stock.operations import take_first_expiry_first

        shelf = db.session.get_one(Location, stock_shop["shelf"])
        take_first_expiry_first(stock_shop["eggs"], shelf, 2000, "sale", utcnow())
        db.session.commit()
    page = staff.get("/admin/stock")
    assert page.status_code == 200
    assert f"THT {soon.strftime('%d-%m-%Y')} · lot B-1: 5 st." in page.text
    assert "2,500 kg" in page.text
    negative = (
        '<span class="negative"><span aria-hidden="true">⚠</span> -2 st. '
        "<strong>negatief</strong></span>"
    )
    assert negative in page.text
    assert page.text.count("negatief") == 2  # the total and its lot-less part
    only_room = staff.get(f"/admin/stock?location={stock_shop['room']}")
    assert "Hoevekaas" in only_room.text and "Boerenbrood" not in only_room.text
    with app.app_context():
        cheese_category = db.session.get_one(Product, stock_shop["cheese"]).category_id
    only_cheese = staff.get(f"/admin/stock?category={cheese_category}")
    assert "Hoevekaas" in only_cheese.text and "Eieren (6)" not in only_cheese.text
    wrong = staff.get("/admin/stock?location=abc&category=99999")
    assert wrong.status_code == 200 and "Ongeldige keuze" in wrong.text


def test_waste_takes_the_first_expiry_unless_a_lot_is_chosen(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    bread, shelf = stock_shop["bread"], stock_shop["shelf"]
    deliver(app, bread, shelf, 4000, today() + timedelta(days=5), "LATE")
    deliver(app, bread, shelf, 3000, today() + timedelta(days=1), "EARLY")
    url = "/admin/stock/waste"
    form = staff.get(f"{url}?product={bread}&location={shelf}")
    assert "Boerenbrood, lot LATE" in form.text and "Boerenbrood, lot EARLY" in form.text
    assert "over datum" in form.text and "opgegeten in de bistro" in form.text
    first = {"product": str(bread), "location": str(shelf), "quantity": "2", "reason": "expired"}
    response = post_form(staff, url, {**first, "lot": ""})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/stock/products/{bread}"
    with app.app_context():
        late = db.session.scalar(select(Lot.id).where(Lot.code == "LATE"))
        balances = [b.quantity_milli for b in get_lot_balances(bread, shelf)]
        assert balances == [1000, 4000]  # EARLY first
    chosen = post_form(
        staff, url, {**first, "reason": "damaged", "quantity": "3", "lot": str(late)}
    )
    assert chosen.status_code == 302
    with app.app_context():
        assert [b.quantity_milli for b in get_lot_balances(bread, shelf)] == [1000, 1000]
        reasons = db.session.scalars(
            select(StockMove.reason).where(StockMove.kind == "waste")
        ).all()
        assert sorted(reasons, key=str) == ["damaged", "expired"]
    ledger = staff.get(f"/admin/stock/products/{bread}")
    assert "afgeboekt" in ledger.text and "beschadigd" in ledger.text and "-3 st." in ledger.text


def test_wrong_waste_is_explained_and_books_nothing(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    deliver(app, stock_shop["cheese"], stock_shop["room"], 2000, None, "K1")
    before = ledger_rows(app)
    with app.app_context():
        lot = db.session.scalar(select(Lot.id))
    response = post_form(
        staff,
        "/admin/stock/waste",
        {
            "product": str(stock_shop["cheese"]),
            "location": str(stock_shop["shelf"]),
            "quantity": "0,12345",
            "reason": "gestolen",
            "lot": str(lot),
        },
    )
    assert response.status_code == 200
    assert "hoogstens 3 cijfers na de komma" in response.text
    assert "Ongeldige keuze" in response.text  # the reason
    assert "Dit lot ligt niet op deze plaats voor dit product." in response.text
    assert 'value="0,12345"' in response.text
    empty = post_form(staff, "/admin/stock/waste", {})
    for message in (
        "Kies een product.",
        "Kies een plaats.",
        "Vul een aantal in.",
        "Kies een reden.",
    ):
        assert message in empty.text
    assert ledger_rows(app) == before


def test_a_transfer_keeps_the_lots_and_refuses_one_place(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    cheese, room, shelf = stock_shop["cheese"], stock_shop["room"], stock_shop["shelf"]
    soon = today() + timedelta(days=3)
    deliver(app, cheese, room, 2000, soon, "K1")
    url = "/admin/stock/transfers"
    same = post_form(
        staff,
        url,
        {"product": str(cheese), "source": str(room), "target": str(room), "quantity": "0,750"},
    )
    assert same.status_code == 200
    assert "Kies twee verschillende plaatsen." in same.text
    moved = post_form(
        staff,
        url,
        {"product": str(cheese), "source": str(room), "target": str(shelf), "quantity": "0,750"},
    )
    assert moved.status_code == 302
    with app.app_context():
        assert get_on_hand(cheese, room) == 1250
        assert [(b.best_before, b.quantity_milli) for b in get_lot_balances(cheese, shelf)] == [
            (soon, 750)
        ]
    pieces = post_form(
        staff,
        url,
        {
            "product": str(stock_shop["bread"]),
            "source": str(room),
            "target": str(shelf),
            "quantity": "0,5",
        },
    )
    assert "Geef een geheel aantal stuks." in pieces.text


def test_the_ledger_lists_a_products_moves_and_unknown_products_are_not_found(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    deliver(app, stock_shop["eggs"], stock_shop["shelf"], 6000, today(), "E-9")
    page = staff.get(f"/admin/stock/products/{stock_shop['eggs']}")
    assert page.status_code == 200
    assert "Verloop van Eieren (6)" in page.text
    assert "levering" in page.text and "+6 st." in page.text and "E-9" in page.text
    assert staff.get("/admin/stock/products/987654").status_code == 404


def test_the_morning_list_has_its_sections_in_brussels_dates(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    shelf = stock_shop["shelf"]
    with app.app_context():
        eggs = db.session.get_one(Product, stock_shop["eggs"])
        eggs.minimum_stock_milli = 10000
        db.session.commit()
    deliver(app, stock_shop["eggs"], shelf, 4000, today() + timedelta(days=2), "E1")
    deliver(app, stock_shop["bread"], shelf, 3000, today() - timedelta(days=1), "OLD")
    deliver(app, stock_shop["candle"], shelf, 5000, today() + timedelta(days=6), "C1")
    page = staff.get("/admin/stock/morning-list")
    assert page.status_code == 200
    text = page.text
    assert f"Ochtendlijst van {today().strftime('%d-%m-%Y')}" in text
    sections = text.split("<h2")
    below, negative, expiring, expired, quiet = sections[1:6]
    assert "Eieren (6)" in below and "10 st." in below
    assert "Geen negatieve voorraad." in negative
    assert "Vervalt binnen 3 dagen" in expiring and "Eieren (6)" in expiring
    assert (today() + timedelta(days=2)).strftime("%d-%m-%Y") in expiring
    assert "Kaars" not in expiring and "Boerenbrood" not in expiring
    assert (
        "Boerenbrood" in expired and (today() - timedelta(days=1)).strftime("%d-%m-%Y") in expired
    )
    assert "Geen beweging sinds 4 weken" in quiet and "Alles is de laatste weken bewogen." in quiet
    week = staff.get("/admin/stock/morning-list?days=7&weeks=2").text.split("<h2")
    assert "Vervalt binnen 7 dagen" in week[3] and "Kaars" in week[3]
    wrong = staff.get("/admin/stock/morning-list?days=500&weeks=x")
    assert wrong.status_code == 200
    assert "Kies 0 tot 60 dagen." in wrong.text
    assert "Vervalt binnen 3 dagen" in wrong.text  # the defaults stand in
    assert 'class="print-button" hidden' in text


def test_goods_without_movement_for_weeks_are_listed(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    with app.app_context():
        from kiosk.models import Location
        from kiosk.stock.operations import DeliveredLine, receive_delivery

        product = db.session.get_one(Product, stock_shop["candle"])
        shelf = db.session.get_one(Location, stock_shop["shelf"])
        line = DeliveredLine(product, 2000, None, None, None)
        receive_delivery(None, shelf, [line], None, utcnow() - timedelta(weeks=5))
        db.session.commit()
    quiet = staff.get("/admin/stock/morning-list").text.split("<h2")[5]
    assert "Kaars" in quiet
    assert "Kaars" not in staff.get("/admin/stock/morning-list?weeks=6").text.split("<h2")[5]


def test_the_print_stylesheet_hides_menus_and_buttons(client: FlaskClient) -> None:
    css = client.get("/static/admin/admin.css")
    assert "@media print" in css.text
    assert ".topbar, .stock-menu, .no-print" in css.text
    css.close()
    script = client.get("/static/admin/stock.js")
    assert "window.print()" in script.text
    script.close()

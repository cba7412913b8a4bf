"""Back office: counting a location's stock (the count sheet without a browser)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Product, StockMove
from kiosk.stock.queries import get_on_hand
from tests.admin.stock_support import (
    deliver,
    ledger_rows,
    post_form,
    stock_shop_fixture,  # noqa: F401
    today,
)
from tests.conftest import Shop


def test_choosing_where_to_count_opens_the_sheet(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    start = staff.get("/admin/stock-counts")
    assert start.status_code == 200
    assert "Winkelrek" in start.text and "Alle categorieën" in start.text
    with app.app_context():
        category = db.session.get_one(Product, stock_shop["cheese"]).category_id
    chosen = staff.get(f"/admin/stock-counts?location={stock_shop['shelf']}&category={category}")
    assert chosen.status_code == 302
    assert chosen.headers["Location"] == (
        f"/admin/stock-counts/{stock_shop['shelf']}?category={category}"
    )
    sheet = staff.get(chosen.headers["Location"])
    assert "Hoevekaas" in sheet.text and "Boerenbrood" not in sheet.text
    nowhere = staff.get("/admin/stock-counts?location=&category=")
    assert nowhere.status_code == 200 and "Kies een plaats." in nowhere.text


def test_a_count_books_only_what_was_filled_in_and_shows_the_differences(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    shelf = stock_shop["shelf"]
    deliver(app, stock_shop["bread"], shelf, 5000, today() + timedelta(days=1))
    deliver(app, stock_shop["eggs"], shelf, 6000, None)
    deliver(app, stock_shop["cheese"], shelf, 2000, None)
    url = f"/admin/stock-counts/{shelf}"
    sheet = staff.get(url)
    assert '<label for="count-{}">Boerenbrood'.format(stock_shop["bread"]) in sheet.text
    assert 'aria-label="Eén meer: Boerenbrood"' in sheet.text
    assert 'inputmode="decimal"' in sheet.text  # the cheese, in kg
    data = {
        f"count-{stock_shop['bread']}": "3",  # two fewer than the ledger says
        f"count-{stock_shop['eggs']}": "",  # not counted: stays 6
        f"count-{stock_shop['cheese']}": "2,350",  # 350 g more
        f"count-{stock_shop['candle']}": "0",  # counted: none, as the ledger says
    }
    response = post_form(staff, url, data)
    assert response.status_code == 302
    result = staff.get(response.headers["Location"])
    assert result.status_code == 200
    assert "De telling is bewaard: 3 geteld, 2 met een verschil." in result.text
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", result.text, re.S)
    assert len(rows) == 2
    assert "Boerenbrood" in rows[0] and "5 st." in rows[0] and "3 st." in rows[0]
    assert "-2 st." in rows[0]
    assert "Hoevekaas" in rows[1] and "+0,350 kg" in rows[1] and "2,350 kg" in rows[1]
    with app.app_context():
        assert get_on_hand(stock_shop["bread"], shelf) == 3000
        assert get_on_hand(stock_shop["eggs"], shelf) == 6000
        assert get_on_hand(stock_shop["cheese"], shelf) == 2350
        assert get_on_hand(stock_shop["candle"], shelf) == 0
        corrections = db.session.scalars(select(StockMove).where(StockMove.kind == "count")).all()
        assert sorted(m.quantity_milli for m in corrections) == [-2000, 350]
        assert {m.reason for m in corrections} == {"telling"}
        assert all(m.user_id is not None for m in corrections)


def test_a_count_that_matches_books_nothing_and_says_so(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    deliver(app, stock_shop["bread"], stock_shop["room"], 4000, None)
    url = f"/admin/stock-counts/{stock_shop['room']}"
    before = ledger_rows(app)
    response = post_form(staff, url, {f"count-{stock_shop['bread']}": "4"})
    assert response.headers["Location"] == "/admin/stock-counts"
    assert "1 geteld, 0 met een verschil." in staff.get("/admin/stock-counts").text
    assert ledger_rows(app) == before


def test_wrong_counts_are_explained_and_nothing_is_booked(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    deliver(app, stock_shop["bread"], stock_shop["shelf"], 4000, None)
    url = f"/admin/stock-counts/{stock_shop['shelf']}"
    before = ledger_rows(app)
    data = {
        f"count-{stock_shop['bread']}": "2",  # right, but not booked while others are wrong
        f"count-{stock_shop['eggs']}": "1,5",
        f"count-{stock_shop['cheese']}": "-1",
    }
    response = post_form(staff, url, data)
    assert response.status_code == 200
    assert f'id="count-{stock_shop["eggs"]}-error">Geef een geheel aantal stuks.' in response.text
    assert (
        f'id="count-{stock_shop["cheese"]}-error">Een hoeveelheid kan niet negatief zijn.'
        in response.text
    )
    assert 'value="1,5"' in response.text and 'value="-1"' in response.text
    assert 'value="2"' in response.text
    assert ledger_rows(app) == before
    empty = post_form(staff, url, {f"count-{stock_shop['bread']}": "  "})
    assert "Vul minstens één product in." in empty.text
    assert ledger_rows(app) == before


def test_unknown_places_categories_and_counts_are_not_found(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    assert staff.get("/admin/stock-counts/424242").status_code == 404
    assert (
        staff.get(f"/admin/stock-counts/{stock_shop['shelf']}?category=424242").status_code == 404
    )
    assert staff.get(f"/admin/stock-counts/{stock_shop['shelf']}?category=abc").status_code == 404
    assert staff.get("/admin/stock-counts/results/424242").status_code == 404
    deliver(app, stock_shop["bread"], stock_shop["shelf"], 1000, None)
    with app.app_context():
        delivery_move = db.session.scalar(select(StockMove.id))
    assert staff.get(f"/admin/stock-counts/results/{delivery_move}").status_code == 404


def test_a_shelf_lists_what_its_point_of_sale_sells_and_a_stock_room_everything(
    app: Flask, staff: FlaskClient, shop: Shop, stock_shop: dict[str, Any]
) -> None:
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in")
    shop.product("Koffie", price_cents=250, point_of_sale="BI")
    shelf = staff.get(f"/admin/stock-counts/{stock_shop['shelf']}").text
    room = staff.get(f"/admin/stock-counts/{stock_shop['room']}").text
    assert "Boerenbrood" in shelf and "Koffie" not in shelf
    assert "Boerenbrood" in room and "Koffie" in room

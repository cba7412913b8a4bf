"""Back office: booking a delivery (rows without JavaScript), the delivery list and its page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Delivery, Lot, StockMove
from kiosk.periods import BRUSSELS
from kiosk.stock.queries import get_lot_balances, get_on_hand
from tests.admin.stock_support import (
    ledger_rows,
    post_form,
    stock_shop_fixture,  # noqa: F401
    today,
)

NEW = "/admin/deliveries/new"


def rows(*lines: dict[str, str]) -> dict[str, str]:
    """Spread delivery rows over the form's field names (lines-0-product, …)."""
    return {
        f"lines-{index}-{name}": value
        for index, line in enumerate(lines)
        for name, value in line.items()
    }


def test_the_form_offers_eight_empty_rows_with_labels(
    staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    page = staff.get(NEW)
    assert page.status_code == 200
    assert page.text.count('<select id="lines-') == 8
    assert '<label class="visually-hidden" for="lines-7-quantity">' in page.text
    assert "Hoeveelheid (stuks of kg), regel 8" in page.text
    assert "Hoevekaas (per kg)" in page.text and "Boerenbrood (per stuk)" in page.text
    assert f'value="{today().isoformat()}"' in page.text


def test_staff_books_a_delivery_of_two_products_skipping_empty_rows(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    best_before = today() + timedelta(days=10)
    data = {
        "producer": "",
        "delivered_on": today().isoformat(),
        "location": str(stock_shop["room"]),
        "note": "Vers van de hoeve",
        **rows(
            {
                "product": str(stock_shop["cheese"]),
                "quantity": "1,250",
                "purchase_price": "12,50",
                "lot_code": "K-17",
                "best_before": best_before.isoformat(),
            },
            {
                "product": "",
                "quantity": "",
                "purchase_price": "",
                "lot_code": "",
                "best_before": "",
            },
            {
                "product": str(stock_shop["bread"]),
                "quantity": "12",
                "purchase_price": "",
                "lot_code": "",
                "best_before": "",
            },
        ),
    }
    response = post_form(staff, NEW, data)
    assert response.status_code == 302
    with app.app_context():
        delivery = db.session.scalar(select(Delivery))
        assert delivery is not None
        assert response.headers["Location"] == f"/admin/deliveries/{delivery.id}"
        assert delivery.note == "Vers van de hoeve"
        assert delivery.user_id is not None
        lots = db.session.scalars(select(Lot).order_by(Lot.id)).all()
        assert [
            (lot.product_id, lot.code, lot.best_before, lot.purchase_price_cents) for lot in lots
        ] == [
            (stock_shop["cheese"], "K-17", best_before, 1250),
            (stock_shop["bread"], None, None, None),
        ]
        assert get_on_hand(stock_shop["cheese"], stock_shop["room"]) == 1250
        assert get_on_hand(stock_shop["bread"], stock_shop["room"]) == 12000
        assert [
            b.quantity_milli for b in get_lot_balances(stock_shop["bread"], stock_shop["room"])
        ] == [12000]
        delivery_id = delivery.id
    shown = staff.get(f"/admin/deliveries/{delivery_id}")
    assert shown.status_code == 200
    assert "1,250 kg" in shown.text and "12 st." in shown.text
    assert "15,63 €" in shown.text  # 1,250 kg at 12,50 € (rounded half up to the cent)
    assert best_before.strftime("%d-%m-%Y") in shown.text
    listed = staff.get("/admin/deliveries")
    assert f'href="/admin/deliveries/{delivery_id}"' in listed.text
    assert "15,63 €" in listed.text


def test_every_wrong_field_gets_its_own_message_and_nothing_is_stored(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    future = today() + timedelta(days=2)
    data = {
        "delivered_on": future.isoformat(),
        "location": str(stock_shop["shelf"]),
        **rows(
            {"product": str(stock_shop["bread"]), "quantity": "1,5"},  # half a loaf
            {"product": str(stock_shop["cheese"]), "quantity": "0,2505"},  # under the gram
            {"quantity": "3"},  # no product
            {"product": str(stock_shop["eggs"]), "quantity": "", "lot_code": "E1"},
            {"product": str(stock_shop["eggs"]), "quantity": "2", "purchase_price": "2,555"},
            {"product": str(stock_shop["eggs"]), "quantity": "veel", "best_before": "31-02-2027"},
            {"product": "999999", "quantity": "2"},  # no such product
            {"product": str(stock_shop["candle"]), "quantity": "0"},
        ),
    }
    response = post_form(staff, NEW, data)
    assert response.status_code == 200
    text = response.text
    assert "Een levering kan niet in de toekomst liggen." in text
    assert "Geef een geheel aantal stuks." in text
    assert "Geef het gewicht tot op de gram: hoogstens 3 cijfers na de komma." in text
    assert text.count("Kies een product.") == 2
    assert "Vul een aantal in." in text
    assert "Een bedrag heeft hoogstens twee cijfers na de komma." in text
    assert "Typ een getal, bv. 3 of 1,250." in text
    assert "Typ een datum als dd-mm-jjjj." in text
    assert "Het aantal moet groter dan nul zijn." in text
    # each message sits by its own field, and what was typed stays
    assert re.search(r'id="lines-0-quantity"[^>]*value="1,5"', text)
    assert 'id="lines-0-quantity-error">Geef een geheel aantal stuks.' in text
    assert 'id="lines-4-purchase_price-error">' in text
    assert 'value="31-02-2027"' in text
    assert f'<option selected value="{stock_shop["eggs"]}">' in text
    assert ledger_rows(app) == [0, 0, 0]


def test_an_empty_delivery_asks_for_a_row_and_a_location(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    response = post_form(staff, NEW, {"delivered_on": today().isoformat(), "location": ""})
    assert response.status_code == 200
    assert "Vul minstens één regel in: een product en een hoeveelheid." in response.text
    assert "Kies een plaats." in response.text
    assert ledger_rows(app) == [0, 0, 0]


def test_adding_a_line_keeps_what_was_typed_and_stores_nothing(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    data = {
        "delivered_on": today().isoformat(),
        "location": str(stock_shop["shelf"]),
        "more": "1",
        **rows(
            *[{"product": "", "quantity": ""}] * 7,
            {"product": str(stock_shop["bread"]), "quantity": "4"},
        ),
    }
    response = post_form(staff, NEW, data)
    assert response.status_code == 200
    assert response.text.count('<select id="lines-') == 9  # "Regel toevoegen" adds one
    assert re.search(r'id="lines-7-quantity"[^>]*value="4"', response.text)
    assert "field-error" not in response.text  # adding rows is not a check
    assert ledger_rows(app) == [0, 0, 0]
    # the ninth row, added without JavaScript, is booked like any other
    data.pop("more")
    data.update(rows(*[{}] * 8, {"product": str(stock_shop["eggs"]), "quantity": "6"}))
    assert post_form(staff, NEW, data).status_code == 302
    with app.app_context():
        assert get_on_hand(stock_shop["eggs"], stock_shop["shelf"]) == 6000
        assert get_on_hand(stock_shop["bread"], stock_shop["shelf"]) == 4000


def test_an_earlier_day_is_booked_at_noon_in_brussels(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    yesterday = today() - timedelta(days=1)
    data = {
        "delivered_on": yesterday.strftime("%d-%m-%Y"),  # typed the Belgian way
        "location": str(stock_shop["shelf"]),
        **rows({"product": str(stock_shop["bread"]), "quantity": "2"}),
    }
    assert post_form(staff, NEW, data).status_code == 302
    with app.app_context():
        moment = db.session.scalar(select(StockMove.created_at))
        assert moment is not None
        local = moment.astimezone(BRUSSELS)
        assert (local.date(), local.hour) == (yesterday, 12)
    too_old = {**data, "delivered_on": (today() - timedelta(days=400)).isoformat()}
    assert "Kies een datum in het voorbije jaar." in post_form(staff, NEW, too_old).text


def test_unknown_deliveries_are_not_found(staff: FlaskClient, stock_shop: dict[str, Any]) -> None:
    assert staff.get("/admin/deliveries/123456").status_code == 404
    assert staff.get("/admin/deliveries").status_code == 200

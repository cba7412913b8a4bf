"""Back office: the delivery form chooses by producer, searches, grows, and checks best-before."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.admin.stock_support import ledger_rows, post_form, today
from tests.kiosk.orders.orders_support import orders_shop_fixture  # noqa: F401

NEW = "/admin/deliveries/new"


def offered(page: str, row: int = 0) -> list[str]:
    """Return the product names a row's select offers."""
    select = re.search(rf'<select id="lines-{row}-product".*?</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option[^>]*value="\d+">([^<]*)</option>', select.group(0))


def linde_delivery(orders_shop: dict[str, Any], rows: dict[str, str]) -> dict[str, str]:
    """Return a delivery from Hoeve De Linde to the shelf today, with rows ("0-quantity": …)."""
    return {
        "producer": str(orders_shop["linde"]),
        "delivered_on": today().isoformat(),
        "location": str(orders_shop["shelf"]),
        **{f"lines-{name}": value for name, value in rows.items()},
    }


def test_the_producer_narrows_the_products_and_the_search_narrows_them_more(
    staff: FlaskClient, orders_shop: dict[str, Any]
) -> None:
    everything = staff.get(NEW)
    assert "Eieren (6) (per stuk)" in offered(everything.text)
    linde = staff.get(f"{NEW}?producer={orders_shop['linde']}")
    assert offered(linde.text) == ["Boerenbrood (per stuk)", "Hoevekaas (per kg)"]
    assert offered(linde.text, 7) == offered(linde.text)  # every row
    searched = staff.get(f"{NEW}?producer={orders_shop['linde']}&q=kaas")
    assert offered(searched.text) == ["Hoevekaas (per kg)"]
    odd = staff.get(f"{NEW}?q=%00&producer=%C2%B2")  # a NUL (PostgreSQL refuses it) and "²"
    assert odd.status_code == 200 and "Eieren (6) (per stuk)" in offered(odd.text)
    # without JavaScript: choose the producer and search in the form itself, keeping the rows
    data = {
        "producer": str(orders_shop["kippenhof"]),
        "q": "",
        "filter": "1",
        "delivered_on": today().isoformat(),
        "lines-0-product": "",
        "lines-0-quantity": "12",
    }
    chosen = post_form(staff, NEW, data)
    assert chosen.status_code == 200 and "field-error" not in chosen.text
    assert offered(chosen.text) == ["Eieren (6) (per stuk)"]
    assert re.search(r'id="lines-0-quantity"[^>]*value="12"', chosen.text)


def test_a_line_is_added_without_losing_what_was_typed_and_the_chosen_product_stays(
    app: Flask, staff: FlaskClient, orders_shop: dict[str, Any]
) -> None:
    data = {
        "producer": str(orders_shop["linde"]),
        "q": "kaas",
        "delivered_on": today().isoformat(),
        "location": str(orders_shop["shelf"]),
        "lines-0-product": str(orders_shop["bread"]),  # chosen before the search
        "lines-0-quantity": "6",
        "more": "1",
    }
    grown = post_form(staff, NEW, data)
    assert grown.status_code == 200
    assert grown.text.count('<select id="lines-') == 9  # the 8 rows and one more
    assert "Regel toevoegen" in grown.text
    assert offered(grown.text, 0) == ["Boerenbrood (per stuk)", "Hoevekaas (per kg)"]
    assert offered(grown.text, 1) == offered(grown.text, 0)  # the chosen bread stays offered
    assert re.search(rf'<option selected value="{orders_shop["bread"]}">', grown.text)
    assert ledger_rows(app) == [2, 2, 7]  # the fixture's history only


def test_a_product_of_another_producer_is_refused(
    app: Flask, staff: FlaskClient, orders_shop: dict[str, Any]
) -> None:
    before = ledger_rows(app)
    data = linde_delivery(orders_shop, {"0-product": str(orders_shop["eggs"]), "0-quantity": "6"})
    refused = post_form(staff, NEW, data)
    assert refused.status_code == 200
    assert "Dit product komt van een andere producent." in refused.text
    assert ledger_rows(app) == before


def test_a_best_before_date_already_past_needs_a_confirmation(
    app: Flask, staff: FlaskClient, orders_shop: dict[str, Any]
) -> None:
    before = ledger_rows(app)
    data = linde_delivery(
        orders_shop,
        {
            "0-product": str(orders_shop["bread"]),
            "0-quantity": "6",
            "0-best_before": (today() - timedelta(days=1)).isoformat(),
            "1-product": str(orders_shop["cheese"]),
            "1-quantity": "1",
            "1-best_before": today().isoformat(),  # today is not past
        },
    )
    warned = post_form(staff, NEW, data)
    assert warned.status_code == 200
    assert "Een houdbaarheidsdatum is al voorbij." in warned.text
    assert warned.text.count("Deze datum is al voorbij.") == 1
    assert "Toch boeken: de houdbaarheidsdatum is al voorbij" in warned.text
    assert ledger_rows(app) == before
    confirmed = post_form(staff, NEW, {**data, "confirm_past": "y"})
    assert confirmed.status_code == 302
    assert ledger_rows(app) == [before[0] + 1, before[1] + 2, before[2] + 2]

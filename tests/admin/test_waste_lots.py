"""Back office: the waste form offers only the chosen product's lots, expiring first."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.admin.stock_support import (
    deliver,
    post_form,
    stock_shop_fixture,  # noqa: F401
    today,
)

URL = "/admin/stock/waste"


def lot_options(page: str) -> list[str]:
    """Return the lot select's labels, after its first 'what expires first' choice."""
    select = re.search(r'<select id="lot".*?</select>', page, re.S)
    assert select is not None
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))[1:]


def test_lot_choices_are_only_the_chosen_products_expiring_first(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    bread, cheese = stock_shop["bread"], stock_shop["cheese"]
    shelf, room = stock_shop["shelf"], stock_shop["room"]
    deliver(app, bread, shelf, 4000, today() + timedelta(days=9), "LATE")
    deliver(app, bread, room, 2000, None, "NONE")
    deliver(app, bread, shelf, 3000, today() + timedelta(days=1), "EARLY")
    deliver(app, bread, room, 1000, today() + timedelta(days=4), "MID")
    deliver(app, cheese, shelf, 2000, today() + timedelta(days=2), "KAAS")
    assert lot_options(staff.get(URL).text) == []  # no product chosen: no lots at all
    page = staff.get(f"{URL}?product={bread}")
    codes = [re.findall(r"lot (\S+),", label)[0] for label in lot_options(page.text)]
    assert codes == ["EARLY", "MID", "LATE", "NONE"]  # every place, expiring first
    only_shelf = staff.get(f"{URL}?product={bread}&location={shelf}")
    assert ["EARLY" in o or "LATE" in o for o in lot_options(only_shelf.text)] == [True, True]
    # without JavaScript: "Loten van dit product tonen" re-shows the form, booking nothing
    shown = post_form(staff, URL, {"product": str(cheese), "lots": "1", "quantity": "0,5"})
    assert shown.status_code == 200 and "field-error" not in shown.text
    assert [("KAAS" in o) for o in lot_options(shown.text)] == [True]
    assert re.search(r'id="quantity"[^>]*value="0,5"', shown.text)

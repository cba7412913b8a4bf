"""The turnover page: a period at one or every point of sale, beside a year earlier."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import Sale, Till
from kiosk.sales.operations import Order, OrderLine, record_sale
from kiosk.sales.refunds import refund_sale
from tests.admin.conftest import Team
from tests.conftest import Shop


@pytest.fixture
def history(app: Flask, shop: Shop, team: Team) -> None:
    """Sales at the farm shop and the gift shop this November and a year earlier."""
    shop.point_of_sale("HW")
    shop.point_of_sale("GW")
    farm_till, _ = shop.till("HW")
    gift_till, _ = shop.till("GW", name="Giftshop")
    operator = shop.user("Jan")
    bread = shop.product("Boerenbrood", price_cents=385, category="Brood")
    candle = shop.product("Kaars", price_cents=1299, vat_class="non_food", point_of_sale="HW|GW")
    sales = [
        (farm_till, bread, "2", datetime(2026, 11, 20, 9, 0, tzinfo=UTC)),
        (farm_till, candle, "1", datetime(2026, 11, 20, 10, 0, tzinfo=UTC)),
        (gift_till, candle, "3", datetime(2026, 11, 20, 11, 0, tzinfo=UTC)),
        (farm_till, bread, "1", datetime(2026, 11, 2, 9, 0, tzinfo=UTC)),
        # a year earlier: the same weekday 52 weeks back is 2025-11-21
        (farm_till, bread, "4", datetime(2025, 11, 21, 9, 0, tzinfo=UTC)),
    ]
    with app.app_context():
        for till_id, product, quantity, moment in sales:
            price = 385 if product == bread else 1299
            order = Order(
                operator,
                (OrderLine(product, Decimal(quantity)),),
                (("card", price * int(quantity)),),
            )
            record_sale(db.session.get_one(Till, till_id), order, str(uuid.uuid4()), moment)
        db.session.commit()


def tile(html: str, label: str) -> str:
    """Return the big figure of the tile with `label`."""
    match = re.search(re.escape(label) + r"<strong>([^<]*)</strong>", html)
    assert match, label
    return match.group(1)


def test_a_day_at_every_point_of_sale_with_a_year_earlier(
    manager: FlaskClient, history: None
) -> None:
    page = manager.get("/admin/reports?period=day&date=2026-11-20")
    assert page.status_code == 200
    assert tile(page.text, "Omzet incl. btw") == "59,66 €"  # 7,70 + 12,99 + 38,97
    assert tile(page.text, "Verkopen") == "3"
    assert "een jaar eerder: 15,40 €" in page.text  # 4 breads on 2025-11-21
    assert "+287 %" in page.text
    # per VAT rate with the receipts' letter codes; the VAT is the sum of the receipts' VAT
    # (2,25 + 6,76), not the VAT of the summed gross (9,02)
    assert re.search(r"<td>C</td><td>6 %</td><td[^>]*>7,26 €</td><td[^>]*>0,44 €</td>", page.text)
    assert re.search(r"<td>A</td><td>21 %</td><td[^>]*>42,95 €</td><td[^>]*>9,01 €</td>", page.text)


def test_one_point_of_sale_for_a_month(manager: FlaskClient, history: None) -> None:
    page = manager.get("/admin/reports?period=month&date=2026-11-05&pos=HW")
    assert tile(page.text, "Omzet incl. btw") == "24,54 €"  # 7,70 + 12,99 + 3,85
    assert tile(page.text, "Verkopen") == "3"
    assert "november 2026" in page.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period=century", "Kies dag, week, maand of jaar."),
        ("date=20-11-2026", "Deze datum klopt niet. Gebruik jjjj-mm-dd."),
        ("date=1900-01-01", "Kies een datum tussen 2000 en 2100."),
        ("pos=XX", "Dit verkooppunt bestaat niet."),
    ],
)
def test_bad_choices_get_a_message_and_a_page(
    manager: FlaskClient, history: None, query: str, message: str
) -> None:
    page = manager.get(f"/admin/reports?{query}")
    assert page.status_code == 200
    assert message in page.text


def test_staff_may_not_see_turnover(staff: FlaskClient) -> None:
    assert staff.get("/admin/reports").status_code == 403


def test_refunds_are_a_note_under_the_payment_methods_not_a_method(
    app: Flask, manager: FlaskClient, history: None, team: Team
) -> None:
    with app.app_context():
        sale = db.session.scalar(db.select(Sale).order_by(Sale.id).limit(1))  # 2 breads, card
        assert sale is not None and sale.total_cents == 770
        refund_sale(
            sale.till,
            sale.id,
            team.staff,
            None,
            stock="return",
            reason="vergissing",
            idempotency_key=str(uuid.uuid4()),
            now=datetime(2026, 11, 20, 15, 0, tzinfo=UTC),
        )
        db.session.commit()
    page = manager.get("/admin/reports?period=day&date=2026-11-20&pos=HW").text
    methods = page.split("<h2>Per betaalwijze</h2>")[1].split("<h2>")[0]
    rows = re.findall(r"<tr><td>([^<]*)</td><td[^>]*>([^<]*)</td></tr>", methods)
    assert [name for name, _amount in rows] == ["Kaart", "Afronding contant"]
    assert rows[0][1] == "12,99 €"  # 7,70 + 12,99 − 7,70: the card total holds the refund
    assert (
        "Waarvan terugbetalingen (1): -7,70 €, al verrekend in de betaalwijzen hierboven."
        in methods
    )

"""The managers' dashboard: charts with their tables, waste, and the GKS warning (also at home)."""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.demo.history import generate_history
from kiosk.extensions import db
from kiosk.models import Location, Product, Till
from kiosk.models.types import utcnow
from kiosk.periods import business_day
from kiosk.reports.day_figures import SalesScope, get_figures
from kiosk.sales.operations import Order, OrderLine, record_sale
from kiosk.stock.operations import DeliveredLine, book_waste, receive_delivery
from tests.conftest import Shop

GKS_TEXT = (
    "Boven €25.000 per jaar aan maaltijden ter plaatse is een geregistreerd kassasysteem (GKS) "
    "verplicht. PlusKassa is geen GKS."
)
FEAST_CENTS = 11200  # €100 without 12 % VAT


@pytest.fixture
def plus_plek(shop: Shop) -> dict[str, int]:
    """A farm shop and a bistro with a till each, and what they sell."""
    shop.point_of_sale("HW")
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in")
    return {
        "bistro_till": shop.till("BI", name="Bistro")[0],
        "farm_till": shop.till("HW", name="Toog")[0],
        "operator": shop.user("Jan"),
        "bread": shop.product("Boerenbrood", price_cents=380),
        "coffee": shop.product(
            "Koffie", price_cents=220, vat_class="soft_drink", point_of_sale="BI"
        ),
        "soup": shop.product(
            "Soep van de dag", price_cents=400, vat_class="takeaway_meal", point_of_sale="BI"
        ),
        "feast": shop.product(
            "Feestmaal", price_cents=FEAST_CENTS, vat_class="takeaway_meal", point_of_sale="BI"
        ),
    }


def history(app: Flask, days: int = 10, per_day: int = 6) -> date:
    """Generate the sales of the last `days` days, ending yesterday; return the scope."""
    with app.app_context():
        yesterday = business_day(utcnow()) - timedelta(days=1)
        generate_history(yesterday - timedelta(days=days - 1), yesterday, per_day, seed=1)
        db.session.commit()
        return business_day(utcnow())


def feast(app: Flask, ids: dict[str, int], count: int) -> None:
    """Sell `count` feasts eaten on the spot at the bistro, now, paid by card."""
    with app.app_context():
        order = Order(
            operator_id=ids["operator"],
            lines=(OrderLine(ids["feast"], Decimal(count)),),
            payments=(("card", FEAST_CENTS * count),),
        )
        till = db.session.get_one(Till, ids["bistro_till"])
        record_sale(till, order, str(uuid.uuid4()), utcnow())
        db.session.commit()


def charts(html: str) -> list[ET.Element]:
    """Parse every SVG chart of a page as XML."""
    return [ET.fromstring(svg) for svg in re.findall(r"<svg .*?</svg>", html, re.S)]


def cents(text: str) -> int:
    """Read a Belgian amount '1.234,50 €' as cents."""
    return int(text.replace("€", "").replace(".", "").replace(",", "").strip())


def section(html: str, heading_id: str) -> str:
    """Return the dashboard card with this heading."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match, heading_id
    return match.group(0)


def test_the_dashboard_draws_the_last_30_days_with_tables(
    app: Flask, manager: FlaskClient, plus_plek: dict[str, int]
) -> None:
    today = history(app)
    page = manager.get("/admin/dashboard")
    assert page.status_code == 200
    drawn = charts(page.text)
    assert len(drawn) == 4  # per day, a year earlier, top products, per hour; no waste yet
    for chart in drawn:
        assert chart.get("role") == "img" and chart.get("aria-label")
    daily = section(page.text, "daily-title")
    assert "<details" in daily and "Bistro" in daily and "Hoevewinkel" in daily
    row_totals = re.findall(r'<td class="num">([^<]*)</td></tr>', daily)
    assert len(row_totals) == 30
    with app.app_context():
        figures = get_figures(SalesScope(today - timedelta(days=29), today))
    assert sum(cents(total) for total in row_totals) == figures.turnover_cents > 0
    top = section(page.text, "top-title")
    assert "Koffie" in top or "Boerenbrood" in top
    assert "Geen derving geboekt in deze periode." in section(page.text, "waste-title")
    gks = section(page.text, "gks-title")
    assert "<meter" in gks and "PlusKassa is geen gecertificeerd" in gks
    assert GKS_TEXT not in page.text


def test_an_empty_shop_has_an_empty_dashboard(app: Flask, manager: FlaskClient) -> None:
    page = manager.get("/admin/dashboard")
    assert page.status_code == 200
    assert charts(page.text) == []
    assert page.text.count("Nog geen verkopen in deze periode.") == 4


def test_staff_may_not_open_the_dashboard(app: Flask, staff: FlaskClient) -> None:
    assert staff.get("/admin/dashboard").status_code == 403


def test_waste_per_reason_at_purchase_price(
    app: Flask, manager: FlaskClient, plus_plek: dict[str, int]
) -> None:
    with app.app_context():
        shelf = Location(code="REK", name="Winkelrek")
        db.session.add(shelf)
        bread = db.session.get_one(Product, plus_plek["bread"])
        receive_delivery(None, shelf, [DeliveredLine(bread, 20000, 250, "B1")], None, utcnow())
        book_waste(bread, shelf, 3000, "expired", None, utcnow())
        db.session.commit()
    waste = section(manager.get("/admin/dashboard").text, "waste-title")
    assert "over datum" in waste and "7,50 €" in waste
    assert len(charts(waste)) == 1


@pytest.mark.parametrize(
    ("feasts", "message"),
    [
        (200, "Let op: de maaltijden ter plaatse naderen de GKS-grens."),
        (251, "De maaltijden ter plaatse zitten dit jaar boven de GKS-grens."),
    ],
)
def test_managers_are_warned_about_the_gks_threshold(
    app: Flask,
    manager: FlaskClient,
    staff: FlaskClient,
    plus_plek: dict[str, int],
    feasts: int,
    message: str,
) -> None:
    home = manager.get("/admin/")
    assert GKS_TEXT not in home.text
    feast(app, plus_plek, feasts)
    dashboard = manager.get("/admin/dashboard").text
    assert GKS_TEXT in dashboard and message in dashboard
    assert f"{feasts * 100:,}".replace(",", ".") + ",00 €" in section(dashboard, "gks-title")
    home_text = manager.get("/admin/").text
    assert GKS_TEXT in home_text and message in home_text
    assert 'href="/admin/dashboard"' in home_text
    assert GKS_TEXT not in staff.get("/admin/").text


def test_take_away_meals_and_drinks_never_warn(
    app: Flask, manager: FlaskClient, plus_plek: dict[str, int]
) -> None:
    with app.app_context():
        till = db.session.get_one(Till, plus_plek["bistro_till"])
        for product, consumption, count in (
            ("feast", "takeaway", 300),
            ("coffee", "eat_in", 999),
        ):
            price = FEAST_CENTS if product == "feast" else 220
            order = Order(
                operator_id=plus_plek["operator"],
                lines=(OrderLine(plus_plek[product], Decimal(count)),),
                payments=(("card", price * count),),
                consumption=consumption,
            )
            record_sale(till, order, str(uuid.uuid4()), utcnow())
        db.session.commit()
    assert GKS_TEXT not in manager.get("/admin/dashboard").text

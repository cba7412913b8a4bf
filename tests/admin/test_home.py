"""The start page: today per point of sale, as the turnover page says, and what needs care."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.bistro.tabs import open_tab
from kiosk.demo.history import generate_history
from kiosk.extensions import db
from kiosk.models import DiningTable, Location, PointOfSale, Product, Till
from kiosk.models.types import utcnow
from kiosk.periods import business_day
from kiosk.printing.queue import add_printer, enqueue, job_failed
from kiosk.reports.day_figures import day_start
from kiosk.stock.operations import DeliveredLine, receive_delivery
from tests.admin.test_dashboard import cents, plus_plek, section  # noqa: F401  (a fixture)
from tests.kiosk.sales_support import sell


@pytest.fixture
def ids(plus_plek: dict[str, int]) -> dict[str, int]:  # noqa: F811
    """The plus-plek of the dashboard's tests: a farm shop and a bistro, their tills and goods."""
    return plus_plek


def with_history(app: Flask, *, last_year: bool = True) -> None:
    """Ring up demo sales today and (if asked) on the same weekday 52 weeks ago."""
    with app.app_context():
        today = business_day(utcnow())
        if last_year:
            earlier = today - timedelta(days=364)
            generate_history(earlier, earlier, 8, seed=3)
        generate_history(today, today, 8, seed=4)
        db.session.commit()


def home_figure(card: str, label: str) -> str:
    """Return what the start page's card shows after a label."""
    match = re.search(rf"<dt>{re.escape(label)}[^<]*</dt>\s*<dd>(.*?)</dd>", card, re.S)
    assert match, label
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def turnover_tiles(page: str) -> tuple[int, int, int]:
    """Read today's turnover, the year-earlier turnover and the sales from the turnover page."""
    turnover = re.search(
        r"Omzet incl\. btw<strong>([^<]*)</strong>\s*<span>een jaar eerder: ([^ ]* €)", page
    )
    sales = re.search(r"Verkopen<strong>(\d+)</strong>", page)
    assert turnover and sales
    return cents(turnover.group(1)), cents(turnover.group(2)), int(sales.group(1))


@pytest.mark.usefixtures("plus_plek")
def test_today_at_each_point_of_sale_equals_the_turnover_page(
    app: Flask, manager: FlaskClient
) -> None:
    with_history(app)
    home = manager.get("/admin/")
    assert home.status_code == 200
    seen = 0
    for code in ("BI", "HW"):
        card = section(home.text, f"pos-{code}")
        report = manager.get(f"/admin/reports?pos={code}")
        turnover, year_before, sales = turnover_tiles(report.text)
        assert sales > 0 and year_before != 0
        assert cents(home_figure(card, "Omzet tot nu")) == turnover
        assert cents(home_figure(card, "Zelfde weekdag vorig jaar").split("(")[0]) == year_before
        assert int(home_figure(card, "Verkopen")) == sales
        seen += sales
    assert seen > 0


@pytest.mark.usefixtures("plus_plek")
def test_without_sales_a_year_ago_it_says_no_data(app: Flask, manager: FlaskClient) -> None:
    with_history(app, last_year=False)
    card = section(manager.get("/admin/").text, "pos-HW")
    assert home_figure(card, "Zelfde weekdag vorig jaar") == "geen gegevens"
    assert cents(home_figure(card, "Omzet tot nu")) > 0


@pytest.mark.usefixtures("plus_plek")
def test_staff_see_sales_and_tabs_but_no_turnover_nor_gks(app: Flask, staff: FlaskClient) -> None:
    with_history(app)
    home = staff.get("/admin/")
    assert home.status_code == 200
    card = section(home.text, "pos-HW")
    assert int(home_figure(card, "Verkopen")) > 0
    assert "Omzet" not in card and "€" not in card.split("Open rekeningen")[0]
    assert "GKS-drempel" not in home.text
    assert staff.get("/admin/reports").status_code == 403  # as the turnover page hides it


def test_printers_in_trouble_open_tabs_low_and_expiring_stock_show_up(
    app: Flask, manager: FlaskClient, ids: dict[str, int]
) -> None:
    with app.app_context():
        now = utcnow()
        printer = add_printer(
            "Toogprinter", "tcp://192.0.2.1:9100", profile="TM-T20II", point_of_sale_code="HW"
        )
        job = enqueue(printer, "test", now)
        db.session.flush()
        job_failed(job, now, "geen verbinding")
        bistro = db.session.scalar(db.select(PointOfSale).where(PointOfSale.code == "BI"))
        assert bistro is not None
        table = DiningTable(point_of_sale_id=bistro.id, number=4, name="Tafel 4")
        db.session.add(table)
        db.session.flush()
        open_tab(db.session.get_one(Till, ids["bistro_till"]), table.id, ids["operator"], now)
        shelf = Location(code="REK", name="Winkelrek")
        db.session.add(shelf)
        bread = db.session.get_one(Product, ids["bread"])
        bread.minimum_stock_milli = 10000
        soon = business_day(now) + timedelta(days=1)
        receive_delivery(None, shelf, [DeliveredLine(bread, 2000, 250, "B1", soon)], None, now)
        db.session.commit()
    home = manager.get("/admin/").text
    farm = section(home, "pos-HW")
    assert "Printer Toogprinter print niet: 1 opdrachten wachten (geen verbinding)." in farm
    assert "Toogprinter" not in section(home, "pos-BI")
    assert home_figure(section(home, "pos-BI"), "Open rekeningen").startswith("1")
    stock = section(home, "stock-title")
    assert "Onder de minimumvoorraad" in stock
    below, expiring = stock.split("Houdbaar tot binnen 3 dagen")
    assert "Boerenbrood (Winkelrek)" in below and "Boerenbrood (Winkelrek)" in expiring
    assert soon.strftime("%d-%m-%Y") in expiring
    assert "GKS-drempel" in home  # a manager sees the watch, reused from the dashboard


def test_last_year_is_also_shown_up_to_the_same_time_of_day(
    app: Flask, manager: FlaskClient, ids: dict[str, int]
) -> None:
    with app.app_context():
        now = utcnow()
        today = business_day(now)
        earlier = today - timedelta(days=364)
        start, cut_off = day_start(earlier), day_start(earlier) + (now - day_start(today))
        end = day_start(earlier + timedelta(days=1))
        before, after = start + (cut_off - start) / 2, cut_off + (end - cut_off) / 2
        sell(ids["farm_till"], ids["operator"], [(ids["bread"], "1")], [("card", 380)], before)
        sell(ids["farm_till"], ids["operator"], [(ids["bread"], "2")], [("card", 760)], after)
    card = section(manager.get("/admin/").text, "pos-HW")
    assert cents(home_figure(card, "Zelfde weekdag vorig jaar")) == 380 + 760  # the whole day
    assert cents(home_figure(card, "Toen tot dit uur").split("(")[0]) == 380  # up to this hour

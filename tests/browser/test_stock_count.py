"""A stock count on a touch tablet (1280×800): big − and + buttons, typed kilos, the differences."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Location, PointOfSale, Product, StockMove
from kiosk.models.types import Role, utcnow
from kiosk.periods import business_day
from kiosk.stock.operations import DeliveredLine, receive_delivery
from kiosk.stock.queries import get_ledger_sum, get_on_hand
from tests.browser.page_support import log_in as log_in_as
from tests.browser.page_support import serious_violations
from tests.browser.till_support import open_tablet_fixture  # noqa: F401

STAFF = ("Sam", "sam-telt-de-voorraad")


@pytest.fixture
def counted_shelf(app: Flask, shop: Any, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """The farm shop's shelf with bread, eggs and cheese on it, and a staff member."""
    shop.user(STAFF[0], role=Role.STAFF, password=STAFF[1])
    with app.app_context():
        farm = db.session.scalar(select(PointOfSale).where(PointOfSale.code == "HW"))
        shelf = Location(code="HW-REK", name="Winkelrek", kind="shelf", sells_for=farm)
        db.session.add(shelf)
        soon = business_day(utcnow()) + timedelta(days=3)
        lines = [
            DeliveredLine(db.session.get_one(Product, farm_shop["bread"]), 5000, 150, "B1", soon),
            DeliveredLine(db.session.get_one(Product, farm_shop["eggs"]), 6000, 200, "E1", soon),
            DeliveredLine(db.session.get_one(Product, farm_shop["cheese"]), 2000, 1500, "K1", soon),
        ]
        receive_delivery(None, shelf, lines, None, utcnow())
        db.session.commit()
        return {**farm_shop, "shelf": shelf.id}


ControlRole = Literal["button", "textbox"]


def assert_big_enough(page: Page, *names: tuple[ControlRole, str]) -> None:
    """Check that each named control is a touch target of at least 48 × 48 px."""
    for role, name in names:
        box = page.get_by_role(role, name=name, exact=True).bounding_box()
        assert box is not None, name
        assert box["width"] >= 48 and box["height"] >= 48, (name, box)


@pytest.mark.browser
def test_staff_counts_two_products_on_a_tablet_and_sees_the_differences(
    app: Flask,
    live_server: Any,
    counted_shelf: dict[str, Any],
    open_tablet: Callable[..., Page],
    artifacts: Path,
) -> None:
    tablet = open_tablet()
    log_in_as_staff(tablet, live_server.url)
    tablet.goto(f"{live_server.url}/admin/stock")
    stock_menu = tablet.get_by_role("navigation", name="Voorraad")
    stock_menu.get_by_role("link", name="Tellen", exact=True).tap()
    tablet.get_by_label("Plaats").select_option(label="Winkelrek")
    tablet.get_by_role("button", name="Beginnen met tellen").tap()
    expect(tablet.get_by_role("heading", name="Tellen: Winkelrek", level=1)).to_be_visible()

    bread = tablet.get_by_role("textbox", name="Boerenbrood")
    more_bread = tablet.get_by_role("button", name="Eén meer: Boerenbrood", exact=True)
    for _ in range(4):
        more_bread.tap()
    tablet.get_by_role("button", name="Eén minder: Boerenbrood", exact=True).tap()
    expect(bread).to_have_value("3")
    cheese = tablet.get_by_role("textbox", name="Hoevekaas")
    cheese.tap()
    cheese.fill("1,250")
    expect(tablet.get_by_role("textbox", name="Eieren (6)")).to_have_value("")  # not counted
    assert_big_enough(
        tablet,
        ("button", "Eén meer: Boerenbrood"),
        ("button", "Eén minder: Boerenbrood"),
        ("textbox", "Boerenbrood (stuks)"),
        ("textbox", "Hoevekaas (kg)"),
        ("button", "Telling bewaren"),
    )
    assert serious_violations(tablet) == []
    tablet.screenshot(path=artifacts / "stock-count-sheet.png", full_page=True)

    tablet.get_by_role("button", name="Telling bewaren").tap()

    expect(tablet.get_by_role("heading", name="Verschillen van de telling")).to_be_visible()
    expect(tablet.get_by_role("status")).to_have_text(
        "De telling is bewaard: 2 geteld, 2 met een verschil."
    )
    bread_row = tablet.get_by_role("row", name="Boerenbrood")
    expect(bread_row.get_by_role("cell")).to_have_text(["5 st.", "3 st.", "-2 st."])
    cheese_row = tablet.get_by_role("row", name="Hoevekaas")
    expect(cheese_row.get_by_role("cell")).to_have_text(["2,000 kg", "1,250 kg", "-0,750 kg"])
    assert serious_violations(tablet) == []
    tablet.screenshot(path=artifacts / "stock-count-result.png", full_page=True)

    shelf = counted_shelf["shelf"]
    with app.app_context():
        corrections = db.session.scalars(
            select(StockMove).where(StockMove.kind == "count").order_by(StockMove.product_id)
        ).all()
        assert [(m.product_id, m.quantity_milli, m.reason) for m in corrections] == [
            (counted_shelf["bread"], -2000, "telling"),
            (counted_shelf["cheese"], -750, "telling"),
        ]
        assert all(m.lot_id is not None and m.location_id == shelf for m in corrections)
        for product, expected in (("bread", 3000), ("eggs", 6000), ("cheese", 1250)):
            assert get_on_hand(counted_shelf[product], shelf) == expected
            assert get_ledger_sum(counted_shelf[product], shelf) == expected
        db.session.rollback()


def log_in_as_staff(page: Page, base_url: str) -> None:
    """Log in as the staff member."""
    log_in_as(page, base_url, *STAFF, touch=True)

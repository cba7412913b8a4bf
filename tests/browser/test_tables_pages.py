"""The bistro's floor in a real browser: a manager adds a table by its labels; axe on each page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import DiningTable, Tab, TabItem
from kiosk.models.types import Role
from tests.browser.page_support import log_in as log_in_as
from tests.browser.page_support import serious_violations

MANAGER = ("Mia", "mia-is-verantwoordelijke")


@pytest.fixture
def bistro_shop(shop: Any) -> None:
    """A bistro and a manager."""
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in")
    shop.user(MANAGER[0], role=Role.MANAGER, password=MANAGER[1])


@pytest.mark.browser
def test_a_manager_adds_a_red_table_and_a_second_with_the_same_number_is_refused(
    page: Page, app: Any, live_server: Any, shop: Any, bistro_shop: None, artifacts: Path
) -> None:
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/tables")
    page.get_by_role("link", name="Tafel toevoegen").click()
    page.get_by_label("Verkooppunt").select_option(label="Bistro")
    page.get_by_label("Nummer", exact=True).fill("7")
    page.get_by_label("Rood").check()  # a swatch with its name, chosen like any radio button
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "tables-form.png", full_page=True)
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_role("status")).to_contain_text("Tafel 7 is toegevoegd.")
    expect(page.get_by_role("heading", name="Bistro", level=2)).to_be_visible()
    expect(page.get_by_role("cell", name="Rood")).to_be_visible()
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "tables-list.png", full_page=True)
    with app.app_context():
        table = db.session.scalar(select(DiningTable))
        assert table is not None
        assert (table.number, table.name, table.colour) == (7, "Tafel 7", "#b3261e")

    page.get_by_role("link", name="Tafel toevoegen aan Bistro").click()
    page.get_by_label("Nummer", exact=True).fill("7")
    page.get_by_label("Naam (leeg: Tafel en het nummer)").fill("Terras")
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_text("Bistro heeft al een tafel 7.")).to_be_visible()
    expect(page.get_by_label("Naam (leeg: Tafel en het nummer)")).to_have_value("Terras")

    coffee = shop.product("Koffie", price_cents=220, point_of_sale="BI")
    with app.app_context():
        table = db.session.scalar(select(DiningTable))
        assert table is not None
        tab = Tab(point_of_sale_id=table.point_of_sale_id, table_id=table.id)
        tab.items.append(
            TabItem(
                client_key="a",
                product_id=coffee,
                description="Koffie",
                unit="piece",
                quantity_milli=2000,
                unit_price_cents=220,
                consumption="eat_in",
            )
        )
        db.session.add(tab)
        db.session.commit()
    page.goto(f"{live_server.url}/admin/tabs")
    expect(page.get_by_role("heading", name="Open rekeningen", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="2 × Koffie")).to_be_visible()
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "tables-open-tabs.png", full_page=True)


def log_in(page: Page, base_url: str) -> None:
    """Log in as the manager."""
    log_in_as(page, base_url, *MANAGER)

"""The cash count in a browser: big − and + buttons, the running total, axe on the cash pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kiosk.models.types import Role, utcnow
from kiosk.periods import business_day
from tests.browser.page_support import serious_violations
from tests.browser.test_back_office import MANAGER, log_in


@pytest.mark.browser
def test_counting_the_drawer_with_the_buttons_shows_the_difference(
    page: Page, live_server: Any, shop: Any, farm_shop: dict[str, Any], artifacts: Path
) -> None:
    shop.user(MANAGER[0], role=Role.MANAGER, password=MANAGER[1])
    day = business_day(utcnow()).isoformat()
    drawer = f"{live_server.url}/admin/cash/{farm_shop['till_id']}/{day}"
    log_in(page, live_server.url)
    page.goto(drawer)
    page.get_by_label("Wisselkas (euro)").fill("20,00")
    page.get_by_role("button", name="Kassa openen").click()
    expect(page.get_by_role("status")).to_contain_text("De kassa is geopend.")
    assert serious_violations(page) == []

    page.get_by_role("link", name="Kassa tellen").first.click()
    ten = page.get_by_label("Biljet van 10 euro")
    plus_ten = page.get_by_role("button", name="Eén meer: Biljet van 10 euro")
    for _ in range(3):
        plus_ten.click()
    page.get_by_role("button", name="Eén minder: Biljet van 10 euro").click()
    expect(ten).to_have_value("2")
    page.get_by_label("Munt van 50 cent").fill("1")
    expect(page.locator("#cash-count-total")).to_have_text("20,50 €")
    box = plus_ten.bounding_box()
    assert box is not None and box["width"] >= 48 and box["height"] >= 48
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "back-office-cash-count.png", full_page=True)

    page.get_by_role("button", name="Telling bewaren").click()
    expect(page.get_by_text("Er zit 0,50 € te veel in de kassa.")).to_be_visible()
    expect(page.get_by_label("Biljet van 10 euro")).to_have_value("2")
    page.get_by_role("link", name="X-rapport").first.click()
    expect(page.get_by_role("heading", name="Omzet per btw-tarief")).to_be_visible()
    expect(page.get_by_role("button", name="Afdrukken", exact=True)).to_be_visible()
    assert serious_violations(page) == []

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
    # a difference needs its reason before the day can close: the field is on the count's form
    expect(page.get_by_text("Noteer de reden van het verschil onderaan")).to_be_visible()
    page.get_by_label("Reden van het verschil").fill("Fooi in de lade gelegd")
    page.get_by_role("button", name="Telling bewaren").click()
    expect(page.get_by_text("Reden van het verschil: Fooi in de lade gelegd")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="X-rapport").first.click()
    expect(page.get_by_role("heading", name="Omzet per btw-tarief")).to_be_visible()
    expect(page.get_by_role("button", name="Afdrukken", exact=True)).to_be_visible()
    assert serious_violations(page) == []

    # the close: this morning's float stays for tomorrow, the rest goes to the bank
    page.goto(f"{drawer}/close")
    expect(page.get_by_label("Wisselkas voor morgen (euro)")).to_have_value("20,00")
    page.get_by_label("Naar de bank (euro, leeg = de rest)").fill("0,25")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Dag afsluiten").click()
    expect(page.get_by_role("status")).to_contain_text("Z-rapport 1 is gemaakt.")
    drawer_part = page.get_by_role("region", name="Kaslade")
    expect(drawer_part).to_contain_text("Fooi in de lade gelegd")
    expect(drawer_part.get_by_role("row", name="Naar de bank")).to_contain_text("0,25 €")
    expect(drawer_part.get_by_role("row", name="Wisselkas voor morgen")).to_contain_text("20,00 €")

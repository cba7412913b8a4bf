"""A customer's order in Chromium: taken by staff from the menu, shown, on the day's round, axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kiosk.models.types import Role, utcnow
from kiosk.periods import business_day
from tests.browser.page_support import log_in, serious_violations

STAFF = ("Sam", "sam-neemt-bestellingen")


@pytest.mark.browser
def test_staff_take_a_delivery_order_and_find_it_on_the_round(
    shop: Any, live_server: Any, page: Page, artifacts: Path
) -> None:
    shop.point_of_sale("HW", name="Hoevewinkel")
    shop.product("Boerenbrood", price_cents=380)
    shop.product("Hoevekaas", price_cents=2490, unit="kg")
    shop.user(STAFF[0], role=Role.STAFF, password=STAFF[1])
    log_in(page, live_server.url, *STAFF)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_text("Verkoop", exact=True).click()
    menu.get_by_role("link", name="Klantenbestellingen").click()
    expect(page.get_by_role("cell", name="Geen bestellingen voor deze dag.")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Nieuwe bestelling").click()
    page.get_by_label("Naam van de klant").fill("Maria Peeters")
    page.get_by_label("Telefoon").fill("0470 12 34 56")
    page.get_by_label("Afhalen of leveren").select_option(label="leveren")
    page.get_by_label("Adres (alleen bij leveren)").fill("Dorpsstraat 1, 9999 Ergens")
    page.get_by_label("Dag (dd-mm-jjjj)").fill(business_day(utcnow()).strftime("%d-%m-%Y"))
    page.get_by_label("Tijdvak").fill("10:00-11:00")
    page.locator("#lines-0-product").select_option(label="Boerenbrood (per stuk)")
    page.locator("#lines-0-quantity").fill("2")
    page.locator("#lines-1-product").select_option(label="Hoevekaas (per kg)")
    page.locator("#lines-1-quantity").fill("0,5")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Bewaren").click()

    expect(page.get_by_text("De bestelling is bewaard.")).to_be_visible()
    expect(page.get_by_role("cell", name="Maria Peeters · 0470 12 34 56")).to_be_visible()
    expect(page.get_by_role("cell", name="20,05 €")).to_be_visible()  # 7,60 + 12,45
    assert serious_violations(page) == []
    page.get_by_role("link", name="Naar de bestellingen van die dag").click()
    page.get_by_role("link", name="Leverronde afdrukken").click()
    expect(page.get_by_role("heading", name="1. 10:00-11:00 · Maria Peeters")).to_be_visible()
    expect(page.get_by_text("Te innen: 20,05 €")).to_be_visible()
    assert serious_violations(page) == []
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Op de bonprinter afdrukken")).to_be_hidden()
    page.screenshot(path=artifacts / "customer-orders-round-print.png", full_page=True)

"""The product form in Chromium: the chosen pictogram survives failed saves; 0 is confirmed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Product
from tests.browser.page_support import log_in, serious_violations
from tests.browser.test_catalog_pages import STAFF, catalog_shop

__all__ = ["catalog_shop"]  # the catalogue pages' fixture: a farm shop with a staff member


@pytest.mark.browser
def test_a_bird_house_keeps_its_pictogram_through_two_failed_saves(
    page: Page, app: Any, live_server: Any, catalog_shop: dict[str, Any], artifacts: Path
) -> None:
    log_in(page, live_server.url, *STAFF)
    page.goto(f"{live_server.url}/admin/products/new")
    page.get_by_label("Naam", exact=True).fill("Vogelhuisje uit het atelier")
    page.get_by_label("Prijs in euro, btw inbegrepen").fill("18,5O")  # a letter O, not a zero
    page.get_by_label("Hoevewinkel").check()
    search = page.get_by_label("Zoek een pictogram")
    search.fill("vogelhuisje")
    search.press("Enter")
    page.get_by_role("radio", name="vogelnest").check()

    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_text("Schrijf een bedrag zoals 3,80.")).to_be_visible()
    expect(page.get_by_role("radio", name="vogelnest (gekozen)")).to_be_checked()

    # a price of 0 is held back, with the pictogram still chosen, until "Toch opslaan"
    page.get_by_label("Prijs in euro, btw inbegrepen").fill("0")
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_role("alert")).to_contain_text("De prijs is 0,00 €")
    expect(page.get_by_role("radio", name="vogelnest (gekozen)")).to_be_checked()
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "product-form-price-warning.png", full_page=True)
    page.get_by_role("button", name="Toch opslaan").click()

    expect(page.get_by_text("Vogelhuisje uit het atelier is toegevoegd.")).to_be_visible()
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.name.startswith("Vogelhuisje")))
        assert product is not None
        assert (product.price_cents, product.pictogram) == (0, "1FAB9")

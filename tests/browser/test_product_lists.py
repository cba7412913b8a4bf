"""The products list and a bulk price change in a real browser: search, tick, preview, apply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.models import AuditEntry, Product
from kiosk.models.types import Role
from tests.browser.page_support import log_in, serious_violations

STAFF = ("Sam", "sam-is-medewerker")


@pytest.fixture
def big_shop(app: Any, shop: Any, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """The farm shop with 70 jars of honey more, so the list has pages, and a staff member."""
    shop.user(STAFF[0], role=Role.STAFF, password=STAFF[1])
    with app.app_context():
        db.session.add_all(
            Product(name=f"Honing {number:02d}", price_cents=500 + number) for number in range(70)
        )
        db.session.commit()
    return farm_shop


def pager(page: Page) -> Locator:
    """Return the products list's pager, which says which rows the page shows."""
    return page.get_by_role("navigation", name="Pagina's van de producten")


@pytest.mark.browser
def test_staff_search_the_list_and_raise_two_prices_through_the_preview(
    page: Page, app: Any, live_server: Any, big_shop: dict[str, Any], artifacts: Path
) -> None:
    log_in(page, live_server.url, *STAFF)
    page.goto(f"{live_server.url}/admin/products")
    expect(pager(page)).to_contain_text("1–50 van 74")
    page.get_by_role("link", name="Volgende").click()
    expect(pager(page)).to_contain_text("51–74 van 74")
    page.get_by_label("Zoek op naam, streepjescode of producent").fill("brood")
    page.get_by_role("button", name="Zoeken").click()
    expect(page).to_have_url(
        f"{live_server.url}/admin/products?q=brood&category=&producer=&point_of_sale=&active=yes"
    )
    expect(pager(page)).to_contain_text("1–1 van 1")
    page.goto(f"{live_server.url}/admin/products?q=honing+0")
    expect(pager(page)).to_contain_text("1–10 van 10")
    page.get_by_role("link", name="Prijs", exact=True).click()  # sorting is a link in the header
    page.get_by_role("link", name="Prijs", exact=True).click()  # again: the dearest first
    expect(page.get_by_role("row").nth(1)).to_contain_text("Honing 09")
    page.get_by_role("checkbox", name="Kies Honing 09").check()
    page.get_by_role("checkbox", name="Kies Honing 08").check()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Aangevinkte producten wijzigen").click()
    expect(page.get_by_text("Gekozen: 2 producten.")).to_be_visible()
    page.get_by_label("Prijs", exact=True).select_option(label="Verhogen met een percentage")
    page.get_by_label("Percentage of bedrag (bv. 5 of 0,50)").fill("10")
    page.get_by_label("Afronden").select_option(label="Op 10 cent")
    page.get_by_role("button", name="Voorbeeld tonen").click()
    preview = page.get_by_role("region", name="Voorbeeld: voor → na")
    # 5,09 € + 10 % = 5,599 € → 5,60 €; 5,08 € + 10 % = 5,588 € → 5,60 €
    expect(preview.get_by_role("row", name="Honing 09 Prijs 5,09 € 5,60 €")).to_be_visible()
    expect(preview.get_by_role("row", name="Honing 08 Prijs 5,08 € 5,60 €")).to_be_visible()
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "back-office-bulk-preview.png", full_page=True)
    with app.app_context():
        assert (
            db.session.scalar(select(Product.price_cents).where(Product.name == "Honing 09")) == 509
        )
    page.get_by_role("button", name="Wijzigingen toepassen").click()
    expect(page.get_by_text("2 producten zijn gewijzigd.")).to_be_visible()
    with app.app_context():
        changed = dict(
            db.session.execute(
                select(Product.name, Product.price_cents).where(
                    Product.name.in_(["Honing 08", "Honing 09"])
                )
            ).all()
        )
        assert changed == {"Honing 08": 560, "Honing 09": 560}
        entries = select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "products_bulk_changed"
        )
        assert db.session.scalar(entries) == 1

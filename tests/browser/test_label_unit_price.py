"""A pre-packed jar's sticker in Chromium: price per kg, producer and best-before inside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kiosk.extensions import db
from kiosk.models import Producer, Product
from kiosk.models.types import Role
from tests.browser.page_support import serious_violations

STAFF = ("Sam", "sam-is-medewerker")
JAM = "Aardbeienconfituur 350 g"


@pytest.fixture
def jam_shop(shop: Any) -> None:
    """A farm shop selling a 350 g jar of jam at € 4,50 from a named producer."""
    shop.point_of_sale("HW", name="Hoevewinkel")
    jam = shop.product(JAM, price_cents=450, barcode="5456123101851")
    with shop.app.app_context():
        product = db.session.get_one(Product, jam)
        product.producer = Producer(name="Fruithoeve Peeters uit Wingene")
        product.net_quantity, product.net_unit = 350, "g"
        db.session.commit()
    shop.user(STAFF[0], role=Role.STAFF, password=STAFF[1])


@pytest.mark.browser
@pytest.mark.parametrize("layout", ["3x8", "2x7"])
def test_a_jar_label_shows_its_price_per_kg_producer_and_best_before_inside_the_label(
    page: Page, live_server: Any, jam_shop: None, artifacts: Path, layout: str
) -> None:
    page.goto(f"{live_server.url}/admin/login?next=/admin/labels")
    page.get_by_label("Naam", exact=True).fill(STAFF[0])
    page.get_by_label("Wachtwoord", exact=True).fill(STAFF[1])
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_label("Etikettenvel").select_option(layout)
    page.get_by_label(f"Aantal etiketten van {JAM}").fill("1")
    page.get_by_label(f"Ten minste houdbaar tot, {JAM}").fill("2099-05-01")
    page.get_by_role("button", name="A4-pagina maken").click()

    label = page.locator(".label").first
    expect(label).to_contain_text("€ 4,50 per stuk")
    expect(label.locator(".label-unit-price")).to_have_text("12,86 €/kg")
    expect(label.locator(".label-producer")).to_have_text("Fruithoeve Peeters uit Wingene")
    expect(label).to_contain_text("THT 01-05-2099")
    label.screenshot(path=artifacts / f"label-unit-price-{layout}.png")
    assert serious_violations(page) == []

    # every text lies inside the sticker: nothing runs off its edge or under the barcode
    box = label.bounding_box()
    assert box is not None
    for part in (".label-name", ".label-amount", ".label-unit-price", ".label-best-before"):
        inner = label.locator(part).bounding_box()
        assert inner is not None, part
        assert inner["y"] + inner["height"] <= box["y"] + box["height"] + 0.5, part
    unit_price = label.locator(".label-unit-price")
    assert unit_price.evaluate("(element) => element.scrollWidth <= element.clientWidth")

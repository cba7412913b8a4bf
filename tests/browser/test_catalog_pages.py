"""The product pages in a real browser: add a product by keyboard and mouse; the picker; axe."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.identifiers import is_valid_ean13
from kiosk.models import Product
from kiosk.models.types import Role
from tests.browser.page_support import log_in as log_in_as
from tests.browser.page_support import serious_violations

STAFF = ("Sam", "sam-is-medewerker")


@pytest.fixture
def catalog_shop(shop: Any, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """The farm shop with a staff member."""
    shop.user(STAFF[0], role=Role.STAFF, password=STAFF[1])
    return farm_shop


@pytest.mark.browser
def test_staff_add_a_kg_cheese_with_a_pictogram_and_an_own_barcode(
    page: Page, app: Any, live_server: Any, catalog_shop: dict[str, Any], artifacts: Path
) -> None:
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/products/new")
    page.get_by_label("Naam", exact=True).fill("Oude hoevekaas")
    page.get_by_label("Prijs in euro, btw inbegrepen").fill("27,50")
    page.get_by_label("Eenheid").select_option(label="per kg")
    page.get_by_label("Hoevewinkel").check()
    # Enter in the search box searches (and keeps what was typed), it does not save
    search = page.get_by_label("Zoek een pictogram")
    search.fill("cheese")
    search.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Gevonden voor „cheese”: 1.")
    expect(page.get_by_label("Naam", exact=True)).to_have_value("Oude hoevekaas")
    page.get_by_role("radio", name="kaas").check()
    page.get_by_label("Maak een eigen streepjescode").check()
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "back-office-product-form.png", full_page=True)
    # Enter in an ordinary field saves
    page.get_by_label("Beschrijving").fill("Twaalf maanden gerijpt.")
    page.get_by_label("Aankoopprijs").press("Enter")
    expect(page.get_by_role("heading", name="Producten", level=1)).to_be_visible()
    expect(page.get_by_text("Oude hoevekaas is toegevoegd.")).to_be_visible()
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "back-office-products.png", full_page=True)
    with app.app_context():
        cheese = db.session.scalar(select(Product).where(Product.name == "Oude hoevekaas"))
        assert cheese is not None
        assert (cheese.price_cents, cheese.unit, cheese.pictogram) == (2750, "kg", "1F9C0")
        assert cheese.description == "Twaalf maanden gerijpt."
        assert cheese.barcode is not None
        assert is_valid_ean13(cheese.barcode) and re.fullmatch(r"2\d{6}00000\d", cheese.barcode)


@pytest.mark.browser
def test_a_wrong_price_is_shown_next_to_its_field(
    page: Page, live_server: Any, catalog_shop: dict[str, Any]
) -> None:
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/products/new")
    page.get_by_label("Naam", exact=True).fill("Kaas")
    page.get_by_label("Prijs in euro, btw inbegrepen").fill("3,805")
    page.get_by_role("button", name="Bewaren").click()
    price = page.get_by_label("Prijs in euro, btw inbegrepen")
    expect(price).to_have_value("3,805")
    expect(price).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Een bedrag heeft hoogstens twee cijfers na de komma.")).to_be_visible()
    assert serious_violations(page) == []


@pytest.mark.browser
def test_a_products_file_is_checked_row_by_row(
    page: Page, live_server: Any, catalog_shop: dict[str, Any], tmp_path: Path, artifacts: Path
) -> None:
    from kiosk.catalog.product_file import COLUMNS

    upload = tmp_path / "producten.csv"
    upload.write_text(
        ";".join(COLUMNS) + "\nKaas;Kaas;;ZZ;gratis;stuk;food;;;;ja;;ja\n", encoding="utf-8-sig"
    )
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/products")
    page.get_by_role("link", name="Productenbestand").click()
    page.get_by_label("Productenbestand (CSV of XLSX)").set_input_files(upload)
    page.get_by_role("button", name="Nakijken (niets bewaren)").click()
    expect(page.get_by_role("alert")).to_contain_text("2 fout(en) gevonden")
    rows = page.get_by_role("row")
    expect(rows.filter(has_text="Verkooppunt ZZ bestaat niet.")).to_contain_text("verkooppunten")
    expect(rows.filter(has_text="gratis is geen bedrag")).to_contain_text("prijs")
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "back-office-products-file.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als CSV").click()
    assert download.value.suggested_filename.startswith("producten-")


@pytest.mark.browser
def test_category_and_producer_forms_pass_axe(
    page: Page, live_server: Any, catalog_shop: dict[str, Any], artifacts: Path
) -> None:
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/categories/new")
    page.get_by_label("Naam", exact=True).fill("Honing")
    page.get_by_label("Zoek een pictogram").fill("honing")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("radio", name="honing").check()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_role("cell", name="Honing", exact=True)).to_be_visible()
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/admin/producers/new")
    page.get_by_label("Naam", exact=True).fill("Imkerij Verbeeck")
    page.get_by_label("E-mail").fill("geen adres")
    page.get_by_label("Consignatie").check()
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_text("Schrijf een e-mailadres, bv. naam@hoeve.be.")).to_be_visible()
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "back-office-producer-form.png", full_page=True)


def log_in(page: Page, base_url: str) -> None:
    """Log in as the staff member."""
    log_in_as(page, base_url, *STAFF)

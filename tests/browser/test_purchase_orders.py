"""Ordering from a producer in Chromium: suggestions → draft → sent → received as a delivery."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from kiosk.extensions import db
from kiosk.models import Delivery, Lot, PurchaseOrder
from kiosk.models.types import Role
from tests.browser.page_support import log_in, serious_violations
from tests.kiosk.orders.orders_support import orders_shop_fixture  # noqa: F401

STAFF = ("Sam", "sam-bestelt-bij-de-hoeve")


@pytest.mark.browser
def test_staff_orders_from_the_suggestions_and_receives_the_order_as_a_delivery(
    app: Flask,
    shop: Any,
    live_server: Any,
    orders_shop: dict[str, Any],
    page: Page,
    artifacts: Path,
) -> None:
    shop.user(STAFF[0], role=Role.STAFF, password=STAFF[1])
    log_in(page, live_server.url, *STAFF)
    page.goto(f"{live_server.url}/admin/stock")
    page.get_by_role("navigation", name="Voorraad").get_by_role("link", name="Bestellingen").click()
    page.get_by_label("Producent").select_option(label="Hoeve De Linde")
    page.get_by_role("button", name="Voorstel maken").click()

    expect(page.get_by_role("heading", name="Nieuwe bestelling bij Hoeve De Linde")).to_be_visible()
    bread = page.get_by_role("textbox", name="Te bestellen, Boerenbrood")
    expect(bread).to_have_value("8")  # 10 + 26 ÷ 28 × 7 − 9 = 7,5 → 8
    expect(page.get_by_role("textbox", name="Te bestellen, Hoevekaas")).to_have_value("3,600")
    bread.fill("10")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Ontwerp maken").click()

    expect(page.get_by_role("heading", name="Bestelling 1 bij Hoeve De Linde")).to_be_visible()
    page.get_by_role("button", name="Markeren als verstuurd").click()
    expect(page.get_by_text("Bestelling 1 staat op verstuurd.")).to_be_visible()
    page.get_by_role("link", name="Mailtekst").click()
    expect(page.get_by_label("Tekst om te kopiëren")).to_contain_text("- 10 stuks Boerenbrood")
    page.get_by_role("link", name="Terug naar de bestelling").click()
    page.get_by_role("link", name="Ontvangen: levering boeken").click()

    expect(page.get_by_text("De regels komen uit bestelling 1.")).to_be_visible()
    expect(page.get_by_label("Hoeveelheid (stuks of kg), regel 1")).to_have_value("10")
    expect(page.get_by_label("Hoeveelheid (stuks of kg), regel 2")).to_have_value("3,600")
    page.get_by_label("Hoeveelheid (stuks of kg), regel 1").fill("9")  # one short
    page.get_by_label("Binnengebracht in").select_option(label="Winkelrek")
    rows = page.locator("[data-delivery-lines] tr")
    before = rows.count()
    receiving = page.url  # ?purchase_order=<the order's id>, whatever the database numbered it
    page.get_by_role("button", name="Regel toevoegen").click()  # in place, by the script
    expect(rows).to_have_count(before + 1)
    assert "purchase_order=" in receiving
    assert page.url == receiving  # no round trip: the page was not posted
    expect(page.get_by_label("Hoeveelheid (stuks of kg), regel 1")).to_have_value("9")
    new_row = f"regel {before + 1}"
    page.get_by_label(f"Product, {new_row}").select_option(label="Boerenbrood (per stuk)")
    page.get_by_label(f"Hoeveelheid (stuks of kg), {new_row}").fill("2")
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "purchase-order-delivery.png", full_page=True)
    page.get_by_role("button", name="Levering boeken").click()

    expect(page.get_by_text("De levering is geboekt.")).to_be_visible()
    with app.app_context():
        order = db.session.query(PurchaseOrder).one()
        assert order.status == "received" and order.delivery_id is not None
        delivery = db.session.get_one(Delivery, order.delivery_id)
        lots = db.session.query(Lot).filter(Lot.delivery_id == delivery.id).order_by(Lot.id).all()
        assert [lot.product_id for lot in lots] == [
            orders_shop["bread"],
            orders_shop["cheese"],
            orders_shop["bread"],
        ]
        db.session.rollback()
    page.goto(f"{live_server.url}/admin/purchase-orders")
    expect(page.get_by_role("row", name="Bestelling 1")).to_contain_text("ontvangen")

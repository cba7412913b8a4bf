"""A producer's e-invoice in Chromium: uploaded, one line matched by hand, booked as a delivery."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from kiosk.extensions import db
from kiosk.models import Product
from kiosk.models.types import Role
from tests.admin.einvoice_support import (
    PEPPOL,
    dairy_fixture,  # noqa: F401
    invoiced_lines,
    received_lines,
)
from tests.browser.page_support import log_in, serious_violations
from tests.kiosk.orders.orders_support import orders_shop_fixture  # noqa: F401

STAFF = ("Sam", "sam-leest-de-factuur-in")


@pytest.mark.browser
def test_staff_upload_an_einvoice_match_one_line_and_book_the_delivery(
    app: Flask,
    shop: Any,
    live_server: Any,
    dairy: dict[str, Any],
    page: Page,
    artifacts: Path,
) -> None:
    shop.user(STAFF[0], role=Role.STAFF, password=STAFF[1])
    log_in(page, live_server.url, *STAFF)
    page.goto(f"{live_server.url}/admin/deliveries")
    page.get_by_role("link", name="E-factuur inlezen").click()
    page.get_by_label("E-factuur (UBL XML, Peppol)").set_input_files(
        PEPPOL / "belgian-dairy-invoice.xml"
    )
    page.get_by_role("button", name="Inlezen").click()

    expect(
        page.get_by_role("heading", name="E-factuur VL-2026-0412 van Hoevezuivel Vleminckx")
    ).to_be_visible()
    expect(page.get_by_text("Hoeveboter 250 g: besteld 12, gefactureerd 10.")).to_be_visible()
    page.get_by_label("Product voor regel 4").select_option(label="Hoevekaas belegen")
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "einvoice-matching.png", full_page=True)
    page.get_by_role("button", name="Naar het leveringsformulier").click()

    expect(page.get_by_role("heading", name="Levering boeken")).to_be_visible()
    expect(page.get_by_label("Hoeveelheid (stuks of kg), regel 1")).to_have_value("24")
    expect(page.get_by_label("Aankoopprijs per stuk of kg (€), regel 3")).to_have_value("14,51")
    expect(page.get_by_label("Hoeveelheid (stuks of kg), regel 4")).to_have_value("2,500")
    page.get_by_label("Binnengebracht in").select_option(label="Winkelrek")
    page.get_by_role("button", name="Levering boeken").click()

    expect(page.get_by_text("De levering is geboekt.")).to_be_visible()
    assert received_lines(app, dairy) == invoiced_lines(dairy)
    with app.app_context():
        assert db.session.get_one(Product, dairy["aged"]).supplier_item_code == "KAAS-B"

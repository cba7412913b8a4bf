"""Paying by QR at the till, by taps: the QR code shows big, staff confirm with their PIN.

One walk through the whole flow on one page: a care user rings up bread, taps Betalen and the
phone's "QR-code"; the EPC QR code shows (its picture on screen is decoded with zxing-cpp) with
the receipt number as remittance; Terug goes back and QR again; "Geld ontvangen", the staff
member, a wrong PIN, the right PIN; the sale is stored paid "qr" with that reference; axe-core
finds nothing serious on the QR screens; a void of it says the money goes back by transfer.
"""

from __future__ import annotations

import io

import pytest
import zxingcpp
from flask import Flask
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Organisation, Payment, PointOfSale
from kiosk.models.types import Role
from tests.browser.test_till_refunds import axe_on
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    SAVED,
    TillServer,
    TillShop,
    button,
    heading,
    open_tablet_fixture,
    start_shift,
    tablet_fixture,
    tap,
    till_server_fixture,
    till_shop_fixture,
    wait_for_sales,
)
from tests.conftest import Shop

IBAN = "BE68539007547034"


@pytest.fixture
def qr_shop(app: Flask, shop: Shop, till_shop: TillShop) -> TillShop:
    """The farm shop taking QR, its organisation's IBAN, and Els, staff with PIN 2468."""
    till_shop.people["Els"] = shop.user("Els", role=Role.STAFF, pin="2468")
    with app.app_context():
        db.session.add(Organisation(id=1, name="Plus-plek De Linde vzw", iban=IBAN))
        farm = db.session.scalars(select(PointOfSale)).one()
        farm.payment_methods = "cash|card|qr"
        db.session.commit()
    return till_shop


def shown_qr_code(page: Page) -> list[str]:
    """Decode the QR code as the screen shows it; return its payload's lines."""
    code = page.get_by_role("img", name="QR-code om te betalen")
    expect(code).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('#screen-qr img[alt]:not([hidden])').complete"
    )
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(code.screenshot())))
    assert len(results) == 1, "no QR code on the screen"
    return results[0].text.split("\n")


def test_a_customer_pays_by_qr_and_staff_confirm_with_their_pin(
    app: Flask, qr_shop: TillShop, till_server: TillServer, tablet: Page
) -> None:
    start_shift(tablet, till_server.url, qr_shop.token)
    tap(tablet, "Boerenbrood", "Boerenbrood", "Betalen", "QR-code")
    expect(heading(tablet, "Scan met de bank-app")).to_be_visible()
    expect(tablet.get_by_role("status", name="Te betalen")).to_have_text("7,60 €")
    reference = "HW1-000001"
    expect(tablet.get_by_text(f"Mededeling: {reference}")).to_be_visible()
    lines = shown_qr_code(tablet)
    axe: dict[str, list[str]] = {}
    axe_on(tablet, "qr code", axe)
    assert lines[:4] == ["BCD", "002", "2", "SCT"]
    assert lines[5:8] == ["Plus-plek De Linde vzw", IBAN, "EUR7.6"]
    assert lines[10] == reference

    # Terug: back to how the customer pays, nothing sold; then QR again
    tap(tablet, "Terug")
    expect(heading(tablet, "Hoe betaalt de klant?")).to_be_visible()
    tap(tablet, "QR-code")
    expect(tablet.get_by_text(f"Mededeling: {reference}")).to_be_visible()

    # the money is on the shop's account: staff confirm with their own PIN
    tap(tablet, "Geld ontvangen", "Els")
    expect(heading(tablet, "Code van Els")).to_be_visible()
    axe_on(tablet, "qr pin", axe)
    tap(tablet, "1", "1", "1", "1", "OK")
    expect(tablet.get_by_role("alert").filter(has_text="Die code klopt niet")).to_be_visible()
    tap(tablet, "2", "4", "6", "8", "OK")
    expect(heading(tablet, "✔ Betaald met QR-code")).to_be_visible()
    expect(tablet.get_by_text(SAVED)).to_be_visible()
    expect(button(tablet, "Volgende klant")).to_be_visible()
    axe_on(tablet, "paid by qr", axe)
    assert axe == {}, f"serious or critical axe-core violations: {axe}"

    sales = wait_for_sales(app, 1)
    assert sales[0]["payments"] == [("qr", 760)]
    assert sales[0]["operator_id"] == qr_shop.people["Jan"]
    with app.app_context():
        payment = db.session.scalars(select(Payment)).one()
        assert payment.reference == reference == payment.sale.receipt_number
        assert payment.confirmed_by_id == qr_shop.people["Els"]

    # a mistake: the void goes back by transfer, which staff make to the paying account
    tap(tablet, "Vergissing", "Els", "2", "4", "6", "8", "OK")
    expect(heading(tablet, "Vergissing: de verkoop is ongedaan gemaakt")).to_be_visible()
    expect(tablet.get_by_text("Terug per overschrijving: 7,60 €", exact=False)).to_be_visible()
    assert wait_for_sales(app, 2)[1]["payments"] == [("qr", -760)]

"""Correcting a booked delivery in the browser: the form, a missing reason, the reversing entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import AuditEntry, Delivery, Location, Product, StockMove
from kiosk.models.types import Role, utcnow
from kiosk.stock.operations import DeliveredLine, receive_delivery
from kiosk.stock.queries import get_ledger_sum, get_on_hand
from tests.browser.page_support import log_in, serious_violations

STAFF = ("Sam", "sam-boekt-de-leveringen")


@pytest.fixture
def delivered(app: Flask, shop: Any, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """A delivery of bread and cheese in the stock room, and a staff member to correct it."""
    shop.user(STAFF[0], role=Role.STAFF, password=STAFF[1])
    with app.app_context():
        room = Location(code="BERGING", name="Berging", kind="stockroom")
        db.session.add(room)
        lines = [
            DeliveredLine(db.session.get_one(Product, farm_shop["bread"]), 10_000, 200, "B1"),
            DeliveredLine(db.session.get_one(Product, farm_shop["cheese"]), 1_250, 1250, "K1"),
        ]
        delivery = receive_delivery(None, room, lines, None, utcnow())
        db.session.commit()
        return {**farm_shop, "room": room.id, "delivery": delivery.id}


@pytest.mark.browser
def test_staff_corrects_a_delivery_through_the_form(
    app: Flask, live_server: Any, delivered: dict[str, Any], page: Page, artifacts: Path
) -> None:
    log_in(page, live_server.url, *STAFF)
    page.goto(f"{live_server.url}/admin/deliveries/{delivered['delivery']}")
    page.get_by_role("link", name="Corrigeren").click()
    heading = f"Levering {delivered['delivery']} corrigeren"
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    bread = page.get_by_role("textbox", name="Hoeveelheid van Boerenbrood")
    expect(bread).to_have_value("10")
    bread.fill("7")
    page.get_by_role("textbox", name="Aankoopprijs van Hoevekaas").fill("13,00")
    page.get_by_role("button", name="Correctie boeken").click()

    expect(page.get_by_text("Vul een reden in voor de correctie.")).to_be_visible()
    expect(bread).to_have_value("7")  # what was typed survives the refusal
    with app.app_context():
        assert db.session.scalar(select(Delivery).where(Delivery.corrects_id.is_not(None))) is None
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "delivery-correction.png", full_page=True)

    page.get_by_role("textbox", name="Reden van de correctie").fill("Factuur: 7 broden")
    page.get_by_role("button", name="Correctie boeken").click()

    expect(page.get_by_role("status")).to_have_text("De correctie is geboekt.")
    expect(page.get_by_role("link", name="Corrigeren")).to_have_count(0)
    with app.app_context():
        correction = db.session.scalars(
            select(Delivery.id).where(Delivery.corrects_id == delivered["delivery"])
        ).one()
    page.get_by_role("link", name=f"levering {correction}", exact=True).click()
    expect(page.get_by_text("Factuur: 7 broden")).to_be_visible()
    bread_rows = page.get_by_role("row").filter(has_text="Boerenbrood")
    expect(bread_rows).to_have_count(2)
    expect(bread_rows.nth(0)).to_contain_text("-10 st.")
    expect(bread_rows.nth(1)).to_contain_text("7 st.")

    room = delivered["room"]
    with app.app_context():
        for product, expected in (("bread", 7_000), ("cheese", 1_250)):
            assert get_on_hand(delivered[product], room) == expected
            assert get_ledger_sum(delivered[product], room) == expected
        kinds = db.session.scalars(
            select(StockMove.kind).where(StockMove.product_id == delivered["bread"])
        ).all()
        assert sorted(kinds) == ["correction", "delivery", "delivery"]
        actions = db.session.scalars(select(AuditEntry.action)).all()
        assert actions.count("delivery.corrected") == 1
        db.session.rollback()

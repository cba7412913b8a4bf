"""A refill round on a touch tablet (1280×800): what to bring as pictures, − and + per vak."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Location, Product, VendingCompartment
from kiosk.models.types import Role, utcnow
from kiosk.periods import business_day
from kiosk.stock.operations import DeliveredLine, receive_delivery
from kiosk.stock.queries import get_lot_balances, get_on_hand
from kiosk.vending.machines import add_machine, save_compartment
from kiosk.vending.queries import get_machine_location
from tests.browser.page_support import log_in, serious_violations
from tests.browser.till_support import open_tablet_fixture  # noqa: F401

STAFF = ("Sam", "sam-vult-de-automaat")


@pytest.fixture
def machine(app: Flask, shop: Any, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """A stock room with bread of two days and eggs, and a machine with a compartment of each."""
    shop.user(STAFF[0], role=Role.STAFF, password=STAFF[1])
    today = business_day(utcnow())
    with app.app_context():
        room = Location(code="BERGING", name="Berging", kind="stockroom")
        db.session.add(room)
        bread = db.session.get_one(Product, farm_shop["bread"])
        eggs = db.session.get_one(Product, farm_shop["eggs"])
        lines = [
            DeliveredLine(bread, 2000, 150, "B1", today + timedelta(days=1)),
            DeliveredLine(bread, 8000, 150, "B5", today + timedelta(days=5)),
            DeliveredLine(eggs, 9000, 200, "E1", today + timedelta(days=12)),
        ]
        receive_delivery(None, room, lines, None, utcnow())
        automaat = add_machine("AU", "Automaat aan de straat")
        save_compartment(None, automaat, 1, bread, 6)
        save_compartment(None, automaat, 2, eggs, 4)
        db.session.commit()
        location = get_machine_location(automaat)
        assert location is not None
        return {**farm_shop, "room": room.id, "machine": location.id, "today": today}


@pytest.mark.browser
def test_staff_and_a_care_user_fill_the_machine_with_taps(
    app: Flask,
    live_server: Any,
    machine: dict[str, Any],
    open_tablet: Callable[..., Page],
    artifacts: Path,
) -> None:
    tablet = open_tablet()
    log_in(tablet, live_server.url, *STAFF, touch=True)
    tablet.goto(f"{live_server.url}/admin/vending")
    tablet.get_by_role("link", name="Aanvulronde").first.tap()
    expect(tablet.get_by_role("heading", name="Aanvulronde", level=1)).to_be_visible()
    to_bring = tablet.get_by_role("region", name="Mee te nemen").get_by_role("listitem")
    expect(to_bring).to_have_text(["6 × Boerenbrood", "4 × Eieren (6)"])
    pictures = tablet.locator(".vending-bring img")
    expect(pictures).to_have_count(2)

    bread = tablet.get_by_role("textbox", name="Boerenbrood in vak 1", exact=True)
    eggs = tablet.get_by_role("textbox", name="Eieren (6) in vak 2", exact=True)
    expect(bread).to_have_value("6")
    less_bread = tablet.get_by_role("button", name="Eén minder: Boerenbrood in vak 1")
    more_bread = tablet.get_by_role("button", name="Eén meer: Boerenbrood in vak 1")
    for _ in range(3):
        less_bread.tap()  # only three loaves came along
    more_bread.tap()
    expect(bread).to_have_value("4")
    tablet.get_by_role("button", name="Eén minder: Eieren (6) in vak 2").tap()
    expect(eggs).to_have_value("3")
    for name in ("Eén meer: Boerenbrood in vak 1", "Eén minder: Eieren (6) in vak 2"):
        box = tablet.get_by_role("button", name=name).bounding_box()
        assert box is not None and box["width"] >= 64 and box["height"] >= 64, (name, box)
    expect(tablet.get_by_label("Uit")).to_have_value(str(machine["room"]))
    assert serious_violations(tablet) == []
    tablet.screenshot(path=artifacts / "vending-refill-round.png", full_page=True)

    tablet.get_by_role("button", name="Aanvulling boeken").tap()
    expect(tablet.get_by_text("Aangevuld: 7 stuks in de automaat.")).to_be_visible()
    expect(tablet.get_by_role("heading", name="Automaten", level=1)).to_be_visible()
    # the next visit's pages are as readable: the count (− and + per compartment) and the cash
    tablet.get_by_role("link", name="Tellen", exact=True).last.tap()
    expect(tablet.get_by_role("textbox", name="Nog erin: Boerenbrood in vak 1")).to_have_value("4")
    assert serious_violations(tablet) == []
    tablet.goto(f"{live_server.url}/admin/vending")
    tablet.get_by_role("link", name="Geld eruit").tap()
    expect(tablet.get_by_role("button", name="Eén meer: Biljet van 20 euro")).to_be_visible()
    assert serious_violations(tablet) == []

    with app.app_context():
        inside = {
            c.number: (c.count_inside, c.best_before)
            for c in db.session.scalars(select(VendingCompartment))
        }
        assert inside == {
            1: (4, machine["today"] + timedelta(days=1)),
            2: (3, machine["today"] + timedelta(days=12)),
        }
        # first expiry first: both loaves of tomorrow, then two of the later lot
        lots = get_lot_balances(machine["bread"], machine["machine"])
        assert [(b.best_before, b.quantity_milli) for b in lots] == [
            (machine["today"] + timedelta(days=1), 2000),
            (machine["today"] + timedelta(days=5), 2000),
        ]
        assert get_on_hand(machine["bread"], machine["room"]) == 6000
        assert get_on_hand(machine["eggs"], machine["machine"]) == 3000
        assert get_on_hand(machine["eggs"], machine["room"]) == 6000
        db.session.rollback()

"""A queued sale the server refuses stays in sight: a notice for all, a list for staff.

The care user took the money for a sale made while the server was away; the server refuses it
when it arrives (its product was switched off meanwhile). The till says so on every screen until
a staff member sends it again (a new Idempotency-Key: stored once) or wipes it; a wiped sale
reaches the audit log once, also when it was wiped while the server was away.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import AuditEntry, Product
from kiosk.models.types import Role
from tests.browser import till_support as till
from tests.browser.test_till_orders import check_screen
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    open_tablet_fixture,
    tablet_fixture,
    till_server_fixture,
    till_shop_fixture,
)
from tests.conftest import Shop


def switch(app: Flask, product_ids: list[int], *, active: bool) -> None:
    """Switch products on or off in the back office's database."""
    with app.app_context():
        for product_id in product_ids:
            db.session.get_one(Product, product_id).active = active
        db.session.commit()


def kept_in_tablet(tablet: Page) -> list[tuple[str, str]]:
    """The key and state of everything the tablet keeps in its queue, oldest first."""
    return [(entry["key"], entry["state"]) for entry in till.kept_in_tablet(tablet)]


def wait_for_wiped(app: Flask, timeout: float = 30) -> list[str]:
    """Wait (bounded) for the audit log's entries of wiped sales; return their sentences."""
    deadline = time.monotonic() + timeout
    while True:
        with app.app_context():
            query = select(AuditEntry.summary).where(AuditEntry.action == "refused_sale.wiped")
            sentences = list(db.session.scalars(query))
        if sentences or time.monotonic() > deadline:
            return sentences
        time.sleep(0.1)


@pytest.mark.browser
def test_refused_sales_are_shown_to_staff_sent_again_once_or_wiped(
    tablet: Page,
    till_server: till.TillServer,
    till_shop: till.TillShop,
    app: Flask,
    shop: Shop,
    artifacts: Path,
) -> None:
    shop.user("Els", role=Role.STAFF, pin="2468")
    bread, honey = till_shop.products["Boerenbrood"], till_shop.products["Honing"]
    till.start_shift(tablet, till_server.url, till_shop.token)

    till_server.stop()  # two sales while the server is away: Jan takes the money
    till.tap(tablet, "Boerenbrood", "Boerenbrood")
    till.pay_card(tablet)
    expect(tablet.get_by_text(till.QUEUED)).to_be_visible()
    till.tap(tablet, "Volgende klant", "Honing")
    till.pay_card(tablet)
    till.tap(tablet, "Volgende klant")
    switch(app, [bread, honey], active=False)  # meanwhile switched off in the back office
    till_server.start()

    notice = till.button(tablet, "2 verkopen niet aanvaard. Vraag een verantwoordelijke.")
    expect(notice).to_be_visible()
    expect(notice).to_be_disabled()  # Jan sees it, but cannot act on it
    check_screen(tablet, artifacts, "refused-notice")
    kept = kept_in_tablet(tablet)
    assert [state for _key, state in kept] == ["refused", "refused"]
    assert till.stored_sales(app) == []

    till.tap(tablet, "Stop", "Els")
    expect(till.heading(tablet, "Jouw geheime code")).to_be_visible()
    till.tap(tablet, "2", "4", "6", "8", "OK")
    expect(till.button(tablet, "Betalen")).to_be_visible()
    expect(notice).to_be_enabled()  # staff may open it, without the server too
    till.tap(tablet, "2 verkopen niet aanvaard. Vraag een verantwoordelijke.")
    expect(till.heading(tablet, "Niet aanvaard")).to_be_visible()
    refused = tablet.get_by_role("region", name="Niet aanvaard").get_by_role("listitem")
    first, second = refused.all()
    expect(first).to_contain_text("2 × Boerenbrood")
    expect(first).to_contain_text("Totaal: 7,60 €")
    expect(first).to_contain_text("Kaart")
    expect(first).to_contain_text("Boerenbrood wordt niet meer verkocht.")  # the server's message
    expect(second).to_contain_text("1 × Honing")
    expect(second).to_contain_text("Honing wordt niet meer verkocht.")
    check_screen(tablet, artifacts, "refused-list")

    switch(app, [bread], active=True)
    till.settled(tablet)
    first.get_by_role("button", name="Opnieuw sturen").tap()
    [sale] = till.wait_for_sales(app, 1)
    assert sale["lines"] == [(bread, 2000, 760)]
    assert sale["operator_id"] == till_shop.people["Jan"]  # still Jan's sale
    assert sale["key"] != kept[0][0]  # under a new Idempotency-Key: the old one is spent
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("1 × Honing")

    till.tap(tablet, "Wissen")  # staff gave the honey's money back by hand
    expect(tablet.get_by_text("Zeker wissen?")).to_be_visible()
    till_server.stop()  # wiped while the server is away: the report waits in the queue
    till.tap(tablet, "Ja, wissen")
    expect(tablet.get_by_text("Alles is verwerkt.")).to_be_visible()
    [report] = till.kept_in_tablet(tablet)  # the refused entry became the report, in one step
    assert (report["path"], report["state"]) == ("/refused-sales", "pending")
    assert report["body"]["refused_key"] == kept[1][0]
    till.tap(tablet, "Terug")
    expect(till.button(tablet, "Betalen")).to_be_visible()
    expect(tablet.get_by_role("button", name="niet aanvaard", exact=False)).to_have_count(0)
    till_server.start()
    [entry] = wait_for_wiped(app)
    assert "1 × Honing" in entry and "Honing wordt niet meer verkocht." in entry, entry
    assert "door Els" in entry and "kaart" in entry, entry
    till.wait_until_sent(tablet)
    assert kept_in_tablet(tablet) == []
    till.wait_for_sales(app, 1)  # sent once: nothing more arrives, and the report is no sale
    assert len(wait_for_wiped(app)) == 1

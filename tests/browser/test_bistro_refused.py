"""A bistro table's payment the server refuses stays in sight: staff send it again or wipe it.

The guests paid cash while the server was away; meanwhile a manager set a cash limit below the
bills, so the server refuses both payments when they arrive. The bistro till says so on every
screen (as the shop till does, refused.js) until a staff member sends a payment again (under a
new Idempotency-Key, once the limit is right: stored once) or wipes it (one audit entry).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Threshold
from kiosk.models.types import Role, utcnow
from kiosk.periods import business_day
from tests.browser.test_bistro_till import (  # noqa: F401  (the fixtures)
    Bistro,
    bar_printer_fixture,
    bistro_fixture,
    sales,
    start_bistro,
    tabs,
)
from tests.browser.test_till_orders import check_screen
from tests.browser.test_till_refused import wait_for_wiped
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    TillServer,
    button,
    heading,
    open_tablet_fixture,
    settled,
    tablet_fixture,
    tap,
    till_server_fixture,
)
from tests.conftest import Shop

NOTICE = "2 verkopen niet aanvaard. Vraag een verantwoordelijke."


def cash_limit_from_today(app: Flask, cents: int) -> None:
    """Set the cash limit from today on, as a manager would in the back office."""
    today = business_day(utcnow())
    with app.app_context():
        found = db.session.scalars(
            select(Threshold).filter_by(name="cash_limit", valid_from=today)
        ).one_or_none()
        if found is None:
            db.session.add(Threshold(name="cash_limit", value_cents=cents, valid_from=today))
        else:
            found.value_cents = cents
        db.session.commit()


@pytest.mark.browser
def test_refused_tab_payments_are_shown_to_staff_sent_again_once_or_wiped(
    tablet: Page,
    till_server: TillServer,
    bistro: Bistro,
    app: Flask,
    shop: Shop,
    artifacts: Path,
) -> None:
    shop.user("Els", role=Role.STAFF, pin="2468")
    start_bistro(tablet, till_server.url, bistro.token)
    till_server.stop()  # two tables pay cash while the server is away
    tap(tablet, "Tafel 4", "Taart", "Betalen", "Alles samen", "Contant", "5 euro", "Klaar")
    expect(heading(tablet, "Geef terug: 1,75 €")).to_be_visible()
    tap(tablet, "Volgende klant")
    tap(tablet, "Tafel 5", "Soep", "Betalen", "Alles samen", "Contant", "5 euro", "Klaar")
    expect(heading(tablet, "Geef terug: 0,50 €")).to_be_visible()
    tap(tablet, "Volgende klant")
    cash_limit_from_today(app, 100)  # a slip in the back office: cash up to 1,00 €
    till_server.start()

    notice = button(tablet, NOTICE)
    expect(notice).to_be_visible(timeout=30_000)
    expect(notice).to_be_disabled()  # Jan sees it, but cannot act on it
    assert sales(app) == []
    tap(tablet, "Stop", "Els")
    expect(heading(tablet, "Jouw geheime code")).to_be_visible()
    tap(tablet, "2", "4", "6", "8", "OK")
    expect(heading(tablet, "Kies een tafel")).to_be_visible()
    expect(notice).to_be_enabled()
    tap(tablet, NOTICE)
    expect(heading(tablet, "Niet aanvaard")).to_be_visible()
    refused = tablet.get_by_role("region", name="Niet aanvaard").get_by_role("listitem")
    first, second = refused.all()
    expect(first).to_contain_text("1 × Taart")
    expect(first).to_contain_text("Totaal: 3,25 €")
    expect(first).to_contain_text("Contant")
    expect(first).to_contain_text("Contant betalen kan tot 1,00 euro")  # the server's message
    expect(second).to_contain_text("1 × Soep")
    expect(second).to_contain_text("Totaal: 4,50 €")
    check_screen(tablet, artifacts, "bistro-refused-list")

    cash_limit_from_today(app, 300_000)  # put right
    settled(tablet)
    first.get_by_role("button", name="Opnieuw sturen").tap()
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("1 × Soep")
    stored = wait_for_sales(app, 1)
    assert [(sale["total"], sale["payments"], sale["change"]) for sale in stored] == [
        (325, [("cash", 500)], 175)
    ]

    tap(tablet, "Wissen")  # staff handled the soup's money by hand
    expect(tablet.get_by_text("Zeker wissen?")).to_be_visible()
    tap(tablet, "Ja, wissen")
    expect(tablet.get_by_text("Alles is verwerkt.")).to_be_visible()
    [entry] = wait_for_wiped(app)
    assert "1 × Soep" in entry and "totaal 4,50 €" in entry, entry
    assert "door Els" in entry and "contant 5,00 €" in entry, entry
    assert "Contant betalen kan tot 1,00 euro" in entry, entry
    tap(tablet, "Terug")
    expect(heading(tablet, "Kies een tafel")).to_be_visible()
    expect(tablet.get_by_role("button", name="niet aanvaard", exact=False)).to_have_count(0)

    tablet.reload()  # wiped and sent again for good: nothing comes back
    expect(heading(tablet, "Kies een tafel")).to_be_visible()
    expect(tablet.get_by_role("button", name="niet aanvaard", exact=False)).to_have_count(0)
    assert len(wait_for_sales(app, 1)) == 1  # stored once
    assert len(wait_for_wiped(app)) == 1
    assert [tab["state"] for tab in tabs(app)] == ["paid", "open"]


def wait_for_sales(app: Flask, count: int, timeout: float = 30) -> list[dict[str, object]]:
    """Wait (bounded) until the bistro has `count` sales; return them."""
    deadline = time.monotonic() + timeout
    while len(found := sales(app)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return found

"""Customer orders on the shop till in real Chromium: preparing ("Bestellingen") and the round.

A care user picks an order: ticks every item off, weighs the weighed one on the till's keypad,
taps Klaar (the server's order is prepared with that weight), and takes its payment through the
till's own cash screens (one sale, the basket left as it was). The delivery round is loaded while
the server answers, the server stops for real, the tablet reloads without it, a stop is paid in
cash, and once the server is back the payment arrives exactly once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from kiosk.customer_orders.payments import confirm_qr_payment
from kiosk.extensions import db
from kiosk.models import User
from kiosk.models.types import Role, utcnow
from kiosk.periods import BRUSSELS
from tests.browser.page_support import serious_violations
from tests.browser.test_till_nothing_hidden import HIDDEN
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    QUEUED,
    SAVED,
    TillServer,
    TillShop,
    basket,
    button,
    change_status,
    expect_total,
    heading,
    open_tablet_fixture,
    screenshot_at_rest,
    start_shift,
    tablet_fixture,
    tap,
    till_server_fixture,
    till_shop_fixture,
    visible_controls,
    wait_for_sales,
    wait_until_sent,
)
from tests.conftest import Shop

CONTROLLED = "() => navigator.serviceWorker.controller !== null"


def call(app: Flask, token: str, method: str, path: str, **kwargs: Any) -> Any:
    """Call the till API in process, as another till would; return the JSON answer."""
    headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
    answer = app.test_client().open(f"/api/v1{path}", method=method, headers=headers, **kwargs)
    assert answer.status_code < 300, answer.get_json()
    return answer.get_json()


def take_order(app: Flask, till: TillShop, name: str, lines: dict[str, str], **fields: Any) -> Any:
    """Take a customer's order for today (Brussels) through the API; return its document."""
    body = {
        "customer": {"name": name, "phone": "0470 12 34 56"},
        "fulfilment": "pickup",
        "day": datetime.now(BRUSSELS).date().isoformat(),
        "lines": [{"product_id": till.products[p], "quantity": q} for p, q in lines.items()],
        **fields,
    }
    key = {"Idempotency-Key": f"order-{name.split()[0]}"}
    return call(app, till.token, "POST", "/orders", json=body, headers=key)


def check_screen(page: Page, artifacts: Path, name: str) -> None:
    """The screen on show passes axe-core and has no control under 64×64 px; a screenshot."""
    screenshot_at_rest(page, artifacts, name)
    assert serious_violations(page) == []
    small = [c["name"] for c in visible_controls(page) if c["width"] < 64 or c["height"] < 64]
    assert small == []


@pytest.mark.browser
def test_a_care_user_picks_weighs_and_takes_the_payment_of_an_order(
    tablet: Page,
    till_server: TillServer,
    till_shop: TillShop,
    app: Flask,
    artifacts: Path,
    shop: Shop,
) -> None:
    shop.user("Els", role=Role.STAFF, pin="2468")
    order = take_order(
        app,
        till_shop,
        "Marie Peeters",
        {"Boerenbrood": "2", "Hoevekaas": "0.500", "Eieren (6)": "1"},
        slot="10:00-11:00",
    )
    by_qr = take_order(app, till_shop, "Lies Claes", {"Honing": "1"}, payment="qr")
    start_shift(tablet, till_server.url, till_shop.token)
    tap(tablet, "Appelsap")  # a customer at the counter: the basket waits while the order is paid
    tap(tablet, "Bestellingen")
    expect(heading(tablet, "Bestellingen")).to_be_visible()
    expect(button(tablet, "Marie")).to_have_accessible_name("Marie 10:00-11:00 Afhalen")
    expect(button(tablet, "Nieuwe bestelling")).to_be_hidden()  # staff only: Jan is a care user
    check_screen(tablet, artifacts, "orders")

    tap(tablet, "Marie")
    expect(heading(tablet, "Marie")).to_be_visible()
    klaar = button(tablet, "Klaar")
    expect(klaar).to_be_disabled()
    expect(tablet.get_by_text("Vink eerst alles af.")).to_be_visible()
    check_screen(tablet, artifacts, "order-picking")
    tap(tablet, "Boerenbrood", "Eieren (6)", "Ongedaan maken")  # undo takes the eggs' tick back
    expect(button(tablet, "Boerenbrood")).to_have_accessible_name("Boerenbrood × 2 ✔ afgevinkt")
    expect(button(tablet, "Eieren (6)")).to_have_attribute("aria-pressed", "false")
    tap(tablet, "Eieren (6)", "Hoevekaas")  # a weighed item: the till's own grams keypad
    expect(heading(tablet, "Hoevekaas")).to_be_visible()
    tap(tablet, "5", "1", "2", "In het mandje")
    expect(button(tablet, "Hoevekaas")).to_have_accessible_name("Hoevekaas 0,512 kg ✔ afgevinkt")
    tap(tablet, "Klaar")
    expect(tablet.get_by_role("status").filter(has_text="✔ Klaar")).to_be_visible()
    prepared = call(app, till_shop.token, "GET", f"/orders/{order['id']}")
    assert prepared["status"] == "prepared"
    cheese = next(line for line in prepared["lines"] if line["name"] == "Hoevekaas")
    assert (cheese["quantity"], cheese["weighed"]) == ("0.512", True)
    assert prepared["total_cents"] == 2 * 380 + 1275 + 295  # 0.512 kg × 24,90 € = 12,75 €

    check_screen(tablet, artifacts, "order-prepared")
    tap(tablet, "Afrekenen")  # the till's own paying screens
    expect(heading(tablet, "Hoe betaalt de klant?")).to_be_visible()
    tap(tablet, "Contant", "20 euro", "5 euro", "Klaar")
    expect(change_status(tablet)).to_contain_text("1,70 €")
    expect(tablet.get_by_text(SAVED)).to_be_visible()
    [sale] = wait_for_sales(app, 1)
    assert (sale["total_cents"], sale["payments"]) == (2330, [("cash", 2500)])
    paid = call(app, till_shop.token, "GET", f"/orders/{order['id']}")
    assert paid["status"] == "paid" and paid["sale_id"] is not None
    with app.app_context():  # meanwhile staff saw Lies's QR transfer arrive (back office)
        staff = db.session.get_one(User, till_shop.people["Sam"])
        confirm_qr_payment(by_qr["id"], staff, utcnow())
        db.session.commit()

    tap(tablet, "Volgende klant")  # back to the orders, the paid one marked
    expect(button(tablet, "Marie")).to_have_accessible_name("Marie 10:00-11:00 Afhalen ✔ Betaald")
    tap(tablet, "Lies")  # paid by QR: nothing to collect, and the till says how it was paid
    expect(tablet.get_by_role("status").filter(has_text="✔ Betaald met QR")).to_be_visible()
    expect(button(tablet, "Afrekenen")).to_be_hidden()
    tap(tablet, "Terug")
    expect(button(tablet, "Lies")).to_have_accessible_name("Lies Afhalen ✔ Betaald")
    tap(tablet, "Terug")
    expect_total(tablet, "2,30 €")  # the basket kept its Appelsap
    expect(basket(tablet).get_by_role("listitem")).to_have_count(1)

    # Els (staff) takes a phone order for tomorrow at the till: the basket becomes its lines
    tap(tablet, "Stop", "Els", "2", "4", "6", "8", "OK")
    tap(tablet, "Hoevekaas", "3", "5", "0", "In het mandje")
    expect_total(tablet, "11,02 €")  # Appelsap 2,30 € + 0,350 kg × 24,90 € = 8,72 €
    tap(tablet, "Bestellingen", "Nieuwe bestelling")
    expect(heading(tablet, "Code van Els")).to_be_visible()
    tap(tablet, "1", "1", "1", "1", "OK")  # a wrong PIN: said, and no order screen
    expect(tablet.get_by_role("alert").filter(has_text="code")).to_be_visible()
    tap(tablet, "2", "4", "6", "8", "OK")
    expect(heading(tablet, "Nieuwe bestelling")).to_be_visible()
    expect(tablet.get_by_text("Appelsap × 1, Hoevekaas 0,350 kg")).to_be_visible()
    tap(tablet, "Morgen", "09:00-12:00", "Bestelling bewaren")  # no name yet: the server refuses
    expect(tablet.get_by_role("alert").filter(has_text="de naam van de klant")).to_be_visible()
    expect(heading(tablet, "Nieuwe bestelling")).to_be_visible()  # nothing lost
    # answered here, on screen: not also kept for staff as "niet aanvaard"
    expect(tablet.get_by_role("button", name="niet aanvaard", exact=False)).to_have_count(0)
    expect(button(tablet, "Morgen")).to_have_attribute("aria-pressed", "true")
    tablet.get_by_label("Naam", exact=True).fill("Piet Janssens")
    phone = tablet.get_by_label("Telefoon", exact=True)
    expect(phone).to_have_attribute("inputmode", "tel")
    phone.fill("0470 11 22 33")
    check_screen(tablet, artifacts, "order-new")
    assert tablet.evaluate(HIDDEN) == []  # the staff's long screen scrolls: all of it reachable
    tap(tablet, "Bestelling bewaren")
    expect(heading(tablet, "Bestellingen morgen")).to_be_visible()
    expect(button(tablet, "Piet")).to_have_accessible_name("Piet 09:00-12:00 Afhalen")
    tomorrow = (datetime.now(BRUSSELS).date() + timedelta(days=1)).isoformat()
    [taken] = call(app, till_shop.token, "GET", f"/orders?day={tomorrow}")["orders"]
    assert (taken["fulfilment"], taken["day"], taken["slot"], taken["payment"]) == (
        "pickup",
        tomorrow,
        "09:00-12:00",
        "on_collection",
    )
    assert taken["customer"]["first_name"] == "Piet"
    lines = [(line["name"], line["quantity"], line["weighed"]) for line in taken["lines"]]
    assert lines == [("Appelsap", "1", False), ("Hoevekaas", "0.350", False)]
    tap(tablet, "Terug")
    expect(basket(tablet).get_by_role("listitem")).to_have_count(0)  # the basket became the order


@pytest.mark.browser
def test_the_round_is_paid_without_the_server_and_the_payment_arrives_once(
    tablet: Page, till_server: TillServer, till_shop: TillShop, app: Flask, artifacts: Path
) -> None:
    anna = take_order(
        app,
        till_shop,
        "Anna Claes",
        {"Honing": "1"},
        fulfilment="delivery",
        slot="09:00-10:00",
        address="Dorpsstraat 1, Kortrijk",
    )
    bert = take_order(
        app,
        till_shop,
        "Bert Maes",
        {"Boerenbrood": "1", "Appelsap": "2"},
        fulfilment="delivery",
        slot="10:00-11:00",
        address="Kerkweg 12, Kortrijk",
    )
    take_order(app, till_shop, "Chris Wouters", {"Kaars": "1"})  # picked up: not on the round
    for order in (anna, bert):
        call(app, till_shop.token, "POST", f"/orders/{order['id']}/prepared")

    start_shift(tablet, till_server.url, till_shop.token)
    tablet.wait_for_function(CONTROLLED)  # the service worker keeps the till's files
    tap(tablet, "Bestellingen", "Ronde")  # loaded while the server answers: kept on the tablet
    expect(heading(tablet, "Ronde")).to_be_visible()
    stops = tablet.get_by_role("group", name="Ronde").get_by_role("button")
    expect(stops).to_have_count(2)
    expect(stops.first).to_have_accessible_name("Anna 09:00-10:00 Leveren ✔ Klaar")
    check_screen(tablet, artifacts, "round")

    till_server.stop()  # really gone: the tablet starts again from what it kept
    tablet.reload()
    tap(tablet, "Bestellingen")
    expect(tablet.get_by_role("alert")).to_have_text(
        "Geen verbinding met de server. Probeer zo opnieuw."
    )
    tap(tablet, "Ronde", "Bert")
    expect(heading(tablet, "Bert")).to_be_visible()
    expect(tablet.get_by_text("Kerkweg 12, Kortrijk")).to_be_visible()
    expect(tablet.get_by_text("Te innen: 8,40 €")).to_be_visible()  # 3,80 € + 2 × 2,30 €
    check_screen(tablet, artifacts, "round-stop-offline")
    tap(tablet, "Afrekenen")  # cash only on the bike: straight to the notes and coins
    tap(tablet, "10 euro", "Klaar")
    expect(change_status(tablet)).to_contain_text("1,60 €")
    expect(tablet.get_by_text(QUEUED)).to_be_visible()
    tap(tablet, "Volgende klant")
    expect(heading(tablet, "Ronde")).to_be_visible()
    offline = tablet.get_by_role("status").filter(has_text="zoals ze laatst geladen is")
    expect(offline).to_be_visible()
    expect(button(tablet, "Bert")).to_have_accessible_name("Bert 10:00-11:00 Leveren ✔ Betaald")
    tap(tablet, "Bert")  # paid: nothing to pay a second time
    expect(tablet.get_by_role("status").filter(has_text="✔ Betaald")).to_be_visible()
    expect(button(tablet, "Afrekenen")).to_be_hidden()

    sent: list[str] = []  # the tries that reached the server
    tablet.context.on("requestfinished", lambda request: sent.append(request.url))
    till_server.start()  # the same port: the queued payment goes out
    [sale] = wait_for_sales(app, 1)
    wait_until_sent(tablet)  # the tablet's queue is empty: nothing is left to send again
    assert (sale["total_cents"], sale["payments"]) == (840, [("cash", 1000)])
    assert [url for url in sent if url.endswith("/sale")] == [
        f"{till_server.url}/api/v1/orders/{bert['id']}/sale"
    ]
    assert call(app, till_shop.token, "GET", f"/orders/{bert['id']}")["status"] == "paid"
    assert call(app, till_shop.token, "GET", f"/orders/{anna['id']}")["status"] == "prepared"

"""The kitchen screen in real Chromium: orders from the bistro's till, "Klaar" back to its tiles.

A bistro whose kitchen is a paired screen (no kitchen printer) and whose bar has nothing: the
till says per station what "Naar keuken" did; the kitchen tablet lists the orders with their
notes and survives a reload and a dropped network (context.set_offline), sending an offline
"Klaar" once when it is back.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, Request, expect
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import DiningTable, KitchenOrder, PointOfSale
from kiosk.organisation.people import add_till
from tests.browser.page_support import serious_violations
from tests.browser.test_bistro_till import add_menu, open_bistro
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    BOTH_ORIENTATIONS,
    TillServer,
    at_rest,
    button,
    heading,
    open_tablet_fixture,
    pair,
    screenshot_at_rest,
    tablet_fixture,
    tap,
    till_server_fixture,
)

KITCHEN_SENT = "De keuken heeft de bestelling: ze staat op het scherm."
BAR_MISSING = (
    "De bar krijgt de bestelling niet: er is geen printer of scherm. Zeg het aan een begeleider."
)
KITCHEN_MISSING = (
    "De keuken krijgt de bestelling niet: er is geen printer of scherm. Zeg het aan een begeleider."
)


def make_bistro(app: Flask, shop: Any, *, kitchen_screen: bool) -> dict[str, Any]:
    """A bistro with three tables and no printers; a kitchen screen when asked."""
    _till_id, token = open_bistro(shop)
    world: dict[str, Any] = {"token": token, "people": {"Jan": shop.user("Jan")}}
    products = add_menu(app, shop)
    with app.app_context():
        point_of_sale = db.session.scalars(select(PointOfSale).filter_by(code="BI")).one()
        db.session.add_all(
            DiningTable(point_of_sale=point_of_sale, number=n, name=f"Tafel {n}", position=n)
            for n in (1, 2, 3)
        )
        if kitchen_screen:
            _screen, world["kitchen_token"] = add_till("Keukenscherm", "BI", role="kitchen")
        db.session.commit()
    world["products"] = products
    return world


@pytest.fixture(name="bistro")
def bistro_fixture(app: Flask, shop: Any) -> dict[str, Any]:
    """The bistro with a kitchen screen."""
    return make_bistro(app, shop, kitchen_screen=True)


def start_bistro(page: Page, base_url: str, token: str) -> None:
    """Pair the till and let Jan start: the floor of tables comes first."""
    pair(page, base_url, token)
    tap(page, "Jan")
    expect(heading(page, "Kies een tafel")).to_be_visible()


def start_kitchen(page: Page, base_url: str, token: str) -> None:
    """Pair the kitchen tablet on the till's own pairing page: /till sends it to its screen."""
    page.goto(f"{base_url}/till/pair")
    page.get_by_label("Token van de kassa").fill(token)
    tap(page, "Koppelen")
    expect(page.get_by_role("heading", name="Keuken", level=1)).to_be_visible()
    assert page.url == f"{base_url}/till/kitchen"


def order_cards(page: Page) -> Locator:
    return (
        page.get_by_role("main", name="Open bestellingen")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", level=3))
    )


def card_texts(page: Page) -> list[str]:
    """Each order as the words it shows (without its button's)."""
    return [
        " ".join(card.locator("h3, .order-lines").all_inner_texts()).replace("\n", " ")
        for card in order_cards(page).all()
    ]


def order_from_till(app: Flask, token: str, operator_id: int, table: int, *items: Any) -> None:
    """Order at a table and send it, as another till would (the API, in process)."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    with app.app_context():
        table_id = db.session.scalars(select(DiningTable.id).filter_by(number=table)).one()
    tab = client.post(
        f"/api/v1/tables/{table_id}/tab", json={"operator_id": operator_id}, headers=headers
    ).get_json()
    lines = [
        {"client_key": f"{table}-{n}", "product_id": product, "quantity": "1", "note": note}
        for n, (product, note) in enumerate(items)
    ]
    body = {"operator_id": operator_id, "items": lines}
    assert (
        client.post(f"/api/v1/tabs/{tab['id']}/items", json=body, headers=headers).status_code
        == 200
    )
    sent = client.post(
        f"/api/v1/tabs/{tab['id']}/send", json={"operator_id": operator_id}, headers=headers
    )
    assert sent.status_code == 200


def ready_orders(app: Flask) -> list[tuple[int, str | None]]:
    with app.app_context():
        orders = db.session.scalars(select(KitchenOrder).order_by(KitchenOrder.id))
        return [(order.id, order.ready_key) for order in orders if order.ready_at is not None]


def wait_for(condition: Any, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert condition()


@pytest.mark.browser
def test_an_order_goes_to_the_kitchen_screen_and_klaar_shows_on_the_tables_tile(
    open_tablet: Any, till_server: TillServer, bistro: dict[str, Any], app: Flask
) -> None:
    kitchen: Page = open_tablet()
    start_kitchen(kitchen, till_server.url, bistro["kitchen_token"])
    expect(kitchen.get_by_text("Geen open bestellingen.")).to_be_visible()

    till: Page = open_tablet()
    start_bistro(till, till_server.url, bistro["token"])
    tap(till, "Tafel 2", "Soep", "Notitie bij Soep", "zonder ui", "Klaar", "Hoevebier")
    tap(till, "Naar keuken")
    status = till.get_by_role("status").filter(has_text=KITCHEN_SENT)
    expect(status).to_be_visible()
    expect(status).to_contain_text(BAR_MISSING)  # the bar has no printer and no screen
    expect(status.locator("img")).to_have_count(1)  # a warning picture for the bar's line

    expect(order_cards(kitchen)).to_have_count(1)
    assert card_texts(kitchen)[0].startswith("Tafel 2 om ")
    assert "1 × Soep zonder ui" in card_texts(kitchen)[0]
    assert "Hoevebier" not in card_texts(kitchen)[0]  # the bar's, not the kitchen's
    tap(kitchen, "Klaar Tafel 2")
    expect(order_cards(kitchen)).to_have_count(0)
    wait_for(lambda: len(ready_orders(app)) == 1)

    tap(till, "Terug")  # the floor asks the server for its tables again
    tile = till.get_by_role("button", name=re.compile(r"^Tafel 2 .*Klaar"))
    expect(tile).to_be_visible()
    expect(till.get_by_role("button", name=re.compile(r"^Tafel 1 "))).not_to_contain_text("Klaar")


@pytest.mark.browser
def test_the_kitchen_screen_survives_a_reload_and_sends_an_offline_klaar_once(
    tablet: Page, till_server: TillServer, bistro: dict[str, Any], app: Flask
) -> None:
    jan, products = bistro["people"]["Jan"], bistro["products"]
    start_kitchen(tablet, till_server.url, bistro["kitchen_token"])
    tablet.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    order_from_till(app, bistro["token"], jan, 1, (products["Soep"], "extra warm"))
    order_from_till(app, bistro["token"], jan, 3, (products["Spaghetti"], None))
    expect(order_cards(tablet)).to_have_count(2)
    assert [text.split(" om ")[0] for text in card_texts(tablet)] == ["Tafel 1", "Tafel 3"]
    tablet.reload()
    expect(order_cards(tablet)).to_have_count(2)

    taps: list[str] = []

    def seen(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/ready"):
            taps.append(request.url)

    tablet.context.on("requestfinished", seen)  # tries that reached the server
    # the network goes away for real: Chromium's offline emulation reaches a reloaded page a
    # moment after its first requests, and a quick start from the cache can beat it
    till_server.stop()
    tablet.context.set_offline(True)
    expect(tablet.get_by_role("status").filter(has_text="Geen verbinding")).to_be_visible()
    tap(tablet, "Klaar Tafel 1")
    expect(order_cards(tablet)).to_have_count(1)
    expect(
        tablet.get_by_role("status").filter(has_text="1 Klaar wacht op de server")
    ).to_be_visible()
    tablet.reload()  # offline: the page, the orders and the waiting tap come from the tablet
    expect(order_cards(tablet)).to_have_count(1)
    assert card_texts(tablet)[0].startswith("Tafel 3")
    expect(
        tablet.get_by_role("status").filter(has_text="1 Klaar wacht op de server")
    ).to_be_visible()
    assert ready_orders(app) == []

    till_server.start()
    tablet.context.set_offline(False)
    wait_for(lambda: len(ready_orders(app)) == 1)
    expect(tablet.get_by_role("status").filter(has_text="Klaar wacht")).to_be_hidden()
    tablet.wait_for_timeout(5000)  # a poll or two later: nothing is sent again
    [(_order, key)] = ready_orders(app)
    assert key and len(taps) == 1
    expect(order_cards(tablet)).to_have_count(1)


@pytest.mark.browser
def test_the_till_says_so_with_a_picture_when_no_station_exists(
    tablet: Page, till_server: TillServer, app: Flask, shop: Any
) -> None:
    bistro = make_bistro(app, shop, kitchen_screen=False)
    start_bistro(tablet, till_server.url, bistro["token"])
    tap(tablet, "Tafel 1", "Soep", "Naar keuken")
    status = tablet.get_by_role("status").filter(has_text=KITCHEN_MISSING)
    expect(status).to_be_visible()
    expect(status.locator("img")).to_have_count(1)
    expect(status).not_to_contain_text("heeft de bestelling")
    expect(status).not_to_contain_text("✔")


@pytest.mark.browser
@BOTH_ORIENTATIONS
def test_the_kitchen_screen_is_big_named_and_accessible(
    open_tablet: Any,
    till_server: TillServer,
    bistro: dict[str, Any],
    app: Flask,
    artifacts: Path,
    viewport: dict[str, int],
) -> None:
    page: Page = open_tablet(viewport)
    jan, products = bistro["people"]["Jan"], bistro["products"]
    order_from_till(app, bistro["token"], jan, 1, (products["Soep"], "zonder ui, extra warm"))
    order_from_till(
        app, bistro["token"], jan, 2, (products["Spaghetti"], None), (products["Soep"], "klein")
    )
    start_kitchen(page, till_server.url, bistro["kitchen_token"])
    expect(order_cards(page)).to_have_count(2)
    at_rest(page)
    for control in page.get_by_role("button").all():
        box = control.bounding_box()
        assert box and box["width"] >= 64 and box["height"] >= 64, control.inner_text()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    expect(button(page, "Klaar Tafel 1")).to_be_visible()
    screenshot_at_rest(page, artifacts, "kitchen-screen")
    assert serious_violations(page) == []

"""The bistro at the till: a floor of tables, a table's tab, the kitchen, and paying in parts.

Driven like the shop till's tests (till_support.py): a touch tablet, taps on controls found by
role and Dutch accessible name, a real waitress server, a loopback kitchen printer.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from pprint import pformat
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import DiningTable, PointOfSale, Product, Sale, Tab, TabItem
from kiosk.printing.queue import add_printer
from kiosk.printing.worker import print_due_jobs
from tests.browser.page_support import serious_violations
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    LANDSCAPE,
    PORTRAIT,
    QUEUED,
    TillServer,
    at_rest,
    box_of,
    button,
    change_status,
    heading,
    named,
    open_tablet_fixture,
    pair,
    screenshot,
    settled,
    shown_change,
    tablet_fixture,
    tap,
    tile_problems,
    till_server_fixture,
    visible_controls,
)
from tests.fake_printer import FakeNetworkPrinter

# name: (price in cents, VAT class, preparation, pictogram)
MENU: dict[str, tuple[int, str, str | None, str]] = {
    "Soep": (450, "takeaway_meal", "kitchen", "1F372"),
    "Spaghetti": (1250, "food", "kitchen", "1F35D"),
    "Hoevebier": (350, "alcohol", "bar", "1F37A"),
    "Appelsap": (280, "soft_drink", "bar", "1F9C3"),
    "Taart": (325, "food", None, "1F370"),
}
COLOURS = ["#1f6f3f", "#1c5d99", "#b3261e", "#6a3d9a", "#a04a00", "#ffd966"]


@dataclass
class Bistro:
    """A bistro's till: its token, its people, its products and its tables by name."""

    till_id: int
    token: str
    people: dict[str, int]
    products: dict[str, int]
    tables: dict[str, int]


@pytest.fixture(name="bar_printer")
def bar_printer_fixture() -> Iterator[FakeNetworkPrinter]:
    """A second loopback printer, for the bar."""
    printer = FakeNetworkPrinter()
    try:
        yield printer
    finally:
        printer.close()


def open_bistro(shop: Any) -> tuple[int, str]:
    """Add the bistro BI (eat-in by default) and pair its till; return the till's id and token."""
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in", methods="cash|card")
    return shop.till("BI", name="Bistro")


def add_menu(app: Flask, shop: Any) -> dict[str, int]:
    """Add the bistro's MENU, each made where it says; return the product ids by name."""
    products = {
        name: shop.product(
            name, price_cents=price, point_of_sale="BI", vat_class=vat_class, pictogram=picture
        )
        for name, (price, vat_class, _, picture) in MENU.items()
    }
    with app.app_context():
        for name, (_, _, preparation, _) in MENU.items():
            db.session.get_one(Product, products[name]).preparation = preparation
        db.session.commit()
    return products


@pytest.fixture(name="bistro")
def bistro_fixture(
    app: Flask, shop: Any, fake_printer: FakeNetworkPrinter, bar_printer: FakeNetworkPrinter
) -> Bistro:
    """A bistro (eat-in by default) with six tables, a kitchen and a bar printer."""
    till_id, token = open_bistro(shop)
    people = {"Jan": shop.user("Jan"), "Sam": shop.user("Sam")}
    products = add_menu(app, shop)
    with app.app_context():
        point_of_sale = db.session.scalars(select(PointOfSale).filter_by(code="BI")).one()
        tables = [
            DiningTable(
                point_of_sale=point_of_sale, number=n, name=f"Tafel {n}", colour=colour, position=n
            )
            for n, colour in enumerate(COLOURS, start=1)
        ]
        db.session.add_all(tables)
        for name, printer, role in [
            ("Keuken", fake_printer, "kitchen"),
            ("Toog", bar_printer, "bar"),
        ]:
            add_printer(name, printer.url, profile="TM-T20II", point_of_sale_code="BI", role=role)
        db.session.commit()
        table_ids = {table.name: table.id for table in tables}
    return Bistro(till_id, token, people, products, table_ids)


# -- driving the bistro ----------------------------------------------------------------------
def start_bistro(page: Page, base_url: str, token: str, person: str = "Jan") -> None:
    """Pair the tablet and let a person start: the floor of tables comes first."""
    pair(page, base_url, token)
    tap(page, person)
    expect(heading(page, "Kies een tafel")).to_be_visible()


def floor(page: Page) -> Locator:
    return page.get_by_role("group", name="Kies een tafel", exact=True)


def tab(page: Page, table: str) -> Locator:
    """The tab beside the product tiles, named after its table."""
    return page.get_by_role("complementary", name=table, exact=True)


def tab_lines(page: Page, table: str) -> list[str]:
    """The tab's lines as the words they show, without the words of their buttons."""
    return (
        tab(page, table)
        .get_by_role("listitem")
        .evaluate_all(
            """(lines) => lines.map((line) => [...line.querySelectorAll('span')]
             .filter((part) => !part.querySelector('span'))
             .filter((part) => !part.closest('[aria-hidden], button'))
             .map((part) => part.textContent.trim()).join(' '))"""
        )
    )


def expect_unpaid(page: Page, table: str, amount: str) -> None:
    expect(tab(page, table).get_by_role("status", name="Totaal")).to_have_text(amount)


def table_state(page: Page, table: str) -> str:
    """What a table's tile says under its name: "✔ Vrij", or "Bezet 12,50 € 3 min"."""
    tile = floor(page).get_by_role("button", name=named(table))
    description = tile.get_attribute("aria-describedby")
    return " ".join(page.locator(f"#{description}").inner_text().split())


def sales(app: Flask) -> list[dict[str, Any]]:
    with app.app_context():
        return [
            {
                "ticket": sale.ticket_number,
                "total": sale.total_cents,
                "change": sale.change_cents,
                "payments": [(p.method, p.amount_cents) for p in sale.payments],
                "lines": [
                    (line.description, line.quantity_milli, line.amount_cents, line.vat_rate)
                    for line in sale.lines
                ],
            }
            for sale in db.session.scalars(select(Sale).order_by(Sale.id))
        ]


def tabs(app: Flask) -> list[dict[str, Any]]:
    with app.app_context():
        return [
            {
                "table": tab.table.name if tab.table else None,
                "state": tab.state,
                "items": [
                    (item.description, item.consumption, item.note, item.cancelled_at is not None)
                    for item in tab.items
                    if "/" not in item.client_key  # share rows of equal parts
                ],
            }
            for tab in db.session.scalars(select(Tab).order_by(Tab.id))
        ]


def tab_items(app: Flask) -> list[tuple[str, bool]]:
    with app.app_context():
        items = db.session.scalars(select(TabItem).order_by(TabItem.id))
        return [(item.description, item.cancelled_at is not None) for item in items]


def wait_for(condition: Callable[[], bool], timeout: float = 10) -> None:
    """Wait (bounded) until the condition holds."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert condition()


# -- the tests -----------------------------------------------------------------------------------
@pytest.mark.browser
def test_a_table_orders_sends_to_the_kitchen_and_pays_in_two_equal_parts(
    tablet: Page,
    till_server: TillServer,
    bistro: Bistro,
    app: Flask,
    fake_printer: FakeNetworkPrinter,
    bar_printer: FakeNetworkPrinter,
) -> None:
    with app.app_context():
        db.session.scalars(
            select(PointOfSale).filter_by(code="BI")
        ).one().payment_methods = "cash|card|qr"
        db.session.commit()
    start_bistro(tablet, till_server.url, bistro.token)
    expect(floor(tablet).get_by_role("button")).to_have_count(6)
    assert table_state(tablet, "Tafel 3") == "✔ Vrij"

    tap(tablet, "Tafel 3")
    expect(tab(tablet, "Tafel 3")).to_be_visible()
    expect(button(tablet, "Hier opeten")).to_have_attribute("aria-pressed", "true")
    expect(button(tablet, "Betalen")).to_be_disabled()
    tap(tablet, "Soep", "Hoevebier")
    expect_unpaid(tablet, "Tafel 3", "8,00 €")
    tap(tablet, "Meenemen")
    expect(button(tablet, "Meenemen")).to_have_attribute("aria-pressed", "true")
    tap(tablet, "Taart")
    assert tab_lines(tablet, "Tafel 3") == [
        "Soep 4,50 € × 1 Hier opeten",
        "Hoevebier 3,50 € × 1 Hier opeten",
        "Taart 3,25 € × 1 Meenemen",
    ]

    tap(tablet, "Notitie bij Soep")
    expect(heading(tablet, "Notitie bij Soep")).to_be_visible()
    tap(tablet, "zonder ui")
    expect(button(tablet, "zonder ui")).to_have_attribute("aria-pressed", "true")
    expect(tablet.get_by_role("textbox")).to_have_count(0)  # a care user never types
    tap(tablet, "Klaar")
    expect(tab(tablet, "Tafel 3").get_by_role("listitem")).to_have_count(3)
    assert "Soep 4,50 € × 1 Hier opeten zonder ui" in tab_lines(tablet, "Tafel 3")
    expect_unpaid(tablet, "Tafel 3", "11,25 €")

    tap(tablet, "Naar keuken")
    expect(
        tablet.get_by_role("status").filter(has_text="De keuken heeft de bestelling: de bon is")
    ).to_be_visible()
    expect(button(tablet, "Naar keuken")).to_be_disabled()  # nothing new for the kitchen
    with app.app_context():
        assert print_due_jobs() == 2  # one ticket for the kitchen, one for the bar
    kitchen = fake_printer.wait_for_jobs(1)[0].decode("cp858")
    bar = bar_printer.wait_for_jobs(1)[0].decode("cp858")
    assert "Tafel 3" in kitchen and "Soep" in kitchen and "zonder ui" in kitchen
    assert "Hoevebier" not in kitchen and "Taart" not in kitchen
    assert "Tafel 3" in bar and "Hoevebier" in bar and "Soep" not in bar

    # two people share the bill: 11,25 € is 5,63 € and 5,62 €
    tap(tablet, "Betalen")
    expect(heading(tablet, "Hoe betalen ze?")).to_be_visible()
    expect(tablet.get_by_text("Nog te betalen: 11,25 €")).to_be_visible()
    tap(tablet, "Gelijk verdelen")
    expect(button(tablet, "Betalen")).to_be_disabled()
    tap(tablet, "2 personen")
    expect(tablet.get_by_role("status").filter(has_text="Deel 1 van 2")).to_have_text(
        "Deel 1 van 2: 5,63 €"
    )
    tap(tablet, "Betalen")
    expect(tablet.get_by_text("Te betalen: 5,63 €")).to_be_visible()
    tap(tablet, "Contant", "10 euro", "Klaar")
    expect(heading(tablet, "Geef terug: 4,35 €")).to_be_visible()  # 5,65 € in cash
    assert shown_change(tablet) == [
        ("2 euro", 2, "pieces.svg#coin-200"),
        ("20 cent", 1, "pieces.svg#coin-20"),
        ("10 cent", 1, "pieces.svg#coin-10"),
        ("5 cent", 1, "pieces.svg#coin-5"),
    ]
    expect(tablet.get_by_text("Nog te betalen: 5,62 €")).to_be_visible()
    expect(tablet.get_by_text("De verkoop is bewaard.")).to_be_visible()

    tap(tablet, "Volgende klant")
    expect(tablet.get_by_role("status").filter(has_text="Deel 2 van 2")).to_have_text(
        "Deel 2 van 2: 5,62 €"
    )
    tap(tablet, "Betalen")
    # the bistro takes QR here, yet its till never offers it: a tab has no QR screens (403)
    expect(button(tablet, "Kaart")).to_be_visible()
    expect(tablet.get_by_role("button", name="QR-code")).to_have_count(0)
    tap(tablet, "Kaart")
    expect(tablet.get_by_text("Zet 5,62 € op de kaartlezer.")).to_be_visible()
    tap(tablet, "Ja")
    expect(heading(tablet, "✔ Betaald met de kaart")).to_be_visible()
    expect(tablet.get_by_text("✔ Tafel 3 is helemaal betaald.")).to_be_visible()
    expect(tablet.get_by_text("De verkoop is bewaard.")).to_be_visible()
    tap(tablet, "Volgende klant")
    expect(heading(tablet, "Kies een tafel")).to_be_visible()
    expect(floor(tablet).get_by_role("button", name="Tafel 3")).to_have_accessible_description(
        "Vrij"
    )

    first, second = sales(app)
    assert first["ticket"] != second["ticket"]
    assert (first["total"], first["payments"], first["change"]) == (563, [("cash", 1000)], 435)
    assert (second["total"], second["payments"], second["change"]) == (562, [("card", 562)], 0)
    rates = {description: rate for description, _, _, rate in first["lines"]}
    assert rates == {"Soep": 12, "Hoevebier": 21, "Taart": 6}
    [table_tab] = tabs(app)
    assert table_tab["state"] == "paid"
    assert table_tab["table"] == "Tafel 3"
    assert table_tab["items"] == [
        ("Soep", "eat_in", None, True),  # ordered again with its note
        ("Hoevebier", "eat_in", None, False),
        ("Taart", "takeaway", None, False),
        ("Soep", "eat_in", "zonder ui", False),
    ]


@pytest.mark.browser
def test_staff_type_a_note_of_their_own_next_to_the_pictures(
    tablet: Page, till_server: TillServer, bistro: Bistro, app: Flask, shop: Any
) -> None:
    shop.user("Lies", role="staff", password="geheim-wachtwoord")
    start_bistro(tablet, till_server.url, bistro.token, "Lies")
    tap(tablet, "Tafel 2", "Soep", "Notitie bij Soep", "extra warm")
    field = tablet.get_by_role("textbox", name="Eigen notitie voor de keuken (begeleiders)")
    field.fill("  allergie:   noten ")
    tap(tablet, "Klaar")
    assert "Soep 4,50 € × 1 Hier opeten extra warm, allergie: noten" in tab_lines(tablet, "Tafel 2")
    tap(tablet, "Notitie bij Soep")  # what was typed comes back to be changed
    expect(field).to_have_value("allergie: noten")
    field.fill("")
    tap(tablet, "Klaar")
    tap(tablet, "Naar keuken")
    expect(
        tablet.get_by_role("status").filter(has_text="De keuken heeft de bestelling: de bon is")
    ).to_be_visible()
    [soup] = [item for tab in tabs(app) for item in tab["items"] if not item[3]]
    assert soup == ("Soep", "eat_in", "extra warm", False)


@pytest.mark.browser
def test_minus_undo_another_table_and_paying_per_person_then_the_rest(
    tablet: Page, till_server: TillServer, bistro: Bistro, app: Flask
) -> None:
    start_bistro(tablet, till_server.url, bistro.token, "Sam")
    tap(tablet, "Tafel 1", "Soep", "Hoevebier", "Appelsap")
    expect_unpaid(tablet, "Tafel 1", "10,80 €")
    tap(tablet, "Eén Appelsap minder")
    expect(tab(tablet, "Tafel 1").get_by_role("listitem")).to_have_count(2)
    expect_unpaid(tablet, "Tafel 1", "8,00 €")
    tap(tablet, "Ongedaan maken")  # the apple juice is back
    expect_unpaid(tablet, "Tafel 1", "10,80 €")
    tap(tablet, "Ongedaan maken")  # and the step before: ordering it, so it is off again
    expect_unpaid(tablet, "Tafel 1", "8,00 €")
    tap(tablet, "Appelsap")
    expect_unpaid(tablet, "Tafel 1", "10,80 €")
    assert tab_lines(tablet, "Tafel 1") == [
        "Soep 4,50 € × 1 Hier opeten",
        "Hoevebier 3,50 € × 1 Hier opeten",
        "Appelsap 2,80 € × 1 Hier opeten",
    ]

    tap(tablet, "Andere tafel")
    expect(heading(tablet, "Naar welke tafel?")).to_be_visible()
    free = tablet.get_by_role("group", name="Naar welke tafel?").get_by_role("button")
    expect(free).to_have_count(5)  # every table but this one
    tap(tablet, "Tafel 5")
    expect(tab(tablet, "Tafel 5")).to_be_visible()
    expect(tablet.get_by_text("De rekening staat nu op Tafel 5.")).to_be_visible()
    tap(tablet, "Terug")
    expect(heading(tablet, "Kies een tafel")).to_be_visible()
    expect(floor(tablet).get_by_role("button", name="Tafel 5")).to_have_accessible_description(
        re.compile(r"^Bezet 10,80 € \d+ min$")
    )
    expect(floor(tablet).get_by_role("button", name="Tafel 1")).to_have_accessible_description(
        "Vrij"
    )

    tap(tablet, "Tafel 5", "Betalen", "Per persoon: wat ieder nam")
    expect(heading(tablet, "Wat nam deze persoon?")).to_be_visible()
    pay = button(tablet, "Betalen")
    expect(pay).to_be_disabled()
    expect(pay).to_have_accessible_description("Tik eerst aan wat deze persoon nam.")
    tap(tablet, "Soep", "Appelsap", "Appelsap")  # the juice was someone else's after all
    status = tablet.get_by_role("status").filter(has_text="Deze persoon")
    expect(status).to_have_text("Deze persoon: 4,50 €")
    tap(tablet, "Appelsap")
    expect(button(tablet, "Appelsap")).to_have_attribute("aria-pressed", "true")
    expect(status).to_have_text("Deze persoon: 7,30 €")
    tap(tablet, "Betalen", "Kaart", "Ja")
    expect(tablet.get_by_text("Nog te betalen: 3,50 €")).to_be_visible()
    tap(tablet, "Volgende klant")
    expect(heading(tablet, "Hoe betalen ze?")).to_be_visible()
    tap(tablet, "Alles samen", "Contant", "2 euro", "1 euro", "50 cent", "Klaar")
    expect(heading(tablet, "Geen wisselgeld. Gepast betaald.")).to_be_visible()
    expect(tablet.get_by_text("✔ Tafel 5 is helemaal betaald.")).to_be_visible()
    tap(tablet, "Volgende klant")
    expect(floor(tablet).get_by_role("button", name="Tafel 5")).to_have_accessible_description(
        "Vrij"
    )

    first, second = sales(app)
    assert [line[0] for line in first["lines"]] == ["Soep", "Appelsap"]
    assert (first["total"], first["payments"]) == (730, [("card", 730)])
    assert [line[0] for line in second["lines"]] == ["Hoevebier"]
    assert (second["total"], second["payments"], second["change"]) == (350, [("cash", 350)], 0)
    assert first["ticket"] != second["ticket"]
    [moved] = tabs(app)
    assert (moved["table"], moved["state"]) == ("Tafel 5", "paid")
    assert [(name, cancelled) for name, _, _, cancelled in moved["items"]] == [
        ("Soep", False),
        ("Hoevebier", False),
        ("Appelsap", True),
        ("Appelsap", True),
        ("Appelsap", False),
    ]
    with app.app_context():  # nothing went to the kitchen: nothing to cancel there
        assert print_due_jobs() == 0


@pytest.mark.browser
def test_orders_and_payments_taken_while_the_server_is_away_all_arrive_once(
    tablet: Page, till_server: TillServer, bistro: Bistro, app: Flask
) -> None:
    start_bistro(tablet, till_server.url, bistro.token)
    tap(tablet, "Tafel 2", "Soep")
    wait_for(lambda: tab_items(app) == [("Soep", False)])
    stop_box = button(tablet, "Stop").bounding_box()
    till_server.stop()

    tap(tablet, "Hoevebier", "Spaghetti", "Eén Soep minder")  # shown at once, server or not
    expect(tab(tablet, "Tafel 2").get_by_role("listitem")).to_have_count(2)
    expect_unpaid(tablet, "Tafel 2", "16,00 €")
    expect(tablet.get_by_role("status").filter(has_text="3 bestellingen wachten")).to_be_visible()
    tap(tablet, "Naar keuken")
    expect(
        tablet.get_by_text("De bestelling wacht op de server. Ze gaat vanzelf naar de keuken.")
    ).to_be_visible()
    tap(tablet, "Terug")  # a free table, opened while the server is away
    tap(tablet, "Tafel 4", "Taart", "Terug")
    expect(floor(tablet).get_by_role("button", name="Tafel 4")).to_have_accessible_description(
        re.compile(r"^Bezet 3,25 € ")
    )
    tap(tablet, "Tafel 4", "Betalen", "Alles samen", "Contant", "5 euro", "Klaar")
    expect(heading(tablet, "Geef terug: 1,75 €")).to_be_visible()
    expect(tablet.get_by_text(QUEUED)).to_be_visible()
    expect(tablet.get_by_text("✔ Tafel 4 is helemaal betaald.")).to_be_visible()
    tap(tablet, "Volgende klant")  # paid: the table is free for the next guests at once
    expect(floor(tablet).get_by_role("button", name="Tafel 4")).to_have_accessible_description(
        "Vrij"
    )
    assert button(tablet, "Stop").bounding_box() == stop_box  # the banner moved nothing
    assert tab_items(app) == [("Soep", False)]
    assert sales(app) == []

    till_server.start()  # the same port: the same origin, the same tablet storage
    expect(tablet.get_by_text("bestellingen wachten")).to_be_hidden(timeout=30_000)
    assert sorted(tab_items(app)) == [
        ("Hoevebier", False),
        ("Soep", True),
        ("Spaghetti", False),
        ("Taart", False),
    ]
    [second, fourth] = tabs(app)
    assert (second["table"], second["state"]) == ("Tafel 2", "open")
    assert (fourth["table"], fourth["state"]) == ("Tafel 4", "paid")
    [sale] = sales(app)
    assert (sale["total"], sale["payments"], sale["change"]) == (325, [("cash", 500)], 175)
    with app.app_context():
        sent = db.session.scalars(select(TabItem.description).where(TabItem.sent_at.is_not(None)))
        assert sorted(sent) == ["Hoevebier", "Spaghetti"]  # the soup was taken off first

    tablet.reload()  # what the server has, as the tablet saw it
    expect(heading(tablet, "Kies een tafel")).to_be_visible()
    tap(tablet, "Tafel 2")
    assert tab_lines(tablet, "Tafel 2") == [
        "Hoevebier 3,50 € × 1 Hier opeten Verstuurd",
        "Spaghetti 12,50 € × 1 Hier opeten Verstuurd",
    ]


@pytest.mark.browser
def test_a_bistro_till_reloaded_while_the_server_is_away_opens_a_table_and_takes_cash(
    tablet: Page, till_server: TillServer, bistro: Bistro, app: Flask
) -> None:
    start_bistro(tablet, till_server.url, bistro.token)
    tablet.wait_for_function("() => navigator.serviceWorker.controller !== null")
    till_server.stop()
    tablet.reload()  # the page, the bistro's modules, catalog, tables, money: all kept
    expect(heading(tablet, "Kies een tafel")).to_be_visible()  # Jan's turn goes on
    tap(tablet, "Tafel 3", "Soep", "Betalen", "Alles samen", "Contant", "5 euro", "Klaar")
    expect(heading(tablet, "Geef terug: 0,50 €")).to_be_visible()
    expect(tablet.get_by_text(QUEUED)).to_be_visible()
    expect(tablet.get_by_text("✔ Tafel 3 is helemaal betaald.")).to_be_visible()

    till_server.start()  # the same port: the queued tab and its payment go out
    expect(tablet.get_by_text(QUEUED)).to_be_hidden(timeout=30_000)
    wait_for(lambda: len(sales(app)) == 1)
    [sale] = sales(app)
    assert (sale["total"], sale["payments"], sale["change"]) == (450, [("cash", 500)], 50)
    [paid] = tabs(app)
    assert (paid["table"], paid["state"]) == ("Tafel 3", "paid")


BISTRO_SCREENS = (
    "floor",
    "tab",
    "notes",
    "move",
    "split",
    "items",
    "equal",
    "method",
    "cash",
    "change",
    "busy floor",
)
TILE_GROUPS = {
    "floor": "Kies een tafel",
    "tab": "Kiezen",
    "notes": "Notitie bij Soep",
    "move": "Naar welke tafel?",
    "items": "Wat nam deze persoon?",
    "equal": "Met hoeveel zijn ze?",
    "busy floor": "Kies een tafel",
}


def expect_rest_apart_from_the_change(page: Page, rest_text: str) -> None:
    """What the table still owes stands in its own box with a picture, well below the change."""
    change = change_status(page)
    rest = page.get_by_text(rest_text, exact=True)
    expect(rest).to_be_visible()
    assert not change.evaluate("(box) => box.textContent.includes('Nog te betalen')")
    change_box, rest_box = change.bounding_box(), rest.bounding_box()
    assert change_box and rest_box
    # its own box, well below the change: never read as one line with "Geef terug"
    assert rest_box["y"] >= change_box["y"] + change_box["height"] + 16
    expect(rest.locator("xpath=preceding-sibling::img")).to_be_visible()


def walk_the_bistro(page: Page, base_url: str, token: str, visit: Callable[[str], None]) -> None:
    """Order at a table, put a note, look for another table, split three ways, pay part 1.

    Part 1 (2,67 €, 2,65 € in cash) is paid with 2 euro, then 50 euro: the cash screen is seen
    while money is still missing, the change screen with change in many kinds of pieces.

    `visit(name)` is called on each screen of BISTRO_SCREENS, in order, once it is shown.
    """

    def visit_at_rest(name: str) -> None:
        settled(page)
        at_rest(page)
        visit(name)

    start_bistro(page, base_url, token)
    visit_at_rest("floor")
    tap(page, "Tafel 1", "Soep", "Hoevebier")
    expect_unpaid(page, "Tafel 1", "8,00 €")
    visit_at_rest("tab")
    tap(page, "Notitie bij Soep", "extra warm")
    visit_at_rest("notes")
    tap(page, "Klaar", "Andere tafel")
    expect(heading(page, "Naar welke tafel?")).to_be_visible()
    visit_at_rest("move")
    tap(page, "Terug", "Betalen")
    expect(heading(page, "Hoe betalen ze?")).to_be_visible()
    visit_at_rest("split")
    tap(page, "Per persoon: wat ieder nam", "Soep")
    visit_at_rest("items")
    tap(page, "Terug", "Gelijk verdelen", "3 personen")
    expect(page.get_by_text("Deel 1 van 3: 2,67 €")).to_be_visible()
    visit_at_rest("equal")
    tap(page, "Betalen")
    visit_at_rest("method")
    tap(page, "Contant", "2 euro")
    visit_at_rest("cash")
    tap(page, "50 euro", "Klaar")
    expect(heading(page, "Geef terug: 49,35 €")).to_be_visible()
    assert [name for name, _, _ in shown_change(page)] == [
        "20 euro",
        "5 euro",
        "2 euro",
        "20 cent",
        "10 cent",
        "5 cent",
    ]
    expect(page.get_by_text("Nog te betalen: 5,33 €")).to_be_visible()
    expect_rest_apart_from_the_change(page, "Nog te betalen: 5,33 €")
    visit_at_rest("change")
    tap(page, "Volgende klant")
    expect(page.get_by_text("Deel 2 van 3: 2,67 €")).to_be_visible()
    tap(page, "Terug", "Terug")  # a part is paid: back to the tab, then to the floor
    expect(floor(page).get_by_role("button", name="Tafel 1")).to_have_accessible_description(
        re.compile(r"^Bezet 8,00 € ")
    )
    visit_at_rest("busy floor")


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_every_bistro_screen_is_accessible_with_big_controls_in_the_shop_tills_places(  # noqa: C901 - one walk through every screen, checked as it goes
    open_tablet: Any,
    till_server: TillServer,
    bistro: Bistro,
    shop: Any,
    artifacts: Path,
    viewport: dict[str, int],
) -> None:
    page: Page = open_tablet(viewport)
    orientation = "landscape" if viewport == LANDSCAPE else "portrait"
    problems: dict[str, dict[str, list[str]]] = {
        "axe": {},
        "small": {},
        "off screen": {},
        "tiles": {},
    }
    places: dict[str, dict[str, Any]] = {"Betalen": {}, "Terug": {}, "Stop": {}, "primary": {}}

    def visit(name: str) -> None:  # noqa: C901 - one branch per screen
        screenshot(page, artifacts, f"bistro-{orientation}-{name.replace(' ', '-')}")
        if violations := serious_violations(page):
            problems["axe"][name] = violations
        controls = visible_controls(page)
        if small := [
            f"{c['name']} {c['width']:.0f}×{c['height']:.0f}"
            for c in controls
            if c["width"] < 64 or c["height"] < 64
        ]:
            problems["small"][name] = small
        if outside := [
            c["name"]
            for c in controls
            if not c["reachable"]
            or c["right"] > viewport["width"]
            or c["bottom"] > viewport["height"]
        ]:
            problems["off screen"][name] = outside
        if name in TILE_GROUPS:
            group = page.get_by_role("group", name=TILE_GROUPS[name], exact=True)
            boxes = [box_of(tile) for tile in group.get_by_role("button").all()]
            assert boxes and None not in boxes, name
            if bad := tile_problems(boxes):  # type: ignore[arg-type]
                problems["tiles"][name] = bad
        for label in ("Betalen", "Terug", "Stop"):
            if (box := box_of(button(page, label))) is not None:
                places[label][name] = box
        for label in ("Betalen", "Klaar", "Volgende klant"):
            if (box := box_of(button(page, label))) is not None:
                places["primary"][f"{name}: {label}"] = box
        if name == "tab":  # "Naar keuken" stands right beside "Betalen"
            kitchen, pay = box_of(button(page, "Naar keuken")), box_of(button(page, "Betalen"))
            assert kitchen and pay and kitchen[1] == pay[1]
            assert 0 < pay[0] - (kitchen[0] + kitchen[2]) <= 16

    walk_the_bistro(page, till_server.url, bistro.token, visit)

    assert not any(problems.values()), pformat(problems)
    assert list(places["Betalen"]) == ["tab", "items", "equal"]
    assert list(places["Terug"]) == list(BISTRO_SCREENS)
    assert list(places["Stop"]) == list(BISTRO_SCREENS)
    for label, seen in places.items():
        assert len(set(seen.values())) == 1, f"{label} moves: {seen}"

    # the same places as on the shop till, on a tablet of the same size
    shop.point_of_sale("HW", name="Hoevewinkel")
    shop.product("Boerenbrood", price_cents=380)
    _, farm_token = shop.till("HW", name="Winkel")
    farm: Page = open_tablet(viewport)
    pair(farm, till_server.url, farm_token)
    tap(farm, "Jan")
    expect(button(farm, "Betalen")).to_be_visible()
    settled(farm)
    for label in ("Betalen", "Terug", "Stop"):
        assert {box_of(button(farm, label))} == set(places[label].values()), label


@pytest.mark.browser
def test_a_person_with_a_pin_orders_with_the_proof_also_from_the_queue(
    tablet: Page, till_server: TillServer, bistro: Bistro, app: Flask, shop: Any
) -> None:
    shop.user("Lotte", pin="4321")  # every tab change of hers needs the proof of her PIN check
    pair(tablet, till_server.url, bistro.token)
    tap(tablet, "Lotte", "4", "3", "2", "1", "OK")
    expect(heading(tablet, "Kies een tafel")).to_be_visible()
    tap(tablet, "Tafel 2", "Soep")
    wait_for(lambda: tab_items(app) == [("Soep", False)])
    till_server.stop()

    tap(tablet, "Hoevebier", "Naar keuken", "Terug", "Stop")  # queued; Stop forgets the proof
    expect(heading(tablet, "Wie ben jij?")).to_be_visible()
    till_server.start()
    expect(tablet.get_by_text("bestellingen wachten")).to_be_hidden(timeout=30_000)
    wait_for(lambda: tab_items(app) == [("Soep", False), ("Hoevebier", False)])
    with app.app_context():
        sent = db.session.scalars(select(TabItem.description).where(TabItem.sent_at.is_not(None)))
        assert sorted(sent) == ["Hoevebier", "Soep"]
    assert tablet.evaluate("() => localStorage.getItem('pluskassa.proof')") is None

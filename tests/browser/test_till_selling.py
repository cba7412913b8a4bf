"""Selling at the till by taps alone: cash with change in pictures, card, weighing, undo."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    SAVED,
    TillServer,
    TillShop,
    basket,
    button,
    change_status,
    expect_total,
    fewest_pieces,
    heading,
    open_tablet_fixture,
    shown_change,
    start_shift,
    stored_sales,
    tablet_fixture,
    tap,
    till_server_fixture,
    till_shop_fixture,
    wait_for_sales,
)

# the notes and coins a care user taps, by their names in CARE_UX.md, largest first
MONEY = [
    "50 euro",
    "20 euro",
    "10 euro",
    "5 euro",
    "2 euro",
    "1 euro",
    "50 cent",
    "20 cent",
    "10 cent",
    "5 cent",
]


def current_step(page: Page, name: str) -> None:
    """The step bar marks `name` as the current step, and only that one."""
    steps = page.get_by_role("list", name="Stappen")
    expect(steps.get_by_role("listitem")).to_have_count(3)
    for step in ("Kiezen", "Betalen", "Wisselgeld"):
        item = steps.get_by_role("listitem").filter(has_text=step)
        if step == name:
            expect(item).to_have_attribute("aria-current", "step")
        else:
            expect(item).not_to_have_attribute("aria-current", "step")


@pytest.mark.browser
def test_a_cash_sale_by_taps_shows_the_change_as_the_fewest_pieces(
    tablet: Page, till_server: TillServer, till_shop: TillShop, app: Flask
) -> None:
    start_shift(tablet, till_server.url, till_shop.token, "Jan")
    current_step(tablet, "Kiezen")
    expect(basket(tablet).get_by_text("Nog niets gekozen.")).to_be_visible()
    expect(button(tablet, "Betalen")).to_be_disabled()
    expect(button(tablet, "Betalen")).to_have_accessible_description("Kies eerst iets.")

    tap(tablet, "Boerenbrood", "Honing", "Appelsap")
    expect(basket(tablet).get_by_role("listitem")).to_have_count(3)
    expect_total(tablet, "12,60 €")

    tap(tablet, "Betalen")
    current_step(tablet, "Betalen")
    expect(tablet.get_by_text("Te betalen: 12,60 €")).to_be_visible()
    tap(tablet, "Contant")
    money = tablet.get_by_role("group", name="Geld van de klant").get_by_role("button")
    expect(money).to_have_count(len(MONEY))
    for number, name in enumerate(MONEY):
        expect(money.nth(number)).to_have_accessible_name(name)
    klaar = button(tablet, "Klaar")
    expect(klaar).to_be_disabled()
    expect(klaar).to_have_accessible_description("Nog 12,60 € nodig. Vraag de klant meer geld.")

    tap(tablet, "20 euro")
    expect(klaar).to_be_enabled()
    expect(klaar).to_have_accessible_description("")
    expect(tablet.get_by_text("✔ Genoeg")).to_be_visible()
    assert stored_sales(app) == []  # nothing is final before Klaar

    klaar.tap()
    current_step(tablet, "Wisselgeld")
    expect(heading(tablet, "Geef terug: 7,40 €")).to_be_visible()
    expect(change_status(tablet)).to_contain_text("7,40 €")
    expected = [
        ("5 euro", 1, "pieces.svg#note-5"),
        ("2 euro", 1, "pieces.svg#coin-200"),
        ("20 cent", 2, "pieces.svg#coin-20"),
    ]
    assert fewest_pieces(740) == expected
    assert shown_change(tablet) == expected
    expect(tablet.get_by_text(SAVED)).to_be_visible()

    [sale] = wait_for_sales(app, 1)
    products = till_shop.products
    assert sale["operator_id"] == till_shop.people["Jan"]
    assert sale["till_id"] == till_shop.till_id
    assert sale["lines"] == [
        (products["Boerenbrood"], 1000, 380),
        (products["Honing"], 1000, 650),
        (products["Appelsap"], 1000, 230),
    ]
    assert (sale["total_cents"], sale["rounding_cents"], sale["change_cents"]) == (1260, 0, 740)
    assert sale["payments"] == [("cash", 2000)]

    tap(tablet, "Volgende klant")
    current_step(tablet, "Kiezen")
    expect(basket(tablet).get_by_text("Nog niets gekozen.")).to_be_visible()
    expect_total(tablet, "0,00 €")


@pytest.mark.browser
def test_klaar_waits_for_enough_money_and_says_how_much_is_missing(
    tablet: Page, till_server: TillServer, till_shop: TillShop, app: Flask
) -> None:
    """250 g of cheese at 24,90 €/kg is 6,23 €; in cash that is 6,25 €, paid exactly."""
    start_shift(tablet, till_server.url, till_shop.token)
    tap(tablet, "Hoevekaas", "2", "5", "0", "In het mandje")
    expect_total(tablet, "6,23 €")
    tap(tablet, "Betalen", "Contant")
    expect(tablet.get_by_text("6,25 €", exact=True)).to_be_visible()
    klaar = button(tablet, "Klaar")
    for piece, missing in [("5 euro", "1,25"), ("1 euro", "0,25"), ("20 cent", "0,05")]:
        tap(tablet, piece)
        expect(klaar).to_be_disabled()
        expect(klaar).to_have_accessible_description(
            f"Nog {missing} € nodig. Vraag de klant meer geld."
        )
    tap(tablet, "Ongedaan maken")  # takes back the last coin: the 20 cent
    expect(klaar).to_have_accessible_description("Nog 0,25 € nodig. Vraag de klant meer geld.")
    klaar.tap(force=True)  # a tap on the disabled button does nothing
    expect(klaar).to_be_visible()
    assert stored_sales(app) == []

    tap(tablet, "20 cent", "5 cent")
    expect(klaar).to_be_enabled()
    klaar.tap()
    expect(heading(tablet, "Geen wisselgeld. Gepast betaald.")).to_be_visible()
    expect(change_status(tablet)).to_contain_text("0,00 €")
    assert shown_change(tablet) == []
    [sale] = wait_for_sales(app, 1)
    assert sale["lines"] == [(till_shop.products["Hoevekaas"], 250, 623)]
    assert (sale["total_cents"], sale["rounding_cents"], sale["change_cents"]) == (623, 2, 0)
    assert sale["payments"] == [("cash", 625)]


@pytest.mark.browser
def test_a_card_sale_asks_whether_the_card_payment_worked(
    tablet: Page, till_server: TillServer, till_shop: TillShop, app: Flask
) -> None:
    """A weighed product by the grams keypad, paid by card: the exact amount, never rounded."""
    start_shift(tablet, till_server.url, till_shop.token, "Sam")
    tap(tablet, "Hoevekaas")
    expect(heading(tablet, "Hoevekaas")).to_be_visible()
    add = button(tablet, "In het mandje")
    expect(add).to_be_disabled()
    tap(tablet, "3", "3", "9", "Wis")  # 339, then one digit wiped: 33
    expect(tablet.get_by_text("33 gram")).to_be_visible()
    tap(tablet, "3")
    expect(tablet.get_by_text("333 gram · 8,29 €")).to_be_visible()
    add.tap()
    line = basket(tablet).get_by_role("listitem")
    expect(line).to_contain_text("Hoevekaas")
    expect(line).to_contain_text("0,333 kg")
    expect(button(tablet, "Eén Hoevekaas meer")).to_have_count(0)  # weighed: no +
    tap(tablet, "Kaars")
    expect_total(tablet, "20,79 €")

    tap(tablet, "Betalen", "Kaart")
    expect(tablet.get_by_text("Zet 20,79 € op de kaartlezer.")).to_be_visible()
    expect(heading(tablet, "Is de kaartbetaling gelukt?")).to_be_visible()
    tap(tablet, "Nee")
    expect(heading(tablet, "Hoe betaalt de klant?")).to_be_visible()
    assert stored_sales(app) == []

    tap(tablet, "Kaart", "Ja")
    expect(heading(tablet, "✔ Betaald met de kaart")).to_be_visible()
    expect(tablet.get_by_text(SAVED)).to_be_visible()
    [sale] = wait_for_sales(app, 1)
    products = till_shop.products
    assert sale["operator_id"] == till_shop.people["Sam"]
    assert sale["lines"] == [(products["Hoevekaas"], 333, 829), (products["Kaars"], 1000, 1250)]
    assert (sale["total_cents"], sale["rounding_cents"], sale["change_cents"]) == (2079, 0, 0)
    assert sale["payments"] == [("card", 2079)]


@pytest.mark.browser
def test_minus_and_undo_take_back_one_step_and_terug_keeps_the_basket(
    tablet: Page, till_server: TillServer, till_shop: TillShop
) -> None:
    start_shift(tablet, till_server.url, till_shop.token)
    undo = button(tablet, "Ongedaan maken")
    expect(undo).to_be_disabled()
    tap(tablet, "Boerenbrood", "Eén Boerenbrood meer", "Boerenbrood")
    line = basket(tablet).get_by_role("listitem")
    expect(line).to_contain_text("× 3")
    expect_total(tablet, "11,40 €")

    tap(tablet, "Eén Boerenbrood minder")
    expect(line).to_contain_text("× 2")
    expect_total(tablet, "7,60 €")
    tap(tablet, "Ongedaan maken")
    expect(line).to_contain_text("× 3")

    tap(tablet, "Honing")
    expect(basket(tablet).get_by_role("listitem")).to_have_count(2)
    tap(tablet, "Ongedaan maken")
    expect(basket(tablet).get_by_role("listitem")).to_have_count(1)
    expect_total(tablet, "11,40 €")

    tap(tablet, "Eén Boerenbrood minder", "Eén Boerenbrood minder", "Eén Boerenbrood minder")
    expect(basket(tablet).get_by_text("Nog niets gekozen.")).to_be_visible()
    tap(tablet, "Ongedaan maken")
    expect(line).to_contain_text("× 1")

    # "Terug" from paying goes back to choosing, with the basket as it was
    tap(tablet, "Betalen", "Contant", "10 euro", "Terug")
    expect(heading(tablet, "Hoe betaalt de klant?")).to_be_visible()
    tap(tablet, "Terug")
    expect(line).to_contain_text("Boerenbrood")
    expect_total(tablet, "3,80 €")
    expect(undo).to_be_enabled()

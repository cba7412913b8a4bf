"""Who is at the till (switching people, a PIN) and a USB barcode scanner (digits, then Enter)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    SAVED,
    TillServer,
    TillShop,
    basket,
    button,
    expect_total,
    heading,
    open_tablet_fixture,
    pair,
    pay_card,
    start_shift,
    tablet_fixture,
    tap,
    till_server_fixture,
    till_shop_fixture,
    wait_for_sales,
)


def ean13(first_twelve: str) -> str:
    """Add the EAN-13 check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return first_twelve + str((10 - total % 10) % 10)


def scan(page: Page, code: str, *, late_ms: int = 0) -> None:
    """A USB scanner: the digits typed fast (5 ms apart), wherever the focus is, then Enter.

    The keys go in through the DevTools protocol with their own event times, as a scanner's do: a
    busy machine may deliver them later, but the till judges the gap by when a key was pressed.
    late_ms holds each key back that long, as a busy tablet does.
    """
    start_s = page.evaluate("() => (performance.timeOrigin + performance.now()) / 1000")
    session = page.context.new_cdp_session(page)
    try:
        for index, key in enumerate([*code, "Enter"]):
            if late_ms:
                page.wait_for_timeout(late_ms)
            at = start_s + index * 0.005
            if key == "Enter":
                down = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"}
            else:
                down = {"key": key, "code": f"Digit{key}", "windowsVirtualKeyCode": ord(key)}
                down["text"] = key
            session.send("Input.dispatchKeyEvent", {"type": "keyDown", "timestamp": at, **down})
            up = {k: v for k, v in down.items() if k != "text"}
            session.send("Input.dispatchKeyEvent", {"type": "keyUp", "timestamp": at, **up})
    finally:
        session.detach()


def basket_lines(page: Page) -> list[str]:
    """The basket's lines as text, without the − and + of their buttons."""
    lines = basket(page).get_by_role("listitem").all_inner_texts()
    return [re.sub(r"( [−+])+$", "", " ".join(line.split())) for line in lines]


@pytest.mark.browser
def test_a_scanner_adds_products_and_reads_the_price_on_a_scale_label(
    tablet: Page, till_server: TillServer, till_shop: TillShop, app: Flask
) -> None:
    assert ean13("210000100000") == "2100001000004"  # Hoevekaas, the shop's scale code 2100001
    start_shift(tablet, till_server.url, till_shop.token)
    tap(tablet, "Boerenbrood")  # the tile keeps the focus: Enter must not tap it again
    scan(tablet, "5412345000013")  # Appelsap's EAN-13
    expect(basket(tablet).get_by_role("listitem")).to_have_count(2)
    scan(tablet, "5412345000013")
    expect_total(tablet, "8,40 €")
    assert basket_lines(tablet) == ["Boerenbrood × 1 3,80 €", "Appelsap × 2 4,60 €"]

    # a scale label: 2100001 (Hoevekaas), 00623 (6,23 €: 250 g at 24,90 €/kg), check digit
    scan(tablet, ean13("210000100623"))
    expect_total(tablet, "14,63 €")
    assert basket_lines(tablet)[-1] == "Hoevekaas 0,250 kg 6,23 €"

    # a code the shop does not know: one short sentence, nothing added
    scan(tablet, "5400000000001")
    expect(tablet.get_by_text("Deze streepjescode ken ik niet.")).to_be_visible()
    scan(tablet, ean13("210000100623")[:-1] + "0")  # a scale label with a wrong check digit
    expect_total(tablet, "14,63 €")

    # the product's own code for a weighed product asks for the grams
    scan(tablet, "2100001000004")
    expect(heading(tablet, "Hoevekaas")).to_be_visible()
    tap(tablet, "Terug")
    expect_total(tablet, "14,63 €")

    pay_card(tablet)
    [sale] = wait_for_sales(app, 1)
    products = till_shop.products
    assert sale["lines"] == [
        (products["Boerenbrood"], 1000, 380),
        (products["Appelsap"], 2000, 460),
        (products["Hoevekaas"], 250, 623),
    ]
    assert sale["payments"] == [("card", 1463)]


@pytest.mark.browser
def test_a_scan_handled_slowly_by_a_busy_tablet_is_still_one_scan(
    tablet: Page, till_server: TillServer, till_shop: TillShop
) -> None:
    """Keys pressed 5 ms apart but handled 150 ms apart (a busy tablet) still make one code."""
    start_shift(tablet, till_server.url, till_shop.token)
    scan(tablet, "5412345000013", late_ms=150)  # Appelsap's EAN-13
    expect_total(tablet, "2,30 €")
    assert basket_lines(tablet) == ["Appelsap × 1 2,30 €"]


@pytest.mark.browser
def test_stop_lets_another_person_take_over_and_keeps_the_basket(
    tablet: Page, till_server: TillServer, till_shop: TillShop, app: Flask
) -> None:
    start_shift(tablet, till_server.url, till_shop.token, "Jan")
    expect(button(tablet, "Jan")).to_be_visible()  # who is at the till, in the top bar
    tap(tablet, "Boerenbrood", "Honing")
    expect_total(tablet, "10,30 €")

    tap(tablet, "Stop")
    expect(heading(tablet, "Wie ben jij?")).to_be_visible()
    expect(button(tablet, "Stop")).to_be_hidden()
    expect(basket(tablet)).to_be_hidden()
    scan(tablet, "5412345000013")  # nobody at the till: a scan adds nothing

    tap(tablet, "Sam")
    expect(button(tablet, "Sam")).to_be_visible()
    expect(basket(tablet).get_by_role("listitem")).to_have_count(2)
    expect_total(tablet, "10,30 €")
    pay_card(tablet)
    expect(tablet.get_by_text(SAVED)).to_be_visible()
    [sale] = wait_for_sales(app, 1)
    assert sale["operator_id"] == till_shop.people["Sam"]
    assert sale["payments"] == [("card", 1030)]


@pytest.mark.browser
def test_a_person_with_a_pin_starts_after_the_right_code(
    tablet: Page, till_server: TillServer, till_shop: TillShop, app: Flask
) -> None:
    pair(tablet, till_server.url, till_shop.token)
    tap(tablet, "Lotte")
    expect(heading(tablet, "Jouw geheime code")).to_be_visible()
    tap(tablet, "Terug")
    expect(heading(tablet, "Wie ben jij?")).to_be_visible()

    tap(tablet, "Lotte", "1", "1", "1", "OK")
    expect(tablet.get_by_role("alert")).to_have_text("Die code klopt niet. Probeer opnieuw.")
    expect(button(tablet, "Betalen")).to_be_hidden()
    tap(tablet, "4", "3", "2", "9", "Wis", "1", "OK")
    expect(button(tablet, "Lotte")).to_be_visible()
    expect(button(tablet, "Betalen")).to_be_visible()

    tap(tablet, "Kaars")
    pay_card(tablet)
    [sale] = wait_for_sales(app, 1)
    assert sale["operator_id"] == till_shop.people["Lotte"]

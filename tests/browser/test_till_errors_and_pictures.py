"""Errors with a picture and the next step, whose PIN is asked, a card payment shown as done.

Each error a care user or staff member meets at the till (a wrong PIN, not enough money, a token
that does not work, a staff member without a PIN) is one Dutch sentence with what to do next and a
picture beside it. The PIN screen shows the person's picture and name. A card payment ends on the
card with a tick, never on an empty change box. (That in the bistro the change to give and what
the table still owes stand apart is checked in test_bistro_till.py's walk, on its change screen.)
Screenshots of each screen go to test-artifacts/ in both orientations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from kiosk.models.types import Role
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    BOTH_ORIENTATIONS,
    TillServer,
    TillShop,
    button,
    change_status,
    heading,
    open_tablet_fixture,
    pair,
    pay_card,
    screenshot_at_rest,
    tap,
    till_server_fixture,
    till_shop_fixture,
)
from tests.conftest import Shop


def expect_picture_beside(message: Locator) -> None:
    """The message shows a picture (the warning sign) before its words, on the screen."""
    expect(message).to_be_visible()
    picture = message.evaluate(
        """(element) => {
          const before = getComputedStyle(element, '::before');
          return { image: before.backgroundImage, width: parseFloat(before.width),
                   display: before.display };
        }"""
    )
    assert "attention.svg" in picture["image"], picture
    assert picture["display"] != "none" and picture["width"] >= 24, picture


@pytest.mark.browser
@BOTH_ORIENTATIONS
def test_a_shops_errors_say_what_to_do_with_a_picture_and_a_card_payment_ends_on_the_card(
    open_tablet: Any,
    till_server: TillServer,
    till_shop: TillShop,
    shop: Shop,
    artifacts: Path,
    viewport: dict[str, int],
) -> None:
    """One shift: a wrong PIN, too little money, a card payment, a staff member without a PIN."""
    shop.user("Bram", role=Role.STAFF)  # no PIN
    page: Page = open_tablet(viewport)
    pair(page, till_server.url, till_shop.token)
    tap(page, "Lotte")
    expect(heading(page, "Jouw geheime code")).to_be_visible()
    pin_screen = page.get_by_role("region", name="Jouw geheime code")
    whose = pin_screen.get_by_text("Lotte", exact=True)  # whose code is asked
    expect(whose).to_be_visible()
    photo = whose.locator("xpath=preceding-sibling::img")
    expect(photo).to_be_visible()
    assert "/pictograms/" in (photo.get_attribute("src") or "")
    tap(page, "1", "1", "1", "1", "OK")
    wrong = page.get_by_role("alert").filter(has_text="Die code klopt niet.")
    expect(wrong).to_have_text("Die code klopt niet. Probeer opnieuw.")
    expect_picture_beside(wrong)
    screenshot_at_rest(page, artifacts, "pin-wrong")

    tap(page, "4", "3", "2", "1", "OK", "Kaars", "Betalen", "Contant", "10 euro")
    why = page.locator("#done-why")
    expect(why).to_have_text("Nog 2,50 € nodig. Vraag de klant meer geld.")
    expect(button(page, "Klaar")).to_have_accessible_description(
        "Nog 2,50 € nodig. Vraag de klant meer geld."
    )
    expect_picture_beside(why)
    screenshot_at_rest(page, artifacts, "cash-not-enough")
    tap(page, "5 euro", "Klaar")
    expect(change_status(page)).to_contain_text("2,50 €")

    # the next customer pays by card: the card with a tick, never an empty change box
    tap(page, "Volgende klant", "Honing")
    pay_card(page)
    paid = page.get_by_role("main").get_by_text("Betaald met kaart", exact=True)
    expect(paid).to_be_visible()
    card = paid.locator("xpath=preceding-sibling::img")
    expect(card).to_be_visible()
    assert (card.get_attribute("src") or "").endswith("/1F4B3.svg")  # the credit card
    expect(change_status(page)).to_be_hidden()
    screenshot_at_rest(page, artifacts, "change-card")
    tap(page, "Volgende klant", "Eieren (6)", "Betalen", "Contant", "5 euro", "Klaar")
    expect(change_status(page)).to_contain_text("2,05 €")  # cash: the change is back
    expect(page.get_by_text("Betaald met kaart", exact=True)).to_be_hidden()

    # undoing that sale needs a staff member's PIN: Bram has none
    tap(page, "Vergissing", "Bram")
    expect(heading(page, "Code van Bram")).to_be_visible()
    tap(page, "1", "2", "3", "4", "OK")
    refused = page.get_by_role("alert").filter(has_text="geen pincode")
    expect(refused).to_have_text(
        "Deze medewerker heeft geen pincode. Kies een andere begeleider, "
        "of stel een pincode in via de back office."
    )
    expect_picture_beside(refused)
    screenshot_at_rest(page, artifacts, "refund-pin-no-pin")


@pytest.mark.browser
@BOTH_ORIENTATIONS
def test_a_token_that_does_not_work_says_where_to_look_with_a_picture(
    open_tablet: Any, till_server: TillServer, artifacts: Path, viewport: dict[str, int]
) -> None:
    page: Page = open_tablet(viewport)
    page.goto(f"{till_server.url}/till/pair")
    page.get_by_label("Token van de kassa").fill("no-such-token")
    tap(page, "Koppelen")
    refused = page.get_by_role("alert")
    expect(refused).to_have_text("Dit token werkt niet. Kijk het na in de back office.")
    expect_picture_beside(refused)
    screenshot_at_rest(page, artifacts, "pair-unknown-token")

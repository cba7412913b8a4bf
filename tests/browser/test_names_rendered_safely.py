"""Names with markup and emoji on the touch till and in the back office, under the real CSP.

A product named like an XSS attempt must show as its own text on its tile and in the basket, no
dialog may open, no element may come out of the name, and the Content-Security-Policy must
block nothing the till or the back office needs (a blocked script would break them).

These pages run with the policy enforced, so the waits here use selectors only: Playwright's
wait_for_function evaluates a string in the page, which the policy (rightly) refuses.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import ConsoleMessage, Dialog, Page, expect
from werkzeug.security import generate_password_hash

from kiosk.extensions import db
from kiosk.models import User
from kiosk.models.types import Role
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    TillServer,
    basket,
    button,
    heading,
    open_tablet_fixture,
    tablet_fixture,
    till_server_fixture,
)

EVIL_PRODUCT = "<img src=x onerror=alert(1)>🍞"
EVIL_PERSON = "<b onmouseover=alert(2)>Jan</b>"
LONG_PRODUCT = ("Brood <script>alert(3)</script> 🥖 " * 4)[:80]


class Watch:
    """Dialogs that opened and CSP violations the console reported, on one page."""

    def __init__(self, page: Page) -> None:
        self.dialogs: list[str] = []
        self.violations: list[str] = []
        page.on("dialog", self.on_dialog)
        page.on("console", self.on_console)

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.violations.append(message.text)


def tap(page: Page, *names: str) -> None:
    """Tap buttons by name once the screen has settled (nothing aria-busy), without eval."""
    for name in names:
        target = button(page, name)
        target.wait_for()
        expect(page.locator("[aria-busy=true]")).to_have_count(0)
        target.tap()


def no_element_came_from_a_name(page: Page) -> None:
    """Check the names made no element: no img with src=x, no script or b from them."""
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("b[onmouseover]").count() == 0
    assert page.evaluate("[...document.scripts].every((script) => script.src !== '')")


@pytest.fixture
def evil_shop(shop: Any) -> str:
    """A farm shop whose product and person names look like attacks; return the till's token."""
    shop.point_of_sale("HW", name="Hoevewinkel", methods="cash|card")
    _till_id, token = shop.till("HW")
    shop.user(EVIL_PERSON)
    shop.product(EVIL_PRODUCT, price_cents=380, category="Brood")
    shop.product(LONG_PRODUCT, price_cents=420, category="Brood")
    return token


@pytest.mark.browser
def test_names_with_markup_show_as_text_on_the_till(
    tablet: Page, till_server: TillServer, evil_shop: str
) -> None:
    watch = Watch(tablet)
    tablet.goto(f"{till_server.url}/till/pair")
    tablet.get_by_label("Token van de kassa").fill(evil_shop)
    tap(tablet, "Koppelen")
    expect(heading(tablet, "Wie ben jij?")).to_be_visible()
    tap(tablet, EVIL_PERSON)
    tap(tablet, EVIL_PRODUCT, LONG_PRODUCT)
    expect(basket(tablet).get_by_role("listitem")).to_have_count(2)
    expect(basket(tablet).get_by_text(EVIL_PRODUCT, exact=False)).to_be_visible()
    expect(button(tablet, EVIL_PRODUCT)).to_be_visible()
    no_element_came_from_a_name(tablet)
    tablet.wait_for_timeout(300)  # an onerror handler would have fired by now
    assert watch.dialogs == []
    assert watch.violations == []


@pytest.mark.browser
def test_names_with_markup_show_as_text_in_the_back_office(
    page: Page, app: Flask, live_server: Any, evil_shop: str
) -> None:
    with app.app_context():
        db.session.add(
            User(
                name="Mia",
                role=Role.MANAGER,
                password_hash=generate_password_hash("mia-beheert", "pbkdf2:sha256:1000"),
            )
        )
        db.session.commit()
    watch = Watch(page)
    page.goto(f"{live_server.url}/admin/login")
    page.get_by_label("Naam").fill("Mia")
    page.get_by_label("Wachtwoord").fill("mia-beheert")
    page.get_by_role("button", name="Aanmelden").click()
    for path, name in (("/admin/products", EVIL_PRODUCT), ("/admin/users", EVIL_PERSON)):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("cell", name=name, exact=False).first).to_be_visible()
        no_element_came_from_a_name(page)
    page.wait_for_timeout(300)
    assert watch.dialogs == []
    assert watch.violations == []
    # and the policy is in force: a script slipped into the page is refused, and said so
    page.evaluate(
        "document.body.append(Object.assign(document.createElement('script'),"
        " {textContent: 'alert(9)'}))"
    )
    page.wait_for_timeout(300)
    assert watch.dialogs == []
    assert len(watch.violations) == 1, watch.violations

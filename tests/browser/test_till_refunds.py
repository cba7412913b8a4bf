"""Refunds and voids at the till, by taps: staff pick a sale, tap lines, give the money back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Sale
from kiosk.models.types import Role
from tests.browser.page_support import serious_violations
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    LANDSCAPE,
    SAVED,
    WAIT_MS,
    TillServer,
    TillShop,
    at_rest,
    button,
    change_status,
    fewest_pieces,
    heading,
    pair,
    pay_cash,
    piece_file,
    piece_label,
    settled,
    start_shift,
    tap,
    till_server_fixture,
    till_shop_fixture,
)
from tests.conftest import Shop
from tests.kiosk.sales_support import sell


def axe_on(page: Page, screen: str, found: dict[str, list[str]]) -> None:
    """Run axe-core on the screen once it is at rest; keep its serious and critical violations."""
    settled(page)
    at_rest(page)
    if violations := serious_violations(page):
        found[screen] = violations


@pytest.fixture
def tablet(browser: Browser) -> Iterator[Page]:
    """A landscape touch tablet (nl-BE) that lets Playwright's waiting helpers past the CSP."""
    context = browser.new_context(
        has_touch=True, viewport=LANDSCAPE, locale="nl-BE", bypass_csp=True
    )
    context.set_default_timeout(WAIT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def staff(shop: Shop) -> int:
    """Els, a staff member with PIN 2468."""
    return shop.user("Els", role=Role.STAFF, pin="2468")


def given_back(page: Page) -> list[tuple[str, int, str]]:
    """The notes and coins the refund screen says to give back: (name, count, picture file)."""
    shown = []
    for item in page.get_by_role("status", name="Terug te geven").get_by_role("listitem").all():
        text = " ".join(item.inner_text().split())
        match = re.fullmatch(r"× (\d+) (\d+ (?:euro|cent))", text)
        assert match, f"a piece reads {text!r}"
        src = item.locator("img").get_attribute("src") or ""
        shown.append((match.group(2), int(match.group(1)), src.rsplit("/", 1)[-1]))
    return shown


def refunds(app: Flask) -> list[tuple[str | None, int, list[int], list[tuple[str, int]]]]:
    """Every refund stored: reason, total, line amounts, payments."""
    with app.app_context():
        found = db.session.scalars(select(Sale).where(Sale.refund_of_id.is_not(None))).all()
        return [
            (
                s.refund_reason,
                s.total_cents,
                [line.amount_cents for line in s.lines],
                [(p.method, p.amount_cents) for p in s.payments],
            )
            for s in found
        ]


@pytest.mark.browser
def test_staff_refund_two_lines_of_a_recent_sale_in_cash(
    tablet: Page, till_server: TillServer, till_shop: TillShop, app: Flask, staff: int
) -> None:
    p = till_shop.products
    with app.app_context():
        lines = [(p["Boerenbrood"], "2"), (p["Honing"], "1"), (p["Kaars"], "1")]
        sell(till_shop.till_id, till_shop.people["Jan"], lines, [("cash", 5000)], datetime.now(UTC))
    pair(tablet, till_server.url, till_shop.token)
    tap(tablet, "Els", "2", "4", "6", "8", "OK")
    axe: dict[str, list[str]] = {}
    tap(tablet, "Terugbetalen")
    expect(heading(tablet, "Welke verkoop komt terug?")).to_be_visible()
    axe_on(tablet, "sales", axe)
    tablet.get_by_role("button", name=re.compile(r"26,60 € ticket HW1-000001$")).tap()
    tap(tablet, "Verder")  # nothing chosen yet: it says so, and stays
    expect(tablet.get_by_role("alert").filter(has_text="Tik eerst aan")).to_be_visible()
    tap(tablet, "Boerenbrood", "Honing")
    expect(tablet.get_by_role("status").filter(has_text="Terug:")).to_have_text("Terug: 14,10 €")
    axe_on(tablet, "lines", axe)
    tap(tablet, "Verder")
    axe_on(tablet, "stock", axe)
    tap(tablet, "Terug in de winkel")
    expect(heading(tablet, "Code van Els")).to_be_visible()
    axe_on(tablet, "refund pin", axe)
    tap(tablet, "1", "1", "1", "1", "OK")
    expect(tablet.get_by_role("alert").filter(has_text="Die code klopt niet.")).to_be_visible()
    tap(tablet, "2", "4", "6", "8", "OK")
    back = tablet.get_by_role("status", name="Terug te geven")
    expect(back).to_contain_text("Geef terug: 14,10 €")
    axe_on(tablet, "given back", axe)
    assert given_back(tablet) == fewest_pieces(1410)
    assert refunds(app) == [("retour", -1410, [-760, -650], [("cash", -1410)])]
    tap(tablet, "Volgende klant")
    expect(button(tablet, "Betalen")).to_be_visible()
    tap(tablet, "Terugbetalen")  # the refunded lines are marked, the sale can still give the candle
    tablet.get_by_role("button", name=re.compile(r"ticket HW1-000001$")).tap()
    expect(button(tablet, "Boerenbrood")).to_be_disabled()
    expect(button(tablet, "Kaars")).to_be_enabled()
    axe_on(tablet, "lines, some refunded", axe)
    assert axe == {}, f"serious or critical axe-core violations: {axe}"


@pytest.mark.browser
def test_a_care_user_voids_the_sale_just_made_with_a_staff_pin(
    tablet: Page, till_server: TillServer, till_shop: TillShop, app: Flask, staff: int
) -> None:
    start_shift(tablet, till_server.url, till_shop.token)  # Jan: a care user, no refund button
    expect(button(tablet, "Terugbetalen")).to_be_hidden()
    tap(tablet, "Boerenbrood", "Eieren (6)")
    pay_cash(tablet, "10 euro")
    expect(change_status(tablet)).to_contain_text("3,25 €")
    expect(tablet.get_by_text(SAVED)).to_be_visible()
    axe: dict[str, list[str]] = {}
    tap(tablet, "Vergissing")
    expect(heading(tablet, "Een begeleider moet dit goedkeuren. Wie?")).to_be_visible()
    axe_on(tablet, "who approves", axe)
    tap(tablet, "Els")
    axe_on(tablet, "void pin", axe)
    tap(tablet, "2", "4", "6", "8", "OK")
    expect(heading(tablet, "Vergissing: de verkoop is ongedaan gemaakt")).to_be_visible()
    axe_on(tablet, "voided", axe)
    assert axe == {}, f"serious or critical axe-core violations: {axe}"
    assert given_back(tablet) == [
        (piece_label(500), 1, piece_file(500)),
        ("1 euro", 1, "pieces.svg#coin-100"),
        ("50 cent", 1, "pieces.svg#coin-50"),
        ("20 cent", 1, "pieces.svg#coin-20"),
        ("5 cent", 1, "pieces.svg#coin-5"),
    ]
    assert refunds(app) == [("vergissing", -675, [-380, -295], [("cash", -675)])]

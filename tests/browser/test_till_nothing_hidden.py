"""Nothing under the action bar: every screen's content ends above it and scrolls when it must.

On every screen of the shop till (the walk of till_support, checked with HIDDEN by
test_till_screens.py in the same walk as its other checks), on a change screen with seven kinds
of pieces and "Vergissing", on a refund's lines, and on a bistro tab of five items with notes and
the kitchen's message, in both orientations: the content area ends above the action bar; when it
scrolls it can be focused and shows big arrows; and every control, picture and text on the screen
is fully visible, or becomes fully visible (nothing lying over it) once scrolled to.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from pprint import pformat
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from kiosk.models.types import Role
from tests.browser.test_bistro_till import (  # noqa: F401  (the fixtures)
    Bistro,
    bar_printer_fixture,
    bistro_fixture,
    start_bistro,
)
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    BOTH_ORIENTATIONS,
    LANDSCAPE,
    TillServer,
    TillShop,
    big_till_shop_fixture,
    button,
    change_status,
    heading,
    open_tablet_fixture,
    pair,
    pay_cash,
    screenshot_at_rest,
    start_shift,
    tap,
    till_server_fixture,
    till_shop_fixture,
    walk_every_screen,
)
from tests.conftest import Shop
from tests.kiosk.sales_support import sell

# Everything a person must see or tap on the screen shown, scrolled to in turn and hit-tested.
HIDDEN = """() => {
  const problems = [];
  const main = document.querySelector('main');
  const bar = document.querySelector('.actionbar');  // none on the pairing page
  const barTop = bar ? bar.getBoundingClientRect().top : window.innerHeight;
  const area = main.getBoundingClientRect();
  if (area.bottom > barTop + 1) {
    problems.push(`the content runs under the bar (${area.bottom} > ${barTop})`);
  }
  if (bar && main.scrollHeight > main.clientHeight + 1) {
    if (main.tabIndex < 0) problems.push('the content scrolls but cannot be focused');
    const arrows = [...document.querySelectorAll('button')]
      .filter((b) => /^[▲▼]?(Omhoog|Omlaag)[▲▼]?$/.test(b.textContent.trim()))
      .filter((arrow) => arrow.checkVisibility());
    if (arrows.length !== 2) problems.push('it scrolls without arrows');
  }
  const screen = main.querySelector('.screen:not([hidden])') || main;
  const wanted = (element) => element.matches('button, a[href], input, img, output')
    || [...element.childNodes]
      .some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
  const things = [...screen.querySelectorAll('*')]
    .filter((element) => wanted(element) && element.checkVisibility({ visibilityProperty: true })
      && !element.closest('.visually-hidden'));  // read out, never shown
  for (const thing of things) {
    thing.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const box = thing.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const name = (thing.getAttribute('aria-label') || thing.textContent || thing.getAttribute('src')
      || thing.tagName).trim().replace(/\\s+/g, ' ').slice(0, 60);
    const top = Math.max(area.top, 0);
    if (box.top < top - 1 || box.bottom > barTop + 1 || box.left < -1
        || box.right > innerWidth + 1) {
      problems.push(`${name}: not fully shown (${box.top}–${box.bottom}, bar ${barTop})`);
      continue;
    }
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (!(hit && (hit === thing || thing.contains(hit) || hit.contains(thing)))) {
      problems.push(`${name}: covered by ${hit ? hit.tagName + '.' + hit.className : 'nothing'}`);
    }
  }
  main.scrollTop = 0;
  for (const list of main.querySelectorAll('*')) if (list.scrollTop) list.scrollTop = 0;
  return problems;
}"""


def check(page: Page, name: str, problems: dict[str, list[str]], artifacts: Path) -> None:
    """Screenshot the screen at rest, then look for anything out of reach on it."""
    screenshot_at_rest(page, artifacts, f"reach-{name}")
    if found := page.evaluate(HIDDEN):
        problems[name] = found


@pytest.mark.browser
@BOTH_ORIENTATIONS
def test_change_in_seven_kinds_of_pieces_leaves_vergissing_in_reach(
    open_tablet: Any,
    till_server: TillServer,
    till_shop: TillShop,
    shop: Shop,
    artifacts: Path,
    viewport: dict[str, int],
) -> None:
    shop.user("Els", role=Role.STAFF, pin="2468")
    page: Page = open_tablet(viewport)
    start_shift(page, till_server.url, till_shop.token)
    tap(page, "Boerenbrood", "Boerenbrood", "Boerenbrood")
    pay_cash(page, "50 euro")  # 38,60 €: 20, 10, 5, 2 and 1 euro, 50 and 10 cent
    expect(change_status(page).get_by_role("listitem")).to_have_count(7)
    expect(button(page, "Vergissing")).to_be_attached()
    problems: dict[str, list[str]] = {}
    check(page, "change-seven-pieces", problems, artifacts)
    assert not problems, f"out of reach: {pformat(problems)}"
    if viewport == LANDSCAPE:  # too tall for the room above the bar: the arrow scrolls to it
        tap(page, "Omlaag")
        expect(button(page, "Omlaag")).to_be_disabled()  # at the end
        expect(button(page, "Omhoog")).to_be_enabled()
    tap(page, "Vergissing")  # it can be tapped
    expect(heading(page, "Een begeleider moet dit goedkeuren. Wie?")).to_be_visible()


@pytest.mark.browser
@BOTH_ORIENTATIONS
def test_a_refunds_lines_stay_above_the_bar(
    open_tablet: Any,
    till_server: TillServer,
    big_till_shop: TillShop,
    shop: Shop,
    app: Flask,
    artifacts: Path,
    viewport: dict[str, int],
) -> None:
    shop.user("Els", role=Role.STAFF, pin="2468")
    p = big_till_shop.products
    names = ["Boerenbrood", "Eieren (6)", "Appelsap", "Honing", "Kaars", "Yoghurt", "Boter"]
    lines = [(p[name], "1") for name in names] + [(p["Hoevekaas"], "0.250")]
    with app.app_context():
        sell(
            big_till_shop.till_id,
            big_till_shop.people["Jan"],
            lines,
            [("cash", 10000)],
            datetime.now(UTC),
        )
    page: Page = open_tablet(viewport)
    pair(page, till_server.url, big_till_shop.token)
    tap(page, "Els", "2", "4", "6", "8", "OK", "Terugbetalen")
    page.get_by_role("button", name=re.compile(r"ticket HW1-000001$")).tap()
    expect(heading(page, "Wat komt terug?")).to_be_visible()
    problems: dict[str, list[str]] = {}
    check(page, "refund-lines", problems, artifacts)
    while (following := button(page, "Volgende bladzijde")).is_visible() and following.is_enabled():
        tap(page, "Volgende bladzijde")
        check(page, "refund-lines-next", problems, artifacts)
    assert not problems, f"out of reach: {pformat(problems)}"
    # the weighed line says its quantity with a decimal comma
    expect(button(page, "Hoevekaas")).to_contain_text("0,250 kg")


@pytest.mark.browser
@BOTH_ORIENTATIONS
def test_a_bistro_tab_of_five_items_keeps_its_total_and_the_kitchens_message_in_reach(
    open_tablet: Any,
    till_server: TillServer,
    bistro: Bistro,
    artifacts: Path,
    viewport: dict[str, int],
) -> None:
    page: Page = open_tablet(viewport)
    start_bistro(page, till_server.url, bistro.token)
    tap(page, "Tafel 1", "Soep", "Spaghetti", "Hoevebier", "Appelsap", "Taart")
    tap(page, "Notitie bij Soep", "zonder ui", "Klaar")
    tap(page, "Notitie bij Spaghetti", "extra warm", "Klaar")
    tap(page, "Naar keuken")
    expect(page.get_by_role("status").filter(has_text="keuken")).to_be_visible()
    problems: dict[str, list[str]] = {}
    check(page, "bistro-tab-five", problems, artifacts)
    assert not problems, f"out of reach: {pformat(problems)}"

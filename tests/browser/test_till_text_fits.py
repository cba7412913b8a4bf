"""Tile text that always fits: every name of the demo, on every page, at every tile size.

Each demo point of sale (farm shop, gift shop, bistro) is walked category by category, page by
page, on a landscape and a portrait touch tablet. On every page each text on a tile, a basket line
or a bistro tab line must lie inside its tile or line (glyph by glyph, and not cut off by a box
that hides its overflow), and every tile must lie on the screen, with tiles of 120, 160 and 200
px: the walk's person has one of them (120 in landscape, 200 in portrait: the size comes from the
person, as at a real till), and on every page the other two are put in place too and every name
fitted again by the till's own fitText (it starts afresh each time: what it makes of a name
depends only on its tile's width now, which the size and the screen set, not on how many tiles
the page holds). One product of each category goes into the
basket, so its lines are checked too. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from pprint import pformat

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlalchemy import update

from kiosk.demo.loader import get_demo_tills, load_demo
from kiosk.extensions import db
from kiosk.models import User
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    LANDSCAPE,
    PORTRAIT,
    BrowserThread,
    TillServer,
    at_rest,
    browser_threads_fixture,
    button,
    heading,
    new_tablet,
    pair,
    screenshot,
    settled,
    tap,
    till_server_fixture,
)

# Every glyph of every text in a tile or a line, measured against its tile or line and against
# each box on the way that cuts off what overflows it; and each tile against the screen. At each
# tile size in turn: the till's --tile, then its names fitted again by the till's own fitText
# (ui.js, the module the page loaded); the person's own size is put back at the end. Returns the
# problems by size.
SPILLS = """async (sizes) => {
  const page = document.querySelector('script[type=module]').src;
  const { fitText } = await import(new URL('ui.js', page).href);
  const root = document.getElementById('till');
  const style = document.documentElement.style;
  const own = style.getPropertyValue('--tile');
  const found = {};
  for (const size of sizes) {
    style.setProperty('--tile', `${size}px`);
    fitText(root);
    const problems = spills();
    if (problems.length) found[size] = problems;
  }
  style.setProperty('--tile', own);
  fitText(root);
  return found;

  function spills() {
    const problems = [];
    const inside = (rect, box) => rect.left >= box.left - 1 && rect.right <= box.right + 1
      && rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1;
    const boxes = document.querySelectorAll('.tile, .rail-tile, .basket-line');
    for (const box of boxes) {
      if (!box.checkVisibility({ visibilityProperty: true })) continue;
      const outer = box.getBoundingClientRect();
      const label = (box.getAttribute('aria-label') || box.innerText).trim().replace(/\\s+/g, ' ');
      if (outer.left < -1 || outer.right > window.innerWidth + 1) {
        problems.push(`${label}: the tile leaves the screen (${outer.left}–${outer.right})`);
      }
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim() || !node.parentElement.checkVisibility()) continue;
        const clips = [outer];
        for (let up = node.parentElement; up !== box; up = up.parentElement) {
          if (getComputedStyle(up).overflow !== 'visible') clips.push(up.getBoundingClientRect());
        }
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of range.getClientRects()) {
          if (rect.width === 0) continue;
          if (!clips.every((clip) => inside(rect, clip))) {
            problems.push(`${label}: "${node.textContent.trim()}" spills or is cut off`);
            break;
          }
        }
      }
    }
    return problems;
  }
}"""
SIZES = [120, 160, 200]

# The categories on the page (the shop till's first level), and the products shown with whether
# each is weighed (weighing opens its own screen).
CATEGORIES = """() => [...document.querySelectorAll('#screen-choose .tile.category')]
  .map((tile) => tile.innerText.trim())"""
PRODUCTS = """() => [...document.querySelectorAll('#screen-choose .tile.product')]
  .map((tile) => [
    tile.querySelector('.tile-name').innerText.trim(), tile.innerText.includes('/ kg'),
  ])"""


def set_tile_size(app: Flask, size: int) -> None:
    with app.app_context():
        db.session.execute(update(User).values(tile_size=size))
        db.session.commit()


def demo_tokens(app: Flask) -> dict[str, str]:
    """Load the demo plus-plek; return its tills' tokens by point of sale code."""
    with app.app_context():
        load_demo(app.config["SECRET_KEY"])
        db.session.commit()
        return {
            till.point_of_sale.code: token
            for till, token in get_demo_tills(app.config["SECRET_KEY"])
        }


def next_page(page: Page) -> bool:
    """Go to the next page of tiles if there is one."""
    following = button(page, "Volgende bladzijde")
    if not following.is_visible() or following.is_disabled():
        return False
    tap(page, "Volgende bladzijde")
    return True


def walk_pages(
    page: Page, where: str, problems: dict[str, list[str]], shots: Callable[[str], None]
) -> None:
    """Check every page of the tiles shown; put one piece product of them in the basket."""
    number = 0
    chosen = False
    while True:
        settled(page)
        at_rest(page)
        if not chosen:
            pieces = [name for name, weighed in page.evaluate(PRODUCTS) if not weighed]
            if pieces:
                tap(page, max(pieces, key=len))
                chosen = True
                settled(page)
                at_rest(page)
        for size, spills in page.evaluate(SPILLS, SIZES).items():
            problems[f"{where} p{number + 1} at {size} px"] = spills
        shots(f"{where}-{number + 1}")
        number += 1
        if not next_page(page):
            return


def walk_point_of_sale(
    page: Page, code: str, problems: dict[str, list[str]], shots: Callable[[str], None]
) -> None:
    """Walk the categories' pages, then each category's pages, checking every page."""
    settled(page)
    categories: list[str] = []
    while True:  # the categories, on as many pages as they take
        categories += page.evaluate(CATEGORIES)
        for size, spills in page.evaluate(SPILLS, SIZES).items():
            problems[f"{code} categories at {size} px"] = spills
        if not next_page(page):
            break
    if not categories:
        walk_pages(page, code, problems, shots)
    while (previous := button(page, "Vorige bladzijde")).is_visible() and previous.is_enabled():
        tap(page, "Vorige bladzijde")  # back to the categories' first page
    for category in categories:
        while not button(page, category).is_visible():  # "Terug" shows the first page
            assert next_page(page), f"{category} not among {page.evaluate(CATEGORIES)}"
        tap(page, category)
        walk_pages(page, f"{code}-{category}", problems, shots)
        tap(page, "Terug")
        expect(button(page, categories[0])).to_be_visible()
    assert categories or code == "GW", f"{code} shows no categories"


def walk_till(
    browser: Browser,
    viewport: ViewportSize,
    base_url: str,
    token: str,
    code: str,
    shots: Callable[[Page, str, str], None],
) -> dict[str, list[str]]:
    """Pair a fresh tablet with a point of sale's till, start as Jan and walk every page."""
    problems: dict[str, list[str]] = {}
    page = new_tablet(browser, viewport)
    try:
        pair(page, base_url, token)
        tap(page, "Jan")
        if code == "BI":
            expect(heading(page, "Kies een tafel")).to_be_visible()
            tap(page, "Tafel 1")
        expect(button(page, "Betalen")).to_be_visible()
        walk_point_of_sale(page, code, problems, partial(shots, page, code))
    finally:
        page.context.close()
    return problems


@pytest.mark.browser
@pytest.mark.parametrize(
    ("viewport", "size"), [(LANDSCAPE, 120), (PORTRAIT, 200)], ids=["landscape", "portrait"]
)
def test_every_demo_name_fits_its_tile_on_every_page(
    app: Flask,
    browser_threads: list[BrowserThread],
    till_server: TillServer,
    artifacts: Path,
    viewport: ViewportSize,
    size: int,
) -> None:
    orientation = "landscape" if viewport == LANDSCAPE else "portrait"
    tokens = demo_tokens(app)
    set_tile_size(app, size)

    def shots(page: Page, code: str, name: str) -> None:
        screenshot(page, artifacts, f"fit-{orientation}-{size}-{code}-{name}")

    # the three points of sale on three tablets at once, each in its own browser's thread
    walks = [
        thread.run(
            partial(
                walk_till,
                viewport=viewport,
                base_url=till_server.url,
                token=tokens[code],
                code=code,
                shots=shots,
            )
        )
        for thread, code in zip(browser_threads, ("HW", "GW", "BI"), strict=True)
    ]
    problems: dict[str, list[str]] = {}
    for walk in walks:
        problems.update(walk.result())
    assert not problems, f"text outside its tile, {orientation}: {pformat(problems)}"

"""Every till screen, landscape and portrait: axe-core, big targets in fixed places, screenshots.

On each screen: no serious or critical axe-core violation; every control at least 64×64 px and
on the screen (nothing to scroll to); tiles at least 120×120 px, 16 px apart; "Betalen", "Terug"
and "Stop" in the same place wherever they are shown; and nothing under the action bar or
covered (test_till_nothing_hidden.HIDDEN, in the same walk). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path
from pprint import pformat
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.page_support import serious_violations
from tests.browser.test_till_nothing_hidden import HIDDEN
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    LANDSCAPE,
    MORE_PRODUCTS,
    PORTRAIT,
    PRODUCTS,
    SCREENS,
    TillServer,
    TillShop,
    at_rest,
    big_till_shop_fixture,
    box_of,
    build_shop,
    button,
    expect_total,
    open_tablet_fixture,
    screenshot,
    settled,
    start_shift,
    tap,
    tile_problems,
    till_server_fixture,
    visible_controls,
    walk_every_screen,
)

TILE_GROUPS = {"operator": "Wie ben jij?", "categories": "Kiezen", "products": "Kiezen"}


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_every_screen_is_accessible_with_big_controls_in_fixed_places_and_all_in_reach(  # noqa: C901 - one walk through every screen, checked as it goes
    open_tablet: Any,
    till_server: TillServer,
    big_till_shop: TillShop,
    artifacts: Path,
    viewport: dict[str, int],
) -> None:
    page: Page = open_tablet(viewport)
    orientation = "landscape" if viewport == LANDSCAPE else "portrait"
    axe: dict[str, list[str]] = {}
    small: dict[str, list[str]] = {}
    off_screen: dict[str, list[str]] = {}
    tiles: dict[str, list[str]] = {}
    out_of_reach: dict[str, list[str]] = {}
    places: dict[str, dict[str, Any]] = {"Betalen": {}, "Terug": {}, "Stop": {}, "primary": {}}

    def visit(name: str) -> None:  # noqa: C901 - one branch per check
        screenshot(page, artifacts, f"{orientation}-{name}")
        if violations := serious_violations(page):
            axe[name] = violations
        controls = visible_controls(page)
        assert controls, f"no controls on {name}"
        too_small = [
            f"{c['name']} {c['width']:.0f}×{c['height']:.0f}"
            for c in controls
            if c["width"] < 64 or c["height"] < 64
        ]
        if too_small:
            small[name] = too_small
        outside = [
            f"{c['name']} at ({c['x']:.0f}, {c['y']:.0f})–({c['right']:.0f}, {c['bottom']:.0f})"
            for c in controls
            if not c["reachable"]
            or c["x"] < 0
            or c["y"] < 0
            or c["right"] > viewport["width"]
            or c["bottom"] > viewport["height"]
        ]
        if outside:
            off_screen[name] = outside
        if name in TILE_GROUPS:
            group = page.get_by_role("group", name=TILE_GROUPS[name], exact=True)
            boxes = [box_of(tile) for tile in group.get_by_role("button").all()]
            assert boxes and None not in boxes
            if problems := tile_problems(boxes):  # type: ignore[arg-type]
                tiles[name] = problems
        for label in ("Betalen", "Terug", "Stop"):
            if (box := box_of(button(page, label))) is not None:
                places[label][name] = box
        for label in ("Betalen", "Klaar", "Volgende klant"):
            if (box := box_of(button(page, label))) is not None:
                places["primary"][f"{name}: {label}"] = box
        if hidden := page.evaluate(HIDDEN):  # last: it scrolls to each thing, then back
            out_of_reach[name] = hidden

    walk_every_screen(page, till_server.url, big_till_shop, visit)

    assert not axe, f"serious or critical axe-core violations: {pformat(axe)}"
    assert not small, f"controls under 64×64 px: {pformat(small)}"
    assert not tiles, f"tiles under 120×120 px or closer than 16 px: {pformat(tiles)}"
    assert not off_screen, f"controls a care user would have to scroll to: {pformat(off_screen)}"
    assert not out_of_reach, f"under the action bar or covered: {pformat(out_of_reach)}"
    # where each one is shown, and that it is always in the same place
    assert list(places["Betalen"]) == ["categories", "products"]
    assert list(places["Terug"]) == list(SCREENS[1:])
    assert list(places["Stop"]) == list(SCREENS[3:])
    assert list(places["primary"]) == [
        "categories: Betalen",
        "products: Betalen",
        "cash: Klaar",
        "change: Volgende klant",
    ]
    for label, seen in places.items():
        assert len(set(seen.values())) == 1, f"{label} moves: {seen}"


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_at_most_twelve_tiles_a_page_with_big_page_arrows(
    open_tablet: Any, till_server: TillServer, shop: Any, viewport: dict[str, int]
) -> None:
    """14 products in categories and 3 without one: those are found under "Alle soorten".

    A page holds at most 12 tiles, and fewer when 12 would push the page arrows off the screen.
    """
    page: Page = open_tablet(viewport)
    till = build_shop(shop, PRODUCTS | MORE_PRODUCTS)
    for number in (1, 2, 3):
        shop.product(f"Streekproduct {number}", price_cents=100 * number, category=None)
    start_shift(page, till_server.url, till.token)
    tiles = page.get_by_role("group", name="Kiezen", exact=True).get_by_role("button")
    categories = [*sorted(set(till.categories.values())), "Alle soorten"]
    expect(tiles).to_have_text(categories, use_inner_text=True)

    tap(page, "Alle soorten")
    previous, following = button(page, "Vorige bladzijde"), button(page, "Volgende bladzijde")
    expect(previous).to_be_disabled()
    seen: list[str] = []
    per_page = []
    while True:
        settled(page)
        at_rest(page)
        names = [name.split("\n")[0] for name in tiles.all_inner_texts()]
        assert 0 < len(names) <= 12
        per_page.append(len(names))
        seen += names
        controls = {c["name"]: c for c in visible_controls(page)}
        for arrow in ("Vorige bladzijde", "Volgende bladzijde"):
            assert controls[arrow]["width"] >= 64 and controls[arrow]["height"] >= 64
            assert controls[arrow]["reachable"], f"{arrow} is off the screen: {per_page}"
        assert tile_problems([box_of(tile) for tile in tiles.all()]) == []  # type: ignore[misc]
        if following.is_disabled():
            break
        tap(page, "Volgende bladzijde")
        expect(previous).to_be_enabled()
    assert len(seen) == 17 and len(set(seen)) == 17  # every product once, none twice
    assert per_page[0] == (12 if viewport == PORTRAIT else 8)  # 4 columns: 3 rows, or 2 rows

    tap(page, "Streekproduct 3")  # on the last page
    expect_total(page, "3,00 €")
    tap(page, "Terug")  # back to the categories, the basket kept
    expect(button(page, "Alle soorten")).to_be_visible()
    expect_total(page, "3,00 €")

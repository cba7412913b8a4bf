"""The start page and main menu in a real browser: one row on a PC, a Menu button on a tablet."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.page_support import log_in, serious_violations
from tests.browser.test_back_office import MANAGER, back_office  # noqa: F401  (a fixture)

#: the menus' titles, in the order of the bar
MENUS = ["Verkoop", "Kassa & dag", "Voorraad", "Catalogus", "Rapporten & export", "Beheer"]


def menu_title(page: Page, title: str) -> Locator:
    """Find the title of one menu of the main menu, the control that opens it."""
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    return menu.locator("summary").filter(has_text=re.compile(f"^{re.escape(title)}$"))


def menu_tops(page: Page) -> list[float]:
    """Return the top edge of every control of the top bar (brand, menus, logout, languages)."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
            '.topbar > .brand, .main-nav > a, .nav-menu > summary, .logout button, .languages a'
        )].map((element) => element.getBoundingClientRect().top)"""
    )


def log_in_on_a_pc(page: Page, base_url: str) -> None:
    """Log in as the manager on a 1366 px wide screen, the common office PC."""
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, base_url, *MANAGER)


@pytest.mark.browser
@pytest.mark.usefixtures("back_office")
def test_the_menus_fit_one_row_on_a_pc_and_open_by_keyboard(
    page: Page, live_server: Any, artifacts: Path
) -> None:
    log_in_on_a_pc(page, live_server.url)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    for title in MENUS:
        expect(menu_title(page, title)).to_be_visible()
    tops = menu_tops(page)
    assert len(tops) == 1 + 1 + len(MENUS) + 1 + 2
    assert max(tops) - min(tops) < 20, tops  # one row: every control starts at the same height
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1366
    expect(menu.get_by_role("link", name="Start")).to_have_attribute("aria-current", "page")

    # by keyboard: Tab to "Rapporten & export", Enter opens it, Tab reaches its first link
    menu_title(page, "Rapporten & export").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="Omzet", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_title("Omzet · PlusKassa back office")
    current = page.get_by_role("navigation", name="Hoofdmenu").locator("[aria-current=page]")
    expect(current).to_have_text("Omzet")
    page.screenshot(path=artifacts / "back-office-menu-1366.png")
    # narrower, still above a tablet: the menus stay, the bar may wrap, nothing scrolls sideways
    page.set_viewport_size({"width": 1025, "height": 768})
    expect(menu_title(page, "Beheer")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1025


@pytest.mark.browser
@pytest.mark.usefixtures("back_office")
def test_on_a_tablet_the_menu_button_opens_the_menus_without_script(
    browser: Browser,
    live_server: Any,
    artifacts: Path,
) -> None:
    context = browser.new_context(
        locale="nl-BE", viewport={"width": 800, "height": 1100}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        log_in(page, live_server.url, *MANAGER)
        expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_hidden()
        page.get_by_text("Menu", exact=True).click()
        menu = page.get_by_role("navigation", name="Hoofdmenu")
        expect(menu).to_be_visible()
        menu_title(page, "Voorraad").click()
        menu.get_by_role("link", name="Ochtendlijst").click()
        expect(page).to_have_title("Ochtendlijst · PlusKassa back office")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 800
        page.screenshot(path=artifacts / "back-office-menu-800.png", full_page=True)
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.usefixtures("back_office")
def test_the_start_page_has_no_serious_accessibility_violations(
    page: Page, live_server: Any, artifacts: Path
) -> None:
    log_in_on_a_pc(page, live_server.url)
    expect(page.get_by_role("heading", name="Hoevewinkel")).to_be_visible()
    assert serious_violations(page) == []
    menu_title(page, "Beheer").click()  # an open menu passes too
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "back-office-start.png", full_page=True)
    page.set_viewport_size({"width": 800, "height": 1100})
    page.get_by_text("Menu", exact=True).click()
    assert serious_violations(page) == []

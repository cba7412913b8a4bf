"""The back office in a real browser against a real server (waitress): log in, pair a till, axe."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kiosk.models.types import Role
from tests.browser.page_support import log_in as log_in_as
from tests.browser.page_support import serious_violations

MANAGER = ("Mia", "mia-is-verantwoordelijke")


@pytest.fixture
def back_office(shop: Any) -> None:
    """A farm shop and a manager, nothing paired yet."""
    shop.point_of_sale("HW", name="Hoevewinkel")
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in")
    shop.user(MANAGER[0], role=Role.MANAGER, password=MANAGER[1])


def pair_till(page: Page, name: str, point_of_sale: str) -> str:
    """Pair a till through the pages and return the token the page shows."""
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_text("Beheer", exact=True).click()
    menu.get_by_role("link", name="Kassa's", exact=True).click()
    page.get_by_role("link", name="Kassa koppelen").click()
    page.get_by_label("Naam", exact=True).fill(name)
    page.get_by_label("Verkooppunt").select_option(label=point_of_sale)
    page.get_by_role("button", name="Koppelen", exact=True).click()
    token_field = page.get_by_label("Token", exact=True)
    expect(token_field).to_have_attribute("readonly", "")
    return token_field.input_value()


def get_catalog(base_url: str, token: str) -> tuple[int, dict[str, Any]]:
    """Ask the API for the catalogue over HTTP, as a till does."""
    request = urllib.request.Request(
        f"{base_url}/api/v1/catalog", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.load(response)


@pytest.mark.browser
def test_a_manager_pairs_a_till_and_its_token_opens_the_api(
    page: Page, live_server: Any, back_office: None, artifacts: Path
) -> None:
    log_in(page, live_server.url)
    token = pair_till(page, "Kassa bistro", "Bistro")
    expect(page.get_by_role("heading", name="Token van kassa BI1")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("maar één keer getoond")
    page.screenshot(path=artifacts / "back-office-till-token.png", full_page=True)

    assert token.startswith("pk_") and len(token) > 40
    status, catalog = get_catalog(live_server.url, token)
    assert status == 200
    assert catalog["till"] == {"code": "BI1", "name": "Kassa bistro", "role": "till"}
    assert catalog["point_of_sale"] == {
        "code": "BI",
        "name": "Bistro",
        "bistro": False,
    }  # no tables yet

    page.get_by_role("link", name="Klaar").click()
    expect(page.get_by_role("cell", name="BI1", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Ontkoppelen BI1")).to_be_visible()
    assert token not in page.content()
    page.screenshot(path=artifacts / "back-office-tills.png", full_page=True)


@pytest.mark.browser
def test_login_and_till_pages_have_no_serious_accessibility_violations(
    page: Page, live_server: Any, back_office: None, artifacts: Path
) -> None:
    page.goto(f"{live_server.url}/admin/login")
    expect(page).to_have_title("Aanmelden · PlusKassa back office")
    page.screenshot(path=artifacts / "back-office-login.png", full_page=True)
    assert serious_violations(page) == []

    log_in(page, live_server.url)
    pair_till(page, "Kassa hoevewinkel", "Hoevewinkel")
    assert serious_violations(page) == []  # the token page
    page.get_by_role("link", name="Klaar").click()
    expect(page).to_have_title("Kassa's · PlusKassa back office")
    assert serious_violations(page) == []


def log_in(page: Page, base_url: str) -> None:
    """Log in as the manager."""
    log_in_as(page, base_url, *MANAGER)

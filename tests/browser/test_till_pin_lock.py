"""The till shows the server's Dutch message when a PIN is locked after too many wrong codes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    TillServer,
    TillShop,
    button,
    heading,
    open_tablet_fixture,
    pair,
    tablet_fixture,
    tap,
    till_server_fixture,
    till_shop_fixture,
)


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """Lock a user after two wrong PINs."""
    return {**app_config, "PIN_MAX_FAILURES_PER_USER": 2}


@pytest.mark.browser
def test_a_locked_pin_says_to_ask_a_staff_member(
    tablet: Page, till_server: TillServer, till_shop: TillShop
) -> None:
    pair(tablet, till_server.url, till_shop.token)
    tap(tablet, "Lotte", "1", "1", "1", "1", "OK")
    expect(tablet.get_by_role("alert")).to_have_text("Die code klopt niet. Probeer opnieuw.")
    tap(tablet, "1", "1", "1", "1", "OK")
    locked = tablet.get_by_role("alert")
    expect(locked).to_contain_text("Te veel verkeerde pincodes")
    expect(locked).to_contain_text("vraag een medewerker")
    tap(tablet, "4", "3", "2", "1", "OK")  # even the right code waits for the unlock
    expect(locked).to_contain_text("Te veel verkeerde pincodes")
    expect(heading(tablet, "Jouw geheime code")).to_be_visible()
    expect(button(tablet, "Betalen")).to_be_hidden()

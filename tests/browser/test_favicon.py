"""The favicon: /favicon.ico answers 200 over real HTTP, and no page asks for anything missing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Response

from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    TillServer,
    open_tablet_fixture,
    tablet_fixture,
    till_server_fixture,
)


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/till/pair", "/admin/login", "/about"])
def test_every_page_links_a_favicon_that_is_served(
    tablet: Page, till_server: TillServer, path: str
) -> None:
    missing: list[str] = []

    def note(response: Response) -> None:
        if response.status >= 400:
            missing.append(f"{response.status} {response.url}")

    tablet.on("response", note)
    tablet.goto(f"{till_server.url}{path}")
    icons = tablet.locator("link[rel=icon]").evaluate_all("(links) => links.map((l) => l.href)")
    assert f"{till_server.url}/favicon.ico" in icons
    for icon in icons:
        answer = tablet.request.get(icon)
        assert answer.status == 200, icon
        assert answer.headers["content-type"].startswith("image/")
    favicon = tablet.request.get(f"{till_server.url}/favicon.ico")
    assert favicon.headers["content-type"] == "image/vnd.microsoft.icon"
    assert favicon.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert missing == []

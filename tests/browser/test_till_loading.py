"""What a till downloads, in the system Chromium against a real waitress: a light first load.

A shop's till loads no bistro code, never asks for the bistro's tables, and loads the refund
screens only when a staff member taps "Terugbetalen"; a bistro's till loads no refund code at all,
and its service worker keeps the bistro's module and the money pictures (one file). On a shop's
and on a bistro's till a first load stays under 60 KB without the pictograms and a repeat load
under 2 KB (bytes as they leave the server: status line, headers, body; counted by the bench's
WSGI counter). A tablet reloaded while the server is away starts from what the service worker
kept, and sells with the money pictures.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, Request, expect

from kiosk.models.types import Role
from tests.benchmarks.bench_till import (
    FIRST_LOAD_BUDGET,
    REPEAT_LOAD_BUDGET,
    ByteCounter,
    hand_token,
    kind,
)
from tests.browser.test_bistro_till import (  # noqa: F401  (the fixtures)
    Bistro,
    bar_printer_fixture,
    bistro_fixture,
)
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    QUEUED,
    TillServer,
    TillShop,
    button,
    change_status,
    heading,
    open_tablet_fixture,
    pair,
    pay_cash,
    tablet_fixture,
    tap,
    till_server_fixture,
    till_shop_fixture,
    wait_for_sales,
)
from tests.conftest import Shop

BISTRO_MODULES = re.compile(r"/js/(bistro)\.js$")
REFUND_MODULES = re.compile(r"/js/(refunds|refund_screens)\.js$")
ANY_REFUND_MODULE = re.compile(r"/js/(refund_entry|refunds|refund_screens)\.js$")
KEPT = """async () => {
  const [name] = await caches.keys();
  return (await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname);
}"""
CONTROLLED = "() => navigator.serviceWorker.controller !== null"


def asked(page: Page) -> list[str]:
    """Start listing every URL the page and its service worker ask for; return the list."""
    urls: list[str] = []

    def seen(request: Request) -> None:
        urls.append(request.url)

    page.context.on("request", seen)
    return urls


@pytest.mark.browser
def test_a_shop_till_loads_no_bistro_code_and_refunds_only_when_used(
    tablet: Page, till_server: TillServer, till_shop: TillShop, shop: Shop
) -> None:
    shop.user("Els", role=Role.STAFF, pin="2468")
    urls = asked(tablet)
    pair(tablet, till_server.url, till_shop.token)
    tablet.wait_for_function(CONTROLLED)
    tap(tablet, "Els", "2", "4", "6", "8", "OK")
    expect(button(tablet, "Terugbetalen")).to_be_visible()
    assert not [url for url in urls if url.endswith("/api/v1/tables")]
    assert not [url for url in urls if BISTRO_MODULES.search(url)]
    assert not [url for url in urls if REFUND_MODULES.search(url)]

    tap(tablet, "Terugbetalen")
    expect(heading(tablet, "Welke verkoop komt terug?")).to_be_visible()
    assert {m.group(1) for url in urls if (m := REFUND_MODULES.search(url))} == {
        "refunds",
        "refund_screens",
    }
    tap(tablet, "Terug")
    expect(button(tablet, "Betalen")).to_be_visible()
    assert not [url for url in urls if BISTRO_MODULES.search(url) or "/api/v1/tables" in url]


def check_budgets(tablet: Page, url: str, app: Flask, token: str) -> None:
    """Open /till on a freshly paired tablet, reload it; check both loads against the budgets."""
    counter = ByteCounter(app.wsgi_app)
    app.wsgi_app = counter  # type: ignore[method-assign]
    hand_token(tablet, token)  # no page opened before: the browser's cache is empty
    counter.wait_until_quiet()
    counter.take()

    tablet.goto(f"{url}/till")
    expect(heading(tablet, "Wie ben jij?")).to_be_visible()
    tablet.wait_for_function(CONTROLLED)
    counter.wait_until_quiet()
    first = [t for t in counter.take() if kind(t) != "pictograms"]
    tablet.reload()
    expect(heading(tablet, "Wie ben jij?")).to_be_visible()
    counter.wait_until_quiet()
    repeat = counter.take()

    first_bytes, repeat_bytes = sum(t.size for t in first), sum(t.size for t in repeat)
    assert first_bytes <= FIRST_LOAD_BUDGET, sorted((t.size, t.path) for t in first)
    assert repeat_bytes <= REPEAT_LOAD_BUDGET, [(t.size, t.status, t.path) for t in repeat]
    assert [t.path for t in first].count("/till") == 2  # the page, then the precache's 304
    assert [t.status[:3] for t in first if t.path == "/till"] == ["200", "304"]
    assert "/favicon.ico" not in [t.path for t in first]  # the till links its light SVG icon
    revalidated = [t for t in repeat if t.path in ("/till", "/api/v1/catalog")]
    assert [t.status[:3] for t in revalidated] == ["304", "304"]


@pytest.mark.browser
def test_a_shop_tills_first_load_and_repeat_load_stay_within_their_byte_budgets(
    tablet: Page, till_server: TillServer, till_shop: TillShop, app: Flask
) -> None:
    check_budgets(tablet, till_server.url, app, till_shop.token)


@pytest.mark.browser
def test_a_bistro_till_keeps_to_the_budgets_loads_no_refund_code_and_keeps_its_own_for_offline(
    tablet: Page, till_server: TillServer, bistro: Bistro, app: Flask
) -> None:
    urls = asked(tablet)
    check_budgets(tablet, till_server.url, app, bistro.token)  # installed: the precache is stored
    tap(tablet, "Jan", "Tafel 1", "Soep", "Betalen")
    expect(heading(tablet, "Hoe betalen ze?")).to_be_visible()
    assert not [url for url in urls if ANY_REFUND_MODULE.search(url)]

    kept = tablet.evaluate(KEPT)
    assert not [path for path in kept if ANY_REFUND_MODULE.search(path)]
    assert {m.group(1) for path in kept if (m := BISTRO_MODULES.search(path))} == {"bistro"}
    assert [path.rsplit("/", 2)[-2:] for path in kept if "/till/money/" in path] == [
        ["money", "pieces.svg"]  # every note and coin in one file
    ]
    assert "/till" in kept


@pytest.mark.browser
def test_a_till_reloaded_while_the_server_is_away_starts_and_sells(
    tablet: Page, till_server: TillServer, till_shop: TillShop, app: Flask
) -> None:
    pair(tablet, till_server.url, till_shop.token)
    tablet.wait_for_function(CONTROLLED)
    till_server.stop()
    tablet.reload()  # the page, its scripts, the catalog and the money pictures: all kept
    expect(heading(tablet, "Wie ben jij?")).to_be_visible()
    tap(tablet, "Jan", "Boerenbrood")
    pay_cash(tablet, "5 euro")
    expect(tablet.get_by_text(QUEUED)).to_be_visible()
    pieces = change_status(tablet).locator("img").all()  # 1,20 €: the pictures of 1 € and 20 c
    assert len(pieces) == 2
    for picture in pieces:
        assert picture.evaluate("img => img.decode().then(() => img.naturalWidth > 0)")
    till_server.start()  # same port: the queued sale goes out
    [sale] = wait_for_sales(app, 1)
    assert sale["total_cents"] == 380

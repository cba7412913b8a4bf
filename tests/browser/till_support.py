"""Shared fixtures and helpers for the till's browser tests (tests/browser/test_till_*.py).

The till is driven like a care user drives it: a touch tablet (has_touch, nl-BE), taps on
controls found by role and accessible name only (CARE_UX.md: the Dutch names are the contract),
never by CSS classes. The server is a real waitress on 127.0.0.1 that a test can stop and start
again on the same port, so the page keeps its origin, its service worker and its IndexedDB.

Test modules import the fixtures they use from here (``tablet_fixture`` is the fixture
``tablet``; ``# noqa: F401``): a ``pytest_plugins`` line would be read after the module was
imported for its helpers, and pytest refuses to rewrite a module it finds already imported.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from flask import Flask
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect
from sqlalchemy import select

from kiosk import money
from kiosk.extensions import db
from kiosk.models import Sale, Till
from kiosk.models.types import utcnow
from kiosk.organisation.people import renew_till_token, revoke_till
from tests.browser.conftest import launch_chromium

LANDSCAPE: ViewportSize = {"width": 1280, "height": 800}
PORTRAIT: ViewportSize = {"width": 800, "height": 1280}
WAIT_MS = 20_000
SAVED = "De verkoop is bewaard."
QUEUED = "De verkoop wacht op de server. Je mag verder verkopen."
T = TypeVar("T")


# -- the shop -------------------------------------------------------------------------------
@dataclass
class TillShop:
    """A farm shop's till: its token, the people who run it and the products it sells."""

    till_id: int
    token: str
    people: dict[str, int]
    products: dict[str, int]
    categories: dict[str, str] = field(default_factory=dict)  # product name → category name


# name: (price in cents, unit, category, barcode, pictogram)
PRODUCTS: dict[str, tuple[int, str, str, str | None, str]] = {
    "Boerenbrood": (380, "piece", "Brood", "5412718100371", "1F35E"),
    "Eieren (6)": (295, "piece", "Zuivel", None, "1F95A"),
    "Appelsap": (230, "piece", "Dranken", "5412345000013", "1F9C3"),
    "Honing": (650, "piece", "Zoet", None, "1F36F"),
    "Kaars": (1250, "piece", "Ambacht", None, "1F56F"),
    # weighed: its barcode's first 7 digits match the shop's scale labels 2100001 + price
    "Hoevekaas": (2490, "kg", "Kaas", "2100001000004", "1F9C0"),
}
# More than 12 products at the point of sale: the till shows categories first.
MORE_PRODUCTS: dict[str, tuple[int, str, str, str | None, str]] = {
    "Volkorenbrood": (420, "piece", "Brood", None, "1F956"),
    "Speltbrood": (460, "piece", "Brood", None, "1F33E"),
    "Yoghurt": (190, "piece", "Zuivel", None, "1F95B"),
    "Boter": (350, "piece", "Zuivel", None, "1F9C8"),
    "Peperkoek": (480, "piece", "Zoet", None, "1F36A"),
    "Confituur": (520, "piece", "Zoet", None, "1F353"),
    "Mand": (1800, "piece", "Ambacht", None, "1F9FA"),
    "Jonge kaas": (1890, "kg", "Kaas", None, "1F9C0"),
}


def build_shop(shop: Any, catalogue: dict[str, tuple[int, str, str, str | None, str]]) -> TillShop:
    """Make the point of sale, its till, three care users (Lotte has a PIN) and the products."""
    shop.point_of_sale("HW", name="Hoevewinkel", methods="cash|card")
    till_id, token = shop.till("HW")
    people = {
        "Jan": shop.user("Jan"),
        "Sam": shop.user("Sam"),
        "Lotte": shop.user("Lotte", pin="4321"),
    }
    products = {}
    for name, (price, unit, category, barcode, pictogram) in catalogue.items():
        products[name] = shop.product(
            name,
            price_cents=price,
            unit=unit,
            category=category,
            barcode=barcode,
            pictogram=pictogram,
        )
    categories = {name: spec[2] for name, spec in catalogue.items()}
    return TillShop(till_id, token, people, products, categories)


@pytest.fixture(name="till_shop")
def till_shop_fixture(shop: Any) -> TillShop:
    """A farm shop with 6 products: the till shows them at once, no categories."""
    return build_shop(shop, PRODUCTS)


@pytest.fixture(name="big_till_shop")
def big_till_shop_fixture(shop: Any) -> TillShop:
    """A farm shop with 14 products in 6 categories: the till shows categories first."""
    return build_shop(shop, PRODUCTS | MORE_PRODUCTS)


# -- a server that can be stopped and started again on the same port ------------------------
class TillServer:
    """The app through waitress on 127.0.0.1; stop() closes every connection, start() rebinds."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.port = 0
        self.server: Any = None
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        from waitress import create_server

        self.server = create_server(self.app, host="127.0.0.1", port=self.port, threads=6)
        self.port = self.server.effective_port
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Close the listening socket and every open (keep-alive) connection, as a crash would."""
        from waitress import wasyncore

        server, thread = self.server, self.thread
        if server is None or thread is None:
            return
        self.server = self.thread = None
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(timeout=10)
        server.task_dispatcher.shutdown()
        assert not thread.is_alive(), "waitress did not stop"


@pytest.fixture(name="till_server")
def till_server_fixture(app: Flask) -> Iterator[TillServer]:
    """Serve the app for the test; the test may stop and start it."""
    server = TillServer(app)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# -- the tablet -----------------------------------------------------------------------------
def new_tablet(browser: Browser, viewport: ViewportSize = LANDSCAPE) -> Page:
    """Open a page on a touch tablet (Belgian Dutch) in a fresh context of its own."""
    # settled() and at_rest() poll with page.wait_for_function, which the till's CSP (no eval)
    # refuses; tests/browser/test_names_rendered_safely.py drives the till with the CSP on.
    context = browser.new_context(
        has_touch=True, viewport=viewport, locale="nl-BE", bypass_csp=True
    )
    context.set_default_timeout(WAIT_MS)
    return context.new_page()


@pytest.fixture(name="open_tablet")
def open_tablet_fixture(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open pages on touch tablets (Belgian Dutch); every context is closed after the test."""
    pages = []

    def open_page(viewport: ViewportSize = LANDSCAPE) -> Page:
        pages.append(new_tablet(browser, viewport))
        return pages[-1]

    try:
        yield open_page
    finally:
        for page in pages:
            page.context.close()


class BrowserThread:
    """A thread with a Chromium of its own, so that several tablets are driven at the same time.

    Playwright's sync objects belong to the thread that made them: each job runs in this thread,
    on its browser. Most of a walk through the till is waiting (the till ignores taps for half a
    second after each screen change), so tablets walked side by side take the time of the longest.
    """

    def __init__(self) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1)  # one thread, kept for every job
        self.playwright, self.browser = self.executor.submit(launch_chromium).result()

    def run(self, job: Callable[[Browser], T]) -> Future[T]:
        """Start a job on this thread's browser; its result (or its failure) comes in the future."""
        return self.executor.submit(job, self.browser)

    def close(self) -> None:
        """Close the browser and end the thread."""

        def stop() -> None:
            self.browser.close()
            self.playwright.stop()

        self.executor.submit(stop).result()
        self.executor.shutdown()


@pytest.fixture(name="browser_threads", scope="module")
def browser_threads_fixture() -> Iterator[list[BrowserThread]]:
    """Three threads with a Chromium each, for three tablets walked side by side."""
    threads = [BrowserThread() for _ in range(3)]
    try:
        yield threads
    finally:
        for thread in threads:
            thread.close()


@pytest.fixture(name="tablet")
def tablet_fixture(open_tablet: Callable[..., Page]) -> Page:
    """A landscape 1280×800 touch tablet."""
    return open_tablet(LANDSCAPE)


# -- finding and tapping controls -----------------------------------------------------------
def named(name: str) -> re.Pattern[str]:
    """Match an accessible name that is `name`, or starts with it and a space.

    Tiles are named by all they show ("Boerenbrood 3,80 €", "Tafel 2 Bezet 12,00 € 5 min"),
    their name first: a tile is found by its name, as a person reads it.
    """
    exact = re.escape(name).replace("/", r"\/")  # Playwright hands it to JavaScript as /…/
    return re.compile(rf"^{exact}(?: .*)?$", re.DOTALL)


def button(page: Page, name: str) -> Locator:
    """The button with this accessible name (a tile's: its name, then what else it shows)."""
    return page.get_by_role("button", name=named(name))


def settled(page: Page) -> None:
    """Wait (to the frame) until nothing on the page is aria-busy.

    Right after a screen changes, the till ignores taps for half a second (a double tap's second
    tap must not hit what the first one brought up) and says so with aria-busy. Playwright's
    tap() would wait for that too, but by backing off up to a second at a time.
    """
    page.wait_for_function("document.querySelector('[aria-busy=true]') === null", polling="raf")


def at_rest(page: Page) -> None:
    """Wait (to the frame) until no button shows a tap's feedback any more (it scales down)."""
    page.wait_for_function(
        "[...document.querySelectorAll('button')]"
        ".every((b) => getComputedStyle(b).transform === 'none')",
        polling="raf",
    )


def tap(page: Page, *names: str) -> None:
    """Tap buttons by their exact accessible names, one after the other, as a person would."""
    for name in names:
        target = button(page, name)
        target.wait_for()  # visible: the screen it is on has come
        settled(page)
        target.tap()


def heading(page: Page, name: str) -> Locator:
    return page.get_by_role("heading", name=name, exact=True)


def basket(page: Page) -> Locator:
    return page.get_by_role("complementary", name="Mandje")


def change_status(page: Page) -> Locator:
    return page.get_by_role("status", name="Wisselgeld")


def pair(page: Page, base_url: str, token: str) -> None:
    """Open pairing on a fresh tablet, type the till's token, tap Koppelen.

    (That /till sends an unpaired tablet here is tested by walk_every_screen.)
    """
    page.goto(f"{base_url}/till/pair")
    page.get_by_label("Token van de kassa").fill(token)
    tap(page, "Koppelen")
    expect(heading(page, "Wie ben jij?")).to_be_visible()


def start_shift(page: Page, base_url: str, token: str, person: str = "Jan") -> None:
    """Pair the tablet and let a person without a PIN start at the till."""
    pair(page, base_url, token)
    tap(page, person)
    expect(button(page, "Betalen")).to_be_visible()


def expect_total(page: Page, amount: str) -> None:
    """The basket's total (a status named "Totaal") reads exactly `amount` (e.g. '12,60 €')."""
    expect(basket(page).get_by_role("status", name="Totaal")).to_have_text(amount)


def pay_cash(page: Page, *pieces: str) -> None:
    """Betalen, Contant, tap the notes and coins handed over, Klaar."""
    tap(page, "Betalen", "Contant", *pieces)
    klaar = button(page, "Klaar")
    expect(klaar).to_be_enabled()
    klaar.tap()
    expect(change_status(page)).to_be_visible()


def pay_card(page: Page) -> None:
    """Betalen, Kaart, "Is de kaartbetaling gelukt?" → Ja."""
    tap(page, "Betalen", "Kaart")
    expect(heading(page, "Is de kaartbetaling gelukt?")).to_be_visible()
    tap(page, "Ja")
    expect(heading(page, "✔ Betaald met de kaart")).to_be_visible()


def piece_label(value: int) -> str:
    """The accessible name of a note or coin: 2000 → '20 euro', 5 → '5 cent'."""
    return f"{value // 100} euro" if value >= 100 else f"{value} cent"


def piece_file(value: int) -> str:
    """The picture of a note or coin: its view in money/pieces.svg (2000 → 'pieces.svg#note-20')."""
    return f"pieces.svg#note-{value // 100}" if value >= 500 else f"pieces.svg#coin-{value}"


def shown_change(page: Page) -> list[tuple[str, int, str]]:
    """The change pieces on screen: (name, count, picture file), in screen order."""
    shown = []
    for item in change_status(page).get_by_role("listitem").all():
        text = " ".join(item.inner_text().split())
        match = re.fullmatch(r"× (\d+) (\d+ (?:euro|cent))", text)
        assert match, f"a change piece reads {text!r}"
        src = item.locator("img").get_attribute("src") or ""  # decorative: alt=""
        shown.append((match.group(2), int(match.group(1)), src.rsplit("/", 1)[-1]))
    return shown


def fewest_pieces(cents: int) -> list[tuple[str, int, str]]:
    """The fewest notes and coins for an amount, largest first, as shown_change() reads them."""
    return [(piece_label(v), n, piece_file(v)) for v, n in money.change_pieces(cents)]


def kept_in_tablet(page: Page) -> list[dict[str, Any]]:
    """Everything the tablet's IndexedDB queue keeps, oldest first (never creates the database)."""
    return page.evaluate(
        """() => new Promise((resolve, reject) => {
          const request = indexedDB.open("pluskassa");
          request.onupgradeneeded = () => request.transaction.abort();  // no queue yet
          request.onerror = () => resolve([]);
          request.onsuccess = () => {
            const db = request.result;
            const read = db.transaction("sales").objectStore("sales").getAll();
            read.onsuccess = () => {
              db.close();
              resolve(read.result.sort((a, b) => a.createdAt - b.createdAt));
            };
            read.onerror = () => reject(read.error);
          };
        })"""
    )


def sales_in_tablet(page: Page) -> int:
    """How many sales wait in the tablet's IndexedDB queue."""
    return sum(1 for entry in kept_in_tablet(page) if entry["state"] == "pending")


def wait_until_sent(page: Page, timeout: float = 30) -> None:
    """Wait (bounded) until the tablet's queue is empty: every sale was confirmed."""
    deadline = time.monotonic() + timeout
    while sales_in_tablet(page) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert sales_in_tablet(page) == 0, "sales still wait in the tablet"


# -- the database -----------------------------------------------------------------------------
def stored_sales(app: Flask) -> list[dict[str, Any]]:
    """Every stored sale, oldest first, as plain data."""
    with app.app_context():
        sales = db.session.scalars(select(Sale).order_by(Sale.id)).all()
        return [
            {
                "till_id": sale.till_id,
                "operator_id": sale.operator_id,
                "total_cents": sale.total_cents,
                "change_cents": sale.change_cents,
                "rounding_cents": sale.rounding_cents,
                "lines": [
                    (line.product_id, line.quantity_milli, line.amount_cents) for line in sale.lines
                ],
                "payments": [(p.method, p.amount_cents) for p in sale.payments],
                "key": sale.idempotency_key,
            }
            for sale in sales
        ]


def wait_for_sales(app: Flask, count: int, timeout: float = 30) -> list[dict[str, Any]]:
    """Wait (bounded) until `count` sales are stored; fail if more or fewer after the wait."""
    deadline = time.monotonic() + timeout
    sales = stored_sales(app)
    while len(sales) < count and time.monotonic() < deadline:
        time.sleep(0.1)
        sales = stored_sales(app)
    assert len(sales) == count, f"{len(sales)} sales stored, expected {count}"
    return sales


def revoke(app: Flask, till_id: int) -> None:
    with app.app_context():
        revoke_till(db.session.get_one(Till, till_id), utcnow())
        db.session.commit()


def renew(app: Flask, till_id: int) -> str:
    with app.app_context():
        token = renew_till_token(db.session.get_one(Till, till_id))
        db.session.commit()
        return token


# -- accessibility and pictures -----------------------------------------------------------------


def screenshot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=artifacts / f"till-{name}.png")


# A test run once on a landscape and once on a portrait tablet (its parameter `viewport`).
BOTH_ORIENTATIONS = pytest.mark.parametrize(
    "viewport", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"]
)


def screenshot_at_rest(page: Page, artifacts: Path, name: str) -> None:
    """Screenshot the screen once taps are taken again, named after the page's orientation."""
    settled(page)
    at_rest(page)
    size = page.viewport_size
    orientation = "landscape" if size and size["width"] > size["height"] else "portrait"
    screenshot(page, artifacts, f"{orientation}-{name}")


# -- every screen, in the order a care user meets them ------------------------------------------
SCREENS = (
    "pairing",
    "operator",
    "pin",
    "categories",
    "products",
    "weighing",
    "method",
    "card",
    "cash",
    "change",
)


def walk_every_screen(
    page: Page, base_url: str, till: TillShop, visit: Callable[[str], None]
) -> None:
    """Pair, log in with a PIN, choose by category, weigh, pay by card (Nee), then cash.

    `visit(name)` is called on each screen of SCREENS, in order, once the screen is shown.
    Needs big_till_shop (more than 12 products, so categories come first).
    """

    def visit_at_rest(name: str) -> None:
        settled(page)
        at_rest(page)
        visit(name)

    page.goto(f"{base_url}/till")
    page.wait_for_url(f"{base_url}/till/pair")
    expect(heading(page, "Kassa koppelen")).to_be_visible()
    visit_at_rest("pairing")
    page.get_by_label("Token van de kassa").fill(till.token)
    tap(page, "Koppelen")
    expect(heading(page, "Wie ben jij?")).to_be_visible()
    visit_at_rest("operator")
    tap(page, "Lotte")
    expect(heading(page, "Jouw geheime code")).to_be_visible()
    tap(page, "4", "3")
    visit_at_rest("pin")
    tap(page, "2", "1", "OK")
    expect(button(page, "Brood")).to_be_visible()
    visit_at_rest("categories")
    tap(page, "Brood", "Boerenbrood", "Boerenbrood")
    expect(button(page, "Eén Boerenbrood minder")).to_be_visible()
    visit_at_rest("products")
    tap(page, "Terug", "Kaas", "Hoevekaas")
    expect(heading(page, "Hoevekaas")).to_be_visible()
    tap(page, "2", "5", "0")
    expect(page.get_by_text("250 gram")).to_be_visible()
    visit_at_rest("weighing")
    tap(page, "In het mandje")
    expect_total(page, "13,83 €")
    tap(page, "Betalen")
    expect(heading(page, "Hoe betaalt de klant?")).to_be_visible()
    visit_at_rest("method")
    tap(page, "Kaart")
    expect(heading(page, "Is de kaartbetaling gelukt?")).to_be_visible()
    visit_at_rest("card")
    tap(page, "Nee", "Contant", "5 euro")
    expect(button(page, "Klaar")).to_be_disabled()
    visit_at_rest("cash")
    tap(page, "20 euro", "Klaar")
    expect(change_status(page)).to_contain_text("11,15 €")
    visit_at_rest("change")


# -- measuring ----------------------------------------------------------------------------------
MEASURE_CONTROLS = """() => {
  const selector = 'button, a[href], input, select, textarea, [role="button"], [role="link"], '
    + '[tabindex]:not([tabindex="-1"])';
  return [...document.querySelectorAll(selector)]
    .filter((element) => element.checkVisibility({ visibilityProperty: true }))
    .map((element) => {
      const box = element.getBoundingClientRect();
      const name = (element.getAttribute('aria-label') || element.innerText || element.id
        || element.tagName).trim().replace(/\\s+/g, ' ');
      // reachable: the middle and the middle of each edge (4 px in) hit this control, so it is
      // on the screen, not scrolled away in its container, and nothing lies over it
      const xs = [box.left + 4, box.left + box.width / 2, box.right - 4];
      const ys = [box.top + 4, box.top + box.height / 2, box.bottom - 4];
      const points = [[xs[1], ys[1]], [xs[1], ys[0]], [xs[1], ys[2]], [xs[0], ys[1]],
                      [xs[2], ys[1]]];
      const reachable = points.every(([x, y]) => element.contains(document.elementFromPoint(x, y)));
      return { name, x: box.x, y: box.y, width: box.width, height: box.height,
               right: box.right, bottom: box.bottom, reachable };
    });
}"""


def visible_controls(page: Page) -> list[dict[str, Any]]:
    """Every visible interactive element (enabled or not) with its name and box, in CSS px."""
    return page.evaluate(MEASURE_CONTROLS)


def box_of(locator: Locator) -> tuple[float, float, float, float] | None:
    """The box of a control if it is shown, else None."""
    if not locator.is_visible():
        return None
    box = locator.bounding_box()
    assert box is not None
    return (box["x"], box["y"], box["width"], box["height"])


def tile_problems(tiles: list[tuple[float, float, float, float]]) -> list[str]:
    """Tiles smaller than 120×120 or closer than 16 px to their neighbour in a row or column."""
    problems = [f"tile {w:.0f}×{h:.0f}" for (_x, _y, w, h) in tiles if w < 120 or h < 120]
    rows: dict[float, list[tuple[float, float, float, float]]] = {}
    for tile in tiles:
        rows.setdefault(tile[1], []).append(tile)
    for row in rows.values():
        row.sort()
        for left, right in itertools.pairwise(row):
            gap = right[0] - (left[0] + left[2])
            if gap < 16:
                problems.append(f"horizontal gap {gap:.1f} px")
    tops = sorted(rows)
    for upper, lower in itertools.pairwise(tops):
        gap = lower - (upper + max(t[3] for t in rows[upper]))
        if gap < 16:
            problems.append(f"vertical gap {gap:.1f} px")
    return problems

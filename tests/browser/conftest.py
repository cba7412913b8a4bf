"""Browser fixtures: the system Chromium through Playwright (never a downloaded browser).

One browser for the session, a fresh context (cookies, storage) for every test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from tests.system_chromium import CHROMIUM

# A loaded CI machine (two suites side by side on two cores) can take seconds to draw a screen:
# every wait is bounded, but not as tightly as Playwright's default 5 s for expect().
expect.set_options(timeout=20_000)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # gitignored


def launch_chromium() -> tuple[Playwright, Browser]:
    """Start Playwright and the system Chromium, both owned by the calling thread."""
    playwright = sync_playwright().start()
    return playwright, playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Start the system Chromium once for the session."""
    playwright, chromium = launch_chromium()
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Open a page in a fresh context: a tablet-sized landscape screen, Belgian Dutch."""
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def artifacts() -> Path:
    """Return the folder for screenshots (kept out of the repository)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

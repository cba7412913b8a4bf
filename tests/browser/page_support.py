"""What the back office's browser tests share: logging in by typing, and axe-core's verdict."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

#: axe-core 4.14.1, vendored and pinned (`npm i -E axe-core@4.14.1`; its MPL-2.0 header kept)
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")


def log_in(page: Page, base_url: str, name: str, password: str, *, touch: bool = False) -> None:
    """Log in to the back office by typing name and password (tapping the button on a tablet)."""
    page.goto(f"{base_url}/admin/login")
    page.get_by_label("Naam", exact=True).fill(name)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    button = page.get_by_role("button", name="Aanmelden")
    if touch:
        button.tap()
    else:
        button.click()
    expect(page.get_by_role("heading", name="Back office", level=1)).to_be_visible()


def serious_violations(page: Page) -> list[str]:
    """Run axe-core on the page; return its serious and critical violations, readably."""
    # evaluate() runs through Playwright's own channel, which the till's CSP does not govern
    page.evaluate(AXE_SOURCE)
    violations = page.evaluate(
        "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations"
    )
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"])
        for violation in violations
        if violation["impact"] in ("serious", "critical")
    ]

"""A person with a PIN sells with the proof the server's PIN check gave, also from the queue.

The till keeps the `operator_proof` with the person at the till, sends it with every sale, keeps
it inside a sale queued while the server is away, and forgets it when the person taps Stop.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser import till_support as till
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    open_tablet_fixture,
    tablet_fixture,
    till_server_fixture,
    till_shop_fixture,
)


def start_with_pin(tablet: Page, till_server: till.TillServer, till_shop: till.TillShop) -> str:
    """Pair the tablet, let Lotte start with her PIN; return the proof the PIN check answered."""
    till.pair(tablet, till_server.url, till_shop.token)
    till.tap(tablet, "Lotte")
    expect(till.heading(tablet, "Jouw geheime code")).to_be_visible()
    with tablet.expect_response(lambda answer: answer.url.endswith("/pin")) as checked:
        till.tap(tablet, "4", "3", "2", "1", "OK")
    assert checked.value.status == 200
    proof = checked.value.json()["operator_proof"]
    assert isinstance(proof, str) and proof
    expect(till.button(tablet, "Betalen")).to_be_visible()
    return proof


def kept_proof(tablet: Page) -> Any:
    """What the tablet keeps as the proof of the person at the till."""
    return tablet.evaluate("() => localStorage.getItem('pluskassa.proof')")


def queued_bodies(tablet: Page) -> list[dict[str, Any]]:
    """The bodies of the sales waiting in the tablet's IndexedDB queue."""
    return [entry["body"] for entry in till.kept_in_tablet(tablet) if entry["state"] == "pending"]


@pytest.mark.browser
def test_a_person_with_a_pin_sells_with_the_proof_and_stop_forgets_it(
    tablet: Page, till_server: till.TillServer, till_shop: till.TillShop, app: Flask
) -> None:
    proof = start_with_pin(tablet, till_server, till_shop)

    till.tap(tablet, "Kaars")
    with tablet.expect_request(
        lambda sent: sent.method == "POST" and sent.url.endswith("/api/v1/sales")
    ) as sale_sent:
        till.pay_card(tablet)
    assert (sale_sent.value.post_data_json or {}).get("operator_proof") == proof
    [sale] = till.wait_for_sales(app, 1)
    assert sale["operator_id"] == till_shop.people["Lotte"]

    till.tap(tablet, "Volgende klant", "Stop")
    expect(till.heading(tablet, "Wie ben jij?")).to_be_visible()
    assert kept_proof(tablet) is None  # Stop: the till forgets it

    till.tap(tablet, "Jan", "Kaars")  # no PIN, no proof
    with tablet.expect_request(
        lambda sent: sent.method == "POST" and sent.url.endswith("/api/v1/sales")
    ) as sale_sent:
        till.pay_card(tablet)
    assert "operator_proof" not in (sale_sent.value.post_data_json or {})
    till.wait_for_sales(app, 2)


@pytest.mark.browser
def test_a_sale_queued_while_the_server_is_away_arrives_with_its_proof(
    tablet: Page, till_server: till.TillServer, till_shop: till.TillShop, app: Flask
) -> None:
    proof = start_with_pin(tablet, till_server, till_shop)
    till_server.stop()

    till.tap(tablet, "Kaars")
    till.pay_card(tablet)
    expect(tablet.get_by_text(till.QUEUED)).to_be_visible()
    till.tap(tablet, "Volgende klant", "Stop")  # Lotte stops before the server is back
    expect(till.heading(tablet, "Wie ben jij?")).to_be_visible()
    assert kept_proof(tablet) is None
    assert [body["operator_proof"] for body in queued_bodies(tablet)] == [proof]

    till_server.start()
    till.wait_until_sent(tablet)
    [sale] = till.wait_for_sales(app, 1)
    assert sale["operator_id"] == till_shop.people["Lotte"]


@pytest.mark.browser
def test_a_pin_accepted_while_the_server_is_away_is_proven_once_it_is_back(
    tablet: Page, till_server: till.TillServer, till_shop: till.TillShop, app: Flask
) -> None:
    start_with_pin(tablet, till_server, till_shop)  # the tablet remembers her code
    till.tap(tablet, "Stop")
    till_server.stop()
    till.tap(tablet, "Lotte", "4", "3", "2", "1", "OK")  # the last code that worked
    till.tap(tablet, "Kaars")
    till.pay_card(tablet)
    expect(tablet.get_by_text(till.QUEUED)).to_be_visible()
    assert [body.get("operator_proof") for body in queued_bodies(tablet)] == [None]

    till_server.start()  # the till checks her PIN there and gives the sale the proof
    till.wait_until_sent(tablet)
    [sale] = till.wait_for_sales(app, 1)
    assert sale["operator_id"] == till_shop.people["Lotte"]
    assert kept_proof(tablet) is not None

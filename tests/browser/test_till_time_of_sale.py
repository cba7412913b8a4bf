"""A sale rung up while the server is away keeps the moment the customer paid, not its arrival."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Sale
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    QUEUED,
    TillServer,
    TillShop,
    open_tablet_fixture,
    start_shift,
    tablet_fixture,
    tap,
    till_server_fixture,
    till_shop_fixture,
    wait_for_sales,
    wait_until_sent,
)

#: how long the server stays away after the customer paid
AWAY = timedelta(seconds=3)


@pytest.mark.browser
def test_a_sale_sent_after_the_server_is_back_keeps_its_rung_up_time(
    tablet: Page, till_server: TillServer, till_shop: TillShop, app: Flask
) -> None:
    start_shift(tablet, till_server.url, till_shop.token, "Sam")
    till_server.stop()
    tap(tablet, "Boerenbrood", "Betalen", "Kaart")
    before = datetime.now(UTC).replace(microsecond=0)  # the till sends whole seconds
    tap(tablet, "Ja")  # the customer paid: this is the time of sale
    after = datetime.now(UTC)
    expect(tablet.get_by_text(QUEUED)).to_be_visible()
    tablet.wait_for_timeout(AWAY.total_seconds() * 1000)  # the queue retries, and fails, meanwhile

    till_server.start()
    wait_until_sent(tablet)
    wait_for_sales(app, 1)
    with app.app_context():
        sale = db.session.scalars(select(Sale)).one()
        assert before <= sale.rung_up_at <= after
        assert sale.created_at - sale.rung_up_at >= AWAY  # stored later, with the tap's time
        assert not sale.late

"""The back office pairs kitchen and bar screens and warns staff of a station that gets nothing."""

from __future__ import annotations

import html
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Till
from tests.admin.conftest import Team, logged_in
from tests.admin.test_pages import TOKEN_FIELD, submit
from tests.conftest import Shop
from tests.kiosk.bistro_support import bistro_world

MISSING = "Keuken van Bistro heeft geen printer en geen scherm"
DOWN = "Keuken van Bistro krijgt geen bestellingen"


def page_text(client: FlaskClient, url: str) -> str:
    """Return a page's HTML with its entities read."""
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.text)


def test_a_kitchen_screen_is_paired_with_its_role_and_staff_see_what_is_missing(
    app: Flask, team: Team, shop: Shop, manager: FlaskClient
) -> None:
    bistro: dict[str, Any] = bistro_world(app, shop)
    staff = logged_in(app, "Sam")
    for client, url in [(manager, "/admin/"), (staff, "/admin/"), (staff, "/admin/print-jobs")]:
        text = page_text(client, url)
        assert MISSING in text and "Bar van Bistro heeft geen printer en geen scherm" in text

    response = submit(
        manager,
        "/admin/tills/new",
        {"name": "Keukenscherm", "point_of_sale": "BI", "role": "kitchen"},
    )
    token = TOKEN_FIELD.search(response.text)
    assert token is not None
    with app.app_context():
        screen = db.session.scalars(select(Till).filter_by(name="Keukenscherm")).one()
        assert screen.role == "kitchen" and screen.last_seen_at is None
    assert "Keukenscherm" in page_text(manager, "/admin/tills")
    text = page_text(manager, "/admin/")
    assert DOWN in text and MISSING not in text  # paired, but not seen yet: down

    headers = {"Authorization": f"Bearer {token.group(1)}"}
    assert manager.get("/api/v1/kitchen/orders", headers=headers).status_code == 200
    text = page_text(staff, "/admin/print-jobs")
    assert DOWN not in text and MISSING not in text  # the kitchen is seen: up
    assert "Bar van Bistro heeft geen printer en geen scherm" in text
    assert bistro["headers"]  # the bistro's own till stays a till
    refused = submit(
        manager, "/admin/tills/new", {"name": "Raar", "point_of_sale": "BI", "role": "keuken"}
    )
    assert refused.status_code == 200 and not TOKEN_FIELD.search(refused.text)

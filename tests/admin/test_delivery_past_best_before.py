"""A delivery row with a best-before date already past is booked only with "Toch opslaan"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.models import Delivery, Lot
from tests.admin.stock_support import post_form, stock_shop_fixture, today
from tests.admin.test_stock_deliveries import NEW, rows

__all__ = ["stock_shop_fixture"]  # the stock pages' shop, as a fixture


def delivery(stock_shop: dict[str, Any], best_before: str, **extra: str) -> dict[str, str]:
    """Return a delivery of 6 cheeses to the stock room with this best-before date."""
    return {
        "producer": "",
        "delivered_on": today().isoformat(),
        "location": str(stock_shop["room"]),
        "note": "",
        **rows({"product": str(stock_shop["cheese"]), "quantity": "6", "best_before": best_before}),
        **extra,
    }


def deliveries(app: Flask) -> int:
    """Return how many deliveries are booked."""
    with app.app_context():
        return db.session.scalars(select(func.count(Delivery.id))).one()


def test_a_best_before_already_past_is_booked_only_with_toch_opslaan(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    yesterday = today() - timedelta(days=1)
    held = post_form(staff, NEW, delivery(stock_shop, yesterday.isoformat()))
    assert held.status_code == 200
    assert (
        f"Regel 1: Hoevekaas is houdbaar tot {yesterday:%d-%m-%Y}, dat is al voorbij." in held.text
    )
    assert '<button type="submit" name="confirm_past" value="y">Toch opslaan</button>' in held.text
    assert f'value="{yesterday.isoformat()}"' in held.text  # what was typed stays
    assert deliveries(app) == 0
    booked = post_form(staff, NEW, delivery(stock_shop, yesterday.isoformat(), confirm_past="y"))
    assert booked.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Lot.best_before)).one() == yesterday


def test_today_and_later_need_no_confirmation(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    assert post_form(staff, NEW, delivery(stock_shop, today().isoformat())).status_code == 302
    assert deliveries(app) == 1

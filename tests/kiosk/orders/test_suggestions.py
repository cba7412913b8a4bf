"""Reorder suggestions: minimum + expected sales over the delivery interval − on hand − ordered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask

from kiosk.extensions import db
from kiosk.models import Producer, Product
from kiosk.orders.operations import (
    OrderedLine,
    cancel_purchase_order,
    create_purchase_order,
    send_purchase_order,
)
from kiosk.orders.suggestions import get_delivery_interval_days, get_suggestions
from tests.kiosk.orders.orders_support import NOW, orders_shop_fixture  # noqa: F401


def test_the_suggestion_rule_on_a_small_history(app: Flask, orders_shop: dict[str, Any]) -> None:
    with app.app_context():
        linde = db.session.get_one(Producer, orders_shop["linde"])
        bread = db.session.get_one(Product, orders_shop["bread"])
        sent = create_purchase_order(linde, [OrderedLine(bread, 3000)], None, NOW)
        send_purchase_order(sent, None, NOW)
        dropped = create_purchase_order(linde, [OrderedLine(bread, 100000)], None, NOW)
        cancel_purchase_order(dropped, None, NOW)
        db.session.commit()

        assert get_delivery_interval_days(linde.id) == 7
        assert get_delivery_interval_days(orders_shop["kippenhof"]) == 14  # no deliveries yet
        suggestions = {s.product.name: s for s in get_suggestions(linde, NOW)}
        # only De Linde's active products: no eggs (Kippenhof), no inactive "Oud brood"
        assert sorted(suggestions) == ["Boerenbrood", "Hoevekaas"]
        bread_line = suggestions["Boerenbrood"]
        assert (bread_line.on_hand_milli, bread_line.sold_milli) == (9000, 26000)
        assert bread_line.ordered_milli == 3000  # the sent order; the cancelled one is not
        # expected = 26 sold / 28 days × 7 days = 6,5; 10 + 6,5 − 9 − 3 = 4,5 → 5 pieces
        assert bread_line.expected_milli == 6500
        assert bread_line.suggested_milli == 5000
        cheese_line = suggestions["Hoevekaas"]
        # expected = 1,250 kg / 28 × 7 = 0,3125 → 0,313 kg; 2 + 0,313 + 1,250 = 3,563 → 3,6 kg
        assert (cheese_line.on_hand_milli, cheese_line.expected_milli) == (-1250, 313)
        assert cheese_line.suggested_milli == 3600


def test_enough_on_hand_suggests_nothing_and_old_sales_do_not_count(
    app: Flask, orders_shop: dict[str, Any]
) -> None:
    with app.app_context():
        linde = db.session.get_one(Producer, orders_shop["linde"])
        bread = db.session.get_one(Product, orders_shop["bread"])
        bread.minimum_stock_milli = None
        db.session.commit()
        later = NOW + timedelta(weeks=8)  # every sale is now older than 4 weeks
        suggestions = {s.product.name: s for s in get_suggestions(linde, later)}
        assert suggestions["Boerenbrood"].sold_milli == 0
        assert suggestions["Boerenbrood"].suggested_milli == 0  # 0 + 0 − 9: never negative

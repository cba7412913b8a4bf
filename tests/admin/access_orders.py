"""Access rules of the purchase order pages: staff order from producers, as they book deliveries."""

from __future__ import annotations

from typing import Any

from flask import Flask

from kiosk.extensions import db
from kiosk.models import Producer, Product
from kiosk.models.types import utcnow
from kiosk.orders.operations import OrderedLine, create_purchase_order
from tests.admin.access_rule import Rule

ENDPOINTS: dict[str, Rule] = {
    "admin.purchase_order_list": Rule("staff", "/admin/purchase-orders", {"GET": 200}),
    # a post without rows re-shows the sheet: fill in at least one quantity
    "admin.purchase_order_new": Rule(
        "staff",
        "/admin/purchase-orders/new?producer={order_producer_id}",
        {"GET": 200, "POST": 200},
    ),
    "admin.purchase_order_show": Rule(
        "staff", "/admin/purchase-orders/{purchase_order_id}", {"GET": 200, "POST": 200}
    ),
    # a refused step (already sent, already cancelled) says why on the order's page
    "admin.purchase_order_send": Rule(
        "staff", "/admin/purchase-orders/{purchase_order_id}/send", {"POST": 302}
    ),
    "admin.purchase_order_cancel": Rule(
        "staff", "/admin/purchase-orders/{purchase_order_id}/cancel", {"POST": 302}
    ),
    "admin.purchase_order_print": Rule(
        "staff", "/admin/purchase-orders/{purchase_order_id}/print", {"GET": 200}
    ),
    "admin.purchase_order_csv": Rule(
        "staff", "/admin/purchase-orders/{purchase_order_id}/csv", {"GET": 200}
    ),
    "admin.purchase_order_mail": Rule(
        "staff", "/admin/purchase-orders/{purchase_order_id}/mail", {"GET": 200}
    ),
}


def world_values(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """Make a producer with a product and a draft order; return their ids by URL variable name."""
    with app.app_context():
        producer = Producer(name="Bestelhoeve")
        db.session.add(producer)
        db.session.flush()
        product = Product(name="Bestelbrood", price_cents=380, producer_id=producer.id)
        db.session.add(product)
        db.session.flush()
        order = create_purchase_order(producer, [OrderedLine(product, 2000)], None, utcnow())
        db.session.commit()
        return {"order_producer_id": producer.id, "purchase_order_id": order.id}

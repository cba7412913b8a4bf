"""Access rules of the stock pages: places, deliveries, waste, transfers, counts, morning lists."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Location, PointOfSale, Product
from kiosk.models.types import utcnow
from kiosk.stock.operations import DeliveredLine, book_waste, receive_delivery, record_count
from tests.admin.access_rule import Rule

# a form post with only a CSRF token re-shows the form with its Dutch messages (200)
ENDPOINTS: dict[str, Rule] = {
    "admin.point_of_sale_list": Rule("manager", "/admin/points-of-sale", {"GET": 200}),
    "admin.point_of_sale_new": Rule(
        "manager", "/admin/points-of-sale/new", {"GET": 200, "POST": 200}
    ),
    # a post without fields keeps the stored text, but absent checkboxes mean no payment method
    "admin.point_of_sale_edit": Rule(
        "manager", "/admin/points-of-sale/{stock_point_of_sale_id}", {"GET": 200, "POST": 200}
    ),
    "admin.location_list": Rule("manager", "/admin/locations", {"GET": 200}),
    "admin.location_new": Rule("manager", "/admin/locations/new", {"GET": 200, "POST": 200}),
    # a post without fields keeps what was stored (as the user page does), which is valid
    "admin.location_edit": Rule(
        "manager", "/admin/locations/{stock_location_id}", {"GET": 200, "POST": 302}
    ),
    "admin.delivery_list": Rule("staff", "/admin/deliveries", {"GET": 200}),
    "admin.delivery_new": Rule("staff", "/admin/deliveries/new", {"GET": 200, "POST": 200}),
    # a form without a file re-shows the form with its error
    "admin.einvoice_upload": Rule("staff", "/admin/deliveries/einvoice", {"GET": 200, "POST": 200}),
    # no invoice is kept under this token
    "admin.einvoice_match": Rule(
        "staff", "/admin/deliveries/einvoice/" + "0" * 64, {"GET": 404, "POST": 404}
    ),
    "admin.delivery_show": Rule("staff", "/admin/deliveries/{stock_delivery_id}", {"GET": 200}),
    "admin.stock_levels": Rule("staff", "/admin/stock", {"GET": 200}),
    "admin.stock_ledger": Rule("staff", "/admin/stock/products/{stock_product_id}", {"GET": 200}),
    "admin.waste_new": Rule("staff", "/admin/stock/waste", {"GET": 200, "POST": 200}),
    "admin.transfer_new": Rule("staff", "/admin/stock/transfers", {"GET": 200, "POST": 200}),
    "admin.morning_list": Rule("staff", "/admin/stock/morning-list", {"GET": 200}),
    "admin.stock_count_start": Rule("staff", "/admin/stock-counts", {"GET": 200}),
    # a count without any quantity filled in books nothing and asks for one
    "admin.stock_count_sheet": Rule(
        "staff", "/admin/stock-counts/{stock_location_id}", {"GET": 200, "POST": 200}
    ),
    "admin.stock_count_result": Rule(
        "staff", "/admin/stock-counts/results/{stock_count_move_id}", {"GET": 200}
    ),
    # a correction posted without a reason re-shows the form and asks for one
    "admin.delivery_correct": Rule(
        "staff", "/admin/deliveries/{stock_delivery_id}/correct", {"GET": 200, "POST": 200}
    ),
    "admin.waste_reverse": Rule(
        "staff", "/admin/stock/waste/{stock_waste_move_id}/reverse", {"GET": 200, "POST": 200}
    ),
    "admin.stock_count_reverse": Rule(
        "staff",
        "/admin/stock-counts/results/{stock_count_move_id}/reverse",
        {"GET": 200, "POST": 200},
    ),
}


def world_values(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """Make the rows these endpoints' URLs need; return their ids by URL variable name."""
    with app.app_context():
        farm = db.session.scalar(select(PointOfSale).where(PointOfSale.code == "HW"))
        assert farm is not None
        shelf = Location(code="HW-REK", name="Winkelrek", kind="shelf", sells_for=farm)
        db.session.add(shelf)
        bread = db.session.get_one(Product, farm_shop["bread"])
        now = utcnow()
        delivery = receive_delivery(
            None, shelf, [DeliveredLine(bread, 6000, 150, "L1", date(2030, 1, 1))], None, now
        )
        counted = record_count(bread, shelf, 4000, None, now)
        wasted = book_waste(bread, shelf, 1000, "expired", None, now)
        db.session.commit()
        return {
            "stock_point_of_sale_id": farm.id,
            "stock_location_id": shelf.id,
            "stock_delivery_id": delivery.id,
            "stock_product_id": bread.id,
            "stock_count_move_id": counted[0].id,
            "stock_waste_move_id": wasted[0].id,
        }

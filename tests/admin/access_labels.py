"""Access rules of the back-office pages for barcodes and labels."""

from __future__ import annotations

from typing import Any

from flask import Flask

from kiosk.extensions import db
from kiosk.models import PointOfSale, Product
from tests.admin.access_rule import Rule

# codes of their own, so no other area's products can clash with them
LABEL_BREAD_CODE = "5410000990013"
LABEL_CHEESE_CODE = "2999001000004"

ENDPOINTS: dict[str, Rule] = {
    # a post without fields re-shows the form: choose at least one label
    "admin.label_list": Rule("staff", "/admin/labels", {"GET": 200, "POST": 200}),
    "admin.label_sheet": Rule(
        "staff", "/admin/labels/sheet?layout=3x8&start=2&label={label_product_id}:3", {"GET": 200}
    ),
    "admin.product_label_show": Rule(
        "staff", "/admin/labels/products/{label_weighed_product_id}?weight=0,5", {"GET": 200}
    ),
    # a post without fields re-shows the label page: the weight and a printer are missing
    "admin.product_label_print": Rule(
        "staff", "/admin/labels/products/{label_weighed_product_id}/print", {"POST": 200}
    ),
    "admin.label_barcode_png": Rule(
        "staff", f"/admin/labels/ean13/{LABEL_BREAD_CODE}.png", {"GET": 200}
    ),
}


def world_values(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """Make the rows these endpoints' URLs need; return their ids by URL variable name."""
    with app.app_context():
        farm = db.session.query(PointOfSale).filter_by(code="HW").one()
        bread = Product(
            name="Etiketbrood", price_cents=380, barcode=LABEL_BREAD_CODE, points_of_sale=[farm]
        )
        cheese = Product(
            name="Etiketkaas",
            price_cents=2490,
            unit="kg",
            barcode=LABEL_CHEESE_CODE,
            points_of_sale=[farm],
        )
        db.session.add_all([bread, cheese])
        db.session.commit()
        return {"label_product_id": bread.id, "label_weighed_product_id": cheese.id}

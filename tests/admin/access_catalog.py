"""Access rules of the back-office pages for products, categories, producers, the products file."""

from __future__ import annotations

from typing import Any

from flask import Flask

from kiosk.extensions import db
from kiosk.models import Category, Producer
from tests.admin.access_rule import Rule

# a form post with only a CSRF token lacks the required fields: the form comes back (200)
ENDPOINTS: dict[str, Rule] = {
    "admin.product_list": Rule("staff", "/admin/products", {"GET": 200}),
    "admin.product_new": Rule("staff", "/admin/products/new", {"GET": 200, "POST": 200}),
    "admin.product_edit": Rule("staff", "/admin/products/{product_id}", {"GET": 200, "POST": 200}),
    "admin.product_deactivate": Rule(
        "staff", "/admin/products/{product_id}/deactivate", {"POST": 302}
    ),
    "admin.product_reactivate": Rule(
        "staff", "/admin/products/{product_id}/reactivate", {"POST": 302}
    ),
    # without chosen products the page asks for some; a post without fields shows the form again
    "admin.product_bulk": Rule("staff", "/admin/products/bulk", {"GET": 200, "POST": 200}),
    "admin.category_list": Rule("staff", "/admin/categories", {"GET": 200}),
    "admin.category_new": Rule("staff", "/admin/categories/new", {"GET": 200, "POST": 200}),
    "admin.category_edit": Rule(
        "staff", "/admin/categories/{category_id}", {"GET": 200, "POST": 200}
    ),
    "admin.producer_list": Rule("staff", "/admin/producers", {"GET": 200}),
    "admin.producer_new": Rule("staff", "/admin/producers/new", {"GET": 200, "POST": 200}),
    "admin.producer_edit": Rule(
        "staff", "/admin/producers/{producer_id}", {"GET": 200, "POST": 200}
    ),
    # the upload page: a post without a file asks for one
    "admin.product_file": Rule("staff", "/admin/products/file", {"GET": 200, "POST": 200}),
    "admin.product_export": Rule("staff", "/admin/products/export.xlsx", {"GET": 200}),
}


def world_values(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """Make the rows these endpoints' URLs need; return their ids by URL variable name."""
    with app.app_context():
        producer = Producer(name="Kippenhof Janssens", town="Houwaart", distance_km=4)
        category = Category(name="Honing", pictogram="1F36F", position=6)
        db.session.add_all([producer, category])
        db.session.commit()
        return {
            "product_id": farm_shop["bread"],
            "category_id": category.id,
            "producer_id": producer.id,
        }

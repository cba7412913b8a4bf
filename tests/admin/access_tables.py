"""Access rules of the bistro's floor: the tables (managers) and the open tabs (staff)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from kiosk.extensions import db
from kiosk.models import DiningTable, PointOfSale
from tests.admin.access_rule import Rule

# a form post with only a CSRF token lacks the table's number: the form comes back (200)
ENDPOINTS: dict[str, Rule] = {
    "admin.table_list": Rule("manager", "/admin/tables", {"GET": 200}),
    "admin.table_new": Rule("manager", "/admin/tables/new", {"GET": 200, "POST": 200}),
    "admin.table_edit": Rule("manager", "/admin/tables/{table_id}", {"GET": 200, "POST": 200}),
    "admin.table_deactivate": Rule("manager", "/admin/tables/{table_id}/deactivate", {"POST": 302}),
    "admin.table_reactivate": Rule("manager", "/admin/tables/{table_id}/reactivate", {"POST": 302}),
    "admin.open_tab_list": Rule("staff", "/admin/tabs", {"GET": 200}),
}


def world_values(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """Make the rows these endpoints' URLs need; return their ids by URL variable name."""
    with app.app_context():
        bistro = PointOfSale(
            code="BI", name="Bistro", default_consumption="eat_in", payment_methods="cash|card"
        )
        table = DiningTable(point_of_sale=bistro, number=1, name="Tafel 1", colour="#1f6f3f")
        db.session.add_all([bistro, table])
        db.session.commit()
        return {"table_id": table.id}

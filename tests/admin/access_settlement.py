"""Access rules of the back-office pages for consignment settlement and stock valuation."""

from __future__ import annotations

from typing import Any

from flask import Flask

from kiosk.extensions import db
from kiosk.models import Producer
from tests.admin.access_rule import Rule

ENDPOINTS: dict[str, Rule] = {
    "admin.settlement_index": Rule("manager", "/admin/settlement", {"GET": 200}),
    "admin.settlement_show": Rule(
        "manager", "/admin/settlement/{settlement_producer_id}", {"GET": 200}
    ),
    "admin.settlement_export": Rule(
        "manager", "/admin/settlement/{settlement_producer_id}/statement.xlsx", {"GET": 200}
    ),
    "admin.valuation_show": Rule("manager", "/admin/valuation", {"GET": 200}),
    "admin.valuation_export": Rule("manager", "/admin/valuation/products.csv", {"GET": 200}),
}


def world_values(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """Make the rows these endpoints' URLs need; return their ids by URL variable name."""
    with app.app_context():
        producer = Producer(name="Hoeve De Linde", consignment=True, commission_percent=20)
        db.session.add(producer)
        db.session.commit()
        return {"settlement_producer_id": producer.id}

"""Access rules of refunds at the till: the till's token only (the staff PIN is in the body)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.admin.access_rule import Rule

# a refund without an Idempotency-Key is refused before anything is looked up (400);
# a lookup without a receipt number is 400 too
ENDPOINTS: dict[str, Rule] = {
    "api.recent_sales": Rule("till", "/api/v1/sales/recent", {"GET": 200}),
    "api.lookup_sale": Rule("till", "/api/v1/sales/lookup", {"GET": 400}),
    "api.create_refund": Rule("till", "/api/v1/sales/{sale_id}/refunds", {"POST": 400}),
}


def world_values(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """These URLs need no rows beyond the farm shop's (sale_id comes from the base world)."""
    return {}

"""Access rules of the managers' dashboard (charts, top products, waste and the GKS watch)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.admin.access_rule import Rule

ENDPOINTS: dict[str, Rule] = {
    "admin.dashboard": Rule("manager", "/admin/dashboard", {"GET": 200}),
}


def world_values(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """Make the rows these endpoints' URLs need; return their ids by URL variable name."""
    return {}

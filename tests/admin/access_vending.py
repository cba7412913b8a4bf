"""Access rules of the vending machine pages: staff do the rounds; managers add a machine."""

from __future__ import annotations

from typing import Any

from flask import Flask

from kiosk.extensions import db
from kiosk.models import Product
from kiosk.vending.machines import add_machine, save_compartment
from tests.admin.access_rule import Rule

ENDPOINTS: dict[str, Rule] = {
    "admin.vending_list": Rule("staff", "/admin/vending", {"GET": 200}),
    # a post without a code and name re-shows the form
    "admin.vending_machine_new": Rule("manager", "/admin/vending/new", {"GET": 200, "POST": 200}),
    "admin.vending_machine": Rule("staff", "/admin/vending/{machine_id}", {"GET": 200}),
    "admin.vending_compartment_new": Rule(
        "staff", "/admin/vending/{machine_id}/compartments/new", {"GET": 200, "POST": 200}
    ),
    "admin.vending_compartment_edit": Rule(
        "staff", "/admin/vending/compartments/{compartment_id}", {"GET": 200, "POST": 200}
    ),
    # a compartment with goods inside: the removal is refused, and says why on the machine's page
    "admin.vending_compartment_remove": Rule(
        "staff", "/admin/vending/compartments/{full_compartment_id}/remove", {"POST": 302}
    ),
    # a post without counts says which are missing
    "admin.vending_refill": Rule("staff", "/admin/vending/refill", {"GET": 200, "POST": 200}),
    "admin.vending_count": Rule(
        "staff", "/admin/vending/{machine_id}/count", {"GET": 200, "POST": 200}
    ),
    # a post without a file re-shows the count page with the file's error
    "admin.vending_dex_import": Rule("staff", "/admin/vending/{machine_id}/dex", {"POST": 422}),
    "admin.vending_emptying": Rule(
        "staff", "/admin/vending/{machine_id}/empty", {"GET": 200, "POST": 200}
    ),
    "admin.vending_emptying_list": Rule("staff", "/admin/vending/emptyings", {"GET": 200}),
}


def world_values(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """Make a machine with an empty and a full compartment; return ids by URL variable name."""
    with app.app_context():
        machine = add_machine("AU", "Automaat")
        bread = db.session.get_one(Product, farm_shop["bread"])
        compartment = save_compartment(None, machine, 1, bread, 6)
        full = save_compartment(None, machine, 2, bread, 6)
        full.count_inside = 3
        db.session.commit()
        return {
            "machine_id": machine.id,
            "compartment_id": compartment.id,
            "full_compartment_id": full.id,
        }

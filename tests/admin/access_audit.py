"""Access rules of the audit log and the locks on guessing."""

from __future__ import annotations

from typing import Any

from flask import Flask

from kiosk.audit import log as audit
from kiosk.extensions import db
from tests.admin.access_rule import Rule

ENDPOINTS: dict[str, Rule] = {
    "admin.audit_list": Rule("manager", "/admin/audit", {"GET": 200}),
    "admin.audit_csv": Rule("manager", "/admin/audit.csv", {"GET": 200}),
    # staff unlock care users and colleagues who typed a wrong PIN or password too often
    "admin.lock_list": Rule("staff", "/admin/locks", {"GET": 200}),
    # a post without a key says what to choose and goes back to the list
    "admin.lock_release": Rule("staff", "/admin/locks/release", {"POST": 302}),
}


def world_values(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """Write one audit entry, so the log pages have a row to show."""
    with app.app_context():
        audit.record("export", user_name="systeem", subject="export:verkopen", summary="Test.")
        db.session.commit()
    return {}

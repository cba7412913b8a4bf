"""Access rules of the back-office pages for the cash drawer, X and Z reports (managers only)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from kiosk.cash.drawer import close_day, record_cash_count
from kiosk.extensions import db
from kiosk.models import Till, User
from kiosk.models.types import Role
from kiosk.periods import BRUSSELS
from tests.admin.access_rule import Rule

DAY = "2026-11-20"
#: an earlier day of the same till, closed with a Z report
CLOSED_DAY = date(2026, 11, 19)

ENDPOINTS: dict[str, Rule] = {
    "admin.cash_overview": Rule("manager", "/admin/cash", {"GET": 200}),
    "admin.cash_day": Rule("manager", f"/admin/cash/{{till_id}}/{DAY}", {"GET": 200}),
    # a post without fields re-shows the form with its messages
    "admin.cash_open": Rule("manager", f"/admin/cash/{{till_id}}/{DAY}/open", {"POST": 200}),
    "admin.cash_movement": Rule(
        "manager", f"/admin/cash/{{till_id}}/{DAY}/movements", {"POST": 200}
    ),
    "admin.cash_count": Rule(
        "manager", f"/admin/cash/{{till_id}}/{DAY}/count", {"GET": 200, "POST": 200}
    ),
    # closing an uncounted day is refused: back to the drawer with the reason
    "admin.cash_close": Rule(
        "manager", f"/admin/cash/{{till_id}}/{DAY}/close", {"GET": 200, "POST": 302}
    ),
    "admin.x_report": Rule("manager", f"/admin/cash/{{till_id}}/{DAY}/x", {"GET": 200}),
    "admin.x_report_print": Rule(
        "manager", f"/admin/cash/{{till_id}}/{DAY}/x/print", {"POST": 302}
    ),
    "admin.z_report_list": Rule("manager", "/admin/cash/{till_id}/z-reports", {"GET": 200}),
    "admin.z_report_show": Rule("manager", "/admin/z-reports/{z_report_id}", {"GET": 200}),
    "admin.z_report_print": Rule("manager", "/admin/z-reports/{z_report_id}/print", {"POST": 302}),
    # the journal's ledger accounts; a post without fields re-shows the form with its messages
    "admin.account_list": Rule("manager", "/admin/accounts", {"GET": 200}),
    "admin.account_edit": Rule("manager", "/admin/accounts/kas", {"GET": 200, "POST": 200}),
}


def world_values(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """Close an earlier day of the farm shop's till; return its Z report's id."""
    with app.app_context():
        till = db.session.get_one(Till, farm_shop["till_id"])
        manager = db.session.scalar(select(User).where(User.role == Role.MANAGER))
        assert manager is not None
        evening = datetime.combine(CLOSED_DAY, datetime.min.time(), BRUSSELS) + timedelta(hours=18)
        record_cash_count(till, CLOSED_DAY, {1000: 2}, manager, evening, "geteld in de test")
        z_report = close_day(till, CLOSED_DAY, manager, evening)
        db.session.commit()
        return {"z_report_id": z_report.id}

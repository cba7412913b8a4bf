"""The sale catalog each process keeps: read once, and read again after any change anywhere."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from kiosk import create_app
from kiosk.extensions import db
from kiosk.models import Till, User
from kiosk.models.types import utcnow
from tests.admin.catalog_forms import product_fields, submit
from tests.admin.conftest import logged_in, make_team
from tests.admin.test_lists import counted_queries
from tests.conftest import LiveServer, csrf_token
from tests.kiosk.api.test_sale_statements import post_sale


def sale_of(farm_shop: dict[str, Any], *products: str) -> dict[str, Any]:
    """Return a cash sale of one piece of each product, paid with a 50 euro note."""
    return {
        "operator_id": farm_shop["operator_id"],
        "lines": [{"product_id": farm_shop[name], "quantity": "1"} for name in products],
        "payments": [{"method": "cash", "amount_cents": 5000}],
    }


def test_a_change_made_through_another_app_on_the_database_reaches_the_next_sale(
    app: Flask,
    farm_shop: dict[str, Any],
    live_server: LiveServer,
    app_config: dict[str, Any],
    tmp_path: Path,
) -> None:
    """The till's server keeps its catalog; the back office runs in another app instance.

    Nothing tells the till's server about the changes but the stamp in the database.
    """
    token = farm_shop["token"]
    make_team(app)

    def sell(*products: str) -> tuple[int, Any]:
        return post_sale(live_server, token, str(uuid.uuid4()), sale_of(farm_shop, *products))

    assert sell("bread")[0] == 201  # fills the till server's catalog
    with counted_queries(app) as statements:
        status, sale = sell("bread", "eggs")
    assert status == 201 and sale["lines"][0]["unit_price_cents"] == 380
    read = "\n".join(statements)
    for table in ("FROM till", "product_point_of_sale", "FROM vat_rate", "FROM user_account"):
        assert table not in read, f"an unchanged catalog was read again: {table}"

    office = create_app(app_config, instance_path=str(tmp_path / "office"))
    try:
        staff = logged_in(office, "Sam")
        bread_page = f"/admin/products/{farm_shop['bread']}"
        changed = product_fields(office, name="Boerenbrood", price="4,10", version="1")
        assert submit(staff, bread_page, changed).status_code == 302
        status, sale = sell("bread")
        assert status == 201, sale
        assert (sale["lines"][0]["unit_price_cents"], sale["total_cents"]) == (410, 410)

        eggs_page = f"/admin/products/{farm_shop['eggs']}"
        token_field = csrf_token(staff.get(eggs_page).text)
        off = staff.post(f"{eggs_page}/deactivate", data={"csrf_token": token_field})
        assert off.status_code == 302
        status, refusal = sell("eggs")
        assert (status, refusal["error"]) == (422, "inactive_product")

        with office.app_context():  # a person removed, as any process may do it
            db.session.get_one(User, farm_shop["operator_id"]).active = False
            db.session.commit()
        status, refusal = sell("bread")
        assert (status, refusal["error"]) == (422, "unknown_operator")

        with office.app_context():  # and a till unpaired
            till = db.session.get_one(Till, farm_shop["till_id"])
            till.revoked_at = utcnow()
            db.session.commit()
        assert sell("bread")[0] == 401
    finally:
        with office.app_context():
            db.engine.dispose()
    with app.app_context():
        stored = db.session.scalars(select(Till.id)).all()
    assert stored == [farm_shop["till_id"]]


#: the tables whose changes the stamp follows (migration a7c3e9d2f5b1)
WATCHED = (
    "point_of_sale",
    "printer",
    "product",
    "product_point_of_sale",
    "threshold",
    "till",
    "user_account",
    "vat_rate",
)


def test_every_table_a_sale_reads_from_the_catalog_changes_the_stamp(app: Flask) -> None:
    """A migration that rebuilds one of them (SQLite's batch mode) must make its triggers again."""
    with app.app_context():
        connection = db.session.connection()
        if connection.dialect.name == "sqlite":
            rows = connection.exec_driver_sql(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'"
            )
            events = {"insert", "update", "delete"}
        else:
            rows = connection.exec_driver_sql(
                "SELECT event_object_table, event_manipulation FROM information_schema.triggers"
            )
            events = {"INSERT", "UPDATE", "DELETE"}
        found: dict[str, set[str]] = {}
        for table, name in rows:
            found.setdefault(table, set()).add(name.rsplit("_", 1)[-1])
        missing = {table: ", ".join(sorted(events - found.get(table, set()))) for table in WATCHED}
        assert missing == dict.fromkeys(WATCHED, "")

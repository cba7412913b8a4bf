"""Statements run on the driver's cursor store and read what SQLAlchemy would (both engines)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Table, bindparam, event, select, text
from sqlalchemy.exc import IntegrityError

from kiosk import driver_sql
from kiosk.driver_sql import DriverStatement, RowsInsert
from kiosk.extensions import db
from kiosk.models import Location, Lot
from kiosk.sales.sale_catalog import catalog_stamp
from kiosk.stock.sale_consumption import BALANCE_ROWS
from tests.conftest import Shop

LOT_TABLE: Table = Lot.__table__  # type: ignore[assignment]
LOT_KEYS = (
    "product_id",
    "code",
    "best_before",
    "delivery_id",
    "purchase_price_cents",
    "created_at",
)
#: lots of some products, by code, best before and creation time (ids come back in row order)
LOTS_OF = DriverStatement(
    select(Lot.id, Lot.code, Lot.best_before, Lot.created_at)
    .where(Lot.product_id.in_(bindparam("product_ids", expanding=True)))
    .where(Lot.code != bindparam("not_code"))
    .order_by(Lot.id)
)


def lot_row(product_id: int, code: str, moment: datetime) -> dict[str, Any]:
    """Return a lot's columns."""
    return {
        "product_id": product_id,
        "code": code,
        "best_before": date(2026, 3, 29),
        "delivery_id": None,
        "purchase_price_cents": 125,
        "created_at": moment,
    }


@pytest.fixture
def products(app: Flask, shop: Shop) -> list[int]:
    """Two products of the farm shop."""
    shop.point_of_sale()
    return [shop.product("Brood", price_cents=300), shop.product("Kaas", price_cents=500)]


def test_rows_are_written_and_read_as_sqlalchemy_writes_and_reads_them(
    app: Flask, products: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ids in row order across batches; times stored as the ORM stores them, read back in UTC."""
    monkeypatch.setattr(driver_sql, "ROWS_A_STATEMENT", 2)  # five rows: three statements
    heard: list[str] = []
    brussels = timezone(timedelta(hours=1))
    moment = datetime(2026, 3, 29, 1, 59, 59, 0, tzinfo=brussels)  # no microseconds
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: heard.append(a[2]))
        connection = db.session.connection()
        lots = RowsInsert(LOT_TABLE, LOT_KEYS, returning="id")
        rows = [lot_row(products[i % 2], f"L{i}", moment + timedelta(hours=i)) for i in range(5)]
        heard.clear()
        ids = lots.run(connection, rows)
        assert len([sql for sql in heard if sql.startswith("INSERT INTO lot")]) == 3
        by_orm = Lot(**lot_row(products[0], "ORM", moment))
        db.session.add(by_orm)
        db.session.commit()
        assert ids == sorted(ids) and len(set(ids)) == 5
        stored = db.session.execute(text("SELECT id, code, created_at FROM lot ORDER BY id")).all()
        assert [(row.id, row.code) for row in stored[:5]] == list(
            zip(ids, [row["code"] for row in rows], strict=True)
        )
        # the same moment, stored the same way (on SQLite: the same text) as by the ORM
        assert stored[0].created_at == stored[5].created_at
        found = LOTS_OF.all(db.session.connection(), {"product_ids": products, "not_code": "L4"})
        assert [row[1] for row in found] == ["L0", "L1", "L2", "L3", "ORM"]
        first = found[0]
        assert first[2] == date(2026, 3, 29)  # a date, not text
        assert first[3] == moment and first[3].tzinfo is not None  # an aware time, in UTC
        assert first[3].utcoffset() == timedelta(0)
        assert (
            LOTS_OF.scalar(db.session.connection(), {"product_ids": [-1], "not_code": ""}) is None
        )
        assert any(sql.startswith("SELECT lot.id") for sql in heard)
        db.session.rollback()


def test_a_broken_rule_is_sqlalchemys_integrity_error_and_the_session_goes_on(
    app: Flask, products: list[int]
) -> None:
    """A unique key refused on the driver's cursor raises what kiosk.api.idempotency catches."""
    with app.app_context():
        stamp = DriverStatement(select(catalog_stamp.c.stamp).where(catalog_stamp.c.id == 1))
        kept = stamp.scalar(db.session.connection(), {})
        assert kept is not None  # the app's database has the stamp's row
        stamps = RowsInsert(catalog_stamp, ("id", "stamp"))
        with pytest.raises(IntegrityError):
            stamps.run(db.session.connection(), [{"id": 1, "stamp": kept + 1}])
        db.session.rollback()
        assert stamp.scalar(db.session.connection(), {}) == kept
        with pytest.raises(ValueError, match="empty list"):
            LOTS_OF.all(db.session.connection(), {"product_ids": [], "not_code": ""})
        with pytest.raises(KeyError):  # a column left out is a bug, not a NULL
            RowsInsert(LOT_TABLE, LOT_KEYS).run(db.session.connection(), [{"code": "x"}])
        db.session.rollback()


def test_a_moment_without_a_time_zone_is_refused(app: Flask, products: list[int]) -> None:
    """Times go through the column type's own check (UTCDateTime refuses naive times)."""
    naive = datetime(2026, 1, 1, 12, 0)
    with app.app_context():
        lots = RowsInsert(LOT_TABLE, LOT_KEYS)
        with pytest.raises(ValueError, match="naive"):
            lots.run(db.session.connection(), [lot_row(products[0], "N", naive)])
        db.session.rollback()
        assert datetime(2026, 1, 1, 12, tzinfo=UTC)  # the aware one is fine (above)


def test_postgresql_markers_are_numbered_once_and_percent_signs_kept() -> None:
    """`%s` becomes `$1`, `$2`, …; an escaped `%%` is a plain `%` (psycopg's raw cursor)."""
    sql = "SELECT a FROM t WHERE b = %s AND c LIKE 'x%%' AND d IN (%s, %s)"
    assert (
        driver_sql.numbered(sql) == "SELECT a FROM t WHERE b = $1 AND c LIKE 'x%' AND d IN ($2, $3)"
    )
    assert driver_sql.numbered("ROLLBACK") == "ROLLBACK"


def test_a_statement_of_many_parameters_runs_on_either_engine(
    app: Flask, products: list[int]
) -> None:
    """Twenty lots in one INSERT (120 parameters: psycopg parses over 50 anew), a long IN list."""
    moment = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    heard: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: heard.append(a[2]))
        connection = db.session.connection()
        rows = [lot_row(products[i % 2], f"M{i}", moment) for i in range(20)]
        ids = RowsInsert(LOT_TABLE, LOT_KEYS, returning="id").run(connection, rows)
        assert len(ids) == 20
        found = LOTS_OF.all(
            connection, {"product_ids": [*products, *range(-60, 0)], "not_code": ""}
        )
        assert sorted(row[0] for row in found) == ids
        inserts = [sql for sql in heard if sql.startswith("INSERT INTO lot")]
        if db.engine.dialect.name == "postgresql":  # what psycopg's raw cursor was given
            assert "$120" in inserts[0] and "%s" not in inserts[0]
        else:
            assert inserts[0].count("?") == 120
        db.session.rollback()


def test_inserts_together_return_each_ones_ids_and_upsert_adds_on_conflict(
    app: Flask, products: list[int]
) -> None:
    """PostgreSQL writes several tables in one statement; SQLite in one a table; same rows."""
    moment = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    heard: list[str] = []
    with app.app_context():
        places = [Location(code="REK", name="Rek"), Location(code="KOEL", name="Koel")]
        db.session.add_all(places)
        db.session.flush()
        shelf, cold = (place.id for place in places)
        event.listen(db.engine, "before_cursor_execute", lambda *a: heard.append(a[2]))
        connection = db.session.connection()
        lots = RowsInsert(LOT_TABLE, LOT_KEYS, returning="id")

        def balance(location: int, quantity: int) -> dict[str, Any]:
            return {
                "product_id": products[0],
                "location_id": location,
                "lot_key": 0,
                "lot_id": None,
                "quantity_milli": quantity,
            }

        heard.clear()
        first, second, nothing = driver_sql.insert_together(
            connection,
            [
                (lots, [lot_row(products[0], "A", moment), lot_row(products[1], "B", moment)]),
                (BALANCE_ROWS, [balance(shelf, 1000), balance(cold, -250)]),
                (lots, []),
            ],
        )
        assert len(first) == 2 and first == sorted(first) and second == [] and nothing == []
        expected = 1 if db.engine.dialect.name == "postgresql" else 2
        assert len([sql for sql in heard if "INSERT INTO" in sql]) == expected
        driver_sql.insert_together(connection, [(BALANCE_ROWS, [balance(shelf, -300)])])
        stored = db.session.execute(
            text("SELECT location_id, quantity_milli FROM stock_balance ORDER BY location_id")
        ).all()
        assert [tuple(row) for row in stored] == [(shelf, 700), (cold, -250)]  # added on conflict
        codes = db.session.execute(text("SELECT id, code FROM lot ORDER BY id")).all()
        assert [tuple(row) for row in codes] == list(zip(first, ["A", "B"], strict=True))
        db.session.rollback()

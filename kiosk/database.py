"""Engine set-up: SQLite pragmas and write transactions that take the lock up front."""

from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from kiosk.extensions import db

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def register_database(app: Flask) -> None:
    """Bind SQLAlchemy and tune SQLite connections for several tablets at once."""
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Turn on WAL, foreign keys and a busy timeout; start write requests with BEGIN IMMEDIATE.

    In WAL mode a transaction that read first and then writes fails at once with SQLITE_BUSY when
    another writer got in between; the busy timeout does not help there. Write requests therefore
    take the write lock when they begin, and wait their turn instead of failing a sale.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("sqlite_immediate") or (
            has_request_context() and request.method in WRITE_METHODS
        )
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

"""Engine set-up: SQLite pragmas and write transactions that take the lock up front."""

from __future__ import annotations

import logging
import threading
from typing import Any, TypeVar

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app, has_request_context, request
from flask_migrate import upgrade as alembic_upgrade
from sqlalchemy import Select, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from kiosk.extensions import db, migrate

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: app.extensions key of the lock that queues this process's SQLite write transactions
WRITE_LOCK = "pluskassa.sqlite_write_lock"
#: key in a pooled connection's info: the connection holds the write lock
HOLDS_WRITE_LOCK = "pluskassa.holds_write_lock"

log = logging.getLogger(__name__)


def register_database(app: Flask) -> None:
    """Bind SQLAlchemy and tune SQLite connections for several tablets at once."""
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            app.extensions[WRITE_LOCK] = configure_sqlite(
                engine, app.config["SQLITE_BUSY_TIMEOUT_MS"]
            )
        elif engine.dialect.name == "postgresql":
            configure_postgresql(engine, app.config["POSTGRESQL_RANDOM_PAGE_COST"])


def configure_postgresql(engine: Engine, random_page_cost: float) -> None:
    """Tell PostgreSQL's planner what an index look-up costs on the server's disk.

    The default (4, for spinning disks) makes it scan a million-row table rather than look up
    a month's sales by index; on an SSD a look-up costs about as much as a sequential read.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET random_page_cost = {float(random_page_cost)}")
        dbapi_connection.commit()


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> threading.Lock:
    """Turn on WAL, foreign keys and a busy timeout; start write requests with BEGIN IMMEDIATE.

    In WAL mode a transaction that read first and then writes fails at once with SQLITE_BUSY when
    another writer got in between; the busy timeout does not help there. Write requests therefore
    take the write lock when they begin, and wait their turn instead of failing a sale.

    SQLite's busy handler waits for that lock by sleeping and retrying, with naps that grow to
    100 ms, so threads of one process queueing that way leave the lock idle most of the time and
    a sale can wait seconds behind a short queue. This process's write transactions therefore
    queue on a Python lock first, which hands over as soon as it is free, and hold it until
    their connection goes back to the pool after COMMIT or ROLLBACK (or starts a read-only
    transaction). The busy timeout still covers other processes on the same file; a transaction
    that waited the whole busy timeout for the Python lock goes on without it. Returns the lock.
    """
    write_lock = threading.Lock()
    wait_seconds = busy_timeout_ms / 1000

    def release_write_lock(info: dict[Any, Any]) -> None:
        if info.pop(HOLDS_WRITE_LOCK, False):
            write_lock.release()

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
        info = connection.info
        if not immediate:
            release_write_lock(info)  # a new transaction: the last write one has ended
            connection.exec_driver_sql("BEGIN")
            return
        if not info.get(HOLDS_WRITE_LOCK):
            if write_lock.acquire(timeout=wait_seconds):
                info[HOLDS_WRITE_LOCK] = True
            else:
                log.warning("waited %.0f s for the SQLite write lock; going on", wait_seconds)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            release_write_lock(info)
            raise

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        release_write_lock(record.info)

    return write_lock


#: ids are 32-bit integers on every engine; a bigger number names no row (and would overflow)
MAX_ROW_ID = 2**31 - 1


Row = TypeVar("Row")


def get_row(model: type[Row], row_id: int) -> Row | None:
    """Return the row with this id, or None (also for ids too big for the database)."""
    return db.session.get(model, row_id) if 0 < row_id <= MAX_ROW_ID else None


#: PostgreSQL's SQLSTATE for a write in a read-only transaction (a read-only server or database)
READ_ONLY_SQL_TRANSACTION = "25006"


def is_database_unavailable(error: BaseException) -> bool:
    """Return whether an error says the database cannot be read or written just now.

    Disk full, a read-only file or server, a lock held beyond the busy timeout, a lost
    connection: the request was right, the database could not take it. Broken SQL or a broken
    rule (IntegrityError) are bugs, not faults, and stay 500s.
    """
    if not isinstance(error, DBAPIError):
        return False
    if isinstance(error, OperationalError | InterfaceError) or error.connection_invalidated:
        return True
    return getattr(error.orig, "sqlstate", None) == READ_ONLY_SQL_TRANSACTION


def forget_broken_connections() -> None:
    """Roll the session back and close the pooled connections after a database fault.

    A connection opened while the fault lasted (read-only, or half-dead) may keep failing after
    the fault is gone; new connections see the database as it is now, so the server recovers
    without a restart. Connections other requests hold are closed when they come back.
    """
    try:
        db.session.rollback()
    except SQLAlchemyError:  # the connection is gone; the session forgets it all the same
        log.warning("rollback after a database fault failed", exc_info=True)
    db.session.close()
    db.engine.dispose()


def database_takes_writes() -> bool:
    """Return whether the database can be written now: a write, rolled back.

    A pooled connection opened while a fault lasted may still refuse; the probe then drops the
    pool and asks once more on a new connection, so it tells the database's state, not the pool's.
    """
    return write_probe() or write_probe()


def write_probe() -> bool:
    """Rewrite the one row Alembic keeps as itself, in a transaction never committed."""
    try:
        db.session.connection(execution_options={"sqlite_immediate": True})
        db.session.execute(text("UPDATE alembic_version SET version_num = version_num"))
    except SQLAlchemyError as error:
        log.warning("health probe: the database takes no writes: %s", error)
        forget_broken_connections()
        return False
    db.session.rollback()
    return True


class SchemaOutdated(RuntimeError):
    """The database is older than this version of PlusKassa."""


def upgrade_database() -> None:
    """Run every pending migration, then add rates and thresholds the database lacks."""
    from kiosk.demo.loader import load_rules  # the loader reads models that import this module

    alembic_upgrade(directory=migrate.directory)
    load_rules()


def check_schema_current() -> None:
    """Refuse to serve a database that has not been upgraded to this version's schema."""
    config = current_app.extensions["migrate"].migrate.get_config(migrate.directory)
    head = ScriptDirectory.from_config(config).get_current_head()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        raise SchemaOutdated(
            "De database is niet bijgewerkt. Voer eerst `pluskassa db upgrade` uit."
        )


#: a select of any columns (the lists build their queries in steps: kiosk.*.overview)
AnySelect = Select[*tuple[Any, ...]]

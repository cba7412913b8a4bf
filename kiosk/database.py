"""Engine set-up: SQLite pragmas and write transactions that take the lock up front."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from alembic.script import ScriptDirectory
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_migrate import upgrade as alembic_upgrade
from sqlalchemy import Select, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from kiosk.driver_sql import run_plain
from kiosk.extensions import db, migrate

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: app.extensions key of the lock that queues this process's SQLite write transactions
WRITE_LOCK = "pluskassa.sqlite_write_lock"
#: key in a pooled connection's info: the connection holds the write lock
HOLDS_WRITE_LOCK = "pluskassa.holds_write_lock"
#: key in a pooled connection's info: a write request reads first (see begin_writing)
READS_FIRST = "pluskassa.reads_first"
#: views that read before they write: their write lock waits for begin_writing()
READING_VIEWS: set[Callable[..., Any]] = set()
#: app.extensions key of the lane SQLite's reading-first requests go through one at a time
SALE_LANE = "pluskassa.sqlite_sale_lane"
#: key in flask.g: this request is in the sale lane
IN_SALE_LANE = "pluskassa_in_sale_lane"

log = logging.getLogger(__name__)


def register_database(app: Flask) -> None:
    """Bind SQLAlchemy and tune SQLite connections for several tablets at once."""
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            wait_seconds = app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
            app.extensions[WRITE_LOCK] = configure_sqlite(engine, wait_seconds)
            register_sale_lane(app, wait_seconds)
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


def configure_sqlite(engine: Engine, wait_seconds: float) -> threading.Lock:
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
    that waited the whole busy timeout for the Python lock goes on without it. A view marked
    `reading_first` reads in a plain transaction and takes the lock at begin_writing() instead.
    Returns the lock.
    """
    queue = WriteQueue(wait_seconds)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={round(wait_seconds * 1000)}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        info = connection.info
        info.pop(READS_FIRST, None)
        kind = transaction_kind(connection)
        if kind == "immediate":
            queue.begin_immediate(connection)
            return
        if kind == "reads_first":
            info[READS_FIRST] = queue.begin_immediate  # begin_writing() calls it
        queue.release(info)  # a new transaction: the last write one has ended
        run_plain(connection, "BEGIN")

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        queue.release(record.info)

    return queue.lock


def take_in_turn(lock: threading.Lock, wait_seconds: float, what: str) -> bool:
    """Take a lock of this process; after waiting `wait_seconds` in vain, go on without it.

    Returns whether the lock was taken. SQLite's busy timeout still guards the database itself.
    """
    if lock.acquire(timeout=wait_seconds):
        return True
    log.warning("waited %.0f s for the %s; going on", wait_seconds, what)
    return False


def register_sale_lane(app: Flask, wait_seconds: float) -> None:
    """Let SQLite's reading-first write requests (sales) through one at a time, whole.

    Every call into sqlite3 hands Python's interpreter lock to another thread, and back: two
    sales whose Python runs side by side (one checking and pricing, the other writing under the
    write lock) hand it over at each of their ~30 driver calls, which costs each sale about a
    millisecond of CPU more than it costs to run them one after the other (issue 17: bench_sales
    under 1, 2, 3 and 8 sales at once). Their writes queue on the write lock anyway, so a sale
    waits here instead, from its token check to its answer. Other requests do not, and a sale's
    own write transaction still holds SQLite's lock only for its writes. PostgreSQL has no lane:
    there a sale mostly waits for the server, and sales overlap those waits.
    """
    lane = app.extensions[SALE_LANE] = threading.Lock()

    def enter() -> None:
        if (
            request.method in WRITE_METHODS
            and current_app.view_functions.get(request.endpoint or "") in READING_VIEWS
            and IN_SALE_LANE not in g
        ):
            setattr(g, IN_SALE_LANE, take_in_turn(lane, wait_seconds, "SQLite sale lane"))

    def leave() -> None:
        if g.pop(IN_SALE_LANE, False):
            lane.release()

    app.before_request_funcs.setdefault(None, []).insert(0, enter)  # before the token check
    # the last of the request's own work: after the database session went back to its pool
    # (teardown functions run last-registered first)
    app.teardown_appcontext_funcs.insert(0, lambda _error: leave())


class WriteQueue:
    """This process's queue for SQLite write transactions: a lock held until check-in."""

    def __init__(self, wait_seconds: float) -> None:
        self.lock = threading.Lock()
        self.wait_seconds = wait_seconds

    def release(self, info: dict[Any, Any]) -> None:
        """Let the next write transaction in, if this connection's held the lock."""
        if info.pop(HOLDS_WRITE_LOCK, False):
            self.lock.release()

    def begin_immediate(self, connection: Connection) -> None:
        """Take the lock (unless the connection holds it), then SQLite's with BEGIN IMMEDIATE."""
        info = connection.info
        if not info.get(HOLDS_WRITE_LOCK) and take_in_turn(
            self.lock, self.wait_seconds, "SQLite write lock"
        ):
            info[HOLDS_WRITE_LOCK] = True
        try:
            run_plain(connection, "BEGIN IMMEDIATE")
        except BaseException:
            self.release(info)
            raise


def transaction_kind(connection: Connection) -> str:
    """Return how an SQLite transaction begins: "immediate", "reads_first" or "read".

    Write requests begin immediate, unless their view reads first (see begin_writing).
    """
    if connection.get_execution_options().get("sqlite_immediate"):
        return "immediate"
    if not (has_request_context() and request.method in WRITE_METHODS):
        return "read"
    if current_app.view_functions.get(request.endpoint or "") in READING_VIEWS:
        return "reads_first"
    return "immediate"


def reading_first(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a write view that does its reads before it takes the SQLite write lock.

    Its transaction starts as a read transaction; the view's operation calls begin_writing()
    before its first write, and re-checks there what another request may have changed.
    """
    READING_VIEWS.add(view)
    return view


def begin_writing() -> bool:
    """Turn a reading-first request's read transaction into a write transaction.

    In WAL mode a read transaction that later writes fails with SQLITE_BUSY when another writer
    committed in between, so the read transaction ends here (it wrote nothing) and the write
    transaction begins as every write request's does: this process's write lock, then BEGIN
    IMMEDIATE. A no-op on PostgreSQL and in transactions that took the write lock at once.
    Returns whether a new transaction began (what was read before may have changed since).
    """
    connection = db.session.connection()
    begin_immediate = connection.info.pop(READS_FIRST, None)
    if begin_immediate is None:
        return False
    if db.session.new or db.session.dirty or db.session.deleted:
        raise RuntimeError("begin_writing() after a change: that change would be lost")
    run_plain(connection, "ROLLBACK")
    begin_immediate(connection)
    return True


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


class DatabaseUnversioned(RuntimeError):
    """The database has tables but no Alembic revision: not made by PlusKassa's migrations.

    The migrations would start from nothing and stop at the first table that exists, so such a
    database is refused before anything runs; the message names it and says what to do.
    """

    def __init__(self, database: str) -> None:
        super().__init__(database)
        self.message = _l(
            "De database %(database)s heeft tabellen maar geen schemaversie (geen "
            "alembic_version), dus PlusKassa verandert er niets aan: zet ze opzij (verplaats of "
            "hernoem ze), dan maakt PlusKassa een nieuwe, of zet een back-up terug met "
            "`pluskassa restore BESTAND`.",
            database=database,
        )

    def __str__(self) -> str:
        return str(self.message)


def upgrade_database() -> None:
    """Run every pending migration, then add rates and thresholds the database lacks."""
    from kiosk.demo.loader import load_rules  # the loader reads models that import this module

    current_revision()  # refuses a database with tables but no revision, before any change
    alembic_upgrade(directory=migrate.directory)
    load_rules()


#: the table where Alembic keeps the database's revision
VERSION_TABLE = "alembic_version"


def current_revision() -> str | None:
    """Return the database's Alembic revision (None when empty); refuse tables without one."""
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        revision: str | None = None
        if VERSION_TABLE in tables:  # read as Alembic keeps it, without its "Context impl" log
            revision = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    if revision is None and tables - {VERSION_TABLE}:
        raise DatabaseUnversioned(database_name())
    return revision


def database_name() -> str:
    """Return the database as a person finds it: a SQLite file, else its URL without password."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        return url.database or ""
    return url.render_as_string(hide_password=True)


def check_schema_current() -> None:
    """Refuse to serve a database that has not been upgraded to this version's schema."""
    config = current_app.extensions["migrate"].migrate.get_config(migrate.directory)
    head = ScriptDirectory.from_config(config).get_current_head()
    current = current_revision()
    if current != head:
        raise SchemaOutdated(
            "De database is niet bijgewerkt. Voer eerst `pluskassa db upgrade` uit."
        )


#: a select of any columns (the lists build their queries in steps: kiosk.*.overview)
AnySelect = Select[*tuple[Any, ...]]

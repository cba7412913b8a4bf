"""Benchmark: 5-line sales through waitress, the app beside the floor of its own stack.

Run from the repository root (not part of the test run):

    python -m tests.benchmarks.bench_sales                 # SQLite
    PLUSKASSA_TEST_DATABASE_URL=postgresql://… python -m tests.benchmarks.bench_sales
                                                           # SQLite, then also PostgreSQL
    python -m tests.benchmarks.bench_sales --help          # clients, sales, pacing, profiling

What it measures, each against two servers in their own process (waitress, same thread count):
- app:   PlusKassa, create_app() on a fresh database (migrations + the demo plus-plek + 8 tills);
- floor: a bare WSGI function (no Flask, no SQLAlchemy) that parses the same JSON body, finds the
  till by its token hash and writes the same rows — a sale, 5 lines, a payment and the ticket
  number update — in one transaction with the standard sqlite3 module (WAL, synchronous=FULL,
  BEGIN IMMEDIATE) or psycopg, into a database built by the same migrations.

Scenarios:
1. closed loop: 8 clients, each sends its next sale when the previous one is answered
   (8 × 150 measured, after a warm-up) → sales/s, p50/p99 latency, and app/floor throughput;
   goal: the app reaches at least half the floor's throughput.
2. open loop: 8 tills each send one sale every 0.1 s for 10 s (paced by a schedule, random
   phase per till) → p50/p99 response time, measured from the scheduled send time so a slow
   answer that delays the next sale is counted too; goal: p99 < 50 ms.

After each run the stored rows are checked (one sale per 201, ticket numbers 1..N per till).
The load generator runs in this process, each server in its own, so they do not share a GIL.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import hashlib
import http.client
import json
import os
import pstats
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from kiosk.money import cash_round, change_pieces
from kiosk.periods import business_day

REPO_ROOT = Path(__file__).resolve().parents[2]
SECRET = "bench-secret-key"
THREADS = 8
LINES_PER_SALE = 5
TILLS = 8
REQUEST_TIMEOUT = 60
STARTUP_TIMEOUT = 60


# --- the databases ---------------------------------------------------------------------------


@dataclass
class Shop:
    """What the load generator needs to know about a prepared database."""

    url: str
    tokens: list[str]
    operator_id: int
    product_ids: list[int]
    till_ids: list[int] = field(default_factory=list)


def prepare_database(url: str, instance: Path) -> Shop:
    """Build the schema, load the demo, pair 8 bench tills; return tokens and ids."""
    from sqlalchemy import select

    from kiosk import create_app
    from kiosk.database import upgrade_database
    from kiosk.demo.loader import load_demo
    from kiosk.extensions import db
    from kiosk.models import PointOfSale, Product, User
    from kiosk.organisation.people import add_till
    from kiosk.printing.queue import add_printer

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET}, instance_path=str(instance))
    with app.app_context():
        upgrade_database()
        load_demo(SECRET)
        tills = [add_till(f"Bench {n}", "HW", code=f"BX{n}") for n in range(1, TILLS + 1)]
        # a receipt printer, so each sale queues its print job (no worker prints them here)
        add_printer("Bench", "tcp://127.0.0.1:9", profile="TM-T20II", point_of_sale_code="HW")
        shop = Shop(
            url=url,
            tokens=[token for _till, token in tills],
            till_ids=[till.id for till, _token in tills],
            operator_id=db.session.scalars(select(User.id).where(User.name == "Jan")).one(),
            product_ids=list(
                db.session.scalars(
                    select(Product.id)
                    .where(
                        Product.points_of_sale.any(PointOfSale.code == "HW"),
                        Product.unit == "piece",
                        Product.active.is_(True),
                    )
                    .order_by(Product.id)
                    .limit(LINES_PER_SALE)
                )
            ),
        )
        db.session.commit()
        db.engine.dispose()
    return shop


def check_stored(url: str, till_ids: list[int], created: int) -> str:
    """Check one row per created sale and unbroken ticket numbers per till; describe."""
    from sqlalchemy import create_engine, text

    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT till_id, ticket_number FROM sale ORDER BY till_id, ticket_number")
            ).all()
    finally:
        engine.dispose()
    per_till: dict[int, list[int]] = {}
    for till_id, number in rows:
        per_till.setdefault(till_id, []).append(number)
    unbroken = all(
        per_till.get(till_id, []) == list(range(1, len(per_till.get(till_id, [])) + 1))
        for till_id in till_ids
    )
    if len(rows) == created and unbroken and set(per_till) <= set(till_ids):
        return "ok"
    return f"MISMATCH: {len(rows)} rows for {created} created, unbroken={unbroken}"


def sqlalchemy_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@contextlib.contextmanager
def postgres_databases(base: str, count: int) -> Iterator[list[str]]:
    """Create `count` fresh databases beside `base`; drop them afterwards."""
    from sqlalchemy import create_engine, make_url, text

    engine = create_engine(sqlalchemy_url(base), isolation_level="AUTOCOMMIT")
    names = [f"pluskassa_bench_{uuid.uuid4().hex[:10]}" for _ in range(count)]
    try:
        with engine.connect() as connection:
            for name in names:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield [make_url(base).set(database=name).render_as_string(False) for name in names]
    finally:
        with engine.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


# --- the floor: a bare WSGI function -----------------------------------------------------------


class SqliteWriter:
    """One sqlite3 connection per thread, with the app's pragmas."""

    placeholder = "?"

    def __init__(self, path: str) -> None:
        self.path = path

    def connect(self) -> Any:
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            "busy_timeout=10000",
            "synchronous=FULL",
        ):
            connection.execute(f"PRAGMA {pragma}")
        return connection

    def begin(self, connection: Any) -> None:
        connection.execute("BEGIN IMMEDIATE")

    def commit(self, connection: Any) -> None:
        connection.execute("COMMIT")

    def rollback(self, connection: Any) -> None:
        connection.execute("ROLLBACK")

    def end_reads(self, connection: Any) -> None:
        pass  # autocommit reads: no transaction is open before BEGIN IMMEDIATE

    @staticmethod
    def timestamp(moment: datetime) -> Any:
        return moment.replace(tzinfo=None).isoformat(" ")  # as SQLAlchemy stores it in SQLite

    @staticmethod
    def day(moment: date) -> Any:
        return moment.isoformat()


class PostgresWriter(SqliteWriter):
    """One psycopg connection per thread (default synchronous_commit=on)."""

    placeholder = "%s"

    def connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.path)

    def begin(self, connection: Any) -> None:
        pass  # psycopg opens the transaction with the first statement

    def commit(self, connection: Any) -> None:
        connection.commit()

    def rollback(self, connection: Any) -> None:
        connection.rollback()

    def end_reads(self, connection: Any) -> None:
        connection.commit()  # the write transaction starts afresh, as the app's does

    @staticmethod
    def timestamp(moment: datetime) -> Any:
        return moment

    @staticmethod
    def day(moment: date) -> Any:
        return moment


#: the floor's statements, in the order the app issues them; {q} is the driver's placeholder
FLOOR_SQL = {
    "till": "SELECT till.id, till.point_of_sale_id, till.code, till.role, till.revoked_at,"
    " point_of_sale.code, point_of_sale.default_consumption FROM till"
    " JOIN point_of_sale ON point_of_sale.id = till.point_of_sale_id WHERE till.token_hash = {q}",
    "operator": "SELECT id, name, active, pin_hash FROM user_account WHERE id = {q}",
    "products": "SELECT product.id, name, unit, price_cents, vat_class, active FROM product"
    " JOIN product_point_of_sale ON product_point_of_sale.product_id = product.id"
    " WHERE product_point_of_sale.point_of_sale_id = {q} AND product.id IN ({ids})",
    "rates": "SELECT vat_class, consumption, rate_basis_points FROM vat_rate"
    " WHERE valid_from <= {q} ORDER BY valid_from",
    "cash_limit": "SELECT value_cents FROM threshold WHERE name = 'cash_limit'"
    " AND valid_from <= {q} ORDER BY valid_from DESC LIMIT 1",
    "printers": "SELECT id FROM printer WHERE point_of_sale_id = {q} AND role = 'receipt'"
    " AND active",
    "replay": "SELECT id, request_hash FROM sale WHERE till_id = {q} AND idempotency_key = {q}",
    "closed": "SELECT business_day FROM z_report WHERE till_id = {q} AND business_day >= {q}",
    "sequence": "UPDATE ticket_sequence SET last_number = last_number + 1 WHERE till_id = {q}"
    " RETURNING last_number",
    "sale": "INSERT INTO sale (till_id, point_of_sale_id, operator_id, ticket_number,"
    " receipt_number, idempotency_key, request_hash, created_at, rung_up_at, closing_day, late,"
    " consumption, total_cents, rounding_cents, change_cents)"
    " VALUES ({q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}, {q})"
    " RETURNING id",
    "lines": "INSERT INTO sale_line (sale_id, position, product_id, description, unit,"
    " quantity_milli, unit_price_cents, amount_cents, vat_class, vat_rate_basis_points)"
    " VALUES ({q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}, {q}, {q})",
    "payment": "INSERT INTO payment (sale_id, method, amount_cents) VALUES ({q}, {q}, {q})",
    "vat": "INSERT INTO sale_vat (sale_id, rate_basis_points, gross_cents, vat_cents)"
    " VALUES ({q}, {q}, {q}, {q})",
    "product_lock": "SELECT id FROM product WHERE id IN ({ids}) AND stock_tracked ORDER BY id"
    " FOR NO KEY UPDATE",
    "lock": "SELECT stock_balance.product_id FROM stock_balance"
    " JOIN location ON location.id = stock_balance.location_id"
    " WHERE location.sells_for_id = {q} AND stock_balance.product_id IN ({ids})"
    " ORDER BY stock_balance.product_id, stock_balance.lot_key FOR UPDATE OF stock_balance",
    "balances": "SELECT location.id, product.id, stock_balance.lot_id, lot.best_before,"
    " stock_balance.quantity_milli FROM location JOIN product ON product.stock_tracked"
    " LEFT JOIN stock_balance ON stock_balance.product_id = product.id"
    " AND stock_balance.location_id = location.id"
    " LEFT JOIN lot ON lot.id = stock_balance.lot_id"
    " WHERE location.sells_for_id = {q} AND product.id IN ({ids})",
    "moves": "INSERT INTO stock_move (product_id, location_id, lot_id, quantity_milli, kind,"
    " sale_id, created_at) VALUES ({q}, {q}, {q}, {q}, 'sale', {q}, {q})",
    "balance": "INSERT INTO stock_balance (product_id, location_id, lot_key, lot_id,"
    " quantity_milli) VALUES ({q}, {q}, {q}, {q}, {q})"
    " ON CONFLICT (product_id, location_id, lot_key)"
    " DO UPDATE SET quantity_milli = stock_balance.quantity_milli + excluded.quantity_milli",
    "print_job": "INSERT INTO print_job (printer_id, kind, sale_id, payload, state, attempts,"
    " next_attempt_at, created_at) VALUES ({q}, 'receipt', {q}, {q}, 'pending', 0, {q}, {q})",
}


class FloorStatements:
    """The floor's statements for one driver, and how many it issued (executemany counts one)."""

    def __init__(self, placeholder: str) -> None:
        self.sql = {name: text.replace("{q}", placeholder) for name, text in FLOOR_SQL.items()}
        self.count = 0

    def run(self, cursor: Any, name: str, *params: Any, ids: str = "") -> Any:
        """Execute one named statement."""
        self.count += 1
        return cursor.execute(self.sql[name].replace("{ids}", ids), params)

    def run_many(self, cursor: Any, name: str, rows: list[Any]) -> None:
        """Execute one named statement for many rows."""
        self.count += 1
        cursor.executemany(self.sql[name], rows)


@dataclass
class FloorSale:
    """What the floor read and worked out before taking the write lock."""

    till: tuple[Any, ...]
    operator: tuple[Any, ...]
    lines: list[list[Any]]
    vat: list[tuple[int, int, int]]
    printers: list[int]
    ids: str
    total: int
    method: str
    paid: int
    rounding: int
    request_hash: str


def make_floor_app(writer: SqliteWriter) -> Callable[..., Any]:
    """Return a WSGI function that stores each POSTed sale as the app would, and no more.

    The same rows (sale, lines, payment, VAT per rate, stock moves and balances, print job,
    ticket number) and the same checks (till by token hash, operator, products of the point of
    sale, VAT rates and cash limit of the day, idempotency key, Z report, lots first expiry
    first), with the reads that cannot change a sale's outcome done before the write lock.
    """
    local = threading.local()
    statements = FloorStatements(writer.placeholder)

    def floor(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        if environ["PATH_INFO"] == "/bench/statements":
            return answer(start_response, "200 OK", {"statements": statements.count})
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        body = json.loads(raw, parse_float=Decimal)
        now = datetime.now(UTC)
        connection = getattr(local, "connection", None)
        if connection is None:
            connection = local.connection = writer.connect()
        cursor = connection.cursor()
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        key = environ["HTTP_IDEMPOTENCY_KEY"]
        sale = floor_read(writer, statements, cursor, token, body, business_day(now))
        # the key is looked up before the write lock, as the app does; under the lock the
        # sale's unique key (till, key) refuses a sale another request stored meanwhile
        assert statements.run(cursor, "replay", sale.till[0], key).fetchone() is None
        writer.end_reads(connection)
        writer.begin(connection)
        try:
            document = floor_store(writer, statements, cursor, sale, body, key, now)
            cursor.close()
            writer.commit(connection)
        except BaseException:
            writer.rollback(connection)
            raise
        return answer(start_response, "201 Created", document)

    return floor


def floor_read(
    writer: SqliteWriter, run: FloorStatements, cursor: Any, token: str, body: Any, day: date
) -> FloorSale:
    """Find the till, operator, products, rates, cash limit and printers; price the lines."""
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    till = run.run(cursor, "till", token_hash).fetchone()
    assert till[3] == "till" and till[4] is None
    operator = tuple(run.run(cursor, "operator", body["operator_id"]).fetchone())
    assert operator[2] and operator[3] is None
    ids = ", ".join(str(n) for n in sorted({int(line["product_id"]) for line in body["lines"]}))
    products = {row[0]: row[1:] for row in run.run(cursor, "products", till[1], ids=ids)}
    rates = {(c, k): r for c, k, r in run.run(cursor, "rates", writer.day(day))}
    cash_limit = run.run(cursor, "cash_limit", writer.day(day)).fetchone()[0]
    printers = [row[0] for row in run.run(cursor, "printers", till[1])]
    lines, gross = [], Counter[int]()
    for position, line in enumerate(body["lines"], start=1):
        name, unit, price, vat_class, active = products[int(line["product_id"])]
        assert active
        quantity = Decimal(line["quantity"])
        amount = int(price * quantity)
        rate = rates[(vat_class, till[6])]
        gross[rate] += amount
        milli = int(quantity * 1000)
        lines.append(
            [position, line["product_id"], name, unit, milli, price, amount, vat_class, rate]
        )
    ((method, paid),) = ((p["method"], p["amount_cents"]) for p in body["payments"])
    vat = [(r, g, (2 * g * r + 10000 + r) // (20000 + 2 * r)) for r, g in gross.items()]
    total = sum(line[6] for line in lines)
    rounding = cash_round(total) - total if method == "cash" else 0  # the 5-cent rule
    assert method != "cash" or paid <= cash_limit
    assert paid >= total + rounding if method == "cash" else paid == total
    canonical = {  # what the app keeps to tell a replay from a different sale under one key
        "operator_id": operator[0],
        "lines": [[line[1], str(Decimal(line[4]) / 1000)] for line in lines],
        "payments": [[method, paid]],
        "consumption": till[6],
    }
    request_hash = hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()
    return FloorSale(
        till, operator, lines, vat, printers, ids, total, method, paid, rounding, request_hash
    )


def floor_store(
    writer: SqliteWriter,
    run: FloorStatements,
    cursor: Any,
    sale: FloorSale,
    body: Any,
    key: str,
    now: datetime,
) -> dict[str, Any]:
    """Check the Z report, take the ticket number and write the sale's rows."""
    till_id, pos_id, code, _role, _revoked, pos_code, consumption = sale.till
    stamp, day = writer.timestamp(now), writer.day(business_day(now))
    assert not run.run(cursor, "closed", till_id, day).fetchall()
    ((number,),) = run.run(cursor, "sequence", till_id).fetchall()
    receipt = f"{code}-{number:06d}"
    change = sale.paid - sale.total - sale.rounding
    ((sale_id,),) = run.run(
        cursor,
        "sale",
        *(till_id, pos_id, sale.operator[0], number, receipt, key, sale.request_hash),
        *(stamp, stamp, day, False, consumption),
        *(sale.total, sale.rounding, change),
    ).fetchall()
    run.run_many(cursor, "lines", [(sale_id, *line) for line in sale.lines])
    run.run(cursor, "payment", sale_id, sale.method, sale.paid)
    run.run_many(cursor, "vat", [(sale_id, *row) for row in sale.vat])
    if writer.placeholder == "%s":  # PostgreSQL: products, then balances, as the app
        run.run(cursor, "product_lock", ids=sale.ids).fetchall()
        run.run(cursor, "lock", pos_id, ids=sale.ids).fetchall()
    moves = floor_moves(run.run(cursor, "balances", pos_id, ids=sale.ids).fetchall(), sale.lines)
    if moves:
        run.run_many(cursor, "moves", [(*move, sale_id, stamp) for move in moves])
        run.run_many(cursor, "balance", [(p, at, lot or 0, lot, n) for p, at, lot, n in moves])
    payload = json.dumps({"duplicate": False, "open_drawer": True})
    for printer_id in sale.printers:
        run.run(cursor, "print_job", printer_id, sale_id, payload, stamp, stamp)
    moment = now.isoformat()
    return {  # the app's answer, field for field: what the till shows and prints
        "id": sale_id,
        "ticket_number": number,
        "receipt_number": receipt,
        "till": code,
        "point_of_sale": pos_code,
        "operator": {"id": sale.operator[0], "name": sale.operator[1]},
        "created_at": moment,
        "rung_up_at": moment,
        "business_day": business_day(now).isoformat(),
        "late": False,
        "consumption": consumption,
        "lines": [
            {
                "product_id": product_id,
                "description": name,
                "quantity": str(Decimal(milli) / 1000),
                "unit": unit,
                "unit_price_cents": price,
                "amount_cents": amount,
                "vat_rate": str(Decimal(rate) / 100),
            }
            for _position, product_id, name, unit, milli, price, amount, _class, rate in sale.lines
        ],
        "payments": [{"method": sale.method, "amount_cents": sale.paid}],
        "total_cents": sale.total,
        "rounding_cents": sale.rounding,
        "change_cents": change,
        "change": [{"value_cents": v, "count": n} for v, n in change_pieces(change)],
        "vat": [
            {
                "rate": str(Decimal(rate) / 100),
                "base_cents": gross - vat,
                "vat_cents": vat,
                "total_cents": gross,
            }
            for rate, gross, vat in sale.vat
        ],
    }


def floor_moves(rows: list[Any], lines: list[list[Any]]) -> list[tuple[Any, ...]]:
    """Take each line's quantity from its lots, first expiry first; the rest without a lot."""
    lots: dict[int, list[list[Any]]] = {}
    location_id = rows[0][0] if rows else None
    for _location, product_id, lot_id, best_before, left in rows:
        found = lots.setdefault(product_id, [])
        if left is not None:
            found.append([lot_id, best_before, left])
    for found in lots.values():
        found.sort(key=lambda lot: (lot[0] is None, lot[1] is None, str(lot[1]), lot[0] or 0))
    moves = []
    for line in lines:
        if line[1] not in lots:
            continue
        wanted = line[4]
        for lot in lots[line[1]]:
            if wanted and lot[2] > 0:
                taken = min(wanted, lot[2])
                lot[2] -= taken
                wanted -= taken
                moves.append((line[1], location_id, lot[0], -taken))
        if wanted:
            moves.append((line[1], location_id, None, -wanted))
    return moves


def answer(start_response: Callable[..., Any], status: str, document: Any) -> list[bytes]:
    """Send a JSON document."""
    payload = json.dumps(document).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    )
    return [payload]


def counted(app: Any) -> Callable[..., Any]:
    """Wrap the app so GET /bench/statements answers how many SQL statements it issued."""
    from sqlalchemy import event

    from kiosk.extensions import db

    statements = [0]
    with app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def count(*_args: Any) -> None:
            statements[0] += 1

    def wrapper(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ["PATH_INFO"] == "/bench/statements":
            return answer(start_response, "200 OK", {"statements": statements[0]})
        return app(environ, start_response)

    return wrapper


# --- the server process ----------------------------------------------------------------------


def profiled(app: Callable[..., Any], out: Path) -> Callable[..., Any]:
    """Wrap a WSGI app so every request is profiled in its own thread; dump stats at exit."""
    import atexit
    import signal

    lock = threading.Lock()
    profiles: list[cProfile.Profile] = []

    def wrapper(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        profile = cProfile.Profile()
        profile.enable()
        try:
            return list(app(environ, start_response))
        finally:
            profile.disable()
            with lock:
                profiles.append(profile)

    def dump() -> None:
        with lock:
            if profiles:
                stats = pstats.Stats(profiles[0])
                for profile in profiles[1:]:
                    stats.add(profile)
                stats.dump_stats(str(out))

    atexit.register(dump)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    return wrapper


def serve(settings: dict[str, Any]) -> None:
    """Serve the app or the floor with waitress; write the port to the port file."""
    import logging

    from waitress import create_server

    from kiosk.cli.serving import set_aside_startup_objects

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    if settings["kind"] == "app":
        from kiosk import create_app

        app: Callable[..., Any] = counted(
            create_app(
                {"DATABASE_URL": settings["url"], "SECRET_KEY": SECRET},
                instance_path=settings["instance"],
            )
        )
    elif settings["url"].startswith("sqlite"):
        app = make_floor_app(SqliteWriter(settings["url"].removeprefix("sqlite:///")))
    else:
        app = make_floor_app(PostgresWriter(settings["url"]))
    if settings.get("profile"):
        app = profiled(app, Path(settings["profile"]))
    set_aside_startup_objects()  # as `pluskassa serve` does, for the app and the floor alike
    server = create_server(app, host="127.0.0.1", port=0, threads=settings["threads"])
    port_file = Path(settings["port_file"])
    port_file.with_suffix(".tmp").write_text(str(server.effective_port))
    port_file.with_suffix(".tmp").replace(port_file)
    server.run()


class Server:
    """A server process started from this module; stopped on exit of the with-block."""

    def __init__(self, kind: str, url: str, folder: Path, profile: Path | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.log_path = folder / f"{kind}.log"
        self.port_file = folder / f"{kind}.port"
        settings = {
            "kind": kind,
            "url": url,
            "instance": str(folder),
            "threads": THREADS,
            "port_file": str(self.port_file),
            "profile": str(profile) if profile else None,
        }
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.benchmarks.bench_sales",
                    "--serve",
                    json.dumps(settings),
                ],
                cwd=REPO_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.port = 0

    def __enter__(self) -> Server:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.log_path.read_text()[-3000:]}")
            if self.port_file.exists():
                self.port = int(self.port_file.read_text())
                try:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                    try:
                        connection.request("GET", "/healthz")
                        connection.getresponse().read()
                    finally:
                        connection.close()
                    return self
                except OSError:
                    pass
            time.sleep(0.05)
        self.__exit__()
        raise RuntimeError(f"server did not start:\n{self.log_path.read_text()[-3000:]}")

    def cpu_seconds(self) -> float:
        """Return the user + system CPU time the server process used so far (Linux)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def statements(self) -> int:
        """Return how many SQL statements the server issued so far."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request("GET", "/bench/statements")
            count: int = json.loads(connection.getresponse().read())["statements"]
        finally:
            connection.close()
        return count

    def __exit__(self, *_exc: object) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)


# --- the load generator ----------------------------------------------------------------------


class Till:
    """One client on a kept-alive connection, selling 5-line sales."""

    def __init__(self, port: int, token: str, shop: Shop, seed: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        self.token = token
        self.shop = shop
        self.random = random.Random(seed)
        self.statuses: list[int] = []
        self.answer = b""  # the last answer's body

    def sell(self) -> None:
        """Send one sale and read the answer."""
        body = {
            "operator_id": self.shop.operator_id,
            "lines": [
                {"product_id": product, "quantity": str(self.random.randint(1, 3))}
                for product in self.shop.product_ids
            ],
            "payments": [{"method": "cash", "amount_cents": 20000}],
        }
        try:
            self.connection.request(
                "POST",
                "/api/v1/sales",
                body=json.dumps(body).encode(),
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Idempotency-Key": str(uuid.uuid4()),
                    "Content-Type": "application/json",
                },
            )
            response = self.connection.getresponse()
            self.answer = response.read()
            self.statuses.append(response.status)
        except (OSError, http.client.HTTPException):  # no answer: counted as status 0
            self.statuses.append(0)
            self.connection.close()
            self.connection = http.client.HTTPConnection(
                self.connection.host, self.connection.port, timeout=REQUEST_TIMEOUT
            )

    def close(self) -> None:
        self.connection.close()


@dataclass
class Result:
    """Latencies in seconds, the wall time and the statuses of one scenario."""

    latencies: list[float]
    elapsed: float
    statuses: list[int]
    cpu_seconds: float = float("nan")  # the server process's user + system time
    statements: int = 0  # SQL statements the server issued
    answer: bytes = b""  # the first till's last answer

    @property
    def created(self) -> int:
        return self.statuses.count(201)

    @property
    def errors(self) -> int:
        return len(self.statuses) - self.created

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def run_clients(port: int, shop: Shop, work: Callable[[Till, int, float], list[float]]) -> Result:
    """Run one thread per till, released together; return what they measured."""
    tills = [Till(port, token, shop, seed) for seed, token in enumerate(shop.tokens)]
    barrier = threading.Barrier(len(tills) + 1, timeout=60)
    latencies: list[list[float]] = [[] for _ in tills]
    starts: list[float] = []

    def client(index: int) -> None:
        barrier.wait()
        latencies[index] = work(tills[index], index, starts[0])

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(tills))]
    try:
        for thread in threads:
            thread.start()
        starts.append(time.perf_counter())
        barrier.wait()
        for thread in threads:
            thread.join(timeout=600)
        elapsed = time.perf_counter() - starts[0]
    finally:
        for till in tills:
            till.close()
    return Result(
        [x for each in latencies for x in each],
        elapsed,
        [status for till in tills for status in till.statuses],
        answer=tills[0].answer,
    )


def warm_up(port: int, shop: Shop, sales: int) -> Result:
    """Send a few sales per till so connections, caches and the WAL are warm."""

    def work(till: Till, _index: int, _start: float) -> list[float]:
        for _ in range(sales):
            till.sell()
        return []

    return run_clients(port, shop, work)


def closed_loop(port: int, shop: Shop, sales: int) -> Result:
    """Each till sends its next sale as soon as the previous one is answered."""

    def work(till: Till, _index: int, _start: float) -> list[float]:
        measured = []
        for _ in range(sales):
            sent = time.perf_counter()
            till.sell()
            measured.append(time.perf_counter() - sent)
        return measured

    return run_clients(port, shop, work)


def open_loop(port: int, shop: Shop, interval: float, seconds: float) -> Result:
    """Each till sends a sale every `interval` on a fixed schedule with a random phase."""
    phases = random.Random(42)
    offsets = [phases.uniform(0, interval) for _ in shop.tokens]
    count = round(seconds / interval)

    def work(till: Till, index: int, start: float) -> list[float]:
        measured = []
        for n in range(count):
            scheduled = start + offsets[index] + n * interval
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            till.sell()
            measured.append(time.perf_counter() - scheduled)  # late sends count as latency
        return measured

    return run_clients(port, shop, work)


# --- the report ------------------------------------------------------------------------------


@dataclass
class Options:
    clients: int
    sales: int
    warmup: int
    interval: float
    seconds: float
    profile: Path | None


def bench_engine(engine: str, app_url: str, floor_url: str, folder: Path, opts: Options) -> dict:
    """Run both scenarios on the app and the floor of one engine; return the results."""
    results: dict[str, dict[str, Any]] = {}
    for kind, url in (("app", app_url), ("floor", floor_url)):
        shop = prepare_database(url, folder / f"{engine}-{kind}")
        shop.tokens = shop.tokens[: opts.clients]
        profile = opts.profile and kind == "app"
        out = folder / f"{engine}-{kind}.prof"
        with Server(kind, url, folder / f"{engine}-{kind}", out if profile else None) as server:
            warm = warm_up(server.port, shop, opts.warmup)
            results.setdefault("answers", {})[kind] = warm.answer
            cpu_before, statements_before = server.cpu_seconds(), server.statements()
            closed = closed_loop(server.port, shop, opts.sales)
            closed.cpu_seconds = server.cpu_seconds() - cpu_before
            closed.statements = server.statements() - statements_before
            opened = open_loop(server.port, shop, opts.interval, opts.seconds)
        created = warm.created + closed.created + opened.created
        results[kind] = {
            "warm-up": warm,
            "closed": closed,
            "open": opened,
            "check": check_stored(url, shop.till_ids, created),
        }
        if profile and opts.profile:
            target = opts.profile.with_name(f"{opts.profile.stem}-{engine}.prof")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(out, target)
            print(f"profile of the app on {engine}: {target}")
    check_same_answer(results.pop("answers"))
    return results


def check_same_answer(answers: dict[str, Any]) -> None:
    """Fail unless the floor answered the first till's last warm-up sale as the app did.

    Both got the same sales on the same fresh database, so only the times and the sale's id
    (tills sell at once) may differ.
    """
    app, floor = (json.loads(answers[kind]) for kind in ("app", "floor"))
    for document in (app, floor):
        for field_name in ("id", "created_at", "rung_up_at"):
            document.pop(field_name)
    if app != floor:
        raise AssertionError(f"the floor's answer differs from the app's:\n{app}\n{floor}")


def print_tables(engine: str, results: dict[str, dict[str, Any]], opts: Options) -> None:
    """Print the closed-loop and open-loop tables of one engine (Markdown, for the README)."""
    print(
        f"\n{engine}: closed loop, {opts.clients} clients × {opts.sales} sales of "
        f"{LINES_PER_SALE} lines, waitress {THREADS} threads\n"
    )
    print(
        "| server | sales/s | p50 ms | p99 ms | max ms | errors | CPU ms a sale "
        "| statements a sale | stored rows |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for kind in ("app", "floor"):
        closed = results[kind]["closed"]
        sales = max(closed.created, 1)
        print(
            f"| {kind} | {closed.created / closed.elapsed:.0f} | {closed.percentile(50):.1f} "
            f"| {closed.percentile(99):.1f} | {closed.percentile(100):.1f} | {closed.errors} "
            f"| {closed.cpu_seconds * 1000 / sales:.1f} | {closed.statements / sales:.1f} "
            f"| {results[kind]['check']} |"
        )
    for kind in ("app", "floor"):
        for scenario in ("warm-up", "closed", "open"):
            result = results[kind][scenario]
            if result.errors:
                statuses = Counter(status for status in result.statuses if status != 201)
                print(f"  {kind} {scenario} loop answers other than 201: {dict(statuses)}")
    app, floor = results["app"]["closed"], results["floor"]["closed"]
    ratio = (app.created / app.elapsed) / max(floor.created / floor.elapsed, 1e-9)
    print(
        f"\napp/floor throughput: {ratio:.2f}  (goal ≥ 0.50: {'met' if ratio >= 0.5 else 'MISSED'})"
    )
    rate = opts.clients / opts.interval
    print(
        f"\n{engine}: open loop, {opts.clients} tills × one sale every {opts.interval:g} s "
        f"for {opts.seconds:g} s ({rate:.0f} sales/s offered)\n"
    )
    print("| server | sent | p50 ms | p99 ms | max ms | errors | goal p99 ≤ 50 ms |")
    print("|---|---|---|---|---|---|---|")
    for kind in ("app", "floor"):
        opened = results[kind]["open"]
        p99 = opened.percentile(99)
        print(
            f"| {kind} | {len(opened.statuses)} | {opened.percentile(50):.1f} | {p99:.1f} "
            f"| {opened.percentile(100):.1f} | {opened.errors} "
            f"| {'met' if p99 <= 50 else 'MISSED'} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument(
        "--clients", type=int, default=TILLS, choices=range(1, TILLS + 1), help="tills selling"
    )
    parser.add_argument("--sales", type=int, default=150, help="closed-loop sales per client")
    parser.add_argument("--warmup", type=int, default=10, help="warm-up sales per client")
    parser.add_argument("--interval", type=float, default=0.1, help="open-loop seconds per sale")
    parser.add_argument("--seconds", type=float, default=10.0, help="open-loop duration")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--postgresql-only", action="store_true", help="skip SQLite")
    parser.add_argument(
        "--workdir", type=Path, help="new folder to keep the databases and server logs in"
    )
    parser.add_argument(
        "--profile", type=Path, help="cProfile the app server's requests into this .prof file"
    )
    args = parser.parse_args(argv)
    if args.serve:
        serve(json.loads(args.serve))
        return 0
    opts = Options(args.clients, args.sales, args.warmup, args.interval, args.seconds, args.profile)
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, sqlite {sqlite3.sqlite_version}"
    )
    with contextlib.ExitStack() as stack:
        if args.workdir:  # kept afterwards: databases, server logs (tracebacks of any 500)
            folder = args.workdir.resolve()
            folder.mkdir(parents=True, exist_ok=False)
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pk-bench-")))
        app_url = f"sqlite:///{folder / 'app.db'}"
        floor_url = f"sqlite:///{folder / 'floor.db'}"
        if not args.postgresql_only:
            print_tables("SQLite", bench_engine("sqlite", app_url, floor_url, folder, opts), opts)
        base = os.environ.get("PLUSKASSA_TEST_DATABASE_URL")
        if base and not args.sqlite_only:
            with postgres_databases(base, 2) as (pg_app, pg_floor):
                results = bench_engine("postgresql", pg_app, pg_floor, folder, opts)
            print_tables("PostgreSQL", results, opts)
    return 0


if __name__ == "__main__":
    sys.exit(main())

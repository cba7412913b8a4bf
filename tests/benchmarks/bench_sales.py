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
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

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

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET}, instance_path=str(instance))
    with app.app_context():
        upgrade_database()
        load_demo(SECRET)
        tills = [add_till(f"Bench {n}", "HW", code=f"BX{n}") for n in range(1, TILLS + 1)]
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

    @staticmethod
    def timestamp(moment: datetime) -> Any:
        return moment.replace(tzinfo=None).isoformat(" ")  # as SQLAlchemy stores it in SQLite


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

    @staticmethod
    def timestamp(moment: datetime) -> Any:
        return moment


def make_floor_app(writer: SqliteWriter) -> Callable[..., Any]:
    """Return a WSGI function that stores each POSTed sale as the app would, and no more."""
    local = threading.local()
    setup = writer.connect()
    q = writer.placeholder
    tills = {
        row[0]: row[1:]
        for row in setup.execute("SELECT token_hash, id, point_of_sale_id, code FROM till")
    }
    products = {
        row[0]: row[1:]
        for row in setup.execute("SELECT id, name, unit, price_cents, vat_class FROM product")
    }
    setup.close()
    sequence_sql = (
        f"UPDATE ticket_sequence SET last_number = last_number + 1 WHERE till_id = {q} "
        "RETURNING last_number"
    )
    sale_sql = (
        "INSERT INTO sale (till_id, point_of_sale_id, operator_id, ticket_number, receipt_number,"
        " idempotency_key, request_hash, created_at, consumption, total_cents, rounding_cents,"
        f" change_cents) VALUES ({', '.join([q] * 12)}) RETURNING id"
    )
    line_sql = (
        "INSERT INTO sale_line (sale_id, position, product_id, description, unit, quantity_milli,"
        " unit_price_cents, amount_cents, vat_class, vat_rate_basis_points)"
        f" VALUES ({', '.join([q] * 10)})"
    )
    payment_sql = f"INSERT INTO payment (sale_id, method, amount_cents) VALUES ({q}, {q}, {q})"

    def floor(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        body = json.loads(raw, parse_float=Decimal)
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        till_id, point_of_sale_id, code = tills[hashlib.sha256(token.encode()).hexdigest()]
        key = environ["HTTP_IDEMPOTENCY_KEY"]
        lines, vat_classes = [], []
        for position, line in enumerate(body["lines"], start=1):
            name, unit, price, vat_class = products[line["product_id"]]
            quantity = Decimal(line["quantity"])
            amount = int(price * quantity)
            lines.append(
                (position, line["product_id"], name, unit, int(quantity * 1000), price, amount)
            )
            vat_classes.append(vat_class)
        total = sum(line[6] for line in lines)
        paid = body["payments"][0]["amount_cents"]
        connection = getattr(local, "connection", None)
        if connection is None:
            connection = local.connection = writer.connect()
        writer.begin(connection)
        try:
            cursor = connection.cursor()
            ((number,),) = cursor.execute(sequence_sql, (till_id,)).fetchall()
            receipt = f"{code}-{number:06d}"
            ((sale_id,),) = cursor.execute(
                sale_sql,
                (
                    *(till_id, point_of_sale_id, body["operator_id"], number, receipt, key),
                    *("0" * 64, writer.timestamp(datetime.now(UTC)), "takeaway"),
                    *(total, 0, paid - total),
                ),
            ).fetchall()
            cursor.executemany(
                line_sql,
                [
                    (sale_id, *line, vat_class, 600)
                    for line, vat_class in zip(lines, vat_classes, strict=True)
                ],
            )
            cursor.execute(payment_sql, (sale_id, "cash", paid))
            cursor.close()
            writer.commit(connection)
        except BaseException:
            writer.rollback(connection)
            raise
        payload = json.dumps(
            {"id": sale_id, "ticket_number": number, "receipt_number": receipt}
        ).encode()
        start_response(
            "201 Created",
            [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
        )
        return [payload]

    return floor


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

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    if settings["kind"] == "app":
        from kiosk import create_app

        app: Callable[..., Any] = create_app(
            {"DATABASE_URL": settings["url"], "SECRET_KEY": SECRET},
            instance_path=settings["instance"],
        )
    elif settings["url"].startswith("sqlite"):
        app = make_floor_app(SqliteWriter(settings["url"].removeprefix("sqlite:///")))
    else:
        app = make_floor_app(PostgresWriter(settings["url"]))
    if settings.get("profile"):
        app = profiled(app, Path(settings["profile"]))
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
            response.read()
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
            warm_up(server.port, shop, opts.warmup)
            cpu_before = server.cpu_seconds()
            closed = closed_loop(server.port, shop, opts.sales)
            closed.cpu_seconds = server.cpu_seconds() - cpu_before
            opened = open_loop(server.port, shop, opts.interval, opts.seconds)
        created = opts.clients * opts.warmup + closed.created + opened.created
        results[kind] = {
            "closed": closed,
            "open": opened,
            "check": check_stored(url, shop.till_ids, created),
        }
        if profile and opts.profile:
            target = opts.profile.with_name(f"{opts.profile.stem}-{engine}.prof")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(out, target)
            print(f"profile of the app on {engine}: {target}")
    return results


def print_tables(engine: str, results: dict[str, dict[str, Any]], opts: Options) -> None:
    """Print the closed-loop and open-loop tables of one engine."""
    line = "-" * 78
    print(
        f"\n{engine}: closed loop, {opts.clients} clients × {opts.sales} sales of "
        f"{LINES_PER_SALE} lines, waitress {THREADS} threads"
    )
    print(line)
    print(
        f"{'server':<8}{'sales/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}"
        f"{'errors':>8}{'CPU ms/sale':>13}  stored rows"
    )
    for kind in ("app", "floor"):
        closed = results[kind]["closed"]
        print(
            f"{kind:<8}{closed.created / closed.elapsed:>10.0f}{closed.percentile(50):>10.1f}"
            f"{closed.percentile(99):>10.1f}{closed.percentile(100):>10.1f}"
            f"{closed.errors:>8}{closed.cpu_seconds * 1000 / max(closed.created, 1):>13.1f}"
            f"  {results[kind]['check']}"
        )
    for kind in ("app", "floor"):
        for scenario in ("closed", "open"):
            result = results[kind][scenario]
            if result.errors:
                statuses = Counter(status for status in result.statuses if status != 201)
                print(f"  {kind} {scenario} loop answers other than 201: {dict(statuses)}")
    app, floor = results["app"]["closed"], results["floor"]["closed"]
    ratio = (app.created / app.elapsed) / (floor.created / floor.elapsed)
    print(
        f"app/floor throughput: {ratio:.2f}  (goal ≥ 0.50: {'met' if ratio >= 0.5 else 'MISSED'})"
    )
    rate = opts.clients / opts.interval
    print(
        f"\n{engine}: open loop, {opts.clients} tills × one sale every {opts.interval:g} s "
        f"for {opts.seconds:g} s ({rate:.0f} sales/s offered)"
    )
    print(line)
    print(
        f"{'server':<8}{'sent':>8}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'errors':>8}"
        "  goal p99 < 50 ms"
    )
    for kind in ("app", "floor"):
        opened = results[kind]["open"]
        p99 = opened.percentile(99)
        print(
            f"{kind:<8}{len(opened.statuses):>8}{opened.percentile(50):>10.1f}{p99:>10.1f}"
            f"{opened.percentile(100):>10.1f}{opened.errors:>8}  {'met' if p99 < 50 else 'MISSED'}"
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
        print_tables("SQLite", bench_engine("sqlite", app_url, floor_url, folder, opts), opts)
        base = os.environ.get("PLUSKASSA_TEST_DATABASE_URL")
        if base and not args.sqlite_only:
            with postgres_databases(base, 2) as (pg_app, pg_floor):
                results = bench_engine("postgresql", pg_app, pg_floor, folder, opts)
            print_tables("PostgreSQL", results, opts)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Shared fixtures: the app on SQLite or PostgreSQL, clients, a live waitress server, factories.

Set PLUSKASSA_TEST_DATABASE_URL to a PostgreSQL URL to run the whole suite on PostgreSQL;
without it every test runs on a SQLite file made fresh for the session.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from kiosk import create_app, passwords
from kiosk.database import upgrade_database
from kiosk.demo.loader import load_rules
from kiosk.extensions import db
from kiosk.models import Category, PointOfSale, Product
from kiosk.models.types import Role
from kiosk.organisation.people import add_till, add_user
from tests.fake_printer import FakeNetworkPrinter
from tests.system_chromium import ensure_chromium


def _remember_url_builders() -> None:
    """Build each URL rule's builder once per test run instead of once per test's app.

    Every test builds its own app, and werkzeug compiles Python code for each of the ~120 URL
    rules of each app: a quarter of a second a test, minutes a run. A builder depends only on the
    rule, its parsed parts, its defaults and `append_unknown`, so the same one serves every app.
    """
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    builders: dict[tuple[Any, ...], Any] = {}

    def remembered(self: Rule, append_unknown: bool = True) -> Any:
        defaults = repr(sorted((self.defaults or {}).items()))
        key = (self.rule, tuple(self._trace), defaults, append_unknown)
        if key not in builders:
            builders[key] = compile_builder(self, append_unknown)
        return builders[key]

    Rule._compile_builder = remembered  # type: ignore[method-assign]


def _remember_parsed_rules() -> None:
    """Parse each URL rule's text once per test run instead of once per test's app.

    Parsing the ~140 rules of an app with werkzeug's regular expressions took most of the
    tenth of a second `create_app` costs a test. What a parse yields and records depends only
    on the text and the map's converters; each app gets its own copies of the converters.
    """
    from werkzeug.routing.rules import Rule, RulePart

    parse_rule = Rule._parse_rule
    parsed: dict[tuple[Any, ...], tuple[list[RulePart], list[Any], dict[str, Any], set[str]]] = {}

    def remembered(self: Rule, rule: str) -> Iterator[RulePart]:
        assert self.map is not None, "rule not bound"
        key = (rule, tuple(sorted(self.map.converters.items())))
        if key not in parsed:
            trace, converters, arguments = (
                len(self._trace),
                dict(self._converters),
                set(self.arguments),
            )
            parts = list(parse_rule(self, rule))
            added = {
                name: converter
                for name, converter in self._converters.items()
                if converters.get(name) is not converter
            }
            parsed[key] = (parts, self._trace[trace:], added, self.arguments - arguments)
            return iter(parts)
        parts, trace_entries, added, arguments = parsed[key]
        self._trace.extend(trace_entries)
        for name, converter in added.items():
            own = copy.copy(converter)
            own.map = self.map
            self._converters[name] = own
        self.arguments.update(arguments)
        return iter(parts)

    Rule._parse_rule = remembered  # type: ignore[method-assign]


_remember_url_builders()
_remember_parsed_rules()

TEST_DATABASE_ENV = "PLUSKASSA_TEST_DATABASE_URL"
RAM_DISK = "/dev/shm"
SECRET = "test-secret-key"
T = TypeVar("T")


def postgres_url() -> str | None:
    """Return the PostgreSQL URL the suite runs on, if any."""
    return os.environ.get(TEST_DATABASE_ENV) or None


#: the suite hashes passwords and PINs with the shipped method at a 32 times lower cost: tests
#: make and check thousands of them (0.1 s each at the shipped cost); every other step is the same
TEST_HASH_METHOD = "scrypt:1024:8:1"


def pytest_configure(config: pytest.Config) -> None:
    """Before any test starts, lower the hash cost and make sure the system Chromium is there.

    Only the main process checks Chromium (pytest-xdist's workers inherit its answer); a run that
    leaves the browser tests out with `-m "not browser"` needs no browser.
    """
    passwords.HASH_METHOD = TEST_HASH_METHOD
    if hasattr(config, "workerinput") or "not browser" in (config.option.markexpr or ""):
        return
    problem = ensure_chromium()
    if problem:
        pytest.exit(problem, returncode=pytest.ExitCode.USAGE_ERROR)


def pytest_report_header() -> str:
    """Say which database the suite runs on."""
    return f"pluskassa database: {'postgresql' if postgres_url() else 'sqlite'}"


#: tests that take longest, started first so that no xdist worker is left with them at the end
LONGEST_FIRST = ("tests/browser/test_till_text_fits.py", "tests/browser/")


def running_order(item: pytest.Item) -> int:
    """Return where a test goes in the run: the longest walks first, then the browser, then all."""
    path = item.nodeid.split("::")[0]
    return next(
        (rank for rank, start in enumerate(LONGEST_FIRST) if path.startswith(start)),
        len(LONGEST_FIRST),
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start the longest tests first; mark tests that need PostgreSQL, so CI proves none skipped.

    pytest-xdist hands tests out in this order, so the short ones fill the end of every worker's
    run instead of one worker walking the till's pages alone while the other waits.
    """
    items.sort(key=running_order)  # stable: within a rank, the order they were collected in
    for item in items:
        if "postgres_only" in item.keywords and not postgres_url():
            item.add_marker(
                pytest.mark.skip(reason="needs PLUSKASSA_TEST_DATABASE_URL (PostgreSQL)")
            )


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Make an empty database for this run and build its schema through the migrations.

    On PostgreSQL each run gets its own database (dropped at the end), so runs never meet.
    """
    base = postgres_url()
    memory_folder = None
    if base:
        url = create_postgres_database(base)
    else:
        # The same pragmas as a shop (WAL, synchronous=FULL), but on a RAM disk where there is
        # one: each commit's fsync then costs nothing, a quarter of the suite's time on a disk.
        if Path(RAM_DISK).is_dir():
            memory_folder = tempfile.mkdtemp(prefix="pluskassa-test-", dir=RAM_DISK)
            folder = Path(memory_folder)
        else:
            folder = tmp_path_factory.mktemp("db")
        url = "sqlite:///" + str(folder / "pluskassa-test.db")
    build_schema(url, tmp_path_factory)
    yield url
    if base:
        drop_postgres_database(base, url)
    if memory_folder:
        shutil.rmtree(memory_folder, ignore_errors=True)


def build_schema(url: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Build the schema of an empty database through the migrations, as `db upgrade` does."""
    app = create_app(
        {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": SECRET},
        instance_path=str(tmp_path_factory.mktemp("migrate-instance")),
    )
    with app.app_context():
        upgrade_database()
        db.session.commit()
        db.engine.dispose()


def admin_engine(base: str) -> Engine:
    """Connect to the configured PostgreSQL database outside transactions."""
    return create_engine(
        base.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )


def create_postgres_database(base: str) -> str:
    """Create a fresh database beside the configured one and return its URL."""
    name = f"pluskassa_run_{uuid.uuid4().hex[:12]}"
    engine = admin_engine(base)
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        # A commit is acknowledged before the server's WAL reaches the disk: the same answers
        # and locks as a shop's server, without waiting on a disk flush thousands of times.
        connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit TO off'))
    engine.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(base: str, url: str, attempts: int = 20) -> None:
    """Drop a run's database.

    FORCE ends our own connections to it, but not an autovacuum worker that happens to be in
    it (that is the server's, not ours to end): then wait a moment and try again.
    """
    engine = admin_engine(base)
    drop = text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    try:
        for attempt in range(attempts):
            try:
                with engine.connect() as connection:
                    connection.execute(drop)
                return
            except DBAPIError as error:
                if "pg_signal_backend" not in str(error) or attempt == attempts - 1:
                    raise
                time.sleep(0.25)
    finally:
        engine.dispose()


@pytest.fixture
def own_database(tmp_path: Path) -> Iterator[str]:
    """Return the URL of an empty database of this test's own (dropped after it)."""
    base = postgres_url()
    url = create_postgres_database(base) if base else f"sqlite:///{tmp_path / 'own.db'}"
    yield url
    if base:
        drop_postgres_database(base, url)


def empty_all_tables() -> None:
    """Delete every row, children first, keeping the schema and its migration version."""
    delete_every_row()
    db.session.commit()


def delete_every_row() -> None:
    """Delete every row of every table, children first, without committing."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        # one round trip to the server for all of them, not one per table: a test's app
        # empties the tables twice, and each round trip is a millisecond or more
        quote = db.engine.dialect.identifier_preparer.format_table
        deletes = "; ".join(f"DELETE FROM {quote(table)}" for table in tables)
        db.session.connection().exec_driver_sql(deletes)
    else:
        for table in tables:
            db.session.execute(table.delete())


@pytest.fixture
def instance_path(tmp_path: Path) -> Path:
    """Return a fresh instance folder."""
    folder = tmp_path / "instance"
    folder.mkdir()
    return folder


def base_config(database_url: str) -> dict[str, Any]:
    """Return the configuration the tests' apps start from."""
    return {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": SECRET}


@pytest.fixture
def app_config(database_url: str) -> dict[str, Any]:
    """Return the test configuration; tests may change it before `app` is built."""
    return base_config(database_url)


def open_app(config: dict[str, Any], instance: Path) -> Flask:
    """Build the app on the session database, with the Belgian rules loaded and no other rows."""
    application = create_app(config, instance_path=str(instance))
    with application.app_context():
        url = config["DATABASE_URL"]
        if url in RULE_ROWS:
            RULE_ROWS[url].put_back()
        else:
            empty_all_tables()
            load_rules()  # the VAT rates and thresholds, as `db upgrade` loads them
            db.session.commit()
            RULE_ROWS[url] = StoredRows()
    return application


#: the rows load_rules() made in each database, put back as they are for every later test
#: (the same rows in two statements, instead of reading the seed files and the ORM's flush)
RULE_ROWS: dict[str, StoredRows] = {}


def close_app(application: Flask) -> None:
    """Leave the session database empty for the next test and close the app's connections."""
    with application.app_context():
        db.session.rollback()
        empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def app(app_config: dict[str, Any], instance_path: Path) -> Iterator[Flask]:
    """Build the app on the session database, with the Belgian rules loaded and no other rows."""
    application = open_app(app_config, instance_path)
    yield application
    close_app(application)


class StoredRows:
    """Every row of every table at one moment, to start each test of a module from them.

    A module that builds a large world once (a module-scoped fixture) takes its rows with
    `StoredRows()` and calls `put_back()` before each test: the tables then hold exactly those
    rows again, whatever the test before (of this module or another) added, changed or deleted.
    Reading and writing a few hundred rows takes milliseconds; building the world takes a second.
    """

    def __init__(self) -> None:
        self.tables = [
            (table, [dict(row) for row in db.session.execute(table.select()).mappings()])
            for table in db.metadata.sorted_tables
        ]

    def put_back(self) -> None:
        """Delete every row, then insert the stored ones, parents first, and commit."""
        db.session.rollback()
        delete_every_row()
        for table, rows in self.tables:
            if rows:
                db.session.execute(table.insert(), rows)
        db.session.commit()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Return a test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Return a CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """Push an app context for tests that use the models directly."""
    with app.app_context():
        yield


class Shop:
    """Factories for a small shop: points of sale, products, people and tills."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def point_of_sale(
        self,
        code: str = "HW",
        *,
        name: str = "Hoevewinkel",
        consumption: str = "takeaway",
        methods: str = "cash|card",
    ) -> PointOfSale:
        """Add a point of sale."""
        with self.app.app_context():
            pos = PointOfSale(
                code=code, name=name, default_consumption=consumption, payment_methods=methods
            )
            db.session.add(pos)
            db.session.commit()
            db.session.refresh(pos)
            db.session.expunge(pos)
            return pos

    def product(
        self,
        name: str,
        *,
        price_cents: int,
        point_of_sale: str = "HW",
        unit: str = "piece",
        vat_class: str = "food",
        barcode: str | None = None,
        active: bool = True,
        category: str | None = None,
        pictogram: str | None = "1F35E",
    ) -> int:
        """Add a product sold at the given point(s) of sale ('HW|BI'); return its id."""
        with self.app.app_context():
            points = [
                db.session.query(PointOfSale).filter_by(code=code).one()
                for code in point_of_sale.split("|")
            ]
            cat = None
            if category:
                cat = db.session.query(Category).filter_by(name=category).one_or_none()
                cat = cat or Category(name=category, pictogram="1F35E")
            product = Product(
                name=name,
                price_cents=price_cents,
                unit=unit,
                vat_class=vat_class,
                barcode=barcode,
                active=active,
                points_of_sale=points,
                category=cat,
                pictogram=pictogram,
            )
            db.session.add(product)
            db.session.commit()
            return product.id

    def user(
        self,
        name: str = "Jan",
        *,
        role: str = Role.CARE,
        password: str | None = None,
        pin: str | None = None,
    ) -> int:
        """Add a user; return the id."""
        with self.app.app_context():
            if role != Role.CARE and password is None:
                password = f"wachtwoord-{name.lower()}"
            user = add_user(name, role, password=password, pin=pin)
            db.session.commit()
            return user.id

    def till(self, point_of_sale: str = "HW", *, name: str = "Kassa") -> tuple[int, str]:
        """Pair a till; return its id and token."""
        with self.app.app_context():
            till, token = add_till(name, point_of_sale)
            db.session.commit()
            return till.id, token


@pytest.fixture
def shop(app: Flask) -> Shop:
    """Return the factories."""
    return Shop(app)


@pytest.fixture
def farm_shop(shop: Shop) -> dict[str, Any]:
    """A farm shop with a till, a care user and a few products; ids and token in a dict."""
    return make_farm_shop(shop)


def make_farm_shop(shop: Shop) -> dict[str, Any]:
    """Add a farm shop with a till, a care user and a few products; return ids and token."""
    shop.point_of_sale("HW")
    till_id, token = shop.till("HW")
    return {
        "till_id": till_id,
        "token": token,
        "headers": {"Authorization": f"Bearer {token}"},
        "operator_id": shop.user("Jan"),
        "bread": shop.product("Boerenbrood", price_cents=380, category="Brood"),
        "eggs": shop.product("Eieren (6)", price_cents=295, category="Eieren"),
        "cheese": shop.product("Hoevekaas", price_cents=2490, unit="kg", category="Kaas"),
        "candle": shop.product("Kaars", price_cents=1250, vat_class="non_food", category="Kaarsen"),
    }


@pytest.fixture
def goods(shop: Shop) -> dict[str, Any]:
    """A farm shop and a gift shop, each with a till, and products at every rate."""
    shop.point_of_sale("HW")
    shop.point_of_sale("GW")
    return {
        "till": shop.till("HW")[0],
        "gift_till": shop.till("GW", name="Giftshop")[0],
        "operator": shop.user("Jan"),
        "second_operator": shop.user("Lien"),
        "bread": shop.product("Boerenbrood", price_cents=385, category="Brood"),
        "cheese": shop.product("Kaas", price_cents=2495, unit="kg", category="Kaas"),
        "candle": shop.product(
            "Kaars", price_cents=1299, vat_class="non_food", point_of_sale="HW|GW"
        ),
    }


class LiveServer:
    """The app served by a real waitress on 127.0.0.1."""

    def __init__(self, app: Flask, threads: int = 8) -> None:
        from waitress import create_server

        self.server = create_server(app, host="127.0.0.1", port=0, threads=threads)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        # Stop from inside waitress's own loop: closing its sockets from this thread while the
        # loop sits in select() on them now and then kills the loop with EBADF. The workers
        # finish their tasks first; the loop then closes its channels and, its map empty, ends.
        server = self.server
        server.task_dispatcher.shutdown(cancel_pending=False, timeout=10)

        def close_everything() -> None:
            for channel in list(server._map.values()):
                channel.close()

        server.trigger.pull_trigger(close_everything)
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "waitress did not stop"


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """Serve the app through waitress for the test."""
    with LiveServer(app) as server:
        yield server


def csrf_token(html: str) -> str:
    """Find the CSRF token in a rendered form."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def present(value: T | None) -> T:
    """Return a value that must be there, failing when it is None."""
    assert value is not None
    return value


def found(pattern: str | re.Pattern[str], text: str, flags: int = 0) -> re.Match[str]:
    """Search ``text`` for ``pattern`` and return the match, failing when there is none."""
    match = re.search(pattern, text, flags)
    assert match is not None, f"{pattern!r} not found"
    return match


def login(client: FlaskClient, name: str, password: str) -> Any:
    """Log in through the real form, CSRF token and all."""
    page = client.get("/admin/login")
    return client.post(
        "/admin/login",
        data={"name": name, "password": password, "csrf_token": csrf_token(page.text)},
    )


@pytest.fixture
def fake_printer() -> Iterator[FakeNetworkPrinter]:
    """Yield a running fake network printer; its URL is fake_printer.url."""
    printer = FakeNetworkPrinter()
    try:
        yield printer
    finally:
        printer.close()


@pytest.fixture
def cli(app: Flask, database_url: str, instance_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run pluskassa commands against the test database and instance folder."""
    from click.testing import CliRunner

    from kiosk.cli.main import main

    monkeypatch.setenv("PLUSKASSA_DATABASE_URL", database_url)
    monkeypatch.setenv("PLUSKASSA_SECRET_KEY", SECRET)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Any:
        return runner.invoke(main, ["--instance", str(instance_path), *args], input=input)

    return invoke

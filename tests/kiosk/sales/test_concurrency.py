"""Sales under concurrency, through real HTTP: waitress in-process, or two app server processes.

What these tests hold the sales API to:
- one Idempotency-Key makes one sale, however many copies of the request arrive at once, and
  every copy is answered with that sale;
- ticket numbers run per till, unbroken (1, 2, 3, …), never duplicated, even with many tills
  and several clients of one till selling at the same moment; refused requests take none;
- on SQLite every request hands the process's write lock back before it answers;
- on PostgreSQL the same holds across two separate app processes on one database.

Requests go over sockets with the standard library's http.client; every wait is bounded.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy import func, select

from kiosk.database import SALE_LANE, WRITE_LOCK
from kiosk.extensions import db
from kiosk.models import Payment, Sale, SaleLine, TicketSequence, Till
from tests.conftest import SECRET

T = TypeVar("T")

#: Seconds one HTTP request may take before the test fails (never reached when all is well).
REQUEST_TIMEOUT = 30
#: Seconds a thread waits at the start barrier for the others.
BARRIER_TIMEOUT = 15
#: Seconds a server process may take to answer /healthz after it starts.
STARTUP_TIMEOUT = 30
REPO_ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class Answer:
    """The status and JSON document of one HTTP response."""

    status: int
    document: dict[str, Any]


def request(
    base_url: str,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """Send one request on its own connection, read the whole answer, close the connection."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port, timeout=REQUEST_TIMEOUT
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        payload = response.read()
        status = response.status
    finally:
        connection.close()
    try:
        document = json.loads(payload)
    except ValueError:
        document = {"not_json": payload.decode("utf-8", "replace")[:500]}
    return Answer(status, document)


def post_sale(base_url: str, token: str, key: str, body: dict[str, Any]) -> Answer:
    """POST one sale as a till would."""
    return request(
        base_url,
        "POST",
        "/api/v1/sales",
        body=json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": key,
            "Content-Type": "application/json",
        },
    )


def run_together(calls: Sequence[Callable[[], T]]) -> list[T]:
    """Run each call in its own thread, released at the same moment; return results in order."""
    barrier = threading.Barrier(len(calls), timeout=BARRIER_TIMEOUT)

    def start(call: Callable[[], T]) -> T:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(start, call) for call in calls]
        return [future.result(timeout=REQUEST_TIMEOUT * 10) for future in futures]


def sale_body(operator_id: int, products: Sequence[int], n: int = 0) -> dict[str, Any]:
    """Return a valid cash sale of one to three pieces of each product (varied by n)."""
    return {
        "operator_id": operator_id,
        "lines": [
            {"product_id": product, "quantity": str((n + i) % 3 + 1)}
            for i, product in enumerate(products)
        ],
        "payments": [{"method": "cash", "amount_cents": 20000}],
    }


def failures(answers: Sequence[Answer], expected: set[int]) -> list[Answer]:
    """Return the answers whose status is not expected (shown when an assertion fails)."""
    return [answer for answer in answers if answer.status not in expected][:5]


def stored_sales(app: Flask) -> list[tuple[int, int, str, str, int]]:
    """Return every stored sale as (till_id, ticket_number, receipt_number, key, id)."""
    with app.app_context():
        rows = db.session.execute(
            select(
                Sale.till_id, Sale.ticket_number, Sale.receipt_number, Sale.idempotency_key, Sale.id
            ).order_by(Sale.till_id, Sale.ticket_number)
        ).all()
        db.session.rollback()
    return [(*row,) for row in rows]


def last_ticket_numbers(app: Flask) -> dict[int, int]:
    """Return the last ticket number each till's sequence handed out."""
    with app.app_context():
        rows = db.session.execute(select(TicketSequence.till_id, TicketSequence.last_number)).all()
        db.session.rollback()
    return dict(rows)


def till_codes(app: Flask) -> dict[int, str]:
    """Return each till's code by id."""
    with app.app_context():
        rows = db.session.execute(select(Till.id, Till.code)).all()
        db.session.rollback()
    return dict(rows)


def count_rows(app: Flask, model: type[Any]) -> int:
    """Count the rows of a table."""
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(model))
        db.session.rollback()
    return int(count or 0)


@pytest.fixture
def two_points_of_sale(shop: Any) -> dict[str, Any]:
    """A farm shop (takeaway) and a bistro (eat in) that sell the same three products."""
    shop.point_of_sale("HW")
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in")
    return {
        "operator_id": shop.user("Jan"),
        "products": [
            shop.product("Boerenbrood", price_cents=380, point_of_sale="HW|BI"),
            shop.product("Eieren (6)", price_cents=295, point_of_sale="HW|BI"),
            shop.product("Appelsap", price_cents=450, point_of_sale="HW|BI"),
        ],
    }


def sell_in_turn(
    post: Callable[[int, str, dict[str, Any]], Answer],
    operator_id: int,
    products: Sequence[int],
    count: int,
) -> list[Answer]:
    """Sell `count` sales one after the other, each with a fresh key; post(n, key, body)."""
    return [post(n, str(uuid.uuid4()), sale_body(operator_id, products, n)) for n in range(count)]


def check_unbroken_per_till(
    app: Flask, answers_per_till: dict[int, list[Answer]], sales_per_till: int
) -> None:
    """Check answers and stored rows: 1..N per till in order, unique receipts, nothing extra."""
    every = [answer for answers in answers_per_till.values() for answer in answers]
    assert [answer.status for answer in every] == [201] * len(every), failures(every, {201})
    codes = till_codes(app)
    expected = list(range(1, sales_per_till + 1))
    for till_id, answers in answers_per_till.items():
        # a till's own sales were sent one after the other, so its numbers come in order
        assert [answer.document["ticket_number"] for answer in answers] == expected
        assert [answer.document["receipt_number"] for answer in answers] == [
            f"{codes[till_id]}-{n:06d}" for n in expected
        ]
        assert {answer.document["till"] for answer in answers} == {codes[till_id]}
    receipts = [answer.document["receipt_number"] for answer in every]
    assert len(set(receipts)) == len(receipts)
    assert len({answer.document["id"] for answer in every}) == len(every)

    stored = stored_sales(app)
    assert len(stored) == len(every)  # one row per 201, no more
    for till_id in answers_per_till:
        assert [row[1] for row in stored if row[0] == till_id] == expected
    assert sorted(row[4] for row in stored) == sorted(answer.document["id"] for answer in every)
    assert last_ticket_numbers(app) == dict.fromkeys(answers_per_till, sales_per_till)


def test_twenty_copies_of_one_idempotency_key_at_once_make_one_sale(
    app: Flask, farm_shop: dict[str, Any], live_server: Any
) -> None:
    key = str(uuid.uuid4())
    body = sale_body(farm_shop["operator_id"], [farm_shop["bread"], farm_shop["eggs"]])
    body["payments"] = [  # 9,70 euro: part by card, the rest in cash with change
        {"method": "card", "amount_cents": 500},
        {"method": "cash", "amount_cents": 1000},
    ]
    send = partial(post_sale, live_server.url, farm_shop["token"], key, body)

    answers = run_together([send] * 20)

    assert sorted(answer.status for answer in answers) == [200] * 19 + [201], failures(
        answers, {200, 201}
    )
    created = next(answer.document for answer in answers if answer.status == 201)
    assert created["ticket_number"] == 1
    assert (created["total_cents"], created["change_cents"]) == (970, 530)
    for answer in answers:  # every replay describes the very sale the first request made
        assert answer.document == created
    stored = stored_sales(app)
    assert stored == [(farm_shop["till_id"], 1, created["receipt_number"], key, created["id"])]
    assert count_rows(app, SaleLine) == 2
    assert count_rows(app, Payment) == 2
    # the nineteen losers took no ticket number for good: the next sale is number 2
    assert last_ticket_numbers(app) == {farm_shop["till_id"]: 1}
    following = post_sale(live_server.url, farm_shop["token"], str(uuid.uuid4()), body)
    assert following.status == 201, following.document
    assert following.document["ticket_number"] == 2


def test_eight_tills_selling_at_once_keep_unbroken_ticket_numbers(
    app: Flask, shop: Any, two_points_of_sale: dict[str, Any], live_server: Any
) -> None:
    tills = [shop.till("HW") for _ in range(4)] + [shop.till("BI") for _ in range(4)]
    sales_per_till = 15

    def till_sells(token: str) -> list[Answer]:
        return sell_in_turn(
            lambda _n, key, body: post_sale(live_server.url, token, key, body),
            two_points_of_sale["operator_id"],
            two_points_of_sale["products"],
            sales_per_till,
        )

    results = run_together([partial(till_sells, token) for _till_id, token in tills])

    answers = {till_id: result for (till_id, _token), result in zip(tills, results, strict=True)}
    check_unbroken_per_till(app, answers, sales_per_till)
    assert count_rows(app, SaleLine) == 3 * 8 * sales_per_till
    assert count_rows(app, Payment) == 8 * sales_per_till


def test_four_clients_of_one_till_at_once_share_one_unbroken_sequence(
    app: Flask, farm_shop: dict[str, Any], live_server: Any
) -> None:
    """Two tablets on one token, or an offline queue flushing while the till sells."""
    clients, sales_each = 4, 15
    products = [farm_shop["bread"], farm_shop["candle"]]

    def client_sells() -> list[Answer]:
        return sell_in_turn(
            lambda _n, key, body: post_sale(live_server.url, farm_shop["token"], key, body),
            farm_shop["operator_id"],
            products,
            sales_each,
        )

    results = run_together([client_sells] * clients)

    every = [answer for result in results for answer in result]
    assert [answer.status for answer in every] == [201] * len(every), failures(every, {201})
    numbers = [answer.document["ticket_number"] for answer in every]
    assert sorted(numbers) == list(range(1, clients * sales_each + 1))
    for result in results:  # each client's own sales were numbered in the order it sent them
        own = [answer.document["ticket_number"] for answer in result]
        assert own == sorted(own)
    stored = stored_sales(app)
    assert [row[1] for row in stored] == list(range(1, clients * sales_each + 1))
    assert sorted(row[4] for row in stored) == sorted(answer.document["id"] for answer in every)
    assert last_ticket_numbers(app) == {farm_shop["till_id"]: clients * sales_each}


def test_refusals_and_replays_amid_concurrent_sales_take_no_number_and_free_the_lock(
    app: Flask, farm_shop: dict[str, Any], live_server: Any
) -> None:
    """Replays, conflicts, unknown products and bad JSON, all at once, next to real sales."""
    clients, rounds = 8, 4
    products = [farm_shop["bread"], farm_shop["eggs"]]
    unknown_product = max(farm_shop[name] for name in ("bread", "eggs", "cheese", "candle")) + 1000
    send = partial(post_sale, live_server.url, farm_shop["token"])

    def client(index: int) -> list[tuple[str, Answer]]:
        answers = []
        for n in range(rounds):
            key = str(uuid.uuid4())
            body = sale_body(farm_shop["operator_id"], products, index + n)
            changed = sale_body(farm_shop["operator_id"], products, index + n + 1)
            unknown = sale_body(farm_shop["operator_id"], [unknown_product], n)
            answers += [
                ("sale", send(key, body)),
                ("replay", send(key, body)),
                ("conflict", send(key, changed)),
                ("unknown", send(str(uuid.uuid4()), unknown)),
                (
                    "bad_json",
                    request(
                        live_server.url,
                        "POST",
                        "/api/v1/sales",
                        body=b'{"operator_id": ',
                        headers={
                            "Authorization": f"Bearer {farm_shop['token']}",
                            "Idempotency-Key": str(uuid.uuid4()),
                            "Content-Type": "application/json",
                        },
                    ),
                ),
            ]
        return answers

    results = run_together([partial(client, index) for index in range(clients)])

    # every request gave this process's SQLite write lock and sale lane back before its answer
    # went out (checked first: reading the database below could hand a leaked lock back)
    lock, lane = app.extensions.get(WRITE_LOCK), app.extensions.get(SALE_LANE)
    if app.config["DATABASE_URL"].startswith("sqlite"):
        assert lock is not None and lane is not None
        assert not lock.locked()
        assert not lane.locked()
    else:
        assert lock is None and lane is None
    expected = {
        "sale": (201, None),
        "replay": (200, None),
        "conflict": (409, "idempotency_conflict"),
        "unknown": (422, "unknown_product"),
        "bad_json": (400, "invalid_json"),
    }
    for result in results:
        for kind, answer in result:
            assert (answer.status, answer.document.get("error")) == expected[kind], answer
        sales = [answer.document for kind, answer in result if kind == "sale"]
        replays = [answer.document for kind, answer in result if kind == "replay"]
        assert replays == sales  # each replay answered with the sale its key made
    created = [answer.document for result in results for kind, answer in result if kind == "sale"]
    assert sorted(sale["ticket_number"] for sale in created) == list(range(1, clients * rounds + 1))
    stored = stored_sales(app)
    assert [row[1] for row in stored] == list(range(1, clients * rounds + 1))
    assert sorted(row[4] for row in stored) == sorted(sale["id"] for sale in created)
    assert last_ticket_numbers(app) == {farm_shop["till_id"]: clients * rounds}


# --- two app server processes on one PostgreSQL database -------------------------------------

SERVER_SCRIPT = """
import json, os, sys
from waitress import create_server
from kiosk import create_app

settings = json.loads(sys.argv[1])
app = create_app(settings["config"], instance_path=settings["instance"])
server = create_server(app, host="127.0.0.1", port=0, threads=8)
with open(settings["port_file"] + ".tmp", "w") as handle:
    handle.write(str(server.effective_port))
os.replace(settings["port_file"] + ".tmp", settings["port_file"])
server.run()
"""


class ServerProcess:
    """The app in its own Python process, served by waitress on a free port."""

    def __init__(self, config: dict[str, Any], folder: Path) -> None:
        folder.mkdir()
        (folder / "instance").mkdir()
        self.port_file = folder / "port"
        self.log_path = folder / "server.log"
        settings = {
            "config": config,
            "instance": str(folder / "instance"),
            "port_file": str(self.port_file),
        }
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", SERVER_SCRIPT, json.dumps(settings)],
                cwd=REPO_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        self.url = ""

    def log(self) -> str:
        """Return what the process wrote so far."""
        return self.log_path.read_text(errors="replace")[-4000:]

    def wait_until_healthy(self, deadline: float) -> None:
        """Wait for the port file and a 200 from /healthz, until the deadline."""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"server process exited with {self.process.returncode}:\n{self.log()}")
            if self.port_file.exists():
                self.url = f"http://127.0.0.1:{int(self.port_file.read_text())}"
                try:
                    if request(self.url, "GET", "/healthz").status == 200:
                        return
                except OSError:
                    pass
            time.sleep(0.05)
        pytest.fail(f"server process did not answer /healthz in time:\n{self.log()}")

    def stop(self) -> None:
        """Terminate the process and reap it."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def two_app_processes(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[str]]:
    """Start two app server processes on the session's database; return their URLs.

    They serve the rows each test makes through the `app` fixture (which empties the tables
    before and after it), and hold no state of their own between requests.
    """
    config = {"DATABASE_URL": database_url, "SECRET_KEY": SECRET}
    folder = tmp_path_factory.mktemp("app-processes")
    servers: list[ServerProcess] = []
    try:
        for name in ("first", "second"):
            servers.append(ServerProcess(config, folder / name))
        deadline = time.monotonic() + STARTUP_TIMEOUT
        for server in servers:
            server.wait_until_healthy(deadline)
        yield [server.url for server in servers]
    finally:
        for server in servers:
            server.stop()


@pytest.mark.postgres_only
def test_two_app_processes_keep_ticket_numbers_unbroken(
    app: Flask, shop: Any, two_points_of_sale: dict[str, Any], two_app_processes: list[str]
) -> None:
    tills = [shop.till("HW"), shop.till("HW"), shop.till("BI"), shop.till("BI")]
    sales_per_till = 16
    served: Counter[str] = Counter()
    served_lock = threading.Lock()

    def till_sells(index: int, token: str) -> list[Answer]:
        def post(n: int, key: str, body: dict[str, Any]) -> Answer:
            url = two_app_processes[(n + index) % 2]  # alternate the processes per request
            with served_lock:
                served[url] += 1
            return post_sale(url, token, key, body)

        return sell_in_turn(
            post, two_points_of_sale["operator_id"], two_points_of_sale["products"], sales_per_till
        )

    results = run_together(
        [partial(till_sells, index, token) for index, (_till_id, token) in enumerate(tills)]
    )

    answers = {till_id: result for (till_id, _token), result in zip(tills, results, strict=True)}
    check_unbroken_per_till(app, answers, sales_per_till)
    assert served == dict.fromkeys(two_app_processes, 2 * sales_per_till)


@pytest.mark.postgres_only
def test_one_idempotency_key_sent_to_two_app_processes_at_once_makes_one_sale(
    app: Flask, farm_shop: dict[str, Any], two_app_processes: list[str]
) -> None:
    body = sale_body(farm_shop["operator_id"], [farm_shop["bread"], farm_shop["cheese"]])
    body["lines"][1]["quantity"] = "0.350"
    rounds, copies = 5, 12
    created_ids = []
    for _round in range(rounds):
        key = str(uuid.uuid4())
        answers = run_together(
            [
                partial(post_sale, two_app_processes[i % 2], farm_shop["token"], key, body)
                for i in range(copies)
            ]
        )
        assert sorted(answer.status for answer in answers) == [200] * (copies - 1) + [201], (
            failures(answers, {200, 201})
        )
        created = next(answer.document for answer in answers if answer.status == 201)
        assert all(answer.document == created for answer in answers)
        created_ids.append(created["id"])
        assert created["ticket_number"] == len(created_ids)

    stored = stored_sales(app)
    assert [(row[1], row[4]) for row in stored] == list(
        zip(range(1, rounds + 1), created_ids, strict=True)
    )
    assert count_rows(app, SaleLine) == 2 * rounds
    assert count_rows(app, Payment) == rounds
    assert last_ticket_numbers(app) == {farm_shop["till_id"]: rounds}

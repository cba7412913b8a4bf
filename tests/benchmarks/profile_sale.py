"""Profile: the CPU of one 5-line sale, in one thread, through the app's WSGI callable (no HTTP).

Run from the repository root (not part of the test run):

    python -m tests.benchmarks.profile_sale                     # SQLite: CPU ms and statements
    python -m tests.benchmarks.profile_sale --profile tottime   # and cProfile's table
    PLUSKASSA_TEST_DATABASE_URL=postgresql://… python -m tests.benchmarks.profile_sale --postgresql

The database is bench_sales's (the demo plus-plek, 8 tills, a receipt printer); 20 sales warm
up, then `--sales` sales are timed with the process's CPU clock, without threads or a server in
between: the figure that holds when the machine is shared, and the one to profile.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

from tests.benchmarks.bench_sales import SECRET, Shop, postgres_databases, prepare_database

WARM_UP = 20


def wsgi_caller(app: Callable[..., Any], token: str) -> Callable[..., tuple[str, bytes]]:
    """Return a function that sends one request to the app as waitress would, and its answer."""

    def call(method: str, path: str, body: bytes = b"", key: str = "") -> tuple[str, bytes]:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/json",
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "REMOTE_ADDR": "127.0.0.1",
        }
        if key:
            environ["HTTP_IDEMPOTENCY_KEY"] = key
        status: list[str] = []
        answer = b"".join(app(environ, lambda line, _headers, *_: status.append(line)))
        return status[0], answer

    return call


def sale_body(shop: Shop, call: Callable[..., tuple[str, bytes]]) -> bytes:
    """Return a card sale of one piece of each of the shop's five products, at catalog prices."""
    catalog = json.loads(call("GET", "/api/v1/catalog")[1])
    prices = {product["id"]: product["price_cents"] for product in catalog["products"]}
    return json.dumps(
        {
            "operator_id": shop.operator_id,
            "lines": [{"product_id": product, "quantity": "1"} for product in shop.product_ids],
            "payments": [
                {"method": "card", "amount_cents": sum(prices[p] for p in shop.product_ids)}
            ],
        }
    ).encode()


def measure(url: str, instance: Path, sales: int, sort: str | None) -> None:
    """Time sales on a fresh database; print CPU ms and statements a sale (and a profile)."""
    from kiosk import create_app
    from kiosk.extensions import db

    shop = prepare_database(url, instance)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET}, instance_path=str(instance))
    statements = [0]

    def count(*_args: Any) -> None:
        statements[0] += 1

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    call = wsgi_caller(app, shop.tokens[0])
    body = sale_body(shop, call)

    def sell() -> None:
        status, answer = call("POST", "/api/v1/sales", body, str(uuid.uuid4()))
        assert status.startswith("201"), (status, answer)

    for _ in range(WARM_UP):
        sell()
    statements[0] = 0
    profile = cProfile.Profile() if sort else None
    started = time.process_time()
    if profile:
        profile.enable()
    for _ in range(sales):
        sell()
    if profile:
        profile.disable()
    cpu_ms = (time.process_time() - started) / sales * 1000
    engine = url.split(":", 1)[0]
    print(f"{engine}: CPU ms a sale {cpu_ms:.2f}, statements a sale {statements[0] / sales:.1f}")
    if profile and sort:
        pstats.Stats(profile).sort_stats(sort).print_stats(40)
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    """Parse the options and measure on SQLite or PostgreSQL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=300, help="sales timed")
    parser.add_argument("--profile", metavar="SORT", help="print cProfile's table (tottime, …)")
    parser.add_argument("--postgresql", action="store_true", help="PLUSKASSA_TEST_DATABASE_URL")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pluskassa-profile-"))
    if args.postgresql:
        with postgres_databases(os.environ["PLUSKASSA_TEST_DATABASE_URL"], 1) as (url,):
            measure(url, folder, args.sales, args.profile)
    else:
        measure(f"sqlite:///{folder}/profile.db", folder, args.sales, args.profile)


if __name__ == "__main__":
    main()

"""A database that takes no writes, through a real waitress server: 503 and back, no restart.

Every refusal is 503 `database_unavailable`, nothing is half-stored, /healthz is honest, and
the same server sells again once the fault is gone.

The fault is real database behaviour, made the way each engine can be made read-only while the
server runs. SQLite: the tests run as root, where a read-only file mode stops no writes, so
every connection the server takes while the fault lasts is switched to `PRAGMA query_only`
(and stays so, as a connection opened on a read-only file does). PostgreSQL: the database is
set to read-only transactions and the server's connections are cut (connection lost); the ones
it opens again are read-only for as long as they live.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event, func, select, text

from kiosk.extensions import db
from kiosk.models import Sale
from tests.conftest import LiveServer, admin_engine, login, postgres_url
from tests.kiosk.sales.test_concurrency import Answer, post_sale, request

DUTCH_UNAVAILABLE = (
    "De database kan nu niet lezen of schrijven. Er is niets bewaard; probeer zo opnieuw."
)


@contextmanager
def read_only_database(app: Flask) -> Iterator[None]:
    """Make the server's database refuse every write until the block ends."""
    with app.app_context():
        engine = db.engine
    base = postgres_url()
    if base is None:
        faulty = True

        def read_only(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
            if faulty:
                dbapi_connection.execute("PRAGMA query_only = ON")

        event.listen(engine, "checkout", read_only)
        try:
            yield
        finally:
            faulty = False  # connections it touched stay read-only: the server must drop them
            event.remove(engine, "checkout", read_only)
        return
    name = engine.url.database
    admin = admin_engine(base)
    try:
        with admin.connect() as connection:
            connection.execute(
                text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
            )
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only'))
        admin.dispose()


def sales_count(app: Flask) -> int:
    """Count the stored sales."""
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Sale))
        db.session.rollback()
        return int(count or 0)


def assert_unavailable(answer: Answer) -> None:
    """Assert the API's 503 document: the fixed code and the Dutch sentence."""
    assert answer.status == 503, answer
    assert answer.document == {"error": "database_unavailable", "message": DUTCH_UNAVAILABLE}


def test_a_read_only_database_refuses_honestly_and_the_server_recovers(
    app: Flask, farm_shop: dict[str, Any]
) -> None:
    token = farm_shop["token"]
    body = {
        "operator_id": farm_shop["operator_id"],
        "lines": [{"product_id": farm_shop["bread"], "quantity": "2"}],
        "payments": [{"method": "cash", "amount_cents": 1000}],
    }
    with LiveServer(app) as server:
        first = post_sale(server.url, token, str(uuid.uuid4()), body)
        assert first.status == 201, first
        assert request(server.url, "GET", "/healthz").status == 200
        key = str(uuid.uuid4())
        with read_only_database(app):
            for _ in range(3):  # every try, not only the first: no 500, no half-made sale
                assert_unavailable(post_sale(server.url, token, key, body))
            health = request(server.url, "GET", "/healthz")
            assert (health.status, health.document) == (503, {"status": "unavailable"})
            openapi = request(server.url, "GET", "/api/v1/openapi.json").document
            assert "503" in openapi["paths"]["/sales"]["post"]["responses"]
        # the fault is gone: the same server, never restarted, answers and sells again
        assert request(server.url, "GET", "/healthz").status == 200
        assert sales_count(app) == 1  # the refused sale does not exist, not even in part
        again = post_sale(server.url, token, key, body)
        assert again.status == 201, again
        assert again.document["ticket_number"] == first.document["ticket_number"] + 1
        assert post_sale(server.url, token, key, body).status == 200  # its key replays it
        assert sales_count(app) == 2


def test_pages_outside_the_api_say_so_in_dutch(app: Flask, farm_shop: dict[str, Any]) -> None:
    client = app.test_client()
    with read_only_database(app):
        # a wrong password is counted and logged: a write, refused with the Dutch 503 page
        page = login(client, "Greet", "fout")
        assert page.status_code == 503
        assert "text/html" in page.content_type
        assert DUTCH_UNAVAILABLE in page.get_data(as_text=True)
        assert client.get("/healthz").status_code == 503
    assert client.get("/healthz").status_code == 200

"""The export page: start an export, follow its progress, download the file."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from kiosk.extensions import db
from tests.conftest import csrf_token
from tests.kiosk.sales_support import sell


@pytest.fixture
def sales(app: Flask, goods: dict[str, Any]) -> None:
    """Two sales on 20 November 2026."""
    with app.app_context():
        moment = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
        sell(goods["till"], goods["operator"], [(goods["bread"], "2")], [("cash", 1000)], moment)
        sell(goods["till"], goods["operator"], [(goods["candle"], "1")], [("card", 1299)], moment)
        db.session.remove()


def start(client: FlaskClient, **fields: str) -> TestResponse:
    """Post the export form; return the response."""
    token = csrf_token(client.get("/admin/exports").text)
    return client.post("/admin/exports", data={"csrf_token": token, **fields})


def wait_until_done(client: FlaskClient, location: str) -> TestResponse:
    """Follow the progress page until the export is ready; return the last page."""
    for _attempt in range(200):
        page = client.get(location)
        if "De export is klaar" in page.text or "mislukt" in page.text:
            return page
        assert "Deze pagina ververst vanzelf." in page.text
        time.sleep(0.05)
    raise AssertionError("the export did not finish")


def test_an_export_is_made_in_the_background_and_downloaded(
    manager: FlaskClient, sales: None
) -> None:
    started = start(
        manager, kind="verkopen", first_day="2026-11-20", last_day="2026-11-20", file_format="csv"
    )
    assert started.status_code == 302
    page = wait_until_done(manager, started.headers["Location"])
    assert "De export is klaar: 2 regels." in page.text
    download = manager.get(started.headers["Location"] + "/download")
    assert download.status_code == 200
    assert "verkopen-2026-11-20-2026-11-20.csv" in download.headers["Content-Disposition"]
    text = download.data.decode("utf-8")
    download.close()  # the file the response streamed from
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert sorted(r["bedrag_incl_btw"] for r in rows) == ["12,99", "7,70"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"first_day": "2026-11-20", "last_day": "2026-11-19"}, "De einddatum ligt voor de"),
        ({"first_day": "2020-01-01", "last_day": "2026-11-19"}, "Kies hoogstens drie jaar."),
        ({"first_day": "", "last_day": "2026-11-19"}, "Kies een begindatum."),
        ({"first_day": "2026-11-01", "last_day": "2026-11-19", "kind": "alles"}, "has-error"),
    ],
)
def test_a_wrong_export_is_refused_and_nothing_starts(
    manager: FlaskClient, app: Flask, fields: dict[str, str], message: str
) -> None:
    response = start(manager, **{"kind": "verkopen", "file_format": "csv", **fields})
    assert response.status_code == 200
    assert message in response.text
    assert not list(Path(app.instance_path).glob("exports/*.json"))


def test_unknown_and_malformed_jobs_are_not_found(manager: FlaskClient) -> None:
    assert manager.get("/admin/exports/" + "0" * 32).status_code == 404
    assert manager.get("/admin/exports/..%2F..%2Fsecret_key").status_code == 404
    assert manager.get("/admin/exports/" + "0" * 32 + "/download").status_code == 404

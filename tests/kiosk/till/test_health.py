"""GET /healthz tells whether the database answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from kiosk import create_app
from kiosk.extensions import db


def test_healthz_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok"})


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-folder/for/pluskassa.db",
        "postgresql://nobody:wrong@127.0.0.1:1/none",
    ],
)
def test_healthz_unavailable(tmp_path: Path, url: str) -> None:
    app = create_app(
        {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"}, instance_path=str(tmp_path)
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}
    with app.app_context():
        db.engine.dispose()

"""A restore swaps a new SQLite file in and keeps the previous one until the next restore.

The swap is SQLite's own (PostgreSQL restores in one transaction), so this module's tests run on
a SQLite database of their own in both suites, never skipped on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import make_url

from tests.conftest import build_schema
from tests.kiosk.backup.test_backups import all_rows
from tests.kiosk.backup.test_restore_checks import backup_between_sales, stop_server


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated SQLite database for this module, whichever engine the suite runs on."""
    url = "sqlite:///" + str(tmp_path_factory.mktemp("swap-db") / "pluskassa-test.db")
    build_schema(url, tmp_path_factory)
    yield url


def test_a_restore_swaps_the_file_in_and_keeps_the_previous_one_until_the_next(
    app: Flask,
    cli: Any,
    client: FlaskClient,
    farm_shop: dict[str, Any],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    file = backup_between_sales(cli, client, farm_shop, tmp_path / "one.tar.gz", 1, 2)
    stop_server(app)
    live = Path(str(make_url(database_url).database))
    live_inode = live.stat().st_ino

    def restore_at(moment: datetime) -> None:
        monkeypatch.setattr("kiosk.backup.restore.utcnow", lambda: moment)
        result = cli("restore", str(file), "--force")
        assert result.exit_code == 0, result.output
        assert not list(live.parent.glob("*.restoring"))

    restore_at(datetime(2026, 5, 4, 10, 0, tzinfo=UTC))

    before = live.with_name(f"{live.name}.before-restore-20260504T100000Z")
    assert before.stat().st_ino == live_inode  # the old file itself, never rewritten
    assert live.stat().st_ino != live_inode  # a new file took its place in one rename
    old = sqlite3.connect(before)
    assert old.execute("SELECT COUNT(*) FROM sale").fetchone()[0] == 3
    old.close()
    assert len(all_rows(app)["sale"]) == 1
    stop_server(app)

    restore_at(datetime(2026, 5, 5, 9, 0, tzinfo=UTC))  # the next restore: only its file stays

    assert sorted(p.name for p in live.parent.glob(f"{live.name}.before-restore-*")) == [
        f"{live.name}.before-restore-20260505T090000Z"
    ]
    stop_server(app)

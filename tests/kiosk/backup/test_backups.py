"""Backups and restores: a consistent copy while the till sells, checked, restored anywhere."""

from __future__ import annotations

import io
import json
import tarfile
import threading
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from kiosk import create_app
from kiosk.backup.archive import backup_name, make_backup, rotate
from kiosk.backup.rows import count_rows, read_tables
from kiosk.backup.schedule import BackupScheduler, last_due
from kiosk.cli.main import main
from kiosk.extensions import db
from kiosk.models import AuditEntry
from kiosk.models.types import utcnow
from tests.conftest import (
    LiveServer,
    postgres_url,
    present,
)

OTHER_SECRET = "a-new-machine-has-another-secret"


@pytest.fixture
def target_url(own_database: str) -> str:
    """An empty database of this test's own to restore into (the 'new machine')."""
    return own_database


def restore(file: Path, instance: Path, url: str, *flags: str) -> Any:
    """Run `pluskassa restore` for another instance folder and database."""
    return CliRunner().invoke(
        main,
        ["--instance", str(instance), "restore", str(file), *flags],
        env={"PLUSKASSA_DATABASE_URL": url, "PLUSKASSA_SECRET_KEY": OTHER_SECRET},
    )


def app_on(url: str, instance: Path) -> Flask:
    """Build the app of another instance folder and database."""
    return create_app(
        {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": OTHER_SECRET},
        instance_path=str(instance),
    )


def sale_body(world: dict[str, Any], quantity: int = 1) -> dict[str, Any]:
    return {
        "operator_id": world["operator_id"],
        "lines": [
            {"product_id": world["bread"], "quantity": str(quantity)},
            {"product_id": world["candle"], "quantity": "1"},
            {"product_id": world["cheese"], "quantity": "0.250"},
        ],
        "payments": [{"method": "cash", "amount_cents": 10000}],
    }


def headers(world: dict[str, Any]) -> dict[str, str]:
    return {**world["headers"], "Idempotency-Key": str(uuid.uuid4())}


def sell(client: Any, world: dict[str, Any], count: int) -> None:
    for number in range(count):
        response = client.post(
            "/api/v1/sales", json=sale_body(world, number + 1), headers=headers(world)
        )
        assert response.status_code == 201, response.text


def same_on_every_engine(value: Any) -> Any:
    """SQLite hands back naive UTC times, PostgreSQL aware ones: compare them as aware UTC."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def all_rows(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    with app.app_context(), db.engine.connect() as connection:
        return {
            name: [tuple(map(same_on_every_engine, row)) for row in rows]
            for name, _columns, rows in read_tables(connection)
        }


def backup_entries() -> list[str]:
    """Return the audit log's backup and restore entries, oldest first."""
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.in_(("backup", "restore")))
            .order_by(AuditEntry.id)
        )
    )


def manifest_of(file: Path) -> dict[str, Any]:
    with tarfile.open(file, "r:gz") as archive:
        return json.loads(archive.extractfile("manifest.json").read())  # type: ignore[union-attr]


def assert_sales_whole(app: Flask) -> int:
    """Every sale has lines, payments and VAT rows that add up; return how many sales."""
    with app.app_context():
        sales = db.session.execute(
            text("SELECT id, total_cents, rounding_cents, change_cents FROM sale")
        ).all()
        for sale_id, total, rounding, change in sales:
            lines = db.session.scalar(
                text("SELECT SUM(amount_cents) FROM sale_line WHERE sale_id = :id"), {"id": sale_id}
            )
            paid = db.session.scalar(
                text("SELECT SUM(amount_cents) FROM payment WHERE sale_id = :id"), {"id": sale_id}
            )
            gross = db.session.scalar(
                text("SELECT SUM(gross_cents) FROM sale_vat WHERE sale_id = :id"), {"id": sale_id}
            )
            assert lines == total == gross, sale_id
            assert paid - change == total + rounding, sale_id
        db.session.rollback()
        return len(sales)


def test_round_trip_to_a_new_machine_keeps_everything_and_the_tills_tokens(
    app: Flask,
    cli: Any,
    client: FlaskClient,
    farm_shop: dict[str, Any],
    instance_path: Path,
    target_url: str,
    tmp_path: Path,
) -> None:
    sell(client, farm_shop, 3)
    (instance_path / "media").mkdir()
    (instance_path / "media" / "abc123.jpg").write_bytes(b"a photo")
    file = tmp_path / "shop.tar.gz"

    made = cli("backup", "--out", str(file))

    assert made.exit_code == 0, made.output
    assert "3 verkopen" in made.output
    manifest = manifest_of(file)
    assert manifest["row_counts"]["sale"] == 3
    assert manifest["engine"] == ("postgresql" if postgres_url() else "sqlite")
    assert manifest["format"] == ("pg_dump" if postgres_url() else "sqlite")
    assert set(manifest["files"]) == {
        "media/abc123.jpg",
        "database.pgdump" if postgres_url() else "database.sqlite",
    }
    with app.app_context():
        assert backup_entries() == ["backup"]
    before = all_rows(app)

    new_instance = tmp_path / "new-machine"
    restored = restore(file, new_instance, target_url)

    assert restored.exit_code == 0, restored.output
    assert (new_instance / "media" / "abc123.jpg").read_bytes() == b"a photo"
    new_app = app_on(target_url, new_instance)
    after = all_rows(new_app)
    for name, rows in before.items():
        # the new one also records the restore; on PostgreSQL the rows loaded into the catalog's
        # tables give the catalog stamp a new value (every process reads its catalog again)
        if name not in ("audit_entry", "catalog_stamp"):
            assert after[name] == rows, name
    with new_app.app_context():
        assert backup_entries() == ["restore"]  # the backup's own entry came after the copy
    # the paired till's old token still works, and its ticket numbers go on unbroken
    new_client = new_app.test_client()
    sale = new_client.post("/api/v1/sales", json=sale_body(farm_shop), headers=headers(farm_shop))
    assert sale.status_code == 201, sale.text
    assert present(sale.json)["ticket_number"] == 4
    with new_app.app_context():
        db.engine.dispose()


def test_a_database_with_data_is_only_overwritten_with_force(
    app: Flask, cli: Any, client: FlaskClient, farm_shop: dict[str, Any], tmp_path: Path
) -> None:
    sell(client, farm_shop, 1)
    file = tmp_path / "one.tar.gz"
    assert cli("backup", "--out", str(file)).exit_code == 0
    sell(client, farm_shop, 2)

    refused = cli("restore", str(file))

    assert refused.exit_code == 2
    assert "bevat al gegevens" in refused.stderr and "--force" in refused.stderr
    with app.app_context():
        assert count_rows(db.session.connection())["sale"] == 3
        db.session.rollback()
        db.engine.dispose()  # a restore wants the server stopped: it swaps the database file

    forced = cli("restore", str(file), "--force")

    assert forced.exit_code == 0, forced.output
    with app.app_context():
        counts = count_rows(db.session.connection())
        assert counts["sale"] == 1
        db.session.rollback()
    assert assert_sales_whole(app) == 1


def test_a_damaged_backup_is_refused_and_changes_nothing(
    app: Flask,
    cli: Any,
    client: FlaskClient,
    farm_shop: dict[str, Any],
    target_url: str,
    tmp_path: Path,
) -> None:
    sell(client, farm_shop, 2)
    file = tmp_path / "good.tar.gz"
    assert cli("backup", "--out", str(file)).exit_code == 0
    data = bytearray(file.read_bytes())
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) // 2])
    flipped = tmp_path / "flipped.tar.gz"
    data[len(data) // 2] ^= 0xFF
    flipped.write_bytes(bytes(data))
    # a well-formed archive whose database no longer matches the manifest's checksum
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(file, "r:gz") as source, tarfile.open(tampered, "w:gz") as out:
        for member in source.getmembers():
            content = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("database."):
                content = content[:-1] + bytes([content[-1] ^ 1])
            member.size = len(content)
            out.addfile(member, io.BytesIO(content))
    not_a_backup = tmp_path / "notes.tar.gz"
    not_a_backup.write_text("hallo")

    for bad in (cut, flipped, not_a_backup):
        result = restore(bad, tmp_path / "new", target_url)
        assert result.exit_code == 2, result.output
        assert "is beschadigd" in result.stderr and "niets teruggezet" in result.stderr
    result = restore(tampered, tmp_path / "new", target_url)
    assert result.exit_code == 2
    assert "klopt niet met zijn controlesom" in result.output
    new_app = app_on(target_url, tmp_path / "new")
    with new_app.app_context():
        with db.engine.connect() as connection:
            assert "sale" not in count_rows(connection)  # nothing was put in place
        db.engine.dispose()


class Seller(threading.Thread):
    """Sells through the live server until told to stop."""

    def __init__(self, url: str, world: dict[str, Any]) -> None:
        super().__init__(daemon=True)
        self.url, self.world = url, world
        self.stopping = threading.Event()
        self.sold = 0
        self.errors: list[str] = []

    def run(self) -> None:
        with requests.Session() as session:
            while not self.stopping.is_set():
                response = session.post(
                    f"{self.url}/api/v1/sales",
                    json=sale_body(self.world, self.sold % 5 + 1),
                    headers=headers(self.world),
                    timeout=30,
                )
                if response.status_code != 201:
                    self.errors.append(response.text)
                self.sold += 1


def test_backup_while_the_tills_sell_restores_exactly_what_it_says(
    app: Flask, farm_shop: dict[str, Any], target_url: str, tmp_path: Path
) -> None:
    with LiveServer(app) as server:
        sellers = [Seller(server.url, farm_shop) for _ in range(3)]
        for seller in sellers:
            seller.start()
        while sum(seller.sold for seller in sellers) < 15:
            threading.Event().wait(0.05)
        with app.app_context():
            backups = [make_backup(tmp_path / f"{n}.tar.gz", utcnow()) for n in range(2)]
        sold_during = sum(seller.sold for seller in sellers)
        while sum(seller.sold for seller in sellers) < sold_during + 5:
            threading.Event().wait(0.05)
        for seller in sellers:
            seller.stopping.set()
        for seller in sellers:
            seller.join(timeout=60)
    assert not any(seller.errors for seller in sellers)
    total_sold = assert_sales_whole(app)
    counts = [backup.manifest["row_counts"]["sale"] for backup in backups]
    assert 15 <= counts[0] <= counts[1] < total_sold

    restored = restore(backups[1].path, tmp_path / "new", target_url)

    assert restored.exit_code == 0, restored.output
    new_app = app_on(target_url, tmp_path / "new")
    with new_app.app_context(), db.engine.connect() as connection:
        counts_now = count_rows(connection)
    expected = dict(backups[1].manifest["row_counts"])
    expected["audit_entry"] += 1  # the restore's own entry
    assert {k: v for k, v in counts_now.items() if k in expected} == expected
    assert assert_sales_whole(new_app) == counts[1]
    with new_app.app_context():
        db.engine.dispose()


@pytest.mark.postgres_only
def test_without_pg_dump_postgresql_backs_up_as_json_lines_that_restore_on_sqlite(
    app: Flask,
    client: FlaskClient,
    farm_shop: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sell(client, farm_shop, 3)
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump to be found
    with app.app_context():
        backup = make_backup(tmp_path / "portable.tar.gz", utcnow())
    assert backup.manifest["format"] == "jsonl"
    monkeypatch.undo()

    restored = restore(backup.path, tmp_path / "laptop", f"sqlite:///{tmp_path / 'laptop.db'}")

    assert restored.exit_code == 0, restored.output
    laptop = app_on(f"sqlite:///{tmp_path / 'laptop.db'}", tmp_path / "laptop")
    before, after = all_rows(app), all_rows(laptop)
    for name in ("sale", "sale_line", "payment", "sale_vat", "till", "product", "user_account"):
        assert after[name] == before[name], name
    assert assert_sales_whole(laptop) == 3
    response = laptop.test_client().get("/api/v1/catalog", headers=farm_shop["headers"])
    assert response.status_code == 200
    with laptop.app_context():
        db.engine.dispose()


def small_sqlite_shop(tmp_path: Path) -> tuple[Path, dict[str, Any], dict[str, str]]:
    """Back up a small SQLite shop that sold twice; return the backup, a sale, the till's auth."""
    small = app_on(f"sqlite:///{tmp_path / 'shop.db'}", tmp_path / "shop")
    with small.app_context():
        from kiosk.database import upgrade_database

        upgrade_database()
        db.session.commit()
    from tests.conftest import Shop

    world = Shop(small)
    world.point_of_sale("HW")
    _till, token = world.till("HW")
    body = {
        "operator_id": world.user("Jan"),
        "lines": [{"product_id": world.product("Brood", price_cents=385), "quantity": "2"}],
        "payments": [{"method": "cash", "amount_cents": 1000}],
    }
    auth = {"Authorization": f"Bearer {token}"}
    for _ in range(2):
        response = small.test_client().post(
            "/api/v1/sales", json=body, headers={**auth, "Idempotency-Key": str(uuid.uuid4())}
        )
        assert response.status_code == 201
    with small.app_context():
        backup = make_backup(tmp_path / "shop.tar.gz", utcnow())
        db.engine.dispose()
    return backup.path, body, auth


@pytest.mark.postgres_only
def test_a_sqlite_backup_restores_onto_postgresql(
    app: Flask, tmp_path: Path, target_url: str, farm_shop: dict[str, Any]
) -> None:
    backup, body, auth = small_sqlite_shop(tmp_path)

    restored = restore(backup, tmp_path / "server", target_url)

    assert restored.exit_code == 0, restored.output
    server = app_on(target_url, tmp_path / "server")
    assert assert_sales_whole(server) == 2
    response = server.test_client().post(
        "/api/v1/sales", json=body, headers={**auth, "Idempotency-Key": str(uuid.uuid4())}
    )
    assert response.status_code == 201, response.text  # ids go on after the copied ones
    assert present(response.json)["ticket_number"] == 3
    with server.app_context():
        db.engine.dispose()


def test_rotation_keeps_the_newest_of_its_own_files_only(tmp_path: Path) -> None:
    start = datetime(2026, 11, 1, 2, 30, tzinfo=UTC)
    names = [backup_name(start + timedelta(days=day)) for day in range(6)]
    for name in names:
        (tmp_path / name).write_text("x")
    others = ["notes.txt", "pluskassa-old.tar.gz", "pluskassa-20200101T000000Z.tar.gz.part"]
    for name in others:
        (tmp_path / name).write_text("keep me")

    removed = rotate(tmp_path, 4)

    assert sorted(path.name for path in removed) == names[:2]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(names[2:] + others)


def test_backup_rotate_from_the_command_line(
    cli: Any, farm_shop: dict[str, Any], tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in range(3):
        (folder / backup_name(datetime(2026, 1, 1 + day, tzinfo=UTC))).write_text("old")

    result = cli("backup", "--out", str(folder), "--rotate", "--keep", "2")

    assert result.exit_code == 0, result.output
    kept = sorted(path.name for path in folder.iterdir())
    assert len(kept) == 2 and kept[0] == backup_name(datetime(2026, 1, 3, tzinfo=UTC))
    assert manifest_of(folder / kept[1])["row_counts"]["till"] == 1


def test_the_daily_backup_runs_once_a_day_even_after_a_night_switched_off(
    app: Flask, tmp_path: Path
) -> None:
    app.config.update(BACKUP_DIR=str(tmp_path / "daily"), BACKUP_TIME="03:30", BACKUP_KEEP=2)
    scheduler = BackupScheduler(app)
    brussels = app.config["TIMEZONE"]
    monday_noon = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)

    first = scheduler.check(monday_noon)  # no backup yet: one at once
    assert first is not None and first.exists()
    assert scheduler.check(monday_noon + timedelta(hours=3)) is None
    assert scheduler.check(datetime(2026, 11, 24, 2, 29, tzinfo=UTC)) is None  # 03:29 Brussels
    assert scheduler.check(datetime(2026, 11, 24, 2, 31, tzinfo=UTC)) is not None
    # the computer was off on Wednesday and Thursday night: Friday morning it catches up
    assert scheduler.check(datetime(2026, 11, 27, 8, 0, tzinfo=UTC)) is not None
    assert len(list((tmp_path / "daily").iterdir())) == 2  # rotation keeps BACKUP_KEEP
    with app.app_context():
        assert backup_entries() == ["backup"] * 3
        db.session.rollback()
    # 03:00 in summer (UTC+2) is before 03:30: the last due moment was the night before
    summer = last_due(datetime(2026, 7, 1, 1, 0, tzinfo=UTC), time(3, 30), ZoneInfo(brussels))
    assert summer == datetime(2026, 6, 30, 1, 30, tzinfo=UTC)


def test_serve_starts_the_backup_thread_and_stops_it(app: Flask) -> None:
    from kiosk.backup.schedule import start_backup_scheduler

    app.config["BACKUP_AUTO"] = False
    assert start_backup_scheduler(app) is None
    app.config["BACKUP_AUTO"] = True
    scheduler = start_backup_scheduler(app)
    assert scheduler is not None and scheduler.thread.is_alive()
    scheduler.stop()
    assert not scheduler.thread.is_alive()

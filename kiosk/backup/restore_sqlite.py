"""Restore onto SQLite without ever putting a doubtful database in the shop's place.

The backup becomes a new file next to the live one (`pluskassa.db.restoring`), is checked there
(`PRAGMA integrity_check`, the rows per table against the manifest, the schema revision) and
upgraded to this version's schema. Only then does it take the live file's place in one rename
(os.replace); the previous database stays beside it as `pluskassa.db.before-restore-<UTC time>`
until the next restore.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from kiosk.backup.archive import BackupError
from kiosk.backup.checks import BUSY, check_database, check_sqlite_file, damaged, migrate_on
from kiosk.backup.rows import read_jsonl, write_tables


def restore_into_sqlite(
    manifest: dict[str, Any], database: Path, engine: Engine, name: str, now: datetime
) -> Path | None:
    """Replace the live SQLite file with the checked backup; return the kept previous file."""
    if manifest["format"] == "pg_dump":
        raise BackupError(
            "restore_engine",
            "Deze back-up is met pg_dump gemaakt en kan alleen op PostgreSQL teruggezet worden.",
        )
    live = Path(str(engine.url.database))
    candidate = live.with_name(f"{live.name}.restoring")
    candidate.unlink(missing_ok=True)
    try:
        build_candidate(candidate, manifest, database, name)
        return swap_in(candidate, live, now)
    finally:
        candidate.unlink(missing_ok=True)


def build_candidate(candidate: Path, manifest: dict[str, Any], database: Path, name: str) -> None:
    """Make the restored database at `candidate`, check it and upgrade it to this schema."""
    if manifest["format"] == "sqlite":
        check_sqlite_file(database, name)
        shutil.copyfile(database, candidate)
    plain = create_engine(f"sqlite:///{candidate}", poolclass=NullPool)
    try:
        with plain.connect() as connection:
            if manifest["format"] == "jsonl":
                migrate_on(connection, manifest["schema_revision"])
                with database.open(encoding="utf-8") as lines:
                    write_tables(connection, read_jsonl(lines))
                connection.commit()
            check_sqlite_file(candidate, name)
            check_database(connection, manifest, name)
            connection.commit()
            migrate_on(connection, "head")
            connection.commit()
    except DBAPIError as error:  # rows that do not fit their tables
        raise damaged(name) from error
    finally:
        plain.dispose()


def swap_in(candidate: Path, live: Path, now: datetime) -> Path | None:
    """Put the candidate in the live file's place in one rename; keep the previous file beside it.

    Older before-restore files go once the new one is in place.
    """
    before = live.with_name(f"{live.name}.before-restore-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}")
    kept: Path | None = None
    if live.exists():
        settle_write_ahead_log(live)
        before.unlink(missing_ok=True)
        try:
            os.link(live, before)  # the same file under a second name: nothing is copied
        except OSError:  # a file system without hard links
            shutil.copy2(live, before)
        kept = before
    os.replace(candidate, live)
    for older in live.parent.glob(f"{live.name}.before-restore-*"):
        if older != kept:
            older.unlink()
    return kept


def settle_write_ahead_log(live: Path) -> None:
    """Fold the write-ahead log into the live file, so the file alone holds every row.

    A log left behind would otherwise be read as part of the restored file.
    """
    connection = sqlite3.connect(live, timeout=10)
    try:
        busy = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    finally:
        connection.close()
    wal = live.with_name(f"{live.name}-wal")
    if busy or (wal.exists() and wal.stat().st_size):
        raise BackupError("database_busy", BUSY)

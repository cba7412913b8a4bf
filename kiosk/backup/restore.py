"""Restore a backup made by kiosk.backups into this instance's database, then upgrade it.

The data goes back at the backup's schema revision and the migrations then bring it to this
version's, so a backup from an older PlusKassa restores fine. A SQLite backup restores onto
SQLite with SQLite's backup API, and onto PostgreSQL row by row; a pg_dump backup restores onto
PostgreSQL with pg_restore; a JSON-lines backup restores onto either.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import upgrade as alembic_upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from kiosk.audit import log as audit
from kiosk.backup.archive import (
    DATABASE_MEMBERS,
    RULE_TABLES,
    BackupError,
    media_folder,
    read_backup,
    run_pg,
    sqlite_copy,
)
from kiosk.backup.rows import count_rows, read_jsonl, read_tables, write_tables
from kiosk.database import upgrade_database
from kiosk.extensions import db, migrate

REFUSED = (
    "De database bevat al gegevens (producten, verkopen …). Terugzetten vervangt ze allemaal "
    "door die van de back-up. Is dat de bedoeling, voer dan uit met --force."
)


def has_data(engine: Engine) -> bool:
    """Return whether the database holds anything besides the rules `db upgrade` loads."""
    with engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            if (
                name not in RULE_TABLES
                and connection.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first()
            ):
                return True
    return False


def restore_backup(file: Path, *, force: bool) -> dict[str, Any]:
    """Put a backup's data and photos in place of this instance's; return its manifest.

    The caller commits (the audit entry of the restore).
    """
    with tempfile.TemporaryDirectory(prefix="pluskassa-restore-") as work:
        folder = Path(work)
        manifest = read_backup(file, folder)
        check_revision_known(manifest["schema_revision"])
        db.session.remove()
        engine = db.engine
        if has_data(engine) and not force:
            raise BackupError("restore_refused", REFUSED)
        database = folder / DATABASE_MEMBERS[manifest["format"]]
        engine.dispose()
        if engine.dialect.name == "sqlite":
            restore_into_sqlite(manifest, database, engine, folder)
        else:
            restore_into_postgresql(manifest, database, engine)
        copy_media(folder / "media", media_folder())
    engine.dispose()
    upgrade_database()
    audit.record(
        "restore",
        user_name="systeem",
        subject=f"backup:{file.name}",
        summary=(
            f"Back-up {file.name} van {manifest['created_at']} teruggezet "
            f"(PlusKassa {manifest['app_version']}, {manifest['engine']})."
        ),
        after={
            "row_counts": manifest["row_counts"],
            "schema_revision": manifest["schema_revision"],
        },
    )
    return manifest


def check_revision_known(revision: str) -> None:
    """Refuse a backup whose schema this version of PlusKassa does not know (a newer one)."""
    config = current_app.extensions["migrate"].migrate.get_config(migrate.directory)
    try:
        known = ScriptDirectory.from_config(config).get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown revision
        known = False
    if not known:
        raise BackupError(
            "backup_too_new",
            "Deze back-up komt van een nieuwere versie van PlusKassa. Werk PlusKassa eerst bij.",
        )


def restore_into_sqlite(
    manifest: dict[str, Any], database: Path, engine: Engine, folder: Path
) -> None:
    """Replace the SQLite database, page by page, with the backup's (made SQLite first)."""
    if manifest["format"] == "pg_dump":
        raise BackupError(
            "restore_engine",
            "Deze back-up is met pg_dump gemaakt en kan alleen op PostgreSQL teruggezet worden.",
        )
    if manifest["format"] == "jsonl":
        built = folder / "restored.sqlite"
        build_sqlite(built, manifest, database, folder)
        database = built
    sqlite_copy(database, Path(str(engine.url.database)), single_file=False)


def build_sqlite(target: Path, manifest: dict[str, Any], rows: Path, folder: Path) -> None:
    """Make a SQLite file at the backup's revision and fill it from JSON lines."""
    from kiosk import create_app  # the app factory, for the migrations' own app context

    scratch = create_app(
        {"DATABASE_URL": f"sqlite:///{target}", "SECRET_KEY": "restore", "TESTING": True},
        instance_path=str(folder / "scratch-instance"),
    )
    with scratch.app_context():
        alembic_upgrade(directory=migrate.directory, revision=manifest["schema_revision"])
        with db.engine.begin() as connection, rows.open(encoding="utf-8") as lines:
            check_counts(manifest, write_tables(connection, read_jsonl(lines)))
        db.engine.dispose()


def restore_into_postgresql(manifest: dict[str, Any], database: Path, engine: Engine) -> None:
    """Empty the PostgreSQL database and load the backup into it."""
    drop_all_tables(engine)
    if manifest["format"] == "pg_dump":
        run_pg(
            "pg_restore",
            engine,
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(database),
        )
        with engine.connect() as connection:
            check_counts(manifest, count_rows(connection))
        return
    alembic_upgrade(directory=migrate.directory, revision=manifest["schema_revision"])
    if manifest["format"] == "jsonl":
        with engine.begin() as connection, database.open(encoding="utf-8") as lines:
            check_counts(manifest, write_tables(connection, read_jsonl(lines)))
        return
    source = create_engine(f"sqlite:///{database}")
    try:
        with source.connect() as rows, engine.begin() as connection:
            check_counts(manifest, write_tables(connection, read_tables(rows)))
    finally:
        source.dispose()


def drop_all_tables(engine: Engine) -> None:
    """Drop every table of the PostgreSQL database; refuse when something still uses it."""
    try:
        with engine.begin() as connection:
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            names = inspect(connection).get_table_names()
            if names:
                connection.execute(
                    text("DROP TABLE " + ", ".join(f'"{n}"' for n in names) + " CASCADE")
                )
    except OperationalError as error:
        raise BackupError(
            "database_busy",
            "De database is in gebruik. Stop de server en de printwerker en probeer opnieuw.",
        ) from error
    engine.dispose()


def check_counts(manifest: dict[str, Any], counts: dict[str, int]) -> None:
    """Refuse (and roll back) a load whose rows per table differ from the manifest's."""
    expected = {name: n for name, n in manifest["row_counts"].items() if n}
    if {name: n for name, n in counts.items() if n} != expected:
        raise BackupError(
            "restore_counts", "De teruggezette gegevens komen niet overeen met de back-up."
        )


def copy_media(source: Path, target: Path) -> None:
    """Put the backup's photos in the photo folder (photos are named by their content)."""
    if not source.is_dir():
        return
    target.mkdir(parents=True, exist_ok=True)
    for photo in source.iterdir():
        if not (target / photo.name).exists():
            shutil.copy2(photo, target / photo.name)

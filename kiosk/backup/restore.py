"""Restore a backup made by kiosk.backup.archive into this instance's database, then upgrade it.

A restore never destroys: the backup is decrypted (when sealed) and unpacked into a work folder,
built beside the live data (a new SQLite file, or one PostgreSQL transaction), checked against
its manifest and upgraded to this version's schema; only then does it replace the shop's data,
and the photos follow. Any refusal leaves the data as it was.

A SQLite backup restores onto SQLite as a file, and onto PostgreSQL row by row; a pg_dump backup
restores onto PostgreSQL; a JSON-lines backup restores onto either.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from kiosk.audit import log as audit
from kiosk.backup.archive import DATABASE_MEMBERS, RULE_TABLES, BackupError, media_folder
from kiosk.backup.checks import check_revision_known
from kiosk.backup.restore_postgresql import restore_into_postgresql
from kiosk.backup.restore_sqlite import restore_into_sqlite
from kiosk.backup.unpack import open_backup
from kiosk.database import upgrade_database
from kiosk.extensions import db
from kiosk.models.types import utcnow

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


def restore_backup(file: Path, *, force: bool, passphrase: bytes | None = None) -> dict[str, Any]:
    """Put a backup's data and photos in place of this instance's; return its manifest.

    The caller commits (the audit entry of the restore).
    """
    with tempfile.TemporaryDirectory(prefix="pluskassa-restore-") as work:
        manifest, folder = open_backup(file, Path(work), passphrase)
        check_revision_known(manifest["schema_revision"])
        db.session.remove()
        engine = db.engine
        if has_data(engine) and not force:
            raise BackupError("restore_refused", REFUSED)
        database = folder / DATABASE_MEMBERS[manifest["format"]]
        engine.dispose()
        if engine.dialect.name == "sqlite":
            restore_into_sqlite(manifest, database, engine, file.name, utcnow())
        else:
            restore_into_postgresql(manifest, database, engine, file.name, Path(work))
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


def copy_media(source: Path, target: Path) -> None:
    """Put the backup's photos in the photo folder (photos are named by their content)."""
    if not source.is_dir():
        return
    target.mkdir(parents=True, exist_ok=True)
    for photo in source.iterdir():
        if not (target / photo.name).exists():
            partial = target / f".{photo.name}.part"
            shutil.copy2(photo, partial)
            os.replace(partial, target / photo.name)  # never half a photo under its name

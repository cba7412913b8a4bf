"""The checks a restored database passes before it may replace the shop's data.

A restore is built beside the live data (a new SQLite file, or one PostgreSQL transaction) and
must show the manifest's schema revision and rows per table, and on SQLite pass
`PRAGMA integrity_check`; migrations run on that same connection.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.engine import Connection

from kiosk.backup.archive import BackupError, revision_of
from kiosk.backup.rows import count_rows
from kiosk.extensions import migrate

BUSY = "De database is in gebruik. Stop de server en de printwerker en probeer opnieuw."


def damaged(name: str) -> BackupError:
    """Return the refusal of a backup whose database is damaged."""
    return BackupError(
        "backup_damaged",
        _l("De database in %(file)s is beschadigd; er is niets teruggezet.", file=name),
    )


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


def migrate_on(connection: Connection, revision: str) -> None:
    """Run the migrations up to `revision` on this connection, inside its transaction if any."""
    config = current_app.extensions["migrate"].migrate.get_config(migrate.directory)
    config.attributes["connection"] = connection  # kiosk/migrations/env.py uses it
    command.upgrade(config, revision)


def check_sqlite_file(path: Path, name: str) -> None:
    """Refuse a SQLite file that fails `PRAGMA integrity_check` (or cannot be read at all)."""
    try:
        connection = sqlite3.connect(path)
        try:
            verdict = connection.execute("PRAGMA integrity_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise damaged(name) from error
    if verdict != [("ok",)]:
        raise damaged(name)


def check_database(connection: Connection, manifest: dict[str, Any], name: str) -> None:
    """Refuse a restored database whose revision or rows per table differ from the manifest."""
    if revision_of(connection) != manifest["schema_revision"]:
        raise BackupError(
            "restore_revision",
            _l(
                "De database in %(file)s heeft een ander schema dan de inhoudslijst noemt; "
                "er is niets teruggezet.",
                file=name,
            ),
        )
    check_counts(manifest, count_rows(connection))


def check_counts(manifest: dict[str, Any], counts: dict[str, int]) -> None:
    """Refuse a load whose rows per table differ from the manifest's."""
    expected = {name: n for name, n in manifest["row_counts"].items() if n}
    if {name: n for name, n in counts.items() if n} != expected:
        raise BackupError(
            "restore_counts",
            _l(
                "De teruggezette gegevens komen niet overeen met de back-up; "
                "er is niets teruggezet."
            ),
        )

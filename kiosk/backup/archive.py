"""Backups: one .tar.gz with a consistent copy of the database, the photos and a manifest.

A backup is made while the till sells. SQLite is copied with its online backup API; PostgreSQL
with `pg_dump` (custom format) in a snapshot that the row counts share, or, without `pg_dump`,
as portable JSON lines (kiosk.backup_rows). The manifest names the app version, the schema
revision, the engine, the rows per table and the SHA-256 of every file in the archive. With a
passphrase the whole archive is then encrypted and authenticated (kiosk.backup.encryption).

Restoring checks all of that, refuses a database that holds data unless forced, puts the data
back at the backup's revision and then runs the migrations, so an older backup comes back
upgraded. Till tokens are stored hashed in the database, so paired tills keep working.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from kiosk.audit import log as audit
from kiosk.backup.encryption import encrypt_file
from kiosk.backup.rows import count_rows, read_tables, write_jsonl
from kiosk.errors import Message, OperationError
from kiosk.extensions import db

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
#: the archive member holding the database, per format
DATABASE_MEMBERS = {
    "sqlite": "database.sqlite",
    "pg_dump": "database.pgdump",
    "jsonl": "database.jsonl",
}
#: names of the backups this module makes in a folder; rotation touches no other file
BACKUP_NAME = re.compile(r"^pluskassa-(\d{8}T\d{6}Z)\.tar\.gz(\.enc)?$")
#: tables that `db upgrade` fills by itself: rows there do not make a database "in use"
RULE_TABLES = frozenset({"alembic_version", "vat_rate", "threshold"})


class BackupError(OperationError):
    """A backup or restore that cannot be done; the message says why, in Dutch."""

    def __init__(self, code: str, message: Message) -> None:
        super().__init__(409, code, message)


@dataclass(frozen=True)
class Backup:
    """A backup that was written."""

    path: Path
    manifest: dict[str, Any]


def backup_name(now: datetime, *, encrypted: bool = False) -> str:
    """Return the file name of a backup made at `now`: sortable, in UTC; `.enc` when encrypted."""
    return f"pluskassa-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar.gz" + (".enc" if encrypted else "")


def read_passphrase(path: Path) -> bytes:
    """Read a passphrase file (its content without the final line end); refuse an empty one."""
    try:
        passphrase = path.read_bytes().rstrip(b"\r\n")
    except OSError as error:
        raise BackupError(
            "passphrase_unreadable",
            _l("Het wachtwoordbestand %(file)s kan niet gelezen worden.", file=str(path)),
        ) from error
    if not passphrase:
        raise BackupError(
            "passphrase_empty", _l("Het wachtwoordbestand %(file)s is leeg.", file=str(path))
        )
    return passphrase


def media_folder() -> Path:
    """Return the folder of the uploaded photos."""
    return Path(current_app.instance_path) / "media"


def sha256(path: Path) -> str:
    """Return the SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_backup(out: Path, now: datetime, passphrase: bytes | None = None) -> Backup:
    """Write a backup of this instance to `out` (a folder: a new file named by the time).

    With a passphrase the archive is encrypted; only the encrypted file reaches `out`.
    """
    if out.is_dir():
        out = out / backup_name(now, encrypted=passphrase is not None)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pluskassa-backup-") as work:
        folder = Path(work)
        fmt, database, revision, counts = copy_database(db.engine, folder)
        files = {DATABASE_MEMBERS[fmt]: database}
        media = media_folder()
        if media.is_dir():
            files.update({f"media/{p.name}": p for p in sorted(media.iterdir()) if p.is_file()})
        manifest = {
            "format_version": FORMAT_VERSION,
            "app": "pluskassa",
            "app_version": version("pluskassa"),
            "schema_revision": revision,
            "created_at": now.astimezone(UTC).isoformat(),
            "engine": db.engine.dialect.name,
            "format": fmt,
            "row_counts": counts,
            "files": {member: sha256(path) for member, path in files.items()},
        }
        partial = out.with_name(f".{out.name}.part")
        plain = partial if passphrase is None else folder / "archive.tar.gz"
        try:
            with tarfile.open(plain, "w:gz") as archive:
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(now.timestamp())
                archive.addfile(info, io.BytesIO(data))
                for member, path in files.items():
                    archive.add(path, arcname=member, recursive=False)
            if passphrase is not None:
                encrypt_file(plain, partial, passphrase)
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return Backup(out, manifest)


def record_backup(backup: Backup, user_name: str = "systeem") -> None:
    """Write the audit entry of a backup (the caller commits)."""
    rows = sum(backup.manifest["row_counts"].values())
    audit.record(
        "backup",
        user_name=user_name,
        subject=f"backup:{backup.path.name}",
        summary=f"Back-up gemaakt: {backup.path} ({rows} rijen, {backup.manifest['format']}).",
        after={"file": str(backup.path), "schema_revision": backup.manifest["schema_revision"]},
    )


def copy_database(engine: Engine, folder: Path) -> tuple[str, Path, str, dict[str, int]]:
    """Copy the database consistently into `folder`; return format, file, revision and counts."""
    if engine.dialect.name == "sqlite":
        copy = folder / DATABASE_MEMBERS["sqlite"]
        sqlite_copy(Path(str(engine.url.database)), copy)
        plain = create_engine(f"sqlite:///{copy}")
        try:
            with plain.connect() as connection:
                return "sqlite", copy, revision_of(connection), count_rows(connection)
        finally:
            plain.dispose()
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        revision, counts = revision_of(connection), count_rows(connection)
        if shutil.which("pg_dump"):
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            dump = folder / DATABASE_MEMBERS["pg_dump"]
            run_pg("pg_dump", engine, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}")
            return "pg_dump", dump, revision, counts
        dump = folder / DATABASE_MEMBERS["jsonl"]
        with dump.open("w", encoding="utf-8") as out:
            write_jsonl(out, read_tables(connection))
        return "jsonl", dump, revision, counts


def sqlite_copy(source: Path, target: Path, *, single_file: bool = True) -> None:
    """Copy a live SQLite database with the online backup API (one consistent snapshot).

    A backup copy becomes one self-contained file; a restored database keeps its WAL mode.
    """
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
        if single_file:
            dst.execute("PRAGMA journal_mode=DELETE")
        if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("backup_corrupt", "De kopie van de database is niet in orde.")
    finally:
        dst.close()
        src.close()


def revision_of(connection: Any) -> str:
    """Return the schema revision (Alembic) of a database."""
    return str(connection.scalar(text("SELECT version_num FROM alembic_version")))


def run_pg(program: str, engine: Engine, *args: str) -> None:
    """Run pg_dump or pg_restore against the engine's database; the password goes by env."""
    url = engine.url
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    target = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    done = subprocess.run(
        [program, f"--dbname={target}", *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BackupError("pg_failed", f"{program} is mislukt: {done.stderr.strip()[-500:]}")


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups this module named in `folder`; return those."""
    ours = sorted(
        (p for p in folder.iterdir() if p.is_file() and BACKUP_NAME.match(p.name)),
        key=lambda p: (BACKUP_NAME.match(p.name).group(1), p.name),  # type: ignore[union-attr]
    )
    doomed = ours[: max(len(ours) - max(keep, 1), 0)]
    for path in doomed:
        path.unlink()
    return doomed


def newest_backup(folder: Path) -> datetime | None:
    """Return when the newest backup in `folder` was made, from its name."""
    if not folder.is_dir():
        return None
    stamps = [m.group(1) for p in folder.iterdir() if (m := BACKUP_NAME.match(p.name))]
    if not stamps:
        return None
    return datetime.strptime(max(stamps), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)

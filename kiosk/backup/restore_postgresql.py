"""Restore onto PostgreSQL in one transaction: a refused restore leaves the data as it was.

The old tables are dropped, the schema is built at the backup's revision, the rows are loaded,
checked against the manifest (revision, rows per table) and the schema is upgraded, all in one
transaction that is committed only when every step passed. A pg_dump backup's rows come in by
COPY from the script `pg_restore --data-only` writes (no database of its own needed), parents
first; SQLite and JSON-lines backups row by row (kiosk.backup.rows).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from kiosk.backup.archive import BackupError
from kiosk.backup.checks import BUSY, check_database, check_sqlite_file, damaged, migrate_on
from kiosk.backup.rows import read_jsonl, read_tables, reflect, reset_sequences, write_tables

#: the start of one table's rows in pg_restore's script
COPY_START = re.compile(rb'^COPY (?:public\.)?"?([A-Za-z_][A-Za-z0-9_]*)"? \(.*\) FROM stdin;$')
COPY_END = b"\\.\n"


def restore_into_postgresql(
    manifest: dict[str, Any], database: Path, engine: Engine, name: str, folder: Path
) -> None:
    """Replace the PostgreSQL database's tables and rows with the backup's, all or nothing."""
    if manifest["format"] == "sqlite":
        check_sqlite_file(database, name)
    try:
        with engine.begin() as connection:
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            drop_all_tables(connection)
            migrate_on(connection, manifest["schema_revision"])
            load_rows(connection, manifest, database, folder, name)
            check_database(connection, manifest, name)
            migrate_on(connection, "head")
    except OperationalError as error:
        if "lock" not in str(error.orig).lower():
            raise
        raise BackupError("database_busy", BUSY) from error
    finally:
        engine.dispose()


def drop_all_tables(connection: Connection) -> None:
    """Drop every table (inside the restore's transaction)."""
    names = inspect(connection).get_table_names()
    if names:
        connection.execute(text("DROP TABLE " + ", ".join(f'"{n}"' for n in names) + " CASCADE"))


def load_rows(
    connection: Connection, manifest: dict[str, Any], database: Path, folder: Path, name: str
) -> None:
    """Load the backup's rows into the freshly made tables; refuse rows that do not fit."""
    try:
        if manifest["format"] == "pg_dump":
            copy_pg_dump(connection, database, folder, name)
        elif manifest["format"] == "jsonl":
            with database.open(encoding="utf-8") as lines:
                write_tables(connection, read_jsonl(lines))
        else:
            source = create_engine(f"sqlite:///{database}")
            try:
                with source.connect() as rows:
                    write_tables(connection, read_tables(rows))
            finally:
                source.dispose()
    except (DBAPIError, KeyError, ValueError) as error:
        raise damaged(name) from error


def copy_pg_dump(connection: Connection, dump: Path, folder: Path, name: str) -> None:
    """Load a pg_dump archive's rows with COPY, parents first, into the schema already made."""
    script = folder / "rows.sql"
    program = shutil.which("pg_restore")
    if program is None:
        raise BackupError(
            "pg_failed", "pg_restore is niet geïnstalleerd; installeer de PostgreSQL-client."
        )
    done = subprocess.run(
        [program, "--data-only", f"--file={script}", str(dump)], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BackupError("pg_failed", f"pg_restore is mislukt: {done.stderr.strip()[-500:]}")
    blocks = copy_blocks(script)
    metadata = reflect(connection)
    if set(blocks) - set(metadata.tables):
        raise damaged(name)  # rows of tables this schema revision does not have
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with script.open("rb") as rows:
        for table in metadata.sorted_tables:
            if table.name not in blocks or table.name == "alembic_version":
                continue  # the migrations wrote alembic_version already
            statement, start, end = blocks[table.name]
            rows.seek(start)
            with cursor.copy(statement) as copy:
                while rows.tell() < end:
                    copy.write(rows.read(min(1 << 20, end - rows.tell())))
    reset_sequences(connection, metadata)


def copy_blocks(script: Path) -> dict[str, tuple[str, int, int]]:
    """Find each table's COPY statement and where its rows start and end in the script."""
    blocks: dict[str, tuple[str, int, int]] = {}
    offset, current = 0, None
    with script.open("rb") as lines:
        for line in lines:
            if current is not None and line == COPY_END:
                blocks[current[0]] = (current[1], current[2], offset)
                current = None
            elif current is None and (match := COPY_START.match(line.rstrip(b"\n"))):
                statement = line.decode().rstrip("\n").rstrip(";")
                current = (match.group(1).decode(), statement, offset + len(line))
            offset += len(line)
    return blocks

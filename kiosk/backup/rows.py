"""Every row of every table, engine-neutral: from one database to another, or to JSON lines.

This is the portable backup format (used on PostgreSQL when `pg_dump` is missing) and the way a
backup moves between engines (a SQLite backup restored onto PostgreSQL, and back). Tables come in
dependency order (parents first) and rows in primary-key order, so foreign keys hold at every
insert. Times are written as ISO 8601 in UTC.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import IO, Any

from sqlalchemy import Date, DateTime, MetaData, Table, func, select, text
from sqlalchemy.engine import Connection

#: (table name, column names, rows as tuples in that column order)
TableRows = tuple[str, list[str], Iterable[tuple[Any, ...]]]

BATCH = 500


def reflect(connection: Connection) -> MetaData:
    """Read the schema as the database has it (which may be an older revision than the models)."""
    metadata = MetaData()
    metadata.reflect(bind=connection)
    return metadata


def read_tables(connection: Connection) -> Iterator[TableRows]:
    """Yield every table's rows, parents first, each table in primary-key order."""
    for table in reflect(connection).sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows = connection.execute(select(table).order_by(*order))
        yield table.name, [column.name for column in table.columns], (tuple(row) for row in rows)


def count_rows(connection: Connection) -> dict[str, int]:
    """Return the number of rows in each table."""
    return {
        table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
        for table in reflect(connection).sorted_tables
    }


def write_tables(connection: Connection, tables: Iterable[TableRows]) -> dict[str, int]:
    """Insert the rows into the same tables of `connection` (same schema revision); return counts.

    The alembic_version row is skipped: the target already carries its revision.
    """
    metadata = reflect(connection)
    counts: dict[str, int] = {}
    for name, columns, rows in tables:
        if name == "alembic_version":
            counts[name] = counts.get(name, 0) + sum(1 for _row in rows)
            continue
        table = metadata.tables[name]
        convert = [_converter(table, column, connection.dialect.name) for column in columns]
        counts.setdefault(name, 0)
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(
                {
                    column: fix(value)
                    for column, fix, value in zip(columns, convert, row, strict=True)
                }
            )
            if len(batch) >= BATCH:
                connection.execute(table.insert(), batch)
                counts[name] += len(batch)
                batch = []
        if batch:
            connection.execute(table.insert(), batch)
            counts[name] += len(batch)
    if connection.dialect.name == "postgresql":
        reset_sequences(connection, metadata)
    return counts


def reset_sequences(connection: Connection, metadata: MetaData) -> None:
    """Let PostgreSQL's id sequences continue after the highest id that was copied in."""
    for table in metadata.sorted_tables:
        for column in table.primary_key.columns:
            sequence = connection.scalar(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            )
            if sequence:
                connection.execute(
                    text(
                        f'SELECT setval(:sequence, COALESCE(MAX("{column.name}"), 1), '
                        f'MAX("{column.name}") IS NOT NULL) FROM "{table.name}"'
                    ),
                    {"sequence": sequence},
                )


def _converter(table: Table, column: str, dialect: str) -> Any:
    """Return a function that turns a value (from JSON or another engine) into this column's."""
    kind = table.columns[column].type
    if isinstance(kind, DateTime):

        def to_datetime(value: Any) -> Any:
            if value is None:
                return None
            moment = datetime.fromisoformat(value) if isinstance(value, str) else value
            moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
            moment = moment.astimezone(UTC)
            return moment.replace(tzinfo=None) if dialect == "sqlite" else moment

        return to_datetime
    if isinstance(kind, Date):
        return lambda value: date.fromisoformat(value) if isinstance(value, str) else value
    return lambda value: value


def _plain(value: Any) -> Any:
    """Turn a database value into JSON: times as ISO 8601 in UTC."""
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return moment.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to a backup")


def write_jsonl(out: IO[str], tables: Iterable[TableRows]) -> dict[str, int]:
    """Write the tables as JSON lines: a header line per table, then one array per row."""
    counts: dict[str, int] = {}
    for name, columns, rows in tables:
        out.write(json.dumps({"table": name, "columns": columns}) + "\n")
        counts[name] = 0
        for row in rows:
            out.write(json.dumps(list(row), default=_plain, ensure_ascii=False) + "\n")
            counts[name] += 1
    return counts


def read_jsonl(lines: IO[str]) -> Iterator[TableRows]:
    """Read what write_jsonl wrote, table by table, without holding it all in memory."""
    pending: str | None = next(lines, None)
    while pending is not None:
        header = json.loads(pending)
        name, columns = header["table"], header["columns"]
        pending = None
        rows: list[tuple[Any, ...]] = []
        for line in lines:
            if line.startswith("{"):
                pending = line
                break
            rows.append(tuple(json.loads(line)))
            if len(rows) >= BATCH:
                yield name, columns, rows
                rows = []
        yield name, columns, rows

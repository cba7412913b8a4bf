"""The statements every sale runs, written once per engine and run on the driver's own cursor.

SQLAlchemy's execution layer costs about 60 µs of CPU a statement on top of the driver (cache
look-up, parameter processing, result set-up, events), which made up a quarter of a sale's CPU.
A `DriverStatement` is a Core statement compiled once per dialect: its SQL, its parameters in
order with their types' bind processors, and its result columns' processors; running it is one
driver call. A `RowsInsert` writes rows into a table with one multi-row INSERT (RETURNING their
ids when asked). Both run on the session's connection, inside its transaction (the begin events
that take SQLite's write lock have run), and behave as SQLAlchemy would where it matters:
- values go through the column types' bind processors (UTC datetimes stored as SQLAlchemy
  stores them on SQLite) and results through their result processors;
- the engine's `before_cursor_execute` listeners hear every statement (counted by tests);
- a driver error is raised as SQLAlchemy's wrapped error (IntegrityError for a unique key, so
  kiosk.api.idempotency replays; OperationalError when the database is unavailable), and a lost
  connection is invalidated.
Only SQLite and PostgreSQL (psycopg) are supported, as everywhere in PlusKassa.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, cast

from psycopg import RawCursor
from sqlalchemy import Table
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import ClauseElement

Processor = Callable[[Any], Any] | None
#: SQLite takes at most 32,766 parameters a statement: rows a multi-row INSERT writes at a time
ROWS_A_STATEMENT = 500
#: SQLAlchemy's marker for an `in_(bindparam(…, expanding=True))` list in compiled SQL
EXPANDING = "__[POSTCOMPILE_{}]"
#: a named parameter, or an expanding list's marker, in SQL compiled for psycopg
NAMED = re.compile(r"%\((\w+)\)s|__\[POSTCOMPILE_(\w+)\]")


def placeholder(dialect: Dialect) -> str:
    """Return the driver's positional parameter marker."""
    return "?" if dialect.paramstyle == "qmark" else "%s"


def bind_processor(column_type: Any, dialect: Dialect) -> Processor:
    """Return how a value of this type is handed to the driver (None: as it is)."""
    return column_type.dialect_impl(dialect).bind_processor(dialect)  # type: ignore[no-any-return]


def result_processor(column_type: Any, dialect: Dialect) -> Processor:
    """Return how the driver's value of this type is read back (None: as it is)."""
    return column_type.dialect_impl(dialect).result_processor(dialect, None)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Written:
    """A statement as one dialect runs it."""

    sql: str
    #: each parameter's name in placeholder order, its bind processor and its default value
    names: tuple[str, ...]
    binds: tuple[Processor, ...]
    defaults: Mapping[str, Any]
    #: expanding parameters (lists), written out as one placeholder per item when run
    expanding: frozenset[str]
    results: tuple[Processor, ...]


class DriverStatement:
    """A Core statement compiled once per dialect, run with the driver's cursor."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement: Any = statement
        self.written: dict[tuple[str, str], Written] = {}

    def write(self, dialect: Dialect) -> Written:
        """Return the statement as `dialect` runs it (compiled the first time)."""
        key = (dialect.name, dialect.paramstyle)
        found = self.written.get(key)
        if found is None:
            found = self.written[key] = self.compile(dialect)
        return found

    def compile(self, dialect: Dialect) -> Written:
        """Compile the statement with positional parameters for `dialect`."""
        compiled: Any = self.statement.compile(dialect=dialect)
        binds = compiled.binds
        names = tuple(compiled.positiontup or ()) if compiled.positional else None
        sql = compiled.string
        if names is None:  # named (psycopg's pyformat): make it positional, in order of use
            order: list[str] = []

            def positional(match: re.Match[str]) -> str:
                named, expanding = match.groups()
                order.append(named or expanding)
                return "%s" if named else match.group(0)

            sql = NAMED.sub(positional, sql)
            names = tuple(order)
        columns: Sequence[Any] = getattr(self.statement, "exported_columns", ())
        return Written(
            sql=sql,
            names=names,
            binds=tuple(bind_processor(binds[name].type, dialect) for name in names),
            defaults={
                name: bind.effective_value
                for name, bind in binds.items()
                if not bind.required and not bind.expanding
            },
            expanding=frozenset(name for name, bind in binds.items() if bind.expanding),
            results=tuple(result_processor(column.type, dialect) for column in columns),
        )

    def all(self, connection: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run the statement; return its rows, read as SQLAlchemy reads them."""
        written = self.write(connection.dialect)
        sql, values = bound(written, params, placeholder(connection.dialect))
        with driver_cursor(connection, sql, values) as (cursor, native):
            cursor.execute(native, values)
            rows = cursor.fetchall() if cursor.description is not None else []
        results = written.results
        if not any(results):
            return [tuple(row) for row in rows]
        return [
            tuple(
                value if read is None else read(value)
                for read, value in zip(results, row, strict=True)
            )
            for row in rows
        ]

    def scalar(self, connection: Connection, params: Mapping[str, Any]) -> Any:
        """Run the statement; return the first column of its first row, or None."""
        rows = self.all(connection, params)
        return rows[0][0] if rows else None


def bound(written: Written, params: Mapping[str, Any], mark: str) -> tuple[str, list[Any]]:
    """Return the SQL (expanding lists written out) and its values in order, processed."""
    sql = written.sql
    values: list[Any] = []
    defaults = written.defaults
    for name, process in zip(written.names, written.binds, strict=True):
        value = params[name] if name in params else defaults[name]
        if name in written.expanding:
            items = list(value)
            if not items:
                raise ValueError(f"empty list for {name}: the statement would read nothing")
            sql = sql.replace(EXPANDING.format(name), ", ".join([mark] * len(items)), 1)
            values.extend(items if process is None else map(process, items))
        else:
            values.append(value if process is None else process(value))
    return sql, values


class RowsInsert:
    """Rows into a table in one multi-row INSERT a few hundred rows, optionally returning ids.

    `upsert` is an INSERT … ON CONFLICT statement per dialect name whose conflict clause the
    rows take (no parameters in it): the table's one upsert, written once.
    """

    def __init__(
        self,
        table: Table,
        keys: Sequence[str],
        returning: str | None = None,
        upsert: Mapping[str, DriverStatement] | None = None,
    ) -> None:
        self.table = table
        self.keys = tuple(keys)
        self.returning = returning
        self.upsert = upsert
        self.written: dict[tuple[str, str], tuple[str, str, str, tuple[Processor, ...]]] = {}

    def write(self, dialect: Dialect) -> tuple[str, str, str, tuple[Processor, ...]]:
        """Return the INSERT's head, one row's placeholders, its tail and the bind processors."""
        key = (dialect.name, dialect.paramstyle)
        found = self.written.get(key)
        if found is None:
            quote = dialect.identifier_preparer.quote
            columns = ", ".join(quote(name) for name in self.keys)
            head = f"INSERT INTO {quote(self.table.name)} ({columns}) VALUES "
            group = "(" + ", ".join([placeholder(dialect)] * len(self.keys)) + ")"
            tail = ""
            if self.upsert is not None:
                upsert = self.upsert[dialect.name].write(dialect).sql
                tail = upsert[upsert.index(" ON CONFLICT") :]
            if self.returning:
                tail += f" RETURNING {self.returning}"
            processors = tuple(bind_processor(self.table.c[k].type, dialect) for k in self.keys)
            found = self.written[key] = (head, group, tail, processors)
        return found

    def statement(
        self, dialect: Dialect, rows: Sequence[Mapping[str, Any]]
    ) -> tuple[str, list[Any]]:
        """Return the INSERT of these rows (at most ROWS_A_STATEMENT) and its values in order."""
        head, group, tail, processors = self.write(dialect)
        keys = self.keys
        values = [
            row[key] if process is None else process(row[key])
            for row in rows
            for key, process in zip(keys, processors, strict=True)
        ]
        return head + ", ".join([group] * len(rows)) + tail, values

    def run(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Insert the rows; return their new ids in row order (ids rise with the rows)."""
        ids: list[int] = []
        for start in range(0, len(rows), ROWS_A_STATEMENT):
            sql, values = self.statement(connection.dialect, rows[start : start + ROWS_A_STATEMENT])
            with driver_cursor(connection, sql, values) as (cursor, native):
                cursor.execute(native, values)
                if self.returning:
                    ids.extend(row[0] for row in cursor.fetchall())
        return sorted(ids)


#: rows for several tables, each with its INSERT: what insert_together writes
Inserts = Sequence[tuple[RowsInsert, Sequence[Mapping[str, Any]]]]


def insert_together(connection: Connection, inserts: Inserts) -> list[list[int]]:
    """Insert rows into several tables; return each insert's new ids (empty if it returns none).

    On PostgreSQL one statement does them all, each INSERT a data-modifying WITH query: one
    driver call and one round trip instead of one a table (psycopg's Python costs ~0.1 ms of
    CPU a statement). The rows must not refer to each other (the queries run side by side).
    SQLite has no INSERT in WITH: there, and for more rows than one INSERT takes, one a table.
    """
    wanted = [(index, insert, rows) for index, (insert, rows) in enumerate(inserts) if rows]
    ids: list[list[int]] = [[] for _ in inserts]
    if (
        connection.dialect.name != "postgresql"
        or len(wanted) < 2
        or any(len(rows) > ROWS_A_STATEMENT for _index, _insert, rows in wanted)
    ):
        for index, insert, rows in wanted:
            ids[index] = insert.run(connection, rows)
        return ids
    queries, values, returned = [], [], []
    for index, insert, rows in wanted:
        sql, row_values = insert.statement(connection.dialect, rows)
        queries.append(f"i{index} AS ({sql})")
        values.extend(row_values)
        if insert.returning:
            returned.append(f"SELECT {index}, {insert.returning} FROM i{index}")
    final = " UNION ALL ".join(returned) or "SELECT NULL, NULL WHERE false"
    sql = "WITH " + ", ".join(queries) + " " + final
    with driver_cursor(connection, sql, values) as (cursor, native):
        cursor.execute(native, values)
        for index, new_id in cursor.fetchall():
            ids[index].append(new_id)
    return [sorted(found) for found in ids]


def run_plain(connection: Connection, sql: str) -> None:
    """Run a statement without parameters or rows (BEGIN IMMEDIATE, ROLLBACK)."""
    with driver_cursor(connection, sql, ()) as (cursor, native):
        cursor.execute(native)


@functools.lru_cache(maxsize=512)
def numbered(sql: str) -> str:
    """Return SQL written with `%s` markers in PostgreSQL's own: `$1`, `$2`, … (`%%` is `%`).

    psycopg turns `%s` into these itself on every statement, and caches only statements of at
    most 50 parameters: a sale's five lines (60) were parsed anew on every sale.
    """
    parts = re.split(r"(%s|%%)", sql)
    count = 0
    for index in range(1, len(parts), 2):
        if parts[index] == "%%":
            parts[index] = "%"
        else:
            count += 1
            parts[index] = f"${count}"
    return "".join(parts)


@contextmanager
def driver_cursor(connection: Connection, sql: str, values: Any) -> Iterator[tuple[Any, str]]:
    """Yield a cursor of the connection's driver connection and the SQL as the driver takes it.

    Listeners hear of the statement first. On PostgreSQL the cursor is psycopg's raw cursor,
    which takes `$n` markers as they are (numbered), instead of parsing the SQL for `%s`.
    A driver error leaves as SQLAlchemy's wrapped error; a lost connection is invalidated.
    """
    dialect = connection.dialect
    driver = connection.connection.dbapi_connection
    assert driver is not None
    cursor: Any
    if dialect.paramstyle == "qmark":
        cursor, native = driver.cursor(), sql
    else:
        cursor, native = RawCursor(cast(Any, driver)), numbered(sql)
    listeners = connection.dispatch.before_cursor_execute
    if listeners:
        listeners(connection, cursor, native, values, None, False)  # never executemany
    error_type = dialect.loaded_dbapi.Error
    try:
        yield cursor, native
    except error_type as error:
        lost = dialect.is_disconnect(error, driver, cursor)
        wrapped = DBAPIError.instance(
            sql, values, error, error_type, connection_invalidated=lost, dialect=dialect
        )
        if lost:
            connection.invalidate(error)
        raise wrapped from error
    finally:
        with suppress(error_type):  # the connection is gone, and its cursor with it
            cursor.close()

"""Write generated sales in bulk: a batch of sales, then their lines, payments and VAT per rate.

The driver's own bulk path does the writing (executemany on SQLite, COPY on PostgreSQL): a
million sales make some six million rows, and SQLAlchemy's per-row parameter handling, or
psycopg's executemany that waits on the server for each row, would take longer than the
database itself. Only kiosk/demo/history.py writes this way; real sales go through `record_sale`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select

from kiosk.demo.baskets import Basket, BasketLine
from kiosk.extensions import db
from kiosk.models import Payment, Sale, SaleLine, SaleVat
from kiosk.periods import business_day

SALE_COLUMNS = (
    *("till_id", "point_of_sale_id", "operator_id", "ticket_number", "receipt_number"),
    *("idempotency_key", "request_hash", "created_at", "consumption"),
    *("total_cents", "rounding_cents", "change_cents"),
    *("rung_up_at", "closing_day", "late"),
)
LINE_COLUMNS = ("sale_id", *BasketLine._fields)
PAYMENT_COLUMNS = ("sale_id", "method", "amount_cents")
VAT_COLUMNS = ("sale_id", "rate_basis_points", "gross_cents", "vat_cents")


@dataclass
class PendingSale:
    """A sale made in memory, waiting for its batch to be written."""

    till_id: int
    ticket_number: int
    created_at: datetime
    values: tuple[object, ...]  # SALE_COLUMNS up to change_cents, created_at still a datetime
    basket: Basket


def write_batch(pending: list[PendingSale]) -> int:
    """Insert a batch of sales, then their lines, payments and VAT per rate; return the count."""
    if not pending:
        return 0
    moment = stored_moment()
    executemany(
        Sale.__tablename__,
        SALE_COLUMNS,
        [
            (
                *s.values[:7],
                moment(s.created_at),
                *s.values[8:],
                moment(s.created_at),  # rung up as stored: a generated sale is never late
                business_day(s.created_at).isoformat(),
                False,
            )
            for s in pending
        ],
    )
    ranges: dict[int, tuple[int, int]] = {}
    for sale in pending:
        low, high = ranges.get(sale.till_id, (sale.ticket_number, sale.ticket_number))
        ranges[sale.till_id] = (min(low, sale.ticket_number), max(high, sale.ticket_number))
    ids = {
        (till_id, ticket): sale_id
        for sale_id, till_id, ticket in db.session.execute(
            select(Sale.id, Sale.till_id, Sale.ticket_number).where(
                or_(
                    *(
                        and_(Sale.till_id == till_id, Sale.ticket_number.between(low, high))
                        for till_id, (low, high) in ranges.items()
                    )
                )
            )
        )
    }
    lines: list[tuple[object, ...]] = []
    payments: list[tuple[object, ...]] = []
    vat: list[tuple[object, ...]] = []
    for sale in pending:
        sale_id = ids[sale.till_id, sale.ticket_number]
        lines += [(sale_id, *line) for line in sale.basket.lines]
        payments += [(sale_id, *payment) for payment in sale.basket.payments.items()]
        vat += [(sale_id, *rate) for rate in sale.basket.vat_totals()]
    executemany(SaleLine.__tablename__, LINE_COLUMNS, lines)
    executemany(Payment.__tablename__, PAYMENT_COLUMNS, payments)
    executemany(SaleVat.__tablename__, VAT_COLUMNS, vat)
    return len(pending)


def stored_moment() -> Callable[[datetime], object]:
    """Return how the database's driver takes a UTC moment (SQLite keeps text)."""
    dialect = db.session.get_bind().dialect
    column_type = Sale.__table__.c.created_at.type
    process = column_type.dialect_impl(dialect).bind_processor(dialect)
    return process or (lambda moment: moment)


def executemany(table: str, columns: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    """Insert plain rows, already in the driver's types: COPY on PostgreSQL, else executemany."""
    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer
    target = f"{quote.quote(table)} ({', '.join(quote.quote(c) for c in columns)})"
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        raw = connection.connection.driver_connection
        assert raw is not None  # a live connection: the session's own
        with raw.cursor() as cursor, cursor.copy(f"COPY {target} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(
        f"INSERT INTO {target} VALUES ({', '.join([marker] * len(columns))})", rows
    )

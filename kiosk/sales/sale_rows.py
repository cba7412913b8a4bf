"""Store a sale, its lines, payments and VAT rows: one statement per table, no flush.

The rows are written from plain values on the driver's cursor of the session's connection
(kiosk.driver_sql: no ORM statement, no autoflush), one multi-row INSERT per table (on
PostgreSQL the lines, payments and VAT rows in one statement: insert_together); the ids it
returns are handed out in row order (an insert's new ids rise in the order of its rows on both
engines). The Sale handed back is built
from those same values, not read back: a detached row with every column and relationship
loaded, so the sale's document reads no database, the commit does not flush it, and code that
links another row to it (a bistro tab item) attaches it to the session as it is.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from sqlalchemy import Table, inspect
from sqlalchemy.orm import Mapper, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from kiosk.driver_sql import RowsInsert, insert_together
from kiosk.extensions import db
from kiosk.models import Payment, PointOfSale, Sale, SaleLine, SaleVat, Till, User


def table_of(model: type[Any]) -> Table:
    """Return a model's table."""
    return cast(Table, model.__table__)


def column_keys(model: type[Any]) -> tuple[str, ...]:
    """Return the columns a new row of the model is written with (all but a generated id)."""
    return tuple(column.key for column in table_of(model).columns if column.key != "id")


# Built once: every sale writes these.
SALE_KEYS = column_keys(Sale)
LINE_KEYS = column_keys(SaleLine)
SALE_INSERT = RowsInsert(table_of(Sale), SALE_KEYS, returning="id")
LINE_INSERT = RowsInsert(table_of(SaleLine), LINE_KEYS, returning="id")
PAYMENT_INSERT = RowsInsert(table_of(Payment), column_keys(Payment), returning="id")
VAT_INSERT = RowsInsert(table_of(SaleVat), column_keys(SaleVat))


def store_sale(
    columns: dict[str, Any],
    lines: list[SaleLine],
    payments: list[dict[str, Any]],
    vat_totals: list[tuple[int, int, int]],
    *,
    till: Till,
    point_of_sale: PointOfSale,
    operator: User,
    refund_of: Sale | None,
) -> Sale:
    """Insert a new sale and its rows; return it, built from what was written.

    `columns` are the sale's columns (all of them but its id); `lines` are new SaleLine objects
    without their sale; `payments` the payment rows' columns (kiosk.sales.qr_payment
    payment_columns); `vat_totals` are (rate in basis points, gross, VAT) per rate.
    """
    connection = db.session.connection()
    (sale_id,) = SALE_INSERT.run(connection, [columns])
    line_values = []
    for line in lines:
        values = {key: line.__dict__.get(key) for key in LINE_KEYS}
        values["sale_id"] = sale_id
        line_values.append(values)
    payment_values = [{**columns_of_payment, "sale_id": sale_id} for columns_of_payment in payments]
    vat_values = [
        {"sale_id": sale_id, "rate_basis_points": rate, "gross_cents": gross, "vat_cents": vat}
        for rate, gross, vat in vat_totals
    ]
    line_ids, payment_ids, _vat = insert_together(
        connection,
        [(LINE_INSERT, line_values), (PAYMENT_INSERT, payment_values), (VAT_INSERT, vat_values)],
    )
    sale = loaded(Sale, {**columns, "id": sale_id})
    relations = {
        "till": till,
        "point_of_sale": point_of_sale,
        "operator": operator,
        "refund_of": refund_of,
        "lines": [
            loaded_line(line, values, new_id, sale)
            for line, values, new_id in zip(lines, line_values, line_ids, strict=True)
        ],
        "payments": [
            loaded(Payment, {**values, "id": new_id}, sale)
            for values, new_id in zip(payment_values, payment_ids, strict=True)
        ],
        "vat_totals": [loaded(SaleVat, values, sale) for values in vat_values],
    }
    for key, value in relations.items():
        set_committed_value(sale, key, value)
    return sale


Row = TypeVar("Row")


def loaded(model: type[Row], columns: dict[str, Any], sale: Sale | None = None) -> Row:
    """Return a detached row with these columns (and its sale) loaded, as if read.

    The columns go straight into the row's dictionary, as SQLAlchemy's loader puts what it
    read (the constructor would run an attribute event per column, a tenth of a sale's CPU).
    """
    row = new_row(model, columns if sale is None else {**columns, "sale": sale})
    make_transient_to_detached(row)  # what is missing now is marked expired
    return row


def new_row(model: type[Row], columns: dict[str, Any]) -> Row:
    """Return a new (transient) row with these attributes, set without attribute events."""
    row: Row = cast(Mapper[Any], inspect(model)).class_manager.new_instance()
    row.__dict__.update(columns)
    return row


def loaded_line(line: SaleLine, values: dict[str, Any], new_id: int, sale: Sale) -> SaleLine:
    """Turn a new line into the detached row it was written as."""
    line.__dict__.update(values, id=new_id, sale=sale)  # what was written, None for unset
    make_transient_to_detached(line)
    return line

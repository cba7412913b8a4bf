"""Store a sale, its lines, payments and VAT rows with Core: one statement per table.

The ORM's flush inserts rows it must read ids back from one at a time on SQLite, and spends
more time planning than writing for the few rows of a sale. These rows are inserted in one
multi-row INSERT each; the ids it returns are handed out in row order (an insert's new ids rise
in the order of its rows on both engines), and the objects then join the session as rows it
loaded, so the sale's document and the operations after it see them as after a flush.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, insert, inspect
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from kiosk.extensions import db
from kiosk.models import Payment, Sale, SaleLine, SaleVat


def store_sale(
    sale: Sale, lines: list[SaleLine], payments: list[Payment], vat_totals: list[SaleVat]
) -> None:
    """Insert a new sale and its rows; attach them to it as loaded rows.

    The sale's columns are all set (its foreign keys too: nothing is flushed here).
    """
    insert_rows([sale])
    for collection, rows in (("lines", lines), ("payments", payments), ("vat_totals", vat_totals)):
        for row in rows:
            row.sale_id = sale.id
        insert_rows(rows)
        for row in rows:
            set_committed_value(row, "sale", sale)
        set_committed_value(sale, collection, rows)


def insert_rows(rows: Sequence[Any]) -> None:
    """Insert new rows of one model in one statement; make them persistent, with their ids.

    Meant for rows whose columns have no Python-side defaults (unset columns are stored NULL).
    """
    if not rows:
        return
    mapper = inspect(type(rows[0]))
    table = cast(Table, mapper.local_table)
    generated = [column for column in table.primary_key if column.key == "id"]
    keys = [column.key for column in table.columns if column not in generated]
    for row in rows:  # unset columns are stored NULL; set them so none is left expired
        loaded = inspect(row).dict
        for key in keys:
            if key not in loaded:
                setattr(row, key, None)
    values = [{key: getattr(row, key) for key in keys} for row in rows]
    session = db.session
    if generated:
        statement = insert(table).returning(generated[0])
        new_ids = sorted(session.execute(statement, values).scalars())
        for row, new_id in zip(rows, new_ids, strict=True):
            row.id = new_id
    else:
        session.execute(insert(table), values)
    for row in rows:
        make_transient_to_detached(row)
        session.add(row)

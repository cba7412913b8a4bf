"""Book a sale's goods out of stock in a few statements, however many lines it has.

The same rules as kiosk.stock.operations.take_first_expiry_first (earliest best-before first,
what the ledger lacks goes negative without a lot), worked out in Python over one read of the
balances: one balance query for all lines, then every move in one multi-row INSERT and every
balance in one multi-row upsert (on PostgreSQL both in one statement). The statements are built
once, here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiosk.driver_sql import DriverStatement, Inserts, RowsInsert
from kiosk.extensions import db
from kiosk.models import Location, Lot, Product, Sale, StockBalance, StockMove
from kiosk.stock.queries import LotBalance, first_expiry_first

BALANCE_TABLE = cast(Table, StockBalance.__table__)


BALANCE_KEYS = ("product_id", "location_id", "lot_key", "lot_id", "quantity_milli")


def balance_upsert(dialect_insert: Any) -> DriverStatement:
    """Return the statement that adds a quantity to a balance row, making it when missing."""
    statement = dialect_insert(BALANCE_TABLE).values({key: bindparam(key) for key in BALANCE_KEYS})
    return DriverStatement(
        statement.on_conflict_do_update(
            index_elements=[
                BALANCE_TABLE.c.product_id,
                BALANCE_TABLE.c.location_id,
                BALANCE_TABLE.c.lot_key,
            ],
            set_={
                "quantity_milli": BALANCE_TABLE.c.quantity_milli + statement.excluded.quantity_milli
            },
        )
    )


#: per dialect: add `quantity_milli` to the balance of (product_id, location_id, lot_key)
BALANCE_UPSERTS = {
    "sqlite": balance_upsert(sqlite_insert),
    "postgresql": balance_upsert(postgresql_insert),
}
#: the same upsert for many rows in one multi-row INSERT
BALANCE_ROWS = RowsInsert(BALANCE_TABLE, BALANCE_KEYS, upsert=BALANCE_UPSERTS)
MOVE_INSERT = RowsInsert(
    cast(Table, StockMove.__table__),
    ("product_id", "location_id", "lot_id", "quantity_milli", "kind", "sale_id", "created_at"),
)

#: the tracked products' lot balances at the location a point of sale sells from; a product
#: with no balance yet comes back once with lot_id, best_before and quantity NULL
BALANCES_QUERY = DriverStatement(
    select(
        Location.id,
        Product.id,
        StockBalance.lot_id,
        Lot.best_before,
        StockBalance.quantity_milli,
    )
    .select_from(Location)
    .join(Product, Product.stock_tracked.is_(True))
    .outerjoin(
        StockBalance,
        and_(StockBalance.product_id == Product.id, StockBalance.location_id == Location.id),
    )
    .outerjoin(Lot, Lot.id == StockBalance.lot_id)
    .where(
        Location.sells_for_id == bindparam("point_of_sale_id"),
        Product.id.in_(bindparam("product_ids", expanding=True)),
    )
)
#: PostgreSQL: sales of a product queue on its row first, in product order. Its balance rows
#: alone cannot order them: a sale that waited for them may then have to upsert a balance row
#: another sale made meanwhile (goods sold without a lot), which a third sale that began after
#: that one may hold already: a deadlock. Product rows are always there. (NO KEY UPDATE: the
#: foreign keys of other sales' lines and moves do not wait for it.)
PRODUCT_LOCK = DriverStatement(
    select(Product.id)
    .where(
        Product.id.in_(bindparam("product_ids", expanding=True)),
        Product.stock_tracked.is_(True),
    )
    .order_by(Product.id)
    .with_for_update(key_share=True)
)
#: PostgreSQL: then lock the balances, in one fixed order, against waste, counts and refunds of
#: the same goods; the balance query after it reads what the sale before committed
LOCK_QUERY = DriverStatement(
    select(StockBalance.product_id, StockBalance.lot_key)
    .join(Location, Location.id == StockBalance.location_id)
    .join(Product, Product.id == StockBalance.product_id)
    .where(
        Product.stock_tracked.is_(True),
        Location.sells_for_id == bindparam("point_of_sale_id"),
        StockBalance.product_id.in_(bindparam("product_ids", expanding=True)),
    )
    .order_by(StockBalance.product_id, StockBalance.lot_key)
    .with_for_update(of=StockBalance)
)


def stock_inserts(sale: Sale, now: datetime) -> Inserts:
    """Take a sale's stock-tracked goods from its point of sale's location, in its transaction.

    Reads (and on PostgreSQL locks) the balances; returns the moves and balance changes for the
    sale to write with its other rows (kiosk.driver_sql.insert_together).
    """
    product_ids = {
        line.product_id
        for line in sale.lines
        if line.product_id is not None and line.quantity_milli > 0
    }
    if not product_ids:
        return []
    location_id, balances = sale_balances(sale.point_of_sale_id, product_ids)
    if location_id is None:
        return []
    moves: list[dict[str, Any]] = []
    for line in sale.lines:
        product_balances = balances.get(line.product_id) if line.product_id is not None else None
        if product_balances is None or line.quantity_milli <= 0:
            continue
        for lot_id, quantity_milli in take_from(product_balances, line.quantity_milli):
            moves.append(
                {
                    "product_id": line.product_id,
                    "location_id": location_id,
                    "lot_id": lot_id,
                    "quantity_milli": quantity_milli,
                    "kind": "sale",
                    "sale_id": sale.id,
                    "created_at": now,
                }
            )
    return move_inserts(moves)


def sale_balances(
    point_of_sale_id: int, product_ids: set[int]
) -> tuple[int | None, dict[int, list[LotBalance]]]:
    """Return the sales location and, per tracked product, its lots first expiry first.

    On PostgreSQL the products and then their balances are locked first (SQLite's write
    transactions run one at a time).
    """
    connection = db.session.connection()  # Core: no ORM statement, no autoflush
    wanted = {"point_of_sale_id": point_of_sale_id, "product_ids": sorted(product_ids)}
    if connection.dialect.name == "postgresql":
        PRODUCT_LOCK.all(connection, wanted)
        LOCK_QUERY.all(connection, wanted)
    rows = BALANCES_QUERY.all(connection, wanted)
    location_id: int | None = None
    lots: dict[int, list[LotBalance]] = {}
    for location, product_id, lot_id, best_before, quantity in rows:
        location_id = location
        product_lots = lots.setdefault(product_id, [])
        if quantity is not None:
            product_lots.append(LotBalance(lot_id, best_before, int(quantity)))
    return location_id, {product: first_expiry_first(found) for product, found in lots.items()}


def take_from(balances: list[LotBalance], quantity_milli: int) -> list[tuple[int | None, int]]:
    """Take a quantity from lots first expiry first; return (lot, negative quantity) per move.

    The balances are lowered as they are taken from, so a second line of the same product
    takes what the first left.
    """
    taken_moves: list[tuple[int | None, int]] = []
    left = quantity_milli
    for index, balance in enumerate(balances):
        if left == 0:
            break
        if balance.quantity_milli <= 0:
            continue
        taken = min(left, balance.quantity_milli)
        balances[index] = LotBalance(
            balance.lot_id, balance.best_before, balance.quantity_milli - taken
        )
        taken_moves.append((balance.lot_id, -taken))
        left -= taken
    if left:
        taken_moves.append((None, -left))
    return taken_moves


def move_inserts(moves: Sequence[dict[str, Any]]) -> Inserts:
    """Return the moves and their balances' changes (summed per product, place and lot) to write."""
    if not moves:
        return []
    totals: dict[tuple[int, int, int | None], int] = {}
    for entry in moves:
        key = (entry["product_id"], entry["location_id"], entry["lot_id"])
        totals[key] = totals.get(key, 0) + entry["quantity_milli"]
    balances = [
        {
            "product_id": product_id,
            "location_id": location_id,
            "lot_key": lot_id or 0,
            "lot_id": lot_id,
            "quantity_milli": quantity,
        }
        for (product_id, location_id, lot_id), quantity in sorted(
            totals.items(), key=lambda item: (item[0][0], item[0][2] or 0)
        )
    ]
    return [(MOVE_INSERT, list(moves)), (BALANCE_ROWS, balances)]

"""Read the bistro: its tables, their open tabs, and what is still unpaid on a tab.

A tab's rows are the items the tables ordered, plus *share rows*: when a bill is paid in equal
parts, each part that is not the last leaves one row per item it paid a share of, linked to that
part's sale. A share row's client_key is ``deel/<item id>/<part>/<parts>`` (tablets' keys never
hold a slash), and the money it paid is its sale line's amount: the sale is the record of what
was paid. The tablets only ever see the ordered items; share rows only lower what is unpaid.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kiosk import money
from kiosk.database import MAX_ROW_ID
from kiosk.extensions import db
from kiosk.models import DiningTable, PointOfSale, Sale, Tab, TabItem

SHARE_PREFIX = "deel/"


@dataclass(frozen=True)
class Share:
    """Which item a share row paid part of, and which part of how many."""

    item_id: int
    part: int
    parts: int


def share_of(item: TabItem) -> Share | None:
    """Return what a share row paid; None for an item a table ordered."""
    if not item.client_key.startswith(SHARE_PREFIX):
        return None
    item_id, part, parts = item.client_key.removeprefix(SHARE_PREFIX).split("/")
    return Share(int(item_id), int(part), int(parts))


def share_key(item_id: int, part: int, parts: int) -> str:
    """Return the client_key of the row that records part `part` of `parts` of an item."""
    return f"{SHARE_PREFIX}{item_id}/{part}/{parts}"


def ordered_items(tab: Tab) -> list[TabItem]:
    """Return what the table ordered, oldest first, cancelled items included."""
    return [item for item in tab.items if share_of(item) is None]


def is_empty(tab: Tab) -> bool:
    """Return whether a tab holds nothing: no items yet, or every item was taken off again.

    An empty open tab does not make its table busy: the floor shows the table free. One that was
    emptied is closed (cancelled) when a tab is next opened or moved there (see
    kiosk.operations.bistro.occupying_tab), so new guests never inherit its opening hour.
    """
    return all(item.cancelled_at is not None for item in ordered_items(tab))


def was_emptied(tab: Tab) -> bool:
    """Return whether a tab had items and all of them were taken off again."""
    return bool(ordered_items(tab)) and is_empty(tab)


def item_amount_cents(item: TabItem) -> int:
    """Return what an item costs at the price it was ordered at."""
    return money.line_amount_cents(item.unit_price_cents, item.quantity)


@dataclass(frozen=True)
class ItemBalance:
    """An ordered item with what is still to pay for it."""

    item: TabItem
    amount_cents: int
    unpaid_cents: int
    unpaid_milli: int
    has_shares: bool

    @property
    def open(self) -> bool:
        """Return whether the item still waits to be paid (not cancelled, not paid)."""
        return self.item.cancelled_at is None and self.item.sale_id is None


@dataclass(frozen=True)
class TabBalance:
    """A tab's ordered items with their unpaid amounts, and the equal parts already paid."""

    items: list[ItemBalance]
    #: parts already paid per number of parts: {3: {1, 2}}
    parts_paid: dict[int, set[int]]

    @property
    def total_cents(self) -> int:
        """Return what the table ordered, leaving cancelled items out."""
        return sum(row.amount_cents for row in self.items if row.item.cancelled_at is None)

    @property
    def unpaid_cents(self) -> int:
        """Return what is left to pay."""
        return sum(row.unpaid_cents for row in self.open_items)

    @property
    def open_items(self) -> list[ItemBalance]:
        """Return the items still waiting to be paid, oldest first."""
        return [row for row in self.items if row.open]

    @property
    def anything_paid(self) -> bool:
        """Return whether some of the tab was paid already."""
        return bool(self.parts_paid) or any(row.item.sale_id for row in self.items)


def share_amounts(shares: list[TabItem]) -> dict[int, int]:
    """Return the amount each share row paid, read from its sale's lines.

    A part's sale has one line per share row, in the order of the rows' ids.
    """
    by_sale: dict[int, list[TabItem]] = defaultdict(list)
    for row in shares:
        if row.sale_id is not None:
            by_sale[row.sale_id].append(row)
    amounts: dict[int, int] = {}
    for sale_id, rows in by_sale.items():
        sale = db.session.get(Sale, sale_id)
        lines = sale.lines if sale is not None else []
        for row, line in zip(sorted(rows, key=lambda r: r.id), lines, strict=True):
            amounts[row.id] = line.amount_cents
    return amounts


def get_tab_balance(tab: Tab) -> TabBalance:
    """Work out what is unpaid on each item of a tab."""
    shares = [item for item in tab.items if share_of(item) is not None]
    amounts = share_amounts(shares)
    paid_cents: dict[int, int] = defaultdict(int)
    paid_milli: dict[int, int] = defaultdict(int)
    parts_paid: dict[int, set[int]] = defaultdict(set)
    for row in shares:
        share = share_of(row)
        assert share is not None
        paid_cents[share.item_id] += amounts.get(row.id, 0)
        paid_milli[share.item_id] += row.quantity_milli
        parts_paid[share.parts].add(share.part)
    balances = []
    for item in ordered_items(tab):
        amount = item_amount_cents(item)
        unpaid = item.cancelled_at is None and item.sale_id is None
        balances.append(
            ItemBalance(
                item=item,
                amount_cents=amount,
                unpaid_cents=amount - paid_cents.get(item.id, 0) if unpaid else 0,
                unpaid_milli=item.quantity_milli - paid_milli.get(item.id, 0) if unpaid else 0,
                has_shares=item.id in paid_milli,
            )
        )
    return TabBalance(balances, dict(parts_paid))


def get_dining_tables(point_of_sale_id: int) -> list[DiningTable]:
    """Return a point of sale's tables in their order on the floor."""
    return list(
        db.session.scalars(
            select(DiningTable)
            .where(
                DiningTable.point_of_sale_id == point_of_sale_id,
                DiningTable.active.is_(True),
            )
            .order_by(DiningTable.position, DiningTable.number)
        )
    )


def get_open_tabs(point_of_sale_id: int | None = None) -> list[Tab]:
    """Return the open tabs of every point of sale (or of one), by point of sale and table.

    Their items, table and opener come along. Empty tabs are included: the till leaves out
    tabs with nothing on them, the back office only those emptied again (see `was_emptied`).
    """
    query = (
        select(Tab)
        .join(PointOfSale, PointOfSale.id == Tab.point_of_sale_id)
        .outerjoin(DiningTable, DiningTable.id == Tab.table_id)
        .where(Tab.state == "open")
        .options(
            selectinload(Tab.items),
            selectinload(Tab.table),
            selectinload(Tab.point_of_sale),
            selectinload(Tab.opened_by),
        )
        .order_by(PointOfSale.name, DiningTable.position, DiningTable.number, Tab.opened_at)
    )
    if point_of_sale_id is not None:
        query = query.where(Tab.point_of_sale_id == point_of_sale_id)
    return list(db.session.scalars(query))


def get_dining_table(
    point_of_sale_id: int, table_id: int, *, lock: bool = False
) -> DiningTable | None:
    """Return an active table of this point of sale; `lock` holds it until the commit."""
    if not 0 < table_id <= MAX_ROW_ID:
        return None
    query = select(DiningTable).where(
        DiningTable.id == table_id,
        DiningTable.point_of_sale_id == point_of_sale_id,
        DiningTable.active.is_(True),
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def get_open_tab_at(table_id: int, *, lock: bool = False) -> Tab | None:
    """Return the open tab of a table, if it has one; `lock` holds it until the commit."""
    query = select(Tab).where(Tab.table_id == table_id, Tab.state == "open")
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def get_tab(point_of_sale_id: int, tab_id: int, *, lock: bool = False) -> Tab | None:
    """Return a tab of this point of sale; `lock` holds it until the commit.

    Every change to a tab takes this lock first (on PostgreSQL; SQLite runs one write at a
    time), so two tablets changing one tab at once take turns and each sees the other's work.
    """
    if not 0 < tab_id <= MAX_ROW_ID:
        return None
    query = select(Tab).where(Tab.id == tab_id, Tab.point_of_sale_id == point_of_sale_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)

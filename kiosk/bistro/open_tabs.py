"""The open tabs on the bistro's floor, as the back office lists them: read-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kiosk.bistro.queries import ItemBalance, get_tab_balance, was_emptied
from kiosk.extensions import db
from kiosk.models import DiningTable, PointOfSale, Tab, User


@dataclass
class OpenTab:
    """One open tab: where, since when, by whom, what was ordered and what is still to pay."""

    tab_id: int
    point_of_sale: str
    table: DiningTable | None
    opened_at: datetime
    minutes_open: int
    opened_by: str | None
    total_cents: int
    unpaid_cents: int
    #: the ordered items, cancelled ones left out (the share rows of split bills are no items)
    items: list[ItemBalance] = field(default_factory=list)


def get_open_tabs(now: datetime, point_of_sale_id: int | None = None) -> list[OpenTab]:
    """Return the open tabs of every point of sale (or of one), by point of sale and table."""
    query = (
        select(Tab, PointOfSale.name, User.name)
        .join(PointOfSale, PointOfSale.id == Tab.point_of_sale_id)
        .outerjoin(DiningTable, DiningTable.id == Tab.table_id)
        .outerjoin(User, User.id == Tab.opened_by_id)
        .where(Tab.state == "open")
        .options(selectinload(Tab.items), selectinload(Tab.table))
        .order_by(PointOfSale.name, DiningTable.position, DiningTable.number, Tab.opened_at)
    )
    if point_of_sale_id is not None:
        query = query.where(Tab.point_of_sale_id == point_of_sale_id)
    tabs = []
    for tab, point_of_sale, opened_by in db.session.execute(query):
        if was_emptied(tab):
            continue  # everything was taken off: its table is free again
        balance = get_tab_balance(tab)
        tabs.append(
            OpenTab(
                tab_id=tab.id,
                point_of_sale=point_of_sale,
                table=tab.table,
                opened_at=tab.opened_at,
                minutes_open=max(0, int((now - tab.opened_at).total_seconds()) // 60),
                opened_by=opened_by,
                total_cents=balance.total_cents,
                unpaid_cents=balance.unpaid_cents,
                items=[row for row in balance.items if row.item.cancelled_at is None],
            )
        )
    return tabs

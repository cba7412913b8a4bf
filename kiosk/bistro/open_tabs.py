"""The open tabs on the bistro's floor, as the back office lists them: read-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kiosk.bistro.queries import ItemBalance, get_open_tabs, get_tab_balance, was_emptied
from kiosk.models import DiningTable


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


def get_open_tab_summaries(now: datetime, point_of_sale_id: int | None = None) -> list[OpenTab]:
    """Sum up the open tabs of every point of sale (or of one), by point of sale and table."""
    tabs = []
    for tab in get_open_tabs(point_of_sale_id):
        if was_emptied(tab):
            continue  # everything was taken off: its table is free again
        balance = get_tab_balance(tab)
        tabs.append(
            OpenTab(
                tab_id=tab.id,
                point_of_sale=tab.point_of_sale.name,
                table=tab.table,
                opened_at=tab.opened_at,
                minutes_open=max(0, int((now - tab.opened_at).total_seconds()) // 60),
                opened_by=tab.opened_by.name if tab.opened_by is not None else None,
                total_cents=balance.total_cents,
                unpaid_cents=balance.unpaid_cents,
                items=[row for row in balance.items if row.item.cancelled_at is None],
            )
        )
    return tabs

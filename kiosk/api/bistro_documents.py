"""JSON documents of the bistro API: tables with their open tab, and a tab with its items."""

from __future__ import annotations

from typing import Any

from kiosk.bistro.kitchen_orders import is_ready
from kiosk.bistro.queries import ItemBalance, get_tab_balance, item_amount_cents, ordered_items
from kiosk.bistro.stations import Station
from kiosk.decimal_text import quantity_text
from kiosk.models import DiningTable, Tab


def tab_summary(tab: Tab) -> dict[str, Any]:
    """Describe an open tab for its table's tile: its total and how long it has been open."""
    items = [item for item in ordered_items(tab) if item.cancelled_at is None]
    return {
        "id": tab.id,
        "version": tab.version,
        "opened_at": tab.opened_at.isoformat(),
        "total_cents": sum(item_amount_cents(item) for item in items),
        "item_count": len(items),
        "ready": is_ready(tab),
    }


def table_document(table: DiningTable, tab: Tab | None) -> dict[str, Any]:
    """Describe a table and its open tab, if any."""
    return {
        "id": table.id,
        "number": table.number,
        "name": table.name,
        "colour": table.colour,
        "tab": tab_summary(tab) if tab is not None else None,
    }


def item_document(row: ItemBalance) -> dict[str, Any]:
    """Describe an ordered item."""
    item = row.item
    return {
        "id": item.id,
        "client_key": item.client_key,
        "product_id": item.product_id,
        "description": item.description,
        "unit": item.unit,
        "quantity": quantity_text(item.quantity, item.unit),
        "unit_price_cents": item.unit_price_cents,
        "amount_cents": row.amount_cents,
        "consumption": item.consumption,
        "note": item.note,
        "sent": item.sent_at is not None,
        "cancelled": item.cancelled_at is not None,
        "paid": item.sale_id is not None,
    }


def tab_document(tab: Tab) -> dict[str, Any]:
    """Describe a tab with its items; the totals leave cancelled items out."""
    balance = get_tab_balance(tab)
    return {
        "id": tab.id,
        "table_id": tab.table_id,
        "table_name": tab.table.name if tab.table is not None else None,
        "state": tab.state,
        "version": tab.version,
        "opened_at": tab.opened_at.isoformat(),
        "total_cents": balance.total_cents,
        "unpaid_cents": balance.unpaid_cents,
        "items": [item_document(row) for row in balance.items],
    }


def station_document(station: Station, item_count: int) -> dict[str, Any]:
    """Describe what a "Naar keuken" did at one station: printed, on a screen, or neither."""
    state = "sent" if station.state == "up" else station.state
    return {
        "station": station.station,
        "state": state,
        "item_count": item_count,
        "printed": station.reached("printer"),
        "on_screen": station.reached("screen"),
        "printers": [
            {"name": device.name, "up": device.up}
            for device in station.devices
            if device.kind == "printer"
        ],
        "screens": [
            {"name": device.name, "up": device.up}
            for device in station.devices
            if device.kind == "screen"
        ],
    }

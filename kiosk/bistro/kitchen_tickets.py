"""Kitchen and bar tickets: the bistro's orders as the printers library's KitchenTicket.

A ticket is laid out whole when it is queued and kept in the print job's payload, so a reprint
or a retry prints what was ordered then, whatever happens to the tab after.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from kiosk.decimal_text import milli_text
from kiosk.models import Tab, TabItem
from kiosk.models.types import PREPARATIONS, Unit
from printers import KitchenItem, KitchenTicket

#: Product.preparation → the station printed on the ticket (the printer's role is the same word)
STATIONS = PREPARATIONS
REPRINT_MARK = "HERDRUK"
MOVED_MARK = "VERPLAATST"


def table_label(tab: Tab, *, reprint: bool = False, moved_from: str | None = None) -> str:
    """Return the name the kitchen knows the tab by (its table), marked on a reprint or a move."""
    label = tab.table.name if tab.table is not None else f"Rekening {tab.id}"
    if moved_from is not None:
        return f"{MOVED_MARK}: {moved_from} > {label}"
    return f"{label} {REPRINT_MARK}" if reprint else label


def kitchen_item(item: TabItem) -> KitchenItem:
    """Describe an ordered item for the cook: whole pieces, or a weight in the name."""
    if item.unit == Unit.PIECE and item.quantity_milli % 1000 == 0:
        return KitchenItem(item.quantity_milli // 1000, item.description, item.note or "")
    weight = milli_text(item.quantity_milli, item.unit)
    unit = " kg" if item.unit == Unit.KG else ""
    return KitchenItem(1, f"{item.description} {weight}{unit}", item.note or "")


def ticket_payload(
    preparation: str,
    tab: Tab,
    items: Iterable[TabItem],
    operator: str,
    now: datetime,
    *,
    cancel: bool = False,
    reprint: bool = False,
    moved_from: str | None = None,
) -> dict[str, Any]:
    """Describe one station's ticket for a print job's payload (JSON)."""
    return {
        "ticket": {
            "station": STATIONS[preparation],
            "table_label": table_label(tab, reprint=reprint, moved_from=moved_from),
            "items": [
                {"quantity": line.quantity, "name": line.name, "notes": line.notes}
                for line in map(kitchen_item, items)
            ],
            "created_at": now.isoformat(),
            "operator": operator,
            "cancel": cancel,
        },
        "tab_id": tab.id,
    }


def kitchen_ticket_from_payload(payload: dict[str, Any]) -> KitchenTicket:
    """Read a kitchen job's payload back as the ticket to print."""
    ticket = payload["ticket"]
    return KitchenTicket(
        station=ticket["station"],
        table_label=ticket["table_label"],
        items=tuple(
            KitchenItem(line["quantity"], line["name"], line["notes"]) for line in ticket["items"]
        ),
        created_at=datetime.fromisoformat(ticket["created_at"]),
        operator=ticket["operator"],
        cancel=bool(ticket["cancel"]),
    )

"""The orders on a kitchen or bar screen: the open ones of a station, and "Klaar" once per tap.

Each order is what one "Naar keuken" sent to a station (kiosk.bistro.stations.show_on_screens),
laid out as its ticket. Operations change data and never commit.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import KitchenOrder, Tab, Till
from kiosk.models.types import PREPARATIONS


def require_station(device: Till) -> str:
    """Return the station of a kitchen or bar screen; a till is refused (403)."""
    if device.role not in PREPARATIONS:
        raise OperationError(
            403, "wrong_role", _l("Dit kan alleen op een scherm van de keuken of de bar.")
        )
    return device.role


def get_open_orders(device: Till) -> list[KitchenOrder]:
    """Return the station's orders not ready yet, oldest first (the newest last)."""
    station = require_station(device)
    return list(
        db.session.scalars(
            select(KitchenOrder)
            .join(Tab, Tab.id == KitchenOrder.tab_id)
            .where(
                KitchenOrder.point_of_sale_id == device.point_of_sale_id,
                KitchenOrder.station == station,
                KitchenOrder.ready_at.is_(None),
                Tab.state != "cancelled",
            )
            .order_by(KitchenOrder.sent_at, KitchenOrder.id)
        )
    )


def seen(device: Till, now: datetime) -> None:
    """Record that a screen asked for its orders: its station is up."""
    device.last_seen_at = now


def mark_ready(device: Till, order_id: int, key: str, now: datetime) -> KitchenOrder:
    """Mark an order of the screen's station ready; a repeated tap changes nothing."""
    station = require_station(device)
    order = db.session.scalar(
        select(KitchenOrder)
        .where(
            KitchenOrder.id == order_id,
            KitchenOrder.point_of_sale_id == device.point_of_sale_id,
            KitchenOrder.station == station,
        )
        .with_for_update()
    )
    if order is None:
        raise OperationError(404, "unknown_order", _l("Deze bestelling bestaat niet."))
    if order.ready_at is None:
        order.ready_at, order.ready_key = now, key
    return order


def is_ready(tab: Tab) -> bool:
    """Return whether a tab's orders on a screen are all ready (and it has any)."""
    ready = db.session.scalars(
        select(KitchenOrder.ready_at).where(KitchenOrder.tab_id == tab.id)
    ).all()
    return bool(ready) and all(moment is not None for moment in ready)


def order_items(order: KitchenOrder) -> list[dict[str, Any]]:
    """Return an order's lines as its ticket holds them: quantity, name and notes."""
    return list(json.loads(order.payload)["items"])


def order_is_cancel(order: KitchenOrder) -> bool:
    """Return whether an order tells the station to stop making what it lists (ANNULEER)."""
    return bool(json.loads(order.payload)["cancel"])

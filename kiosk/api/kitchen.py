"""A kitchen or bar screen under /api/v1/kitchen: its station's open orders, and "Klaar".

Only a device paired with the role kitchen or bar may call these (else 403 wrong_role); such a
screen may call nothing else but the catalog (kiosk.api.blueprint).
"""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask.typing import ResponseReturnValue

from kiosk.api.blueprint import bp
from kiosk.api.parsing import parse_idempotency_key
from kiosk.bistro.kitchen_orders import (
    get_open_orders,
    mark_ready,
    order_is_cancel,
    order_items,
    require_station,
    seen,
)
from kiosk.extensions import db
from kiosk.models import KitchenOrder
from kiosk.models.types import utcnow


def order_document(order: KitchenOrder) -> dict[str, Any]:
    """Describe an order on a screen: its table (now), when it was sent, its lines and notes.

    A cancel (`cancel`) lists what was taken off after it was sent: the cook stops making it.
    """
    tab = order.tab
    return {
        "id": order.id,
        "tab_id": order.tab_id,
        "table_name": tab.table.name if tab.table is not None else f"Rekening {tab.id}",
        "station": order.station,
        "sent_at": order.sent_at.isoformat(),
        "ready": order.ready_at is not None,
        "ready_at": order.ready_at.isoformat() if order.ready_at is not None else None,
        "cancel": order_is_cancel(order),
        "items": order_items(order),
    }


@bp.get("/kitchen/orders")
def kitchen_orders() -> ResponseReturnValue:
    """Answer with the station's orders not ready yet, newest last; the screen counts as seen."""
    orders = get_open_orders(g.till)
    document = {"station": g.till.role, "orders": [order_document(order) for order in orders]}
    seen(g.till, utcnow())
    db.session.commit()
    return document


@bp.post("/kitchen/orders/<int:order_id>/ready")
def kitchen_order_ready(order_id: int) -> ResponseReturnValue:
    """Mark an order ready ("Klaar"), once however often the tap is sent."""
    require_station(g.till)  # a till is refused before its request is read
    key = parse_idempotency_key(request.headers.get("Idempotency-Key"))
    order = mark_ready(g.till, order_id, key, utcnow())
    document = order_document(order)
    db.session.commit()
    return document

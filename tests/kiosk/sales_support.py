"""Sales for report tests: two points of sale, products at every rate, sales at chosen moments."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from kiosk.extensions import db
from kiosk.models import Sale, Till
from kiosk.sales.operations import Order, OrderLine, record_sale


def sell(
    till_id: int,
    operator: int,
    lines: Iterable[tuple[int, str]],
    payments: Iterable[tuple[str, int]],
    now: datetime,
    consumption: str | None = None,
) -> Sale:
    """Record one sale through the operation the API uses; return it."""
    order = Order(
        operator_id=operator,
        lines=tuple(OrderLine(product, Decimal(quantity)) for product, quantity in lines),
        payments=tuple(payments),
        consumption=consumption,
    )
    sale, _new = record_sale(db.session.get_one(Till, till_id), order, str(uuid.uuid4()), now)
    db.session.commit()
    return sale

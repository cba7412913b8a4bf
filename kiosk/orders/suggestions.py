"""Reorder suggestions per producer, from minimum stock and the last weeks' sales.

The rule (README "Purchase orders"): for each active, stock-tracked product of the producer,

    suggested = max(0, minimum stock + expected sales − on hand − already ordered)

where expected sales are the product's sales (net of refunds) over the last 4 weeks, spread
evenly per day, times the producer's delivery interval; the interval is the number of days
between the producer's two latest deliveries, or 14 days when it has fewer than two. On hand
is the stock over all locations; already ordered is what draft and sent purchase orders hold.
The result is rounded up to whole pieces, or to 0,1 kg for goods sold by weight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select

from kiosk.extensions import db
from kiosk.models import (
    Delivery,
    OrderStatus,
    Producer,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    StockBalance,
    StockMove,
)
from kiosk.models.types import Unit

#: how far back sales are read
SALES_WINDOW = timedelta(weeks=4)
#: the delivery interval of a producer with fewer than two deliveries
DEFAULT_INTERVAL_DAYS = 14
#: the steps a suggestion is rounded up to, in thousandths: a piece, or 100 g
STEP_MILLI: dict[str, int] = {Unit.PIECE: 1000, Unit.KG: 100}


@dataclass(frozen=True)
class Suggestion:
    """What to order of one product, and the figures the suggestion came from."""

    product: Product
    minimum_milli: int
    on_hand_milli: int
    ordered_milli: int
    sold_milli: int
    expected_milli: int
    suggested_milli: int


def get_delivery_interval_days(producer_id: int) -> int:
    """Return the days between the producer's two latest deliveries, or 14 without two."""
    moments = db.session.scalars(
        select(Delivery.delivered_at)
        .where(Delivery.producer_id == producer_id)
        .order_by(Delivery.delivered_at.desc())
        .limit(2)
    ).all()
    if len(moments) < 2:
        return DEFAULT_INTERVAL_DAYS
    return max(1, (moments[0] - moments[1]).days)


def sums_by_product(query: Select[int, int]) -> dict[int, int]:
    """Run a (product id, sum) query into a dict."""
    return {int(product_id): int(total or 0) for product_id, total in db.session.execute(query)}


def round_up(milli: int, unit: str) -> int:
    """Round a positive quantity up to a whole piece or to 0,1 kg."""
    step = STEP_MILLI.get(unit, 1000)
    return -(-milli // step) * step


def get_suggestions(producer: Producer, now: datetime) -> list[Suggestion]:
    """Suggest what to order from a producer now: every product of theirs, by name."""
    products = db.session.scalars(
        select(Product)
        .where(
            Product.producer_id == producer.id,
            Product.active.is_(True),
            Product.stock_tracked.is_(True),
        )
        .order_by(Product.name, Product.id)
    ).all()
    ids = [product.id for product in products]
    on_hand = sums_by_product(
        select(StockBalance.product_id, func.sum(StockBalance.quantity_milli))
        .where(StockBalance.product_id.in_(ids))
        .group_by(StockBalance.product_id)
    )
    sold = sums_by_product(
        select(StockMove.product_id, -func.sum(StockMove.quantity_milli))
        .where(
            StockMove.product_id.in_(ids),
            StockMove.kind.in_(("sale", "refund")),
            StockMove.created_at >= now - SALES_WINDOW,
            StockMove.created_at <= now,
        )
        .group_by(StockMove.product_id)
    )
    ordered = sums_by_product(
        select(PurchaseOrderLine.product_id, func.sum(PurchaseOrderLine.quantity_milli))
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
        .where(
            PurchaseOrderLine.product_id.in_(ids),
            PurchaseOrder.status.in_((OrderStatus.DRAFT, OrderStatus.SENT)),
        )
        .group_by(PurchaseOrderLine.product_id)
    )
    interval = get_delivery_interval_days(producer.id)
    window_days = SALES_WINDOW.days
    suggestions = []
    for product in products:
        sold_milli = max(0, sold.get(product.id, 0))
        expected = -(-sold_milli * interval // window_days)
        minimum = product.minimum_stock_milli or 0
        need = minimum + expected - on_hand.get(product.id, 0) - ordered.get(product.id, 0)
        suggestions.append(
            Suggestion(
                product=product,
                minimum_milli=minimum,
                on_hand_milli=on_hand.get(product.id, 0),
                ordered_milli=ordered.get(product.id, 0),
                sold_milli=sold_milli,
                expected_milli=expected,
                suggested_milli=round_up(need, product.unit) if need > 0 else 0,
            )
        )
    return suggestions

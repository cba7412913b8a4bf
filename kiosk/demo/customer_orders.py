"""The demo's customers' orders: today's delivery round of three stops and a pickup tomorrow."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from kiosk.customer_orders.checks import NewOrder
from kiosk.customer_orders.operations import create_order
from kiosk.extensions import db
from kiosk.models import PointOfSale, Product
from kiosk.models.types import utcnow
from kiosk.periods import business_day
from kiosk.sales.operations import OrderLine


def load_demo_orders(order_rows: Iterable[dict[str, str]], point_of_sale: PointOfSale) -> None:
    """Take the demo's orders (seed/demo/customer_orders.csv), dated from today, as staff do."""
    products = {product.name: product.id for product in db.session.scalars(select(Product))}
    now = utcnow()
    today = business_day(now)
    for row in order_rows:
        lines = []
        for line in row["lines"].split("|"):
            name, _, quantity = line.rpartition(":")
            lines.append(OrderLine(products[name], Decimal(quantity)))
        wanted = NewOrder(
            name=row["name"],
            phone=row["phone"],
            fulfilment=row["fulfilment"],
            day=today + timedelta(days=int(row["days_from_today"])),
            lines=tuple(lines),
            note=row["note"] or None,
            slot=row["slot"] or None,
            address=row["address"] or None,
            payment=row["payment"],
            association=(
                row.get("association") or None,
                row.get("association_address") or None,
                row.get("association_vat_number") or None,
            ),
        )
        create_order(point_of_sale, wanted, now)

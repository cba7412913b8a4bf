"""Load the demo's vending machine: its till, its compartments and the goods inside them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import PointOfSale, Product
from kiosk.models.types import VENDING_ROLE, utcnow
from kiosk.organisation.people import add_till
from kiosk.periods import business_day
from kiosk.stock.operations import DeliveredLine, receive_delivery
from kiosk.vending.machines import save_compartment
from kiosk.vending.queries import (
    MACHINE_KIND,
    get_earliest_best_before,
    get_machine_location,
)


def load_demo_vending(compartment_rows: Iterable[dict[str, str]]) -> None:
    """Give each demo machine its till and compartments, filled with goods delivered into it."""
    machines = {
        machine.code: machine
        for machine in db.session.scalars(
            select(PointOfSale).where(PointOfSale.kind == MACHINE_KIND)
        )
    }
    for machine in machines.values():
        add_till(machine.name, machine.code, role=VENDING_ROLE)
    products = {product.name: product for product in db.session.scalars(select(Product))}
    now = utcnow()
    today = business_day(now)
    filled = []
    deliveries: dict[tuple[str, int | None], list[DeliveredLine]] = {}
    for row in compartment_rows:
        product = products[row["product"]]
        compartment = save_compartment(
            None,
            machines[row["machine"]],
            int(row["number"]),
            product,
            int(row["capacity"]),
            int(row["price_cents"]) if row["price_cents"] else None,
        )
        inside = int(row["inside"])
        if inside:
            days = row["best_before_days"]
            compartment.count_inside = inside
            filled.append(compartment)
            deliveries.setdefault((row["machine"], product.producer_id), []).append(
                DeliveredLine(
                    product=product,
                    quantity_milli=int(Decimal(inside) * 1000),
                    purchase_price_cents=product.purchase_price_cents,
                    best_before=today + timedelta(days=int(days)) if days else None,
                )
            )
    for (code, producer_id), lines in deliveries.items():
        location = get_machine_location(machines[code])
        assert location is not None, f"the demo machine {code} has no location"
        receive_delivery(producer_id, location, lines, None, now)
    for compartment in filled:
        location = get_machine_location(compartment.machine)
        assert location is not None
        compartment.best_before = get_earliest_best_before(compartment.product_id, location)
    db.session.flush()

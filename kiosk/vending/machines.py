"""Add vending machines and keep their compartments: one product each, a price and a capacity.

A machine is a point of sale of kind "automaat" with a stock location of kind "vending" that
sells for it (its stock is what its compartments hold) and a till of role "vending" that its
sales are booked on (no device uses it; its token is never shown).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk.audit import log as audit
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import PointOfSale, Product, VendingCompartment
from kiosk.models.types import VENDING_ROLE, Consumption, PaymentMethod, Unit
from kiosk.organisation.people import add_till
from kiosk.organisation.places import save_location, save_point_of_sale
from kiosk.sales.operations import sellable_product
from kiosk.vending.queries import MACHINE_KIND

#: more compartments, or more pieces in one, is a slip of the finger
MAX_COMPARTMENT_NUMBER = 999
MAX_CAPACITY = 999
#: the highest price a compartment asks (€ 500)
MAX_PRICE_CENTS = 50_000


def add_machine(code: str, name: str) -> PointOfSale:
    """Add a vending machine: its point of sale (cash only), its stock location and its till."""
    machine = save_point_of_sale(None, code, name, Consumption.TAKEAWAY, [PaymentMethod.CASH])
    machine.kind = MACHINE_KIND
    save_location(None, machine.code, machine.name, "vending", machine)
    add_till(machine.name[:80], machine.code, role=VENDING_ROLE)
    return machine


def save_compartment(
    compartment: VendingCompartment | None,
    machine: PointOfSale,
    number: int,
    product: Product,
    capacity: int,
    price_cents: int | None = None,
) -> VendingCompartment:
    """Add a compartment (None) or change one; the price defaults to the product's."""
    if machine.kind != MACHINE_KIND:
        raise OperationError(422, "not_a_machine", _l("Dit verkooppunt is geen automaat."))
    if not 1 <= number <= MAX_COMPARTMENT_NUMBER:
        raise OperationError(
            422,
            "invalid_number",
            _l("Geef het vak een nummer van 1 tot %(most)s.", most=MAX_COMPARTMENT_NUMBER),
        )
    taken = db.session.scalar(
        select(VendingCompartment.id).where(
            VendingCompartment.point_of_sale_id == machine.id,
            VendingCompartment.number == number,
            VendingCompartment.id != (compartment.id if compartment else -1),
        )
    )
    if taken is not None:
        raise OperationError(
            409, "number_taken", _l("Deze automaat heeft al een vak %(number)s.", number=number)
        )
    check_product(compartment, product)
    inside = compartment.count_inside if compartment else 0
    if not max(1, inside) <= capacity <= MAX_CAPACITY:
        raise OperationError(
            422,
            "invalid_capacity",
            _l(
                "Er passen %(least)s tot %(most)s stuks in een vak "
                "(er zitten er nu %(inside)s in).",
                least=max(1, inside),
                most=MAX_CAPACITY,
                inside=inside,
            ),
        )
    price = product.price_cents if price_cents is None else price_cents
    if not 0 < price <= MAX_PRICE_CENTS:
        raise OperationError(
            422, "invalid_price", _l("Geef een prijs groter dan nul, tot 500 euro.")
        )
    if compartment is None:
        compartment = VendingCompartment(machine=machine, point_of_sale_id=machine.id)
        db.session.add(compartment)
    compartment.number = number
    compartment.product = product
    compartment.product_id = product.id
    compartment.capacity = capacity
    compartment.price_cents = price
    if machine not in product.points_of_sale:  # the machine sells it: counts and reports see it
        product.points_of_sale.append(machine)
    db.session.flush()
    audit.record(
        "vending.compartment",
        subject=f"point_of_sale:{machine.id}",
        after={
            "machine": machine.name,
            "number": number,
            "product": product.name,
            "capacity": capacity,
            "price_cents": price,
        },
    )
    return compartment


def check_product(compartment: VendingCompartment | None, product: Product) -> None:
    """Refuse a product a compartment cannot hold: weighed, inactive, or another one's goods."""
    if product.unit != Unit.PIECE:
        raise OperationError(
            422, "weighed_product", _l("Een automaat verkoopt stuks, geen producten per kg.")
        )
    sellable_product(product)
    if (
        compartment is not None
        and compartment.product_id != product.id
        and compartment.count_inside
    ):
        raise OperationError(
            422,
            "compartment_not_empty",
            _l(
                "Er zit nog %(product)s in dit vak. Tel het eerst leeg.",
                product=compartment.product.name,
            ),
        )


def remove_compartment(compartment: VendingCompartment) -> None:
    """Remove an empty compartment; one with goods inside is counted empty first."""
    if compartment.count_inside:
        raise OperationError(
            422,
            "compartment_not_empty",
            _l(
                "Er zitten nog %(inside)s stuks in vak %(number)s. Tel het eerst leeg.",
                inside=compartment.count_inside,
                number=compartment.number,
            ),
        )
    audit.record(
        "vending.compartment_removed",
        subject=f"point_of_sale:{compartment.point_of_sale_id}",
        before={
            "machine": compartment.machine.name,
            "number": compartment.number,
            "product": compartment.product.name,
        },
    )
    db.session.delete(compartment)
    db.session.flush()

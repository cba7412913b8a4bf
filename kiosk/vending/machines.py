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
from kiosk.models import PointOfSale, Product, Sale, VendingCompartment
from kiosk.models.types import VENDING_ROLE, Consumption, PaymentMethod, Unit, utcnow
from kiosk.organisation.people import add_till, revoke_till
from kiosk.organisation.places import save_location, save_point_of_sale
from kiosk.sales.pricing import sellable_product
from kiosk.vending.queries import MACHINE_KIND, get_machine_location, get_machine_till

#: what a point of sale is: people sell at a till there, or it is a vending machine
TILL_KIND = "kassa"
POINT_OF_SALE_KINDS = (TILL_KIND, MACHINE_KIND)

#: more compartments, or more pieces in one, is a slip of the finger
MAX_COMPARTMENT_NUMBER = 999
MAX_CAPACITY = 999
#: the highest price a compartment asks (€ 500)
MAX_PRICE_CENTS = 50_000


def add_machine(code: str, name: str) -> PointOfSale:
    """Add a vending machine: its point of sale (cash only), its stock location and its till."""
    return save_point_of_sale_of_kind(
        None, code, name, Consumption.TAKEAWAY, [PaymentMethod.CASH], MACHINE_KIND
    )


def save_point_of_sale_of_kind(
    point_of_sale: PointOfSale | None,
    code: str,
    name: str,
    default_consumption: str,
    payment_methods: list[str],
    kind: str,
) -> PointOfSale:
    """Add or change a point of sale of either kind: a till's ("kassa") or a machine.

    A machine takes cash only (nobody is there to read a card or confirm a QR transfer). Its
    kind changes only while it has neither compartments nor sales: becoming a machine gives it
    its stock location and its till, no longer being one unpairs that till.
    """
    if kind not in POINT_OF_SALE_KINDS:
        raise OperationError(422, "invalid_kind", _l("Kies kassa of automaat."))
    if kind == MACHINE_KIND and set(payment_methods) != {PaymentMethod.CASH}:
        raise OperationError(
            422,
            "machine_cash_only",
            _l("Een automaat neemt alleen contant geld aan: kaart of QR kan daar niet."),
        )
    changed = kind != (point_of_sale.kind if point_of_sale else TILL_KIND)
    if changed and point_of_sale is not None:
        check_kind_free(point_of_sale)
    saved = save_point_of_sale(point_of_sale, code, name, default_consumption, payment_methods)
    if changed and kind == MACHINE_KIND:
        equip_machine(saved)
    elif changed:
        till = get_machine_till(saved)
        if till is not None:
            revoke_till(till, utcnow())
    saved.kind = kind
    db.session.flush()
    return saved


def equip_machine(machine: PointOfSale) -> None:
    """Give a machine its stock location and its till, or its till back if it had one."""
    location = get_machine_location(machine)
    if location is None or location.kind != "vending":
        save_location(None, machine.code, machine.name, "vending", machine)
    till = get_machine_till(machine)
    if till is None:
        add_till(machine.name[:80], machine.code, role=VENDING_ROLE)
    else:
        till.revoked_at = None


def check_kind_free(point_of_sale: PointOfSale) -> None:
    """Refuse to change the kind of a point of sale that has compartments or sales."""
    tied = db.session.scalar(
        select(VendingCompartment.id)
        .where(VendingCompartment.point_of_sale_id == point_of_sale.id)
        .union_all(select(Sale.id).where(Sale.point_of_sale_id == point_of_sale.id))
        .limit(1)
    )
    if tied is not None:
        raise OperationError(
            409,
            "kind_locked",
            _l(
                "%(name)s heeft al vakken of verkopen: of het een kassa of een automaat is, "
                "kan niet meer veranderen.",
                name=point_of_sale.name,
            ),
        )


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

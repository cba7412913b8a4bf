"""What a customer's order must be: the rules the till's API and the back office share.

A `NewOrder` is an order as typed or sent, already in Python types; `checked_lines` and
`check_order` refuse, with a Dutch message and a 422, anything the shop cannot take.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from kiosk.catalog.queries import get_products_for_sale
from kiosk.errors import Message, OperationError
from kiosk.identifiers import normalize_vat_number
from kiosk.models import PointOfSale, Product
from kiosk.models.customer_orders import Fulfilment, OrderPayment
from kiosk.sales.operations import OrderLine
from kiosk.sales.pricing import check_quantity, sellable_product

MAX_NAME = 80
MAX_PHONE = 40
MAX_NOTE = 500
MAX_ADDRESS = 300
MAX_LINES = 100
MAX_ASSOCIATION = 120
#: how far ahead an order may be taken
MAX_DAYS_AHEAD = 366
#: a slot: "HH:MM-HH:MM", 24-hour clock
SLOT_PATTERN = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]-(?:[01][0-9]|2[0-3]):[0-5][0-9]$"
#: a phone number: digits with spaces, dots, slashes, dashes or brackets, a leading +
PHONE_PATTERN = r"^\+?[0-9 ./()-]+$"
MIN_PHONE_DIGITS = 6
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class NewOrder:
    """A customer's order as it was typed or sent, before the shop's rules are checked."""

    name: str
    phone: str
    fulfilment: str
    day: date
    lines: tuple[OrderLine, ...]
    note: str | None = None
    slot: str | None = None
    address: str | None = None
    payment: str = OrderPayment.ON_COLLECTION
    #: who the monthly invoice goes to (payment "invoice" only): name, address, VAT number
    association: tuple[str | None, str | None, str | None] = (None, None, None)

    def fingerprint(self) -> str:
        """Return a hash of the order that ignores JSON spelling (key order, 2 vs 2.0)."""
        canonical = {
            "customer": [self.name, self.phone, self.note],
            "fulfilment": self.fulfilment,
            "day": self.day.isoformat(),
            "slot": self.slot,
            "address": self.address,
            "payment": self.payment,
            "lines": [[line.product_id, str(line.quantity.normalize())] for line in self.lines],
        }
        if any(self.association):  # orders without an association hash as before
            canonical["association"] = list(self.association)
        return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def refuse(code: str, message: Message) -> OperationError:
    """Make the 422 of an order the shop cannot take."""
    return OperationError(422, code, message)


def clean_text(value: str | None, longest: int, *, multiline: bool = False) -> str | None:
    """Return a text without its outer spaces, None when empty; refuse control characters."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > longest or CONTROL.search(text) or (not multiline and "\n" in text):
        raise ValueError(text)
    return text


def check_customer(order: NewOrder) -> None:
    """Refuse an order without a customer's name and phone number, or a note too long."""
    try:
        name = clean_text(order.name, MAX_NAME)
    except ValueError:
        name = None
    if name is None:
        raise refuse("invalid_customer", _l("Geef de naam van de klant (hoogstens 80 tekens)."))
    phone = order.phone.strip()
    digits = sum(character.isdigit() for character in phone)
    if (
        len(phone) > MAX_PHONE
        or re.fullmatch(PHONE_PATTERN, phone, re.ASCII) is None
        or digits < MIN_PHONE_DIGITS
    ):
        raise refuse(
            "invalid_phone", _l("Geef het telefoonnummer van de klant, zoals 0470 12 34 56.")
        )
    try:
        clean_text(order.note, MAX_NOTE, multiline=True)
    except ValueError as error:
        raise refuse(
            "invalid_note", _l("Een opmerking heeft hoogstens 500 tekens, zonder stuurtekens.")
        ) from error


def check_delivery(order: NewOrder, today: date) -> None:
    """Refuse a wrong fulfilment, day, slot, address or payment way."""
    if order.fulfilment not in set(Fulfilment):
        raise refuse("invalid_fulfilment", _l("Kies afhalen (pickup) of leveren (delivery)."))
    if order.payment not in set(OrderPayment):
        raise refuse(
            "invalid_payment",
            _l("Kies hoe de klant betaalt: bij afhalen of levering, met QR of op factuur."),
        )
    if not today <= order.day <= today + timedelta(days=MAX_DAYS_AHEAD):
        raise refuse("invalid_day", _l("Kies een dag vanaf vandaag, hoogstens een jaar vooruit."))
    if order.slot is not None and not slot_is_valid(order.slot):
        raise refuse("invalid_slot", _l('Geef het tijdvak als "10:00-12:00", begin voor einde.'))
    try:
        address = clean_text(order.address, MAX_ADDRESS, multiline=True)
    except ValueError as error:
        raise refuse(
            "invalid_address", _l("Een adres heeft hoogstens 300 tekens, zonder stuurtekens.")
        ) from error
    if order.fulfilment == Fulfilment.DELIVERY and address is None:
        raise refuse("address_required", _l("Een levering heeft het adres van de klant nodig."))
    if order.fulfilment == Fulfilment.PICKUP and address is not None:
        raise refuse(
            "address_not_for_pickup", _l("Een bestelling om af te halen heeft geen adres.")
        )


def checked_association(order: NewOrder) -> tuple[str | None, str | None, str | None]:
    """Return the association an order on the invoice goes to (none for other orders)."""
    if order.payment != OrderPayment.INVOICE:
        return None, None, None
    text, address, vat_number = order.association
    try:
        name = clean_text(text, MAX_ASSOCIATION)
        address = clean_text(address, MAX_ADDRESS, multiline=True)
        vat_number = clean_text(vat_number, 20)
    except ValueError as error:
        raise refuse(
            "invalid_association",
            _l(
                "De vereniging: naam hoogstens 120 tekens, adres hoogstens 300, zonder stuurtekens."
            ),
        ) from error
    if name is None:
        raise refuse(
            "association_required",
            _l("Een bestelling op de maandfactuur heeft de naam van de vereniging nodig."),
        )
    if vat_number is None:
        return name, address, None
    normalized = normalize_vat_number(vat_number)
    if normalized is None:
        raise refuse(
            "invalid_vat_number",
            _l("Geef een Belgisch btw-nummer, zoals BE 0123.456.749, of laat het leeg."),
        )
    return name, address, normalized


def slot_is_valid(slot: str) -> bool:
    """Return whether a slot is "HH:MM-HH:MM" with its start before its end."""
    if re.fullmatch(SLOT_PATTERN, slot, re.ASCII) is None:
        return False
    start, end = slot.split("-")
    return start < end


def checked_lines(point_of_sale: PointOfSale, lines: tuple[OrderLine, ...]) -> list[Product]:
    """Return each line's product; refuse unknown, inactive, absurd or no lines."""
    if not lines:
        raise refuse("invalid_lines", _l("Een bestelling heeft minstens één product."))
    if len(lines) > MAX_LINES:
        raise refuse("invalid_lines", _l("Een bestelling heeft hoogstens 100 lijnen."))
    products = get_products_for_sale(point_of_sale, {line.product_id for line in lines})
    checked = []
    for line in lines:
        product = sellable_product(products.get(line.product_id))
        check_quantity(product, line.quantity)
        checked.append(product)
    return checked


def check_order(point_of_sale: PointOfSale, order: NewOrder, today: date) -> list[Product]:
    """Check every rule of a new or changed order; return each line's product."""
    check_customer(order)
    check_delivery(order, today)
    checked_association(order)
    return checked_lines(point_of_sale, order.lines)

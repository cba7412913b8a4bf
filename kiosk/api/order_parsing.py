"""Turn the till's JSON bodies about customers' orders into requests; refuse malformed ones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l

from kiosk.api.bistro_parsing import parse_object, parse_operator
from kiosk.api.parsing import (
    invalid,
    parse_line,
    parse_payments,
    parse_quantity,
    read_json_body,
    record_id,
)
from kiosk.customer_orders.checks import NewOrder, refuse
from kiosk.models.customer_orders import OrderPayment
from kiosk.periods import ISO_DAY

#: most lines an order or a preparation may send (the shop's own limit is checked later)
MAX_SENT_LINES = 200


def parse_text(fields: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    """Return a text field (None when absent or null); refuse (400) another type."""
    value = fields.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise invalid(_l("%(name)s moet tekst zijn.", name=name))
    return value


def parse_day(value: Any) -> date:
    """Return a day written YYYY-MM-DD; refuse (422 invalid_day) one that does not exist."""
    if not isinstance(value, str):
        raise invalid(_l('Stuur de dag als tekst, zoals "2026-12-24".'))
    try:
        if ISO_DAY.fullmatch(value) is None:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError as error:
        raise refuse("invalid_day", _l('Stuur de dag als "2026-12-24".')) from error


def parse_lines(body: dict[str, Any], what: str) -> list[Any]:
    """Return a body's list of lines: one or more, at most 200."""
    lines = body.get("lines")
    if not isinstance(lines, list) or not lines or len(lines) > MAX_SENT_LINES:
        raise invalid(_l("Stuur %(what)s als een lijst van 1 tot 200 lijnen.", what=what))
    return lines


def parse_new_order(body: Any) -> NewOrder:
    """Check the shape of a new order: customer, fulfilment, day, slot, address, payment, lines."""
    body = parse_object(body)
    customer = body.get("customer")
    if not isinstance(customer, dict):
        raise invalid(_l("Stuur de klant als object met name en phone."))
    return NewOrder(
        name=parse_text(customer, "name", required=True) or "",
        phone=parse_text(customer, "phone", required=True) or "",
        note=parse_text(customer, "note"),
        fulfilment=parse_text(body, "fulfilment", required=True) or "",
        day=parse_day(body.get("day")),
        slot=parse_text(body, "slot"),
        address=parse_text(body, "address"),
        payment=parse_text(body, "payment") or OrderPayment.ON_COLLECTION,
        association=parse_association(body.get("association")),
        lines=tuple(parse_line(line) for line in parse_lines(body, "de producten")),
    )


def parse_association(value: Any) -> tuple[str | None, str | None, str | None]:
    """Return the association an invoice goes to: `{"name", "address"?, "vat_number"?}`."""
    if value is None:
        return None, None, None
    if not isinstance(value, dict):
        raise invalid(_l("Stuur de vereniging als object met name, address en vat_number."))
    return (
        parse_text(value, "name"),
        parse_text(value, "address"),
        parse_text(value, "vat_number"),
    )


def parse_weights() -> dict[int, Decimal]:
    """Return the weighed weight per line id a preparation sends (an empty body: none)."""
    if not request.get_data():
        return {}
    body = parse_object(read_json_body())
    if body.get("lines") is None:
        return {}
    weights = {}
    for line in parse_lines(body, "de gewogen lijnen"):
        if not isinstance(line, dict):
            raise invalid(_l("Elke lijn is een JSON-object met id en quantity."))
        weights[record_id(line.get("id"), "id")] = parse_quantity(line.get("quantity"))
    return weights


def parse_order_payment(body: Any) -> tuple[int, tuple[tuple[str, int], ...]]:
    """Return who takes the payment and the payments, as for a sale."""
    operator_id = parse_operator(body)
    return operator_id, parse_payments(body)

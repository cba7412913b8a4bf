"""Turn a till's JSON body into an Order, refusing anything malformed with a Dutch message."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l

from kiosk.database import MAX_ROW_ID
from kiosk.errors import Message, OperationError
from kiosk.models.types import PaymentMethod
from kiosk.payment_methods import TILL_CODES
from kiosk.sales.operations import Order, OrderLine
from kiosk.sales.pricing import payments_by_method
from kiosk.sales.qr_payment import check_reference

MAX_LINES = 200
MAX_PAYMENTS = 20
MAX_PAYMENT_CENTS = 10_000_000
#: An Idempotency-Key or a bistro item's client_key: 1 to 100 of these ASCII characters.
CLIENT_KEY_PATTERN = r"^[A-Za-z0-9._:-]{1,100}$"
#: A quantity: ASCII digits, more than 0 and below a million, at most three decimals, nothing
#: else ("2", "0.350", "12.5"; never "1_0", "٣", " 3 ", "0.1e1", "+3", "3.", ".5", "0").
QUANTITY_PATTERN = (
    r"^(?:[1-9][0-9]{0,5}(?:\.[0-9]{1,3})?|0\.(?:[1-9][0-9]{0,2}|0[1-9][0-9]?|00[1-9]))$"
)
#: how far a till's clock may run ahead of the server's, and how old a queued sale may be
RUNG_UP_AHEAD = timedelta(minutes=5)
RUNG_UP_OLDEST = timedelta(days=7)
#: A PIN: one to six ASCII digits.
PIN_PATTERN = r"^[0-9]{1,6}$"
#: An operator_proof is a signed string of at most this many characters.
MAX_PROOF_CHARS = 500
#: A JSON integer may be written 5.0 or 5e0 (JSON Schema counts those as integers too).
LARGEST_WHOLE_NUMBER = 2**63


def matches(pattern: str, value: Any) -> bool:
    """Return whether a value is a text wholly matching one of the API's patterns."""
    # fullmatch, because `$` alone also matches before a final newline
    return isinstance(value, str) and re.fullmatch(pattern, value, re.ASCII) is not None


def invalid(message: Message, code: str = "invalid_request") -> OperationError:
    """Make the 400 error of a malformed request."""
    return OperationError(400, code, message)


def read_json_body() -> Any:
    """Return the request's JSON body; refuse a body sent as anything but application/json."""
    if request.mimetype != "application/json":
        raise OperationError(
            415, "unsupported_media_type", _l("Stuur de gegevens als JSON (application/json).")
        )
    return parse_json_body(request.get_data())


def parse_json_body(raw: bytes) -> Any:
    """Parse JSON with exact decimals (never floats)."""
    try:
        return json.loads(raw, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:  # deep nesting recurses
        raise invalid(_l("De gegevens zijn geen geldige JSON."), "invalid_json") from error


def parse_idempotency_key(value: str | None) -> str:
    """Check the Idempotency-Key header the till made for this sale."""
    if not value:
        raise invalid(_l("De kassa stuurde geen Idempotency-Key."), "idempotency_key_missing")
    if not matches(CLIENT_KEY_PATTERN, value):
        raise invalid(_l("De Idempotency-Key is ongeldig."), "idempotency_key_invalid")
    return value


def whole_number(value: Any, what: str) -> int:
    """Return a JSON integer (not a boolean, not a fraction; 5.0 is the integer 5)."""
    if (
        isinstance(value, Decimal)
        and value.is_finite()
        and abs(value) < LARGEST_WHOLE_NUMBER
        and value == value.to_integral_value()
    ):
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(_l("%(what)s moet een geheel getal zijn.", what=what))
    return value


def record_id(value: Any, what: str) -> int:
    """Return a JSON integer that can be a row id (larger ones overflow the database)."""
    number = whole_number(value, what)
    if not 0 < number <= MAX_ROW_ID:
        raise invalid(_l("%(what)s is geen geldig nummer.", what=what))
    return number


def parse_quantity(value: Any) -> Decimal:
    """Return a quantity given as a decimal string of ASCII digits (QUANTITY_PATTERN)."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]+(\.[0-9]+)?", value, re.ASCII):
        raise invalid(
            _l('Het aantal moet een getal zijn, zoals "2" of "0.350".'), "invalid_quantity"
        )
    if not matches(QUANTITY_PATTERN, value):  # digits, but zero, too big or too precise
        raise OperationError(
            422,
            "invalid_quantity",
            _l(
                "Het aantal ligt tussen 0 en 1.000.000, met hoogstens drie cijfers na de punt, "
                'zoals "2" of "0.350".'
            ),
        )
    return Decimal(value)


def parse_pin(value: Any) -> str:
    """Return a PIN of one to six ASCII digits."""
    if not matches(PIN_PATTERN, value):
        raise invalid(_l("Stuur de pincode als cijfers."), "invalid_pin")
    return str(value)


def parse_operator_proof(body: Any) -> str | None:
    """Return the `operator_proof` a till sent (a string of at most 500 characters), or None."""
    proof = body.get("operator_proof") if isinstance(body, dict) else None
    if proof is not None and (not isinstance(proof, str) or len(proof) > MAX_PROOF_CHARS):
        raise invalid(_l("operator_proof is de tekst die de pincodecontrole gaf."))
    return proof


def parse_order(body: Any) -> Order:
    """Check the shape of a sale request and return the order it describes."""
    if not isinstance(body, dict):
        raise invalid(_l("Stuur een verkoop als JSON-object."))
    lines = body.get("lines")
    if not isinstance(lines, list) or not lines:
        raise invalid(_l("Een verkoop heeft minstens één lijn."))
    if len(lines) > MAX_LINES:
        raise invalid(_l("Een verkoop heeft hoogstens %(max_lines)s lijnen.", max_lines=MAX_LINES))
    payments = body.get("payments", [])
    if not isinstance(payments, list):
        raise invalid(_l("De betalingen moeten een lijst zijn."))
    if len(payments) > MAX_PAYMENTS:
        raise invalid(
            _l(
                "Een verkoop heeft hoogstens %(max_payments)s betalingen.",
                max_payments=MAX_PAYMENTS,
            )
        )
    consumption = body.get("consumption")
    if consumption is not None and not isinstance(consumption, str):
        raise invalid(_l("Kies meenemen (takeaway) of ter plaatse (eat_in)."))
    parsed_payments = tuple(parse_payment(payment) for payment in payments)
    reference = parse_qr_reference(payments)
    confirmed_by = body.get("confirmed_by")
    return Order(
        operator_id=record_id(body.get("operator_id"), "operator_id"),
        lines=tuple(parse_line(line) for line in lines),
        payments=parsed_payments,
        consumption=consumption,
        qr_reference=reference,
        confirmed_by_id=parse_confirmed_by(confirmed_by) if reference is not None else None,
    )


def parse_qr_reference(payments: list[Any]) -> str | None:
    """Return the remittance text of a sale's QR payment (at most one), or None without one."""
    qr = [payment for payment in payments if payment["method"] == PaymentMethod.QR]
    if any("reference" in payment for payment in payments if payment["method"] != PaymentMethod.QR):
        raise OperationError(
            422,
            "reference_not_allowed",
            _l("Alleen een QR-betaling (method qr) heeft een reference."),
        )
    if not qr:
        return None
    if len(qr) > 1:
        raise OperationError(
            422, "invalid_payments", _l("Een verkoop heeft hoogstens één QR-betaling.")
        )
    reference = qr[0].get("reference")
    if reference is None:
        raise OperationError(
            422,
            "qr_reference_missing",
            _l("Een QR-betaling heeft de mededeling uit de QR-code als reference."),
        )
    if not isinstance(reference, str):
        raise invalid(_l("reference is een tekst."))
    return check_reference(reference)


def parse_confirmed_by(value: Any) -> int | None:
    """Return the id of the staff member who confirmed a QR payment (`confirmed_by`), or None."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid(_l("confirmed_by is een object met operator_id en operator_proof."))
    parse_operator_proof(value)
    return record_id(value.get("operator_id"), "confirmed_by.operator_id")


def parse_line(line: Any) -> OrderLine:
    """Check one sale line."""
    if not isinstance(line, dict):
        raise invalid(_l("Elke lijn is een JSON-object met product_id en quantity."))
    return OrderLine(
        product_id=record_id(line.get("product_id"), "product_id"),
        quantity=parse_quantity(line.get("quantity")),
    )


def parse_payment(payment: Any) -> tuple[str, int]:
    """Check one payment: a method and a positive amount in cents."""
    if not isinstance(payment, dict) or not isinstance(payment.get("method"), str):
        raise invalid(_l("Elke betaling heeft een method en een amount_cents."))
    amount = whole_number(payment.get("amount_cents"), "amount_cents")
    if not 0 < amount <= MAX_PAYMENT_CENTS:
        raise OperationError(422, "invalid_amount", _l("Een betaling moet meer dan nul euro zijn."))
    # "invoice" is no till's: only handing an order over makes it (422 as for any such method)
    payments_by_method(((payment["method"], amount),), list(TILL_CODES))
    return payment["method"], amount


def parse_rung_up_at(
    body: Any, now: datetime, oldest: timedelta | None = RUNG_UP_OLDEST
) -> datetime | None:
    """Return when the till rang the sale up (`rung_up_at`, ISO 8601 with offset), or None.

    A time more than 5 minutes ahead of the server, older than `oldest` (7 days) or without an
    offset is refused: the business day, the Z report and the VAT period follow from it.
    """
    return parse_till_time(
        body,
        "rung_up_at",
        now,
        oldest,
        unclear=_l('Stuur rung_up_at als tijd met tijdzone, zoals "2026-12-05T23:58:12+01:00".'),
        too_old=_l("Deze verkoop is meer dan 7 dagen oud en wordt niet meer aangenomen."),
    )


def parse_till_time(
    body: Any,
    name: str,
    now: datetime,
    oldest: timedelta | None,
    *,
    unclear: Message,
    too_old: Message,
) -> datetime | None:
    """Return a moment the till kept (field `name`, ISO 8601 with offset), or None if not sent.

    Refused (422 invalid_<name>): no offset (`unclear`), more than 5 minutes ahead of the
    server (the tablet's clock runs ahead), older than `oldest` (`too_old`).
    """
    value = body.get(name) if isinstance(body, dict) else None
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    code = f"invalid_{name}"
    if moment is None or moment.tzinfo is None or moment.utcoffset() is None:
        raise OperationError(422, code, unclear)
    if moment > now + RUNG_UP_AHEAD:
        raise OperationError(
            422, code, _l("De klok van de kassa loopt voor. Zet de tijd van de tablet juist.")
        )
    if oldest is not None and moment < now - oldest:
        raise OperationError(422, code, too_old)
    return moment


def parse_payments(body: dict[str, Any]) -> tuple[tuple[str, int], ...]:
    """Check a body's payments: a list of at most 20, each a method and an amount in cents."""
    payments = body.get("payments", [])
    if not isinstance(payments, list):
        raise invalid(_l("De betalingen moeten een lijst zijn."))
    if len(payments) > MAX_PAYMENTS:
        raise invalid(
            _l("Een betaling heeft hoogstens %(max_payments)s delen.", max_payments=MAX_PAYMENTS)
        )
    return tuple(parse_payment(payment) for payment in payments)

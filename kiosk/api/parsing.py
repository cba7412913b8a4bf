"""Turn a till's JSON body into an Order, refusing anything malformed with a Dutch message."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l

from kiosk.database import MAX_ROW_ID
from kiosk.errors import Message, OperationError
from kiosk.sales.operations import Order, OrderLine

MAX_LINES = 200
MAX_PAYMENTS = 20
MAX_PAYMENT_CENTS = 10_000_000
#: Largest row id the database columns hold (32-bit INTEGER on PostgreSQL and in practice SQLite).
#: how far a till's clock may run ahead of the server's, and how old a queued sale may be
RUNG_UP_AHEAD = timedelta(minutes=5)
RUNG_UP_OLDEST = timedelta(days=7)
IDEMPOTENCY_KEY_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:"
)


def invalid(message: Message, code: str = "invalid_request") -> OperationError:
    """Make the 400 error of a malformed request."""
    return OperationError(400, code, message)


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
    if len(value) > 100 or not set(value) <= IDEMPOTENCY_KEY_CHARS:
        raise invalid(_l("De Idempotency-Key is ongeldig."), "idempotency_key_invalid")
    return value


def whole_number(value: Any, what: str) -> int:
    """Return a JSON integer (not a boolean, not a decimal)."""
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
    """Return a quantity given as a decimal string (or a JSON number)."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise invalid(
            _l('Het aantal moet een getal zijn, zoals "2" of "0.350".'), "invalid_quantity"
        )
    try:
        quantity = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise invalid(
            _l('Het aantal moet een getal zijn, zoals "2" of "0.350".'), "invalid_quantity"
        ) from error
    if not quantity.is_finite() or quantity <= 0:
        raise OperationError(422, "invalid_quantity", _l("Het aantal moet groter dan nul zijn."))
    if quantity > 1_000_000:
        raise OperationError(422, "invalid_quantity", _l("Dit aantal is te groot."))
    return quantity


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
    return Order(
        operator_id=record_id(body.get("operator_id"), "operator_id"),
        lines=tuple(parse_line(line) for line in lines),
        payments=tuple(parse_payment(payment) for payment in payments),
        consumption=consumption,
    )


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
    return payment["method"], amount


def parse_rung_up_at(body: Any, now: datetime) -> datetime | None:
    """Return when the till rang the sale up (`rung_up_at`, ISO 8601 with offset), or None.

    A time more than 5 minutes ahead of the server, older than 7 days or without an offset is
    refused: the business day, the Z report and the VAT period follow from it.
    """
    value = body.get("rung_up_at") if isinstance(body, dict) else None
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or moment.utcoffset() is None:
        raise OperationError(
            422,
            "invalid_rung_up_at",
            _l('Stuur rung_up_at als tijd met tijdzone, zoals "2026-12-05T23:58:12+01:00".'),
        )
    if moment > now + RUNG_UP_AHEAD:
        raise OperationError(
            422,
            "invalid_rung_up_at",
            _l("De klok van de kassa loopt voor. Zet de tijd van de tablet juist."),
        )
    if moment < now - RUNG_UP_OLDEST:
        raise OperationError(
            422,
            "invalid_rung_up_at",
            _l("Deze verkoop is meer dan 7 dagen oud en wordt niet meer aangenomen."),
        )
    return moment

"""POST /api/v1/refused-sales: a till reports a refused sale staff wiped from it.

Nothing is sold or booked: one audit entry names the staff member, the till, when the sale was
rung up, what it held and why the server refused it (kiosk.sales.wiped), once per Idempotency-Key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import g, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from kiosk.api.blueprint import bp
from kiosk.api.parsing import (
    CLIENT_KEY_PATTERN,
    MAX_LINES,
    RUNG_UP_OLDEST,
    invalid,
    matches,
    parse_idempotency_key,
    parse_payments,
    parse_rung_up_at,
    parse_till_time,
    read_json_body,
    record_id,
    whole_number,
)
from kiosk.api.refunds import check_staff_pin
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models.types import utcnow
from kiosk.sales.wiped import WipedSale, get_wiped_entry, record_wiped_sale

MAX_NAME_CHARS = 200  # a product's name or a quantity as the till kept it
MAX_ERROR_CHARS = 100
MAX_MESSAGE_CHARS = 1000
MAX_TOTAL_CENTS = 1_000_000_000


@bp.post("/refused-sales")
def report_wiped_sale() -> ResponseReturnValue:
    """Keep a wiped refused sale in the audit log once per Idempotency-Key (201, then 200)."""
    key = parse_idempotency_key(request.headers.get("Idempotency-Key"))
    body, now = read_json_body(), utcnow()
    operator_id, wiped = parse_wiped_sale(body, now)
    entry = get_wiped_entry(g.till, key)  # sent again, maybe after the proof's day: the same
    created = False
    if entry is None:
        # the proof of whoever wiped it, of the day they did (the report may arrive days later)
        check_staff_pin(operator_id, None, body, wiped.wiped_at or now)
        entry, created = record_wiped_sale(g.till, operator_id, key, wiped)
    answer = {"audited": True, "audit_entry_id": entry.id}
    db.session.commit()
    return answer, 201 if created else 200


def parse_wiped_sale(body: Any, now: datetime) -> tuple[int, WipedSale]:
    """Check the shape of a wiped sale's report; return who wiped it and what it was."""
    if not isinstance(body, dict):
        raise invalid(_l("Stuur de gewiste verkoop als JSON-object."))
    refused_key = body.get("refused_key")
    if not matches(CLIENT_KEY_PATTERN, refused_key):
        raise invalid(_l("refused_key is de Idempotency-Key van de gewiste verkoop."))
    rung_up_at = parse_rung_up_at(body, now, oldest=None)  # kept on the tablet for any time
    if rung_up_at is None:
        raise invalid(_l("Stuur rung_up_at: wanneer de verkoop werd aangeslagen."))
    wiped_at = parse_till_time(
        body,
        "wiped_at",
        now,
        RUNG_UP_OLDEST,
        unclear=_l('Stuur wiped_at als tijd met tijdzone, zoals "2026-12-05T23:58:12+01:00".'),
        too_old=_l("Deze verkoop werd meer dan 7 dagen geleden gewist; meld ze zonder wiped_at."),
    )
    summary = body.get("summary")
    if not isinstance(summary, dict):
        raise invalid(_l("summary is een object met lines en total_cents."))
    error = body.get("error")
    if not isinstance(error, dict):
        raise invalid(_l("error is een object met error en message, zoals de server weigerde."))
    return record_id(body.get("operator_id"), "operator_id"), WipedSale(
        refused_key=str(refused_key),
        rung_up_at=rung_up_at,
        wiped_at=wiped_at,
        lines=parse_summary_lines(summary.get("lines")),
        total_cents=parse_total(summary.get("total_cents")),
        payments=parse_payments(body),
        error=text(error.get("error"), MAX_ERROR_CHARS, "error.error"),
        message=text(error.get("message"), MAX_MESSAGE_CHARS, "error.message"),
    )


def parse_summary_lines(lines: Any) -> tuple[tuple[str, str], ...]:
    """Check the sale's lines as the till kept them: [name, quantity text] each."""
    if not isinstance(lines, list) or len(lines) > MAX_LINES:
        raise invalid(
            _l(
                "summary.lines is een lijst van hoogstens %(max_lines)s lijnen.",
                max_lines=MAX_LINES,
            )
        )
    if not all(isinstance(line, list) and len(line) == 2 for line in lines):
        raise invalid(_l("Elke lijn van summary.lines is [naam, aantal]."))
    return tuple(
        (
            text(name, MAX_NAME_CHARS, "summary.lines naam"),
            text(quantity, MAX_NAME_CHARS, "summary.lines aantal"),
        )
        for name, quantity in lines
    )


def parse_total(value: Any) -> int:
    """Check the sale's total in cents."""
    total = whole_number(value, "summary.total_cents")
    if abs(total) > MAX_TOTAL_CENTS:
        raise invalid(_l("summary.total_cents is te groot."))
    return total


def text(value: Any, longest: int, what: str) -> str:
    """Return a text of at most `longest` characters that the database can keep."""
    if not isinstance(value, str) or len(value) > longest:
        raise invalid(
            _l(
                "%(what)s is een tekst van hoogstens %(longest)s tekens.",
                what=what,
                longest=longest,
            )
        )
    if not storable(value):  # well-formed JSON, but no text the database can keep
        raise OperationError(
            422,
            "invalid_text",
            _l("%(what)s bevat een teken dat niet bewaard kan worden.", what=what),
        )
    return value


def storable(value: str) -> bool:
    """Return whether a text is valid UTF-8 (no lone surrogate from a JSON escape) without NUL."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value

"""Refunds and voids at the till: find a sale, pay some or all of it back as a new sale.

GET /api/v1/sales/recent, GET /api/v1/sales/lookup?receipt=HW1-000042 and
POST /api/v1/sales/<id>/refunds (the staff member's PIN or operator_proof in the body,
Idempotency-Key header).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from kiosk.api.blueprint import bp, error_response
from kiosk.api.idempotency import commit_or_replay
from kiosk.api.operators import PIN_LOCKED_MESSAGE, PIN_REQUIRED, require_operator_proof
from kiosk.api.parsing import (
    invalid,
    parse_idempotency_key,
    parse_operator_proof,
    parse_pin,
    parse_rung_up_at,
    read_json_body,
    record_id,
)
from kiosk.api.refund_documents import (
    get_recent_sales,
    get_sale_by_receipt,
    refund_document,
    refundable_documents,
)
from kiosk.database import get_row
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Sale, User
from kiosk.models.types import utcnow
from kiosk.organisation.login_limits import verify_pin
from kiosk.sales.operations import replayed_sale
from kiosk.sales.queries import get_sale
from kiosk.sales.refunds import refund_fingerprint, refund_sale

MAX_LINE_IDS = 200
ALREADY_REFUNDED = OperationError(
    409, "already_refunded", _l("Dit werd net al terugbetaald aan een andere kassa.")
)


@bp.get("/sales/recent")
def recent_sales() -> ResponseReturnValue:
    """Answer with the till's latest sales and what of each may still be refunded."""
    return jsonify(sales=refundable_documents(get_recent_sales(g.till)))


@bp.get("/sales/lookup")
def lookup_sale() -> ResponseReturnValue:
    """Find a sale by its receipt number (what the receipt's barcode holds)."""
    scanned = request.args.get("receipt", "")
    receipt = scanned.strip().upper()
    if not receipt or len(scanned) > 40:
        return error_response(400, "receipt_missing", _l("Scan de streepjescode van het ticket."))
    # letters, digits and a dash are all a receipt number holds: anything else names no sale
    # (and a NUL byte is no text PostgreSQL can even compare)
    known = re.fullmatch(r"[A-Z0-9-]+", receipt, re.ASCII) is not None
    sale = get_sale_by_receipt(g.till, receipt) if known else None
    if sale is None:
        return error_response(404, "not_found", _l("Dit ticket is niet gekend aan deze kassa."))
    if sale.refund_of_id is not None:
        return error_response(422, "is_refund", _l("Dit ticket is zelf een terugbetaling."))
    return jsonify(refundable_documents([sale])[0])


@bp.post("/sales/<int:sale_id>/refunds")
def create_refund(sale_id: int) -> ResponseReturnValue:
    """Refund lines of a sale once per Idempotency-Key; answer with the refund's document."""
    key = parse_idempotency_key(request.headers.get("Idempotency-Key"))
    body, now = read_json_body(), utcnow()
    operator_id, pin, line_ids, stock, reason = parse_refund(body)
    rung_up_at = parse_rung_up_at(body, now)
    if get_sale(sale_id) is None:
        return error_response(404, "not_found", _l("Deze verkoop bestaat niet."))
    check_staff_pin(operator_id, pin, body, rung_up_at or now)

    def record() -> tuple[dict[str, Any], bool]:
        refund, created = refund_sale(
            g.till, sale_id, operator_id, line_ids,
            stock=stock, reason=reason, idempotency_key=key, now=now, rung_up_at=rung_up_at,
        )  # fmt: skip
        return refund_document(refund), created

    def replay(earlier: Sale) -> dict[str, Any]:
        fingerprint = refund_fingerprint(sale_id, operator_id, line_ids, stock, reason)
        return refund_document(replayed_sale(earlier, fingerprint))

    # A clash without an earlier refund under this key: another till refunded the same line.
    document, created = commit_or_replay(g.till.id, key, record, replay, refusal=ALREADY_REFUNDED)
    return jsonify(document), 201 if created else 200


def parse_refund(body: Any) -> tuple[int, str | None, list[int] | None, str, str]:
    """Check the shape of a refund request; without a PIN it carries an operator_proof."""
    if not isinstance(body, dict):
        raise invalid(_l("Stuur een terugbetaling als JSON-object."))
    proof_only = "pin" not in body and parse_operator_proof(body) is not None
    pin = None if proof_only else parse_pin(body.get("pin"))
    line_ids = body.get("line_ids")
    if line_ids is not None:
        if not isinstance(line_ids, list) or len(line_ids) > MAX_LINE_IDS:
            raise invalid(_l("line_ids moet een lijst van lijnnummers zijn."))
        line_ids = [record_id(line_id, "line_ids") for line_id in line_ids]
    stock, reason = body.get("stock", "return"), body.get("reason", "retour")
    if not isinstance(stock, str) or not isinstance(reason, str):
        raise invalid(_l("stock en reason zijn woorden."))
    return record_id(body.get("operator_id"), "operator_id"), pin, line_ids, stock, reason


def check_staff_pin(operator_id: int, pin: str | None, body: Any, moment: datetime) -> None:
    """Refuse unless the PIN is this person's own, counted as POST /operators/<id>/pin counts.

    Without a PIN the person's operator_proof of the moment's day stands in for it.
    """
    operator = get_row(User, operator_id)
    if operator is None or not operator.active:
        raise OperationError(422, "unknown_operator", _l("Deze medewerker is niet gekend."))
    if operator.pin_hash is None:  # a refund always needs a code, unlike a care user's login
        raise PIN_REQUIRED
    if pin is None:
        require_operator_proof(body, operator_id, moment)
        return
    answer = verify_pin(operator, pin, g.till, utcnow())
    if answer == "ok":
        return
    db.session.commit()  # the wrong PIN is counted and logged; nothing else was changed
    if answer == "locked":
        raise OperationError(429, "pin_locked", PIN_LOCKED_MESSAGE)
    raise OperationError(422, "wrong_pin", _l("Die code klopt niet."))

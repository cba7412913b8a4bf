"""POST /api/v1/operators/<id>/pin: check a care user's picture PIN at this till.

A right PIN is answered with an `operator_proof`; a sale, refund or tab change in the name of a
person with a PIN is refused without it (require_operator_proof).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import g
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from kiosk.api.blueprint import bp, error_response
from kiosk.api.parsing import parse_operator_proof, parse_pin, read_json_body
from kiosk.database import get_row
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import User
from kiosk.models.types import utcnow
from kiosk.organisation.login_limits import verify_pin
from kiosk.organisation.operator_proofs import is_proven, issue_operator_proof
from kiosk.sales.sale_catalog import current_catalog

PIN_LOCKED_MESSAGE = _l(
    "Te veel verkeerde pincodes. Deze code is even geblokkeerd: vraag een medewerker om hulp."
)
PIN_REQUIRED = OperationError(
    403,
    "pin_required",
    _l(
        "Deze medewerker heeft geen pincode. Kies een andere begeleider, "
        "of stel een pincode in via de back office."
    ),
)
NOT_PROVEN = OperationError(
    403,
    "operator_not_proven",
    _l(
        "Wie aan de kassa staat, moet eerst de eigen pincode ingeven. Tik op Stop en begin opnieuw."
    ),
)


@bp.post("/operators/<int:operator_id>/pin")
def check_pin(operator_id: int) -> ResponseReturnValue:
    """Answer 200 and a proof when the PIN is the operator's, 422 when not, 429 while locked."""
    operator = get_row(User, operator_id)
    if operator is None or not operator.active:
        return error_response(404, "unknown_operator", _l("Deze medewerker is niet gekend."))
    body = read_json_body()
    pin = parse_pin(body.get("pin") if isinstance(body, dict) else None)
    now = utcnow()
    answer = verify_pin(operator, pin, g.till, now)
    db.session.commit()  # a wrong PIN is counted and logged, even though it is refused
    if answer == "ok":
        return {"status": "ok", "operator_proof": issue_operator_proof(g.till, operator, now)}
    if answer == "locked":
        return error_response(429, "pin_locked", PIN_LOCKED_MESSAGE)
    return error_response(422, "wrong_pin", _l("Die code klopt niet."))


def require_operator_proof(body: Any, operator_id: int, moment: datetime) -> None:
    """Refuse (403) a change in the name of a person with a PIN without their proof of today.

    `moment` is when the change was made: a sale's `rung_up_at` when it has one, so a sale queued
    offline before midnight keeps the proof of its day. A person without a PIN needs no proof;
    an unknown person is left to the operation, which refuses them.
    """
    proof = parse_operator_proof(body)
    operator = current_catalog().operator(operator_id)
    if operator is None or operator.pin_hash is None:
        return
    if not is_proven(g.till, operator, proof, moment):
        raise NOT_PROVEN

"""POST /api/v1/operators/<id>/pin: check a care user's picture PIN at this till."""

from __future__ import annotations

from flask import request
from flask.typing import ResponseReturnValue
from werkzeug.security import check_password_hash

from kiosk.api.blueprint import bp, error_response
from kiosk.api.parsing import parse_json_body
from kiosk.models import User
from kiosk.queries import get_row


@bp.post("/operators/<int:operator_id>/pin")
def check_pin(operator_id: int) -> ResponseReturnValue:
    """Answer 200 when the PIN is the operator's, 422 when it is not."""
    operator = get_row(User, operator_id)
    if operator is None or not operator.active:
        return error_response(404, "unknown_operator", "Deze medewerker is niet gekend.")
    body = parse_json_body(request.get_data())
    pin = body.get("pin") if isinstance(body, dict) else None
    if not isinstance(pin, str) or not pin.isdigit() or len(pin) > 6:
        return error_response(400, "invalid_pin", "Stuur de pincode als cijfers.")
    if operator.pin_hash is None or check_password_hash(operator.pin_hash, pin):
        return {"status": "ok"}, 200
    return error_response(422, "wrong_pin", "Die code klopt niet.")

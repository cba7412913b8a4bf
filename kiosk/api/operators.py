"""POST /api/v1/operators/<id>/pin: check a care user's picture PIN at this till."""

from __future__ import annotations

from flask import g
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from kiosk.api.blueprint import bp, error_response
from kiosk.api.parsing import parse_pin, read_json_body
from kiosk.database import get_row
from kiosk.extensions import db
from kiosk.models import User
from kiosk.models.types import utcnow
from kiosk.organisation.login_limits import verify_pin

PIN_LOCKED_MESSAGE = _l(
    "Te veel verkeerde pincodes. Deze code is even geblokkeerd: vraag een medewerker om hulp."
)


@bp.post("/operators/<int:operator_id>/pin")
def check_pin(operator_id: int) -> ResponseReturnValue:
    """Answer 200 when the PIN is the operator's, 422 when not, 429 while guessing is locked."""
    operator = get_row(User, operator_id)
    if operator is None or not operator.active:
        return error_response(404, "unknown_operator", _l("Deze medewerker is niet gekend."))
    body = read_json_body()
    pin = parse_pin(body.get("pin") if isinstance(body, dict) else None)
    answer = verify_pin(operator, pin, g.till, utcnow())
    db.session.commit()  # a wrong PIN is counted and logged, even though it is refused
    if answer == "ok":
        return {"status": "ok"}, 200
    if answer == "locked":
        return error_response(429, "pin_locked", PIN_LOCKED_MESSAGE)
    return error_response(422, "wrong_pin", _l("Die code klopt niet."))

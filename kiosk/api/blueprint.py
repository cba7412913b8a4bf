"""The API blueprint: bearer-token authentication and error documents."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from kiosk.errors import OperationError
from kiosk.organisation.queries import get_till_by_token

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PUBLIC_ENDPOINTS = frozenset({"api.openapi"})


def error_response(status: int, code: str, message: str) -> ResponseReturnValue:
    """Answer with the API's error document."""
    return jsonify(error=code, message=message), status


@bp.before_request
def authenticate_till() -> ResponseReturnValue | None:
    """Find the till by its bearer token; refuse the request without a valid one."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    till = get_till_by_token(token.strip()) if scheme.lower() == "bearer" and token else None
    if till is None:
        response = jsonify(
            error="unauthorized",
            message="Deze kassa is niet gekoppeld. Vraag een verantwoordelijke.",
        )
        response.headers["WWW-Authenticate"] = 'Bearer realm="pluskassa"'
        return response, 401
    g.till = till
    return None


@bp.errorhandler(OperationError)
def refused(error: OperationError) -> ResponseReturnValue:
    """Answer a refused operation with its status, code and Dutch message."""
    return error_response(error.status, error.code, error.message)


HTTP_MESSAGES = {
    400: ("bad_request", "De vraag is niet goed opgebouwd."),
    401: ("unauthorized", "Deze kassa is niet gekoppeld. Vraag een verantwoordelijke."),
    404: ("not_found", "Dit bestaat niet."),
    405: ("method_not_allowed", "Deze actie kan hier niet."),
    413: ("too_large", "De vraag is te groot."),
    415: ("unsupported_media_type", "Stuur de gegevens als JSON."),
}


def api_http_error(error: HTTPException) -> ResponseReturnValue:
    """Answer an HTTP error on an API path with the API's error document."""
    status = error.code or 500
    code, message = HTTP_MESSAGES.get(status, ("error", "Er ging iets mis. Probeer opnieuw."))
    return error_response(status, code, message)

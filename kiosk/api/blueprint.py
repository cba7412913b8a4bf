"""The API blueprint: bearer-token authentication and error documents."""

from __future__ import annotations

import functools
import re

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from kiosk.errors import DATABASE_UNAVAILABLE, Message, OperationError
from kiosk.sales.sale_catalog import current_catalog

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PUBLIC_ENDPOINTS = frozenset({"api.openapi"})
#: what a kitchen or bar screen may call: its orders and the catalog (to learn what it is)
SCREEN_ENDPOINTS = frozenset({"api.catalog", "api.kitchen_orders", "api.kitchen_order_ready"})


def error_response(status: int, code: str, message: Message) -> ResponseReturnValue:
    """Answer with the API's error document, its message in the request's language."""
    return jsonify(error=code, message=str(message)), status


@bp.before_request
def authenticate_till() -> ResponseReturnValue | None:
    """Find the till by its bearer token; refuse the request without a valid one."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    till = current_catalog().till(token.strip()) if scheme.lower() == "bearer" and token else None
    if till is None:
        response = jsonify(error="unauthorized", message=str(HTTP_MESSAGES[401][1]))
        response.headers["WWW-Authenticate"] = 'Bearer realm="pluskassa"'
        return response, 401
    g.till = till
    if till.role != "till" and request.endpoint not in SCREEN_ENDPOINTS:
        message = _l("Dit scherm is voor de keuken of de bar: verkopen kan hier niet.")
        return error_response(403, "wrong_role", message)
    return None


@bp.before_request
def refuse_unknown_parameters() -> ResponseReturnValue | None:
    """Refuse a query parameter openapi.json does not describe for the operation (400)."""
    if not request.args or request.url_rule is None or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    method = "get" if request.method == "HEAD" else request.method.lower()
    allowed = described_query_parameters().get((openapi_path(request.url_rule.rule), method))
    if allowed is None:  # OPTIONS, or a method the path has not: Flask answers those itself
        return None
    unknown = sorted(set(request.args) - allowed)
    if not unknown:
        return None
    message = _l("Deze vraag kent deze parameter niet: %(names)s.", names=", ".join(unknown))
    return error_response(400, "unknown_parameter", message)


def openapi_path(rule: str) -> str:
    """Return a URL rule or openapi.json path with its variables unnamed: `/orders/{}/sale`."""
    return re.sub(r"<[^<>]+>|\{[^{}]+\}", "{}", rule.removeprefix(bp.url_prefix or ""))


@functools.cache
def described_query_parameters() -> dict[tuple[str, str], frozenset[str]]:
    """Return the query parameters openapi.json describes, by (path, method)."""
    from kiosk.api.openapi import SPEC  # the description imports this blueprint

    return {
        (openapi_path(path), method): frozenset(
            parameter["name"]
            for parameter in operation.get("parameters", [])
            if parameter.get("in") == "query"
        )
        for path, operations in SPEC["paths"].items()
        for method, operation in operations.items()
        if isinstance(operation, dict)
    }


@bp.errorhandler(OperationError)
def refused(error: OperationError) -> ResponseReturnValue:
    """Answer a refused operation with its status, code and message."""
    return error_response(error.status, error.code, error.message)


HTTP_MESSAGES = {
    400: ("bad_request", _l("De vraag is niet goed opgebouwd.")),
    401: ("unauthorized", _l("Deze kassa is niet gekoppeld. Vraag een verantwoordelijke.")),
    404: ("not_found", _l("Dit bestaat niet.")),
    405: ("method_not_allowed", _l("Deze actie kan hier niet.")),
    413: ("too_large", _l("De vraag is te groot.")),
    415: ("unsupported_media_type", _l("Stuur de gegevens als JSON.")),
    503: ("database_unavailable", DATABASE_UNAVAILABLE),
}


def api_http_error(error: HTTPException) -> ResponseReturnValue:
    """Answer an HTTP error on an API path with the API's error document."""
    status = error.code or 500
    code, message = HTTP_MESSAGES.get(status, ("error", _l("Er ging iets mis. Probeer opnieuw.")))
    return error_response(status, code, message)

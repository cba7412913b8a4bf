"""Error pages and documents: Dutch on screen, JSON under /api; a 500 rolls the session back.

A database that cannot be read or written (disk full, read-only, locked, connection lost) is
answered 503 and its connections are dropped, so the server recovers once the fault is gone.
"""

from __future__ import annotations

from typing import TypeAlias

from flask import Flask, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from kiosk.database import forget_broken_connections, is_database_unavailable
from kiosk.extensions import db

#: a refusal's text: a lazy string (`_l(...)`) is shown in the language of the moment it is read
Message: TypeAlias = str | LazyString


class OperationError(Exception):
    """A request the shop's rules refuse; `status` and `code` go to the API unchanged."""

    def __init__(self, status: int, code: str, message: Message) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self._message = message

    @property
    def message(self) -> str:
        """Return the refusal in the current request's language (Dutch outside a request)."""
        return str(self._message)

    def __str__(self) -> str:
        return self.message


DATABASE_UNAVAILABLE = _l(
    "De database kan nu niet lezen of schrijven. Er is niets bewaard; probeer zo opnieuw."
)

PAGE_MESSAGES = {
    400: _l("Deze vraag klopt niet. Ga terug en probeer opnieuw."),
    403: _l("Dit mag je niet openen. Vraag een verantwoordelijke."),
    404: _l("Deze pagina bestaat niet."),
    405: _l("Deze actie kan hier niet."),
    413: _l("Het bestand is te groot."),
    500: _l("Er ging iets mis. Er is niets verloren; probeer opnieuw."),
    503: DATABASE_UNAVAILABLE,
}


def wants_json() -> bool:
    """Return whether the request came to the API."""
    return request.path.startswith("/api/")


def register_error_handlers(app: Flask) -> None:
    """Answer every error in the caller's language: a Dutch page or an API error document."""
    from kiosk.api import api_http_error

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> ResponseReturnValue:
        message = _l("Het formulier was verlopen. Laad de pagina opnieuw en probeer nog eens.")
        return render_template("error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        response = make_response(api_http_error(error) if wants_json() else error_page(error))
        for name, value in error.get_headers():  # Allow on a 405, WWW-Authenticate on a 401
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    def error_page(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        message = PAGE_MESSAGES.get(status, PAGE_MESSAGES[400])
        try:
            return render_template("error.html", status=status, message=message), status
        except Exception:  # the error page itself must never fail: fall back to plain text
            app.logger.exception("error page failed")
            return str(message), status, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError) -> ResponseReturnValue:
        if not is_database_unavailable(error):
            return unexpected_error(error)
        app.logger.error("database unavailable: %s", error)
        forget_broken_connections()
        return http_error(ServiceUnavailable())

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> ResponseReturnValue:
        db.session.rollback()
        app.logger.exception("unexpected error", exc_info=error)
        return http_error(InternalServerError())

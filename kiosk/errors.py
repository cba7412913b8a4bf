"""Error pages and documents: Dutch on screen, JSON under /api; a 500 rolls the session back."""

from __future__ import annotations

from typing import TypeAlias

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

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


PAGE_MESSAGES = {
    400: _l("Deze vraag klopt niet. Ga terug en probeer opnieuw."),
    403: _l("Dit mag je niet openen. Vraag een verantwoordelijke."),
    404: _l("Deze pagina bestaat niet."),
    405: _l("Deze actie kan hier niet."),
    413: _l("Het bestand is te groot."),
    500: _l("Er ging iets mis. Er is niets verloren; probeer opnieuw."),
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
        if wants_json():
            return api_http_error(error)
        status = error.code or 500
        message = PAGE_MESSAGES.get(status, PAGE_MESSAGES[400])
        try:
            return render_template("error.html", status=status, message=message), status
        except Exception:  # the error page itself must never fail: fall back to plain text
            app.logger.exception("error page failed")
            return str(message), status, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> ResponseReturnValue:
        db.session.rollback()
        app.logger.exception("unexpected error", exc_info=error)
        return http_error(InternalServerError())

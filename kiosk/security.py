"""Security headers on every answer, and the flags of the session and remember-me cookies.

The Content-Security-Policy allows scripts only from our own static files: no inline script, no
event handler attribute, no eval. Styles allow 'unsafe-inline' because the printable A4 label
sheet places every label with a style attribute to the millimetre and carries its own <style>
block, and table colour swatches are painted with a style attribute; Jinja escapes every value
put there, so no visitor's text becomes CSS. Cookies are HttpOnly and SameSite=Lax; they are
Secure only when PLUSKASSA_SECURE_COOKIES is set, because most shops serve their tills over
plain HTTP on their own network, where a Secure cookie would never come back.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response
from flask.sessions import SecureCookieSessionInterface, SessionMixin

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
#: the till scans no codes with the camera (a scanner is a keyboard), so nothing needs sensors
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=()"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
}
#: a JSON answer is data, not a page: nothing in it runs, loads, links or opens windows, so of the
#: page policies it needs only these (the OWASP REST Security Cheat Sheet's set)
DATA_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def register_security(app: Flask) -> None:
    """Set the cookie flags and add the security headers to every answer."""
    secure = bool(app.config.get("SECURE_COOKIES", False))  # PLUSKASSA_SECURE_COOKIES
    app.config.setdefault("SECURE_COOKIES", secure)
    # Flask fills SESSION_COOKIE_* with its own defaults, so these are set, not set by default
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config["SESSION_COOKIE_SECURE"] = secure or bool(app.config.get("SESSION_COOKIE_SECURE"))
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("REMEMBER_COOKIE_SECURE", secure)
    app.session_interface = SessionCookies()
    app.after_request(add_security_headers)


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookies: one signer per secret key, no `Vary: Cookie` on kept files.

    The till's versioned files (Cache-Control immutable) are the same for everyone. Flask makes
    a new signer on every request (twice when it sets the cookie), also for the API's requests,
    which carry no cookie: a sale paid that for nothing. The signer holds only the keys and
    settings, so one serves every request until the keys change. Flask-Login looks at the
    session after every request, which makes Flask add `Vary: Cookie`.
    """

    kept: tuple[tuple[Any, ...], Any] | None = None

    def get_signing_serializer(self, app: Flask) -> Any:
        """Return the signer for the app's current keys, made the first time they are seen."""
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept = self.kept
        if kept is None or kept[0] != keys:
            kept = self.kept = (keys, super().get_signing_serializer(app))
        return kept[1]

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Save the session as Flask does; a file kept for good does not vary with the cookie."""
        super().save_session(app, session, response)
        if "immutable" in response.headers.get("Cache-Control", ""):
            response.vary.discard("cookie")  # lower case: HeaderSet matches names lowered


def add_security_headers(response: Response) -> Response:
    """Add the security headers, leaving any a view set on purpose.

    A 304 adds none: the browser keeps the headers of the copy it stored. A file the browser keeps
    for good (Cache-Control immutable: the till's versioned scripts, styles and pictograms) carries
    only nosniff: the policies concern documents, and these are sent once, not on every load. A
    JSON answer (the API's, asked for by the till on every start) carries DATA_HEADERS.
    """
    if response.status_code == 304:
        return response
    if "immutable" in response.headers.get("Cache-Control", ""):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
    headers = DATA_HEADERS if response.mimetype == "application/json" else SECURITY_HEADERS
    for name, value in headers.items():
        response.headers.setdefault(name, value)
    return response

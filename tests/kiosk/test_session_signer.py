"""The session cookie's signer is made once per secret key, and follows a change of keys."""

from __future__ import annotations

import gc

from flask import Flask, request, session

from kiosk.cli.serving import set_aside_startup_objects
from kiosk.security import SessionCookies


def cookie_of(app: Flask) -> str:
    """Return the session cookie a request that stores something in the session is given."""
    with app.test_request_context("/"):
        session["who"] = "Els"
        response = app.make_response("")
        app.session_interface.save_session(app, session, response)
    header = response.headers["Set-Cookie"]
    return header.split(";", 1)[0].split("=", 1)[1]


def reads(app: Flask, cookie: str) -> str | None:
    """Return what a request with this cookie finds in its session."""
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        found = app.session_interface.open_session(app, request)
        return None if found is None else found.get("who")


def test_one_signer_serves_until_the_keys_change(app: Flask) -> None:
    """The same signer object for every request; a new key refuses old cookies unless kept."""
    interface = app.session_interface
    assert isinstance(interface, SessionCookies)
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    cookie = cookie_of(app)
    assert reads(app, cookie) == "Els"
    old_key = app.secret_key
    app.secret_key = "een-andere-sleutel"
    assert interface.get_signing_serializer(app) is not first
    assert reads(app, cookie) is None  # signed with the old key: not trusted
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    assert reads(app, cookie) == "Els"  # the old key kept as a fallback: still read


def test_serving_sets_the_startup_objects_aside() -> None:
    """`pluskassa serve` freezes what starting made, so full collections skip it."""
    try:
        set_aside_startup_objects()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()

"""Back-office sessions over real HTTP: logout ends them for every copy, login starts afresh."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select, update

from kiosk.extensions import db
from kiosk.models import BackOfficeSession
from kiosk.models.types import utcnow
from tests.admin.conftest import PASSWORDS, Team
from tests.admin.visitor import Visitor
from tests.conftest import LiveServer, csrf_token


def sessions(app: Flask) -> int:
    """Return how many back-office sessions the server keeps."""
    with app.app_context():
        return db.session.scalar(select(func.count(BackOfficeSession.id))) or 0


def test_a_copied_cookie_is_refused_after_logout(
    app: Flask, team: Team, live_server: LiveServer
) -> None:
    mia = Visitor(live_server.url)
    assert mia.login("Mia", PASSWORDS["Mia"]).status == 302
    thief = Visitor(live_server.url, "127.0.0.2")
    thief.cookies = dict(mia.cookies)  # copied off the shop's computer, or read on the wire
    assert thief.get("/admin/users").status == 200
    kept = dict(mia.cookies)
    page = mia.get("/admin/users")
    assert mia.post("/admin/logout", {"csrf_token": csrf_token(page.text)}).status == 302
    refused = thief.get("/admin/users")
    assert refused.status == 302 and "/admin/login" in refused.location
    assert sessions(app) == 0
    mia.cookies = kept  # the browser's own cookie from before the logout, sent again
    assert "/admin/login" in mia.get("/admin/users").location


def test_logging_in_rotates_the_csrf_token(app: Flask, team: Team, live_server: LiveServer) -> None:
    sam = Visitor(live_server.url)
    before = csrf_token(sam.get("/admin/login").text)
    anonymous_cookie = sam.cookies["session"]
    answer = sam.post(
        "/admin/login", {"name": "Sam", "password": PASSWORDS["Sam"], "csrf_token": before}
    )
    assert answer.status == 302
    assert sam.cookies["session"] != anonymous_cookie
    after = csrf_token(sam.get("/admin/locks").text)
    assert after != before
    # a form sent with the token of before the login is refused, and changes nothing
    stale = sam.post("/admin/logout", {"csrf_token": before})
    assert stale.status == 400 and "Het formulier was verlopen" in stale.text
    assert sam.get("/admin/locks").status == 200  # still logged in
    assert sam.post("/admin/logout", {"csrf_token": after}).status == 302
    assert "/admin/login" in sam.get("/admin/locks").location


def test_logging_out_in_one_browser_leaves_the_others(
    app: Flask, team: Team, live_server: LiveServer
) -> None:
    office, tablet = Visitor(live_server.url), Visitor(live_server.url, "127.0.0.2")
    for browser in (office, tablet):
        assert browser.login("Mia", PASSWORDS["Mia"]).status == 302
    assert sessions(app) == 2
    page = office.get("/admin/users")
    office.post("/admin/logout", {"csrf_token": csrf_token(page.text)})
    assert tablet.get("/admin/users").status == 200
    assert "/admin/login" in office.get("/admin/users").location


def test_a_session_older_than_the_longest_time_ends_on_the_server(
    app: Flask, team: Team, live_server: LiveServer
) -> None:
    mia = Visitor(live_server.url)
    mia.login("Mia", PASSWORDS["Mia"])
    with app.app_context():
        db.session.execute(
            update(BackOfficeSession).values(started_at=utcnow() - timedelta(hours=12, minutes=1))
        )
        db.session.commit()
    assert "/admin/login" in mia.get("/admin/users").location  # the cookie's own times are fresh
    mia.login("Mia", PASSWORDS["Mia"])
    assert sessions(app) == 1  # the old row was cleared away at the next login


def test_logging_in_again_replaces_the_session_of_that_browser(
    app: Flask, team: Team, live_server: LiveServer
) -> None:
    mia = Visitor(live_server.url)
    mia.login("Mia", PASSWORDS["Mia"])
    copy = Visitor(live_server.url, "127.0.0.2")
    copy.cookies = dict(mia.cookies)
    assert mia.login("Mia", PASSWORDS["Mia"]).status == 302
    assert sessions(app) == 1
    assert "/admin/login" in copy.get("/admin/users").location
    assert mia.get("/admin/users").status == 200

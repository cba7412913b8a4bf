"""Limits on guessing back-office passwords, the unlock, and sessions that expire."""

from __future__ import annotations

import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import AuditEntry
from tests.admin.conftest import PASSWORDS, Team, logged_in
from tests.conftest import csrf_token, login

LOCKED = "Te veel mislukte pogingen."
WRONG = "Naam of wachtwoord klopt niet."


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """Lock a name after 3 wrong passwords and an address after 6."""
    return {**app_config, "LOGIN_MAX_FAILURES_PER_USER": 3, "LOGIN_MAX_FAILURES_PER_IP": 6}


def entries(app: Any, action: str) -> list[AuditEntry]:
    """Return the audit entries of one action, oldest first, detached."""
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def test_a_name_is_locked_after_wrong_passwords_even_for_the_right_one(
    app: Flask, client: FlaskClient, team: Team
) -> None:
    for _ in range(2):
        assert WRONG in login(client, "Sam", "geraden").text
    third = login(client, "sam", "nog-eens-geraden")
    assert third.status_code == 200
    assert LOCKED in third.text and "ontgrendelen" in third.text
    assert 'value="sam"' in third.text  # the form keeps the typed name
    refused = login(client, "Sam", PASSWORDS["Sam"])
    assert refused.status_code == 200 and LOCKED in refused.text
    # someone else from the same address may still log in
    assert login(app.test_client(), "Mia", PASSWORDS["Mia"]).status_code == 302
    failed = entries(app, "login_failed")
    assert [entry.user_name for entry in failed] == ["Sam", "Sam", "sam", "Sam"]
    assert all(entry.user_id is None and entry.remote_addr for entry in failed)
    assert [entry.user_name for entry in entries(app, "login")] == ["Mia"]


def test_a_right_password_forgets_the_failures(app: Flask, client: FlaskClient, team: Team) -> None:
    for _ in range(2):
        login(client, "Sam", "geraden")
    assert login(client, "Sam", PASSWORDS["Sam"]).status_code == 302
    other = app.test_client()
    for _ in range(2):
        assert WRONG in login(other, "Sam", "geraden").text


def test_an_address_is_locked_after_wrong_logins_under_any_name(
    app: Flask, client: FlaskClient, team: Team
) -> None:
    for name in ("Jan", "Piet", "Joris", "Korneel", "Lien"):
        assert WRONG in login(client, name, "geraden").text
    assert LOCKED in login(client, "Nele", "geraden").text
    assert LOCKED in login(app.test_client(), "Mia", PASSWORDS["Mia"]).text


def test_a_manager_unlocks_a_user_from_the_users_page(
    app: Flask, client: FlaskClient, team: Team
) -> None:
    manager = logged_in(app, "Mia")
    for _ in range(3):
        login(client, "Sam", "geraden")
    page = manager.get("/admin/users")
    assert "Ontgrendelen" in page.text
    answer = manager.post(
        "/admin/locks/release",
        data={"key": f"user:{team.staff}", "back": "users", "csrf_token": csrf_token(page.text)},
    )
    assert answer.headers["Location"].endswith("/admin/users")
    assert login(client, "Sam", PASSWORDS["Sam"]).status_code == 302
    (unlock,) = entries(app, "unlock")
    assert (unlock.user_id, unlock.subject) == (team.manager, f"user:{team.staff}")


def test_staff_cannot_unlock_a_manager(app: Flask, client: FlaskClient, team: Team) -> None:
    staff = logged_in(app, "Sam")
    for _ in range(3):
        login(client, "Mia", "geraden")
    page = staff.get("/admin/locks")
    assert "Gebruiker Mia — wachtwoord" in page.text
    staff.post(
        "/admin/locks/release",
        data={"key": f"user:{team.manager}", "csrf_token": csrf_token(page.text)},
    )
    assert "Alleen een verantwoordelijke" in staff.get("/admin/locks").text
    assert LOCKED in login(client, "Mia", PASSWORDS["Mia"]).text
    assert entries(app, "unlock") == []


def test_an_idle_session_expires_to_the_login_page_with_a_message(app: Flask, team: Team) -> None:
    manager = logged_in(app, "Mia")
    assert manager.get("/admin/users").status_code == 200
    with manager.session_transaction() as session:
        assert session.permanent
        session["seen_at"] = time.time() - 31 * 60
    expired = manager.get("/admin/users")
    assert expired.status_code == 302
    assert "/admin/login?next=/admin/users" in expired.headers["Location"]
    assert "Je sessie is verlopen" in manager.get(expired.headers["Location"]).text
    assert manager.get("/admin/users").status_code == 302  # logged out for good


def test_a_session_ends_after_the_longest_time_however_busy(app: Flask, team: Team) -> None:
    manager = logged_in(app, "Mia")
    with manager.session_transaction() as session:
        session["login_at"] = time.time() - 12 * 3600 - 60
    assert manager.get("/admin/users").status_code == 302


def test_each_request_keeps_a_session_alive(app: Flask, team: Team) -> None:
    manager = logged_in(app, "Mia")
    with manager.session_transaction() as session:
        session["seen_at"] = time.time() - 29 * 60
    assert manager.get("/admin/users").status_code == 200
    with manager.session_transaction() as session:
        assert time.time() - session["seen_at"] < 60
    assert manager.get("/admin/users").status_code == 200


def test_the_cookie_lasts_as_long_as_an_idle_session(
    app: Flask, team: Team, client: FlaskClient
) -> None:
    answer = login(client, "Mia", PASSWORDS["Mia"])
    cookie = answer.headers["Set-Cookie"]
    assert "Expires=" in cookie
    assert app.permanent_session_lifetime.total_seconds() == 30 * 60


def test_the_till_needs_no_session(app: Flask, farm_shop: dict[str, Any]) -> None:
    till = app.test_client()
    assert till.get("/api/v1/catalog", headers=farm_shop["headers"]).status_code == 200


def guesser(app: Flask, address: str) -> FlaskClient:
    """Return a client that comes from another address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_staff_unlock_a_care_user_but_never_staff_or_a_manager(app: Flask, team: Team) -> None:
    outsider = guesser(app, "192.0.2.7")
    for name in ("Lotte", "Mia"):
        for _ in range(3):
            login(outsider, name, "geraden")
    for _ in range(3):
        login(guesser(app, "192.0.2.8"), "Sam", "geraden")
    staff = logged_in(app, "Sam")  # from the shop's own address, which nobody locked
    page = staff.get("/admin/locks")
    assert page.text.count("alleen een verantwoordelijke") == 2  # Mia and Sam: no button
    token = csrf_token(page.text)
    for key in (
        f"user:{team.manager}",
        f"user:{team.manager}:password@ip:192.0.2.7",
        f"user:{team.staff}",
        f"user:{team.staff}:password@ip:192.0.2.8",
    ):
        staff.post("/admin/locks/release", data={"key": key, "csrf_token": token})
    assert "Alleen een verantwoordelijke kan een medewerker" in staff.get("/admin/locks").text
    assert entries(app, "unlock") == []
    key = f"user:{team.care}:password@ip:192.0.2.7"
    staff.post("/admin/locks/release", data={"key": key, "csrf_token": token})
    (unlock,) = entries(app, "unlock")
    assert (unlock.user_name, unlock.subject) == ("Sam", key)
    still = staff.get("/admin/locks").text
    assert "Gebruiker Lotte" not in still and "Gebruiker Mia" in still and "Gebruiker Sam" in still
    assert LOCKED in login(guesser(app, "192.0.2.8"), "Sam", PASSWORDS["Sam"]).text

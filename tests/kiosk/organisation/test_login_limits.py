"""Limits on guessing PINs at the till: per user, per device, the lock's end, the staff unlock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.models import AuditEntry, GuessLock, Till, User
from kiosk.models.types import Role, utcnow
from kiosk.organisation.login_limits import verify_pin
from tests.conftest import Shop, csrf_token, login

RIGHT, WRONG = "2468", "1111"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """Lock a user after 3 wrong PINs and a till after 5, so the tests stay short."""
    return {
        **app_config,
        "PIN_MAX_FAILURES_PER_USER": 3,
        "PIN_MAX_FAILURES_PER_TILL": 5,
        "PIN_FAILURE_WINDOW_MINUTES": 15,
        "PIN_LOCK_MINUTES": 15,
    }


@pytest.fixture
def pin_shop(shop: Any, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """The farm shop with three care users who have a PIN, and a second till."""
    return {
        **farm_shop,
        "pia": shop.user("Pia", pin=RIGHT),
        "bert": shop.user("Bert", pin=RIGHT),
        "lien": shop.user("Lien", pin=RIGHT),
        "second_token": shop.till("HW", name="Tweede kassa")[1],
    }


def try_pin(client: FlaskClient, shop: dict[str, Any], user: str, pin: str, token: str = "") -> Any:
    """Type a PIN for one of the shop's users at a till (the first, unless another token)."""
    headers = {"Authorization": f"Bearer {token}"} if token else shop["headers"]
    return client.post(f"/api/v1/operators/{shop[user]}/pin", json={"pin": pin}, headers=headers)


def pia_at_the_till(shop: dict[str, Any]) -> tuple[User, Till]:
    """Return Pia and the first till, in the app context of the test."""
    return db.session.get_one(User, shop["pia"]), db.session.get_one(Till, shop["till_id"])


def count(app: Flask, action: str) -> int:
    """Return how many audit entries of this action there are."""
    with app.app_context():
        return db.session.scalar(select(func.count()).where(AuditEntry.action == action)) or 0


def test_a_user_is_locked_after_too_many_wrong_pins_even_for_the_right_one(
    app: Flask, client: FlaskClient, pin_shop: dict[str, Any]
) -> None:
    assert [try_pin(client, pin_shop, "pia", WRONG).status_code for _ in range(2)] == [422, 422]
    third = try_pin(client, pin_shop, "pia", WRONG)
    assert third.status_code == 429
    assert third.json["error"] == "pin_locked"
    assert "vraag een medewerker" in third.json["message"]
    refused = try_pin(client, pin_shop, "pia", RIGHT)
    assert (refused.status_code, refused.json["error"]) == (429, "pin_locked")
    # another user at the same till is not locked
    assert try_pin(client, pin_shop, "bert", RIGHT).status_code == 200
    assert count(app, "pin_failed") == 3
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "pin_failed")
        ).first()
        assert entry is not None
        assert (entry.user_id, entry.till_id) == (pin_shop["pia"], pin_shop["till_id"])
        assert entry.subject == f"user:{pin_shop['pia']}"


def test_the_lock_ends_after_its_time_and_a_right_pin_resets_the_count(
    app: Flask, pin_shop: dict[str, Any]
) -> None:
    with app.app_context():
        pia, till = pia_at_the_till(pin_shop)
        start = utcnow()
        answers = [verify_pin(pia, WRONG, till, start + timedelta(seconds=n)) for n in range(3)]
        assert answers == ["wrong", "wrong", "locked"]
        assert verify_pin(pia, RIGHT, till, start + timedelta(minutes=14)) == "locked"
        assert verify_pin(pia, RIGHT, till, start + timedelta(minutes=16)) == "ok"
        assert db.session.get(GuessLock, f"user:{pia.id}:pin@till:{till.id}") is None  # forgotten
        later = start + timedelta(minutes=20)
        assert [verify_pin(pia, WRONG, till, later) for _ in range(2)] == ["wrong", "wrong"]
        assert verify_pin(pia, RIGHT, till, later) == "ok"
        assert verify_pin(pia, WRONG, till, later) == "wrong"  # counting starts over
        db.session.commit()


def test_failures_spread_wider_than_the_window_do_not_lock(
    app: Flask, pin_shop: dict[str, Any]
) -> None:
    with app.app_context():
        pia, till = pia_at_the_till(pin_shop)
        start = utcnow()
        answers = [
            verify_pin(pia, WRONG, till, start + timedelta(minutes=10 * n)) for n in range(5)
        ]
        assert answers == ["wrong"] * 5
        db.session.commit()


def test_a_till_is_locked_after_too_many_wrong_pins_for_anyone(
    app: Flask, client: FlaskClient, pin_shop: dict[str, Any]
) -> None:
    for user in ("pia", "pia", "bert", "bert"):
        assert try_pin(client, pin_shop, user, WRONG).status_code == 422
    assert try_pin(client, pin_shop, "lien", WRONG).status_code == 429  # the till's fifth
    for user in ("pia", "bert", "lien"):
        refused = try_pin(client, pin_shop, user, RIGHT)
        assert (refused.status_code, refused.json["error"]) == (429, "pin_locked")
    # the other till still works, for everyone not locked by name
    assert try_pin(client, pin_shop, "lien", RIGHT, pin_shop["second_token"]).status_code == 200


def test_staff_unlock_a_locked_user_and_it_is_logged(
    app: Flask, client: FlaskClient, pin_shop: dict[str, Any]
) -> None:
    for _ in range(3):
        try_pin(client, pin_shop, "pia", WRONG)
    assert try_pin(client, pin_shop, "pia", RIGHT).status_code == 429
    with app.app_context():
        staff = User(name="Sam", role=Role.STAFF)
        staff.set_password("sam-is-medewerker")
        db.session.add(staff)
        db.session.commit()
    back_office = app.test_client()
    assert login(back_office, "Sam", "sam-is-medewerker").status_code == 302
    page = back_office.get("/admin/locks")
    assert "Gebruiker Pia — pincode" in page.text
    answer = back_office.post(
        "/admin/locks/release",
        data={
            "key": f"user:{pin_shop['pia']}",
            "back": "locks",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert answer.status_code == 302
    assert "Er is niets vergrendeld." in back_office.get("/admin/locks").text
    assert try_pin(client, pin_shop, "pia", RIGHT).status_code == 200
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "unlock")).one()
        assert (entry.user_name, entry.subject) == ("Sam", f"user:{pin_shop['pia']}")
        assert "Pia" in entry.summary


def test_a_locked_till_is_unlocked_by_staff(
    app: Flask, client: FlaskClient, pin_shop: dict[str, Any], shop: Shop
) -> None:
    for user in ("pia", "pia", "pia", "bert", "bert"):
        try_pin(client, pin_shop, user, WRONG)
    shop.user("Sam", role=Role.STAFF, password="sam-is-medewerker")
    back_office = app.test_client()
    login(back_office, "Sam", "sam-is-medewerker")
    page = back_office.get("/admin/locks")
    assert "Kassa HW1" in page.text
    back_office.post(
        "/admin/locks/release",
        data={"key": f"till:{pin_shop['till_id']}", "csrf_token": csrf_token(page.text)},
    )
    assert try_pin(client, pin_shop, "lien", RIGHT).status_code == 200
    assert try_pin(client, pin_shop, "pia", RIGHT).status_code == 429  # Pia's own lock stays


def test_a_bad_unlock_request_changes_nothing(
    app: Flask, client: FlaskClient, pin_shop: dict[str, Any], shop: Shop
) -> None:
    for _ in range(3):
        try_pin(client, pin_shop, "pia", WRONG)
    shop.user("Sam", role=Role.STAFF, password="sam-is-medewerker")
    back_office = app.test_client()
    login(back_office, "Sam", "sam-is-medewerker")
    token = csrf_token(back_office.get("/admin/locks").text)
    for key in ("", "user:", "user:abc", "gebruiker:1", "user:99999999999", "user:9999999999"):
        answer = back_office.post("/admin/locks/release", data={"key": key, "csrf_token": token})
        assert answer.status_code == 302
    assert try_pin(client, pin_shop, "pia", RIGHT).status_code == 429
    assert count(app, "unlock") == 0


def test_a_person_locked_at_one_till_still_enters_the_right_pin_at_another(
    app: Flask, client: FlaskClient, pin_shop: dict[str, Any]
) -> None:
    answers = [try_pin(client, pin_shop, "pia", WRONG).status_code for _ in range(3)]
    assert answers == [422, 422, 429]
    assert try_pin(client, pin_shop, "pia", RIGHT).status_code == 429
    second = pin_shop["second_token"]
    assert try_pin(client, pin_shop, "pia", RIGHT, second).status_code == 200
    # a wrong PIN at the second till starts its own count there
    assert try_pin(client, pin_shop, "pia", WRONG, second).status_code == 422
    assert try_pin(client, pin_shop, "pia", RIGHT).status_code == 429  # still locked at the first
    with app.app_context():
        keys = set(db.session.scalars(select(GuessLock.key)))
    pia, first_till = pin_shop["pia"], pin_shop["till_id"]
    assert f"user:{pia}:pin@till:{first_till}" in keys and f"till:{first_till}" in keys


def test_each_wrong_pin_after_a_lock_locks_twice_as_long(
    app: Flask, pin_shop: dict[str, Any]
) -> None:
    with app.app_context():
        pia, till = pia_at_the_till(pin_shop)
        key = f"user:{pia.id}:pin@till:{till.id}"
        start = utcnow()
        assert [verify_pin(pia, WRONG, till, start) for _ in range(3)][-1] == "locked"
        until = db.session.get_one(GuessLock, key).locked_until
        assert until is not None
        lengths = [until - start]
        for _ in range(3):
            moment = until + timedelta(minutes=1)  # the lock ended a minute ago: guess again
            assert verify_pin(pia, WRONG, till, moment) == "locked"
            until = db.session.get_one(GuessLock, key).locked_until
            assert until is not None
            lengths.append(until - moment)
        assert lengths == [timedelta(minutes=minutes) for minutes in (15, 30, 60, 120)]
        # a window (15 minutes) of quiet after a lock ends, and counting starts over
        assert verify_pin(pia, WRONG, till, until + timedelta(minutes=16)) == "wrong"
        db.session.commit()

"""`pluskassa user unlock NAME`: lift every lock on a person, from the server's own console."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import AuditEntry, GuessLock
from kiosk.models.types import Role
from tests.conftest import Shop, login

GREET, PIN = "demo-greet", "2468"


def test_user_unlock_lifts_every_lock_on_greet(
    cli: Any, app: Flask, farm_shop: dict[str, Any], shop: Shop
) -> None:
    greet = shop.user("Greet", role=Role.MANAGER, password=GREET, pin=PIN)
    for address in ("127.0.0.2", "127.0.0.3"):
        guesser = app.test_client()
        guesser.environ_base["REMOTE_ADDR"] = address
        for _ in range(5):
            login(guesser, "Greet", "geraden")
    pin_url = f"/api/v1/operators/{greet}/pin"
    for _ in range(5):
        app.test_client().post(pin_url, json={"pin": "1111"}, headers=farm_shop["headers"])
    tried = app.test_client().post(pin_url, json={"pin": PIN}, headers=farm_shop["headers"])
    assert tried.status_code == 429
    result = cli("user", "unlock", "greet")
    assert result.exit_code == 0, result.output
    assert "Gebruiker Greet is ontgrendeld." in result.output
    with app.app_context():
        assert not [key for key in db.session.scalars(select(GuessLock.key)) if "user:" in key]
        unlock = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "unlock")).one()
        assert (unlock.user_name, unlock.subject) == ("pluskassa user unlock", f"user:{greet}")
    back = app.test_client()
    back.environ_base["REMOTE_ADDR"] = "127.0.0.2"
    assert login(back, "Greet", GREET).status_code == 302
    again = app.test_client().post(pin_url, json={"pin": PIN}, headers=farm_shop["headers"])
    assert again.status_code == 200
    assert "was niet vergrendeld" in cli("user", "unlock", "Greet").output


def test_user_unlock_of_an_unknown_name_says_so(cli: Any, app: Flask) -> None:
    result = cli("user", "unlock", "Gerda")
    assert result.exit_code == 1
    assert "Er is geen gebruiker met de naam Gerda." in result.output

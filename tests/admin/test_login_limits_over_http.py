"""Limits on guessing passwords over real HTTP, from two loopback addresses, at the default limits.

No one who can reach the login page can lock a person out elsewhere: wrong passwords count per
name and address, made-up names lock only their own address, and every name gets the same
answers, whether someone has it or not.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import AuditEntry, User
from kiosk.models.types import Role
from tests.admin.conftest import PASSWORDS, Team, quick_hash
from tests.admin.visitor import Answer, Visitor
from tests.conftest import LiveServer, csrf_token

LOCKED = "Te veel mislukte pogingen."
WRONG = "Naam of wachtwoord klopt niet."
GREET = "demo-greet"


@pytest.fixture
def greet(app: Flask, team: Team) -> int:
    """Add Greet, the manager of the demo, beside the team."""
    with app.app_context():
        user = User(name="Greet", role=Role.MANAGER, password_hash=quick_hash(GREET))
        db.session.add(user)
        db.session.commit()
        return user.id


def test_wrong_passwords_from_one_address_never_refuse_the_right_one_from_another(
    greet: int, live_server: LiveServer
) -> None:
    guesser = Visitor(live_server.url, "127.0.0.2")
    answers = [guesser.login("Greet", f"geraden-{n}") for n in range(7)]
    assert [WRONG in answer.text for answer in answers] == [True] * 4 + [False] * 3
    assert all(LOCKED in answer.text for answer in answers[4:])
    assert LOCKED in guesser.login("Greet", GREET).text  # locked there, even the right one
    assert Visitor(live_server.url, "127.0.0.1").login("Greet", GREET).status == 302


def test_made_up_names_from_one_address_lock_only_that_address(
    greet: int, live_server: LiveServer
) -> None:
    guesser = Visitor(live_server.url, "127.0.0.2")
    answers = [guesser.login(f"Naam{n}", "geraden").text for n in range(21)]
    assert sum(WRONG in text for text in answers) == 19
    assert LOCKED in answers[19] and LOCKED in answers[20]
    assert LOCKED in guesser.login("Greet", GREET).text
    assert Visitor(live_server.url, "127.0.0.1").login("Greet", GREET).status == 302


def same_for_every_name(answer: Answer, name: str) -> tuple[int, str]:
    """Return an answer without what differs by nature: the typed name and the CSRF token."""
    text = answer.text.replace(f'value="{name}"', 'value="NAAM"')
    return answer.status, re.sub(r'name="csrf_token" (type="hidden" )?value="[^"]+"', "", text)


def test_unknown_and_known_names_get_identical_answers(
    app: Flask, greet: int, live_server: LiveServer
) -> None:
    # a manager, a name nobody has, a care user without a password, a staff member who left
    names = {"Greet": "127.0.0.2", "Gerda": "127.0.0.3", "Lotte": "127.0.0.4", "Ward": "127.0.0.5"}
    with app.app_context():
        assert db.session.scalar(select(User).where(User.name == "Gerda")) is None
    answers = {}
    for name, address in names.items():
        visitor = Visitor(live_server.url, address)
        answers[name] = [same_for_every_name(visitor.login(name, "fout"), name) for _ in range(7)]
    first = answers["Greet"]
    assert [status for status, _text in first] == [200] * 7
    assert WRONG in first[0][1] and LOCKED in first[-1][1]
    for name in ("Gerda", "Lotte", "Ward"):
        assert answers[name] == first, name


def test_a_manager_lifts_a_lock_on_the_locks_page(
    app: Flask, greet: int, live_server: LiveServer
) -> None:
    guesser = Visitor(live_server.url, "127.0.0.2")
    for _ in range(5):
        guesser.login("Greet", "geraden")
    mia = Visitor(live_server.url)
    assert mia.login("Mia", PASSWORDS["Mia"]).status == 302
    page = mia.get("/admin/locks")
    assert "Gebruiker Greet — wachtwoord vanaf adres 127.0.0.2" in page.text
    assert "Adres 127.0.0.2" not in page.text  # five wrong passwords do not lock an address
    key = f"user:{greet}:password@ip:127.0.0.2"
    answer = mia.post("/admin/locks/release", {"key": key, "csrf_token": csrf_token(page.text)})
    assert answer.status == 302
    assert "Er is niets vergrendeld." in mia.get("/admin/locks").text
    assert guesser.login("Greet", GREET).status == 302
    with app.app_context():
        unlock = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "unlock")).one()
        assert (unlock.user_name, unlock.subject) == ("Mia", key)

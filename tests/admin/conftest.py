"""Back-office fixtures: a team of people to log in as, and clients logged in through the form."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from kiosk.extensions import db
from kiosk.models import User
from kiosk.models.types import Role
from tests.conftest import login

PASSWORDS = {
    "Mia": "mia-is-verantwoordelijke",
    "Sam": "sam-is-medewerker",
    "Lotte": "lotte-is-zorggebruiker",
    "Ward": "ward-is-vertrokken",
}


@cache
def quick_hash(password: str) -> str:
    """Hash a test password with few rounds; logging in still checks it the real way."""
    # the default scrypt costs a third of a second a hash: hundreds of logins would take minutes
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


@dataclass(frozen=True)
class Team:
    """The ids of the people in the back-office tests."""

    manager: int  # Mia
    staff: int  # Sam
    care: int  # Lotte, a care user who was given a password all the same
    inactive_staff: int  # Ward, who left


@pytest.fixture
def team(app: Flask) -> Team:
    """Add a manager, a staff member, a care user with a password and an inactive staff member."""
    return make_team(app)


def make_team(app: Flask) -> Team:
    """Add a manager, a staff member, a care user with a password and an inactive staff member."""
    people = {
        "Mia": (Role.MANAGER, True),
        "Sam": (Role.STAFF, True),
        "Lotte": (Role.CARE, True),
        "Ward": (Role.STAFF, False),
    }
    with app.app_context():
        users = {
            name: User(
                name=name, role=role, active=active, password_hash=quick_hash(PASSWORDS[name])
            )
            for name, (role, active) in people.items()
        }
        db.session.add_all(users.values())
        db.session.commit()
        return Team(
            manager=users["Mia"].id,
            staff=users["Sam"].id,
            care=users["Lotte"].id,
            inactive_staff=users["Ward"].id,
        )


def logged_in(app: Flask, name: str) -> FlaskClient:
    """Return a new client logged in through the login form as one of the team."""
    client = app.test_client()
    response = login(client, name, PASSWORDS[name])
    assert response.status_code == 302, f"{name} could not log in"
    return client


@pytest.fixture
def manager(app: Flask, team: Team) -> FlaskClient:
    """Return a client logged in as the manager."""
    return logged_in(app, "Mia")


@pytest.fixture
def staff(app: Flask, team: Team) -> FlaskClient:
    """Return a client logged in as the staff member."""
    return logged_in(app, "Sam")

"""A person's till settings in the user form: speech, sound, tile size and large digits."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from kiosk.extensions import db
from kiosk.models import AuditEntry, User
from tests.admin.conftest import Team
from tests.conftest import csrf_token


def post_form(client: FlaskClient, url: str, data: dict[str, str]) -> TestResponse:
    """Open the form at `url` and post `data` with its CSRF token."""
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, data={**data, "csrf_token": csrf_token(page.text)})


def settings_of(app: Flask, name: str) -> tuple[bool, bool, int, bool]:
    """Return a person's (speech, sound, tile size, large digits) as stored."""
    with app.app_context():
        user = db.session.scalars(select(User).where(User.name == name)).one()
        return user.speech, user.sound, user.tile_size, user.large_digits


def test_a_new_care_user_gets_the_till_settings_of_the_form(
    app: Flask, manager: FlaskClient
) -> None:
    form = {"name": "Jonas", "role": "care", "active": "y", "speech": "y", "tile_size": "200"}
    assert post_form(manager, "/admin/users/new", {**form, "large_digits": "y"}).status_code == 302
    assert settings_of(app, "Jonas") == (True, False, 200, True)


def test_the_edit_form_shows_and_saves_the_till_settings(
    app: Flask, manager: FlaskClient, team: Team
) -> None:
    url = f"/admin/users/{team.care}"
    page = manager.get(url).text
    assert "Spreken: de kassa zegt producten en bedragen" in page
    assert '<option selected value="160">Normaal (160 px)</option>' in page
    assert '<input checked id="sound" name="sound" type="checkbox" value="y">' in page  # on
    assert '<input id="speech" name="speech" type="checkbox" value="y">' in page  # off
    assert "Grote cijfers (voor wie slecht ziet)" in page
    form = {"name": "Lotte", "role": "care", "active": "y", "tile_size": "120"}
    assert post_form(manager, url, {**form, "speech": "y", "large_digits": "y"}).status_code == 302
    assert settings_of(app, "Lotte") == (True, False, 120, True)
    page = manager.get(url).text
    assert '<option selected value="120">Klein (120 px)</option>' in page
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "user_changed")
        ).one()
        assert json.loads(entry.after or "") == {
            "speech": True,
            "sound": False,
            "tile_size": 120,
            "large_digits": True,
        }


def test_a_tile_size_the_till_does_not_offer_is_refused_and_changes_nothing(
    app: Flask, manager: FlaskClient, team: Team
) -> None:
    url = f"/admin/users/{team.care}"
    form = {"name": "Lotte", "role": "care", "active": "y", "speech": "y", "tile_size": "180"}
    refused = post_form(manager, url, form)
    assert refused.status_code == 200
    assert "Ongeldige keuze" in refused.text
    assert settings_of(app, "Lotte") == (False, True, 160, False)

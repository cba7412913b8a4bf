"""`pluskassa user set NAME`: speech, sound, tile size and large digits from the console."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import AuditEntry, User
from kiosk.models.types import Role
from tests.conftest import Shop


def settings_of(app: Flask, name: str) -> tuple[bool, bool, int, bool]:
    """Return a person's (speech, sound, tile size, large digits) as stored."""
    with app.app_context():
        user = db.session.scalars(select(User).where(User.name == name)).one()
        return user.speech, user.sound, user.tile_size, user.large_digits


def test_user_set_changes_only_the_settings_given(cli: Any, app: Flask, shop: Shop) -> None:
    shop.user("Lotte")
    result = cli("user", "set", "lotte", "--speech", "on", "--tile-size", "200")
    assert result.exit_code == 0, result.output
    assert "Lotte: spreken aan, geluid aan, tegels 200 px, grote cijfers uit." in result.output
    assert settings_of(app, "Lotte") == (True, True, 200, False)
    result = cli("user", "set", "Lotte", "--sound", "off", "--large-digits", "on")
    assert result.exit_code == 0, result.output
    assert settings_of(app, "Lotte") == (True, False, 200, True)
    with app.app_context():
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "user_changed").order_by(AuditEntry.id)
        ).all()
        assert {entry.user_name for entry in entries} == {"pluskassa user set"}
        assert [entry.summary for entry in entries] == [
            "Gegevens van Lotte gewijzigd: speech, tile_size.",
            "Gegevens van Lotte gewijzigd: large_digits, sound.",
        ]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--tile-size", "180", "kies 120, 160 of 200 (pixels), niet '180'."),
        ("--speech", "ja", "kies on of off, niet 'ja'."),
        ("--sound", "1", "kies on of off, niet '1'."),
        ("--large-digits", "yes", "kies on of off, niet 'yes'."),
    ],
)
def test_user_set_refuses_a_bad_value_and_changes_nothing(
    cli: Any, app: Flask, shop: Shop, option: str, value: str, message: str
) -> None:
    shop.user("Lotte")
    result = cli("user", "set", "Lotte", "--speech", "on", option, value)
    assert result.exit_code == 2
    assert message in result.output
    assert settings_of(app, "Lotte") == (False, True, 160, False)


def test_user_set_without_a_setting_or_for_nobody_says_so(cli: Any, app: Flask, shop: Shop) -> None:
    shop.user("Lotte")
    result = cli("user", "set", "Lotte")
    assert result.exit_code == 2
    assert "Geef minstens één instelling" in result.output
    result = cli("user", "set", "Gerda", "--speech", "on")
    assert result.exit_code == 1
    assert "Er is geen gebruiker met de naam Gerda." in result.output


def test_user_set_lets_chosen_staff_count_the_drawer(cli: Any, app: Flask, shop: Shop) -> None:
    shop.user("Sam", role=Role.STAFF, password="geheim-wachtwoord")
    result = cli("user", "set", "Sam", "--may-count-cash", "on")
    assert result.exit_code == 0, result.output
    assert "Sam mag de kassa tellen." in result.output
    with app.app_context():
        sam = db.session.scalars(select(User).where(User.name == "Sam")).one()
        assert sam.may_count_cash and sam.can_count_cash
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "user_changed")
        ).one()
        assert entry.summary == "Gegevens van Sam gewijzigd: may_count_cash."
    result = cli("user", "set", "Sam", "--may-count-cash", "off")
    assert "Sam mag de kassa niet tellen." in result.output
    refused = cli("user", "set", "Sam", "--may-count-cash", "maybe")
    assert refused.exit_code == 2 and "kies on of off" in refused.output
    with app.app_context():
        assert not db.session.scalars(select(User).where(User.name == "Sam")).one().may_count_cash

"""The upgrade to guessing counted per place: old per-person counts are forgotten, the rest kept."""

from __future__ import annotations

from flask import Flask
from flask_migrate import upgrade as alembic_upgrade
from sqlalchemy import text

from kiosk.database import upgrade_database
from kiosk.extensions import db, migrate
from tests.kiosk.test_upgrade import at, first_release, insert

__all__ = ["first_release"]  # the fixture: a database of its own at the first migration

BEFORE = "a3c51f0e9b27"  # the time of sale; locks on guessing still per person


def test_old_per_person_counts_are_forgotten_and_places_keep_theirs(first_release: Flask) -> None:
    with first_release.app_context():
        alembic_upgrade(directory=migrate.directory, revision=BEFORE)
        for key in ("user:1:pin", "user:1:password", "till:3", "ip:192.0.2.7"):
            insert(
                "guess_lock",
                key=key,
                failures=4,
                first_failure_at=at("2026-11-27 10:00:00"),
                locked_until=None,
            )
        db.session.commit()
        upgrade_database()
        db.session.commit()
        keys = db.session.scalars(text("SELECT key FROM guess_lock ORDER BY key")).all()
        assert keys == ["ip:192.0.2.7", "till:3"]
        long_key = "name:" + "x" * 80 + "@ip:" + "f" * 45
        insert("guess_lock", key=long_key, failures=1, first_failure_at=None, locked_until=None)
        db.session.commit()  # a name and an IPv6 address fit the wider key
        assert db.session.scalar(text("SELECT count(*) FROM back_office_session")) == 0

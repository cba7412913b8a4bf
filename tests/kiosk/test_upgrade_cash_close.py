"""The upgrade to the cash close: existing drawers, movements and people keep what they were."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask_migrate import upgrade as alembic_upgrade
from sqlalchemy import text

from kiosk.cash.drawer import get_drawer
from kiosk.cash.reports import cash_report
from kiosk.database import upgrade_database
from kiosk.exports.journal import journal_rows
from kiosk.extensions import db, migrate
from kiosk.models import CashMovement, CashSession, Till, User
from kiosk.models.cash import IN_OUT
from tests.kiosk.test_upgrade import at, first_release, insert

__all__ = ["first_release"]  # the fixture: a database of its own at the first migration

BEFORE = "3c7e5a91d2b4"  # large digits; no reason, next float, bank or counting permission yet
DAY = date(2026, 11, 20)


def test_an_old_drawer_upgrades_to_one_whose_cash_in_and_out_still_counts(
    first_release: Flask,
) -> None:
    with first_release.app_context():
        alembic_upgrade(directory=migrate.directory, revision=BEFORE)
        insert(
            "point_of_sale",
            code="HW",
            name="Hoevewinkel",
            default_consumption="takeaway",
            payment_methods="cash|card",
        )
        for name, role in (("Mie", "manager"), ("Sam", "staff")):
            insert(
                "user_account",
                name=name,
                role=role,
                password_hash="pbkdf2:sha256:1$x$y",
                active=True,
                speech=False,
                sound=True,
                tile_size=160,
                large_digits=False,
                created_at=at("2026-11-01 09:00:00"),
            )
        insert(
            "till",
            code="HW1",
            name="Toog",
            point_of_sale_id=1,
            token_hash="a" * 64,
            created_at=at("2026-11-01 09:00:00"),
        )
        insert(
            "cash_session",
            till_id=1,
            business_day=DAY,
            opened_at=at("2026-11-20 08:00:00"),
            opened_by_id=1,
            opening_float_cents=10000,
            counted_at=at("2026-11-20 17:00:00"),
            counted_by_id=1,
            counted_cents=7950,
            counted_pieces='{"5000": 1, "2000": 1, "500": 1, "200": 1, "50": 1}',
        )
        insert(
            "cash_movement",
            cash_session_id=1,
            amount_cents=-2000,
            reason="Eieren gekocht",
            user_id=1,
            created_at=at("2026-11-20 12:00:00"),
        )
        db.session.commit()
        upgrade_database()
        db.session.commit()

        session = db.session.get_one(CashSession, 1)
        assert (session.difference_reason, session.next_float_cents) == (None, None)
        assert db.session.get_one(CashMovement, 1).kind == IN_OUT
        assert [user.may_count_cash for user in db.session.query(User).order_by(User.id)] == [
            False,
            False,
        ]
        assert db.session.scalar(text("SELECT count(*) FROM ledger_account")) == 0
        drawer = get_drawer(db.session.get_one(Till, 1), DAY)
        # 100,00 float − 20,00 out = 80,00 expected; 79,50 counted
        assert (drawer.expected_cents, drawer.difference_cents) == (8000, -50)
        assert drawer.to_bank_cents is None
        old_z = {
            k: v
            for k, v in drawer.as_json().items()
            if k not in ("difference_reason", "next_float_cents", "to_bank_cents")
        }
        assert cash_report(old_z).next_float_cents is None  # a Z frozen before this release
        rows = list(journal_rows(DAY, DAY))
        assert sum(row[5] or 0 for row in rows) == sum(row[6] or 0 for row in rows) == 2050
        assert {(row[1], row[3]) for row in rows} == {
            ("kas_in_uit", "499000"),
            ("kas_in_uit", "570000"),
            ("kasverschil", "657000"),
            ("kasverschil", "570000"),
        }

"""The close of a drawer: a difference's reason, tomorrow's float, cash to the bank, who counts."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.audit.sentences import describe
from kiosk.cash.reports import cash_report, report_lines
from kiosk.extensions import db
from kiosk.models import AuditEntry, CashMovement, CashSession, User, ZReport
from kiosk.models.cash import TO_BANK
from tests.admin.conftest import logged_in
from tests.admin.test_cash_pages import DAY, count_data, day_url, post, sold  # noqa: F401
from tests.conftest import csrf_token

REASON_FIRST = "Er is een kasverschil. Noteer eerst de reden bij de telling."


def stored_session(app: Flask) -> CashSession:
    """Return the one drawer, as stored."""
    with app.app_context():
        session = db.session.scalars(select(CashSession)).one()
        db.session.expunge(session)
        return session


def open_and_count(manager: FlaskClient, page: str, pieces: dict[int, int], reason: str) -> None:
    """Open the drawer with a 50 euro float, then count it."""
    post(manager, page + "/open", {"opening_float": "50"}, page)
    post(manager, page + "/count", count_data(pieces, reason=reason), page)


def test_a_difference_needs_a_reason_before_the_day_closes(
    app: Flask,
    manager: FlaskClient,
    sold: dict[str, Any],  # noqa: F811
) -> None:
    page = day_url(sold)
    # 50 + 7,60 expected; 57,50 counted: 0,10 short, and no reason given
    open_and_count(manager, page, {5000: 1, 500: 1, 200: 1, 50: 1}, "")
    counted = " ".join(manager.get(page + "/count").text.split())
    assert "Noteer de reden van het verschil onderaan" in counted
    assert 'name="difference_reason"' in counted
    close_page = manager.get(page + "/close").text
    assert REASON_FIRST in close_page and "Wisselkas voor morgen" not in close_page
    refused = post(manager, page + "/close", {}, page + "/close")
    assert refused.status_code == 302
    assert REASON_FIRST in manager.get(refused.headers["Location"]).text
    with app.app_context():
        assert db.session.scalars(select(ZReport)).all() == []

    reason = "Wisselgeld fout teruggegeven"
    pieces = {5000: 1, 500: 1, 200: 1, 50: 1}
    post(manager, page + "/count", count_data(pieces, reason=reason), page + "/count")
    assert stored_session(app).difference_reason == reason
    assert f"Reden van het verschil: {reason}" in manager.get(page).text
    closed = post(manager, page + "/close", {}, page + "/close")
    z_page = manager.get(closed.headers["Location"]).text
    assert reason in z_page
    with app.app_context():
        z_report = db.session.scalars(select(ZReport)).one()
        assert json.loads(z_report.figures)["difference_reason"] == reason
        paper = report_lines(cash_report(json.loads(z_report.figures)), 42)
        assert f"Reden: {reason}" in paper  # the printed Z carries it too
        count = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "cash.count").order_by(AuditEntry.id)
        ).all()[-1]
        stored = json.loads(count.after or "{}")
        assert (stored["counted_cents"], stored["difference_cents"]) == (5750, -10)
        assert stored["difference_reason"] == reason
        assert f"reden: {reason}" in describe(count)


def test_the_close_keeps_tomorrow_s_float_and_takes_the_rest_to_the_bank(
    app: Flask,
    manager: FlaskClient,
    sold: dict[str, Any],  # noqa: F811
) -> None:
    page = day_url(sold)
    open_and_count(manager, page, {5000: 1, 500: 1, 200: 1, 50: 1, 10: 1}, "")
    form = manager.get(page + "/close").text
    assert 'name="next_float"' in form and 'value="50,00"' in form  # this morning's float
    assert 'name="to_bank"' in form
    too_much = post(manager, page + "/close", {"next_float": "60"}, page + "/close")
    assert too_much.status_code == 200
    assert "De wisselkas voor morgen kan niet meer zijn dan er geteld is." in too_much.text
    beyond = post(manager, page + "/close", {"next_float": "40", "to_bank": "20"}, page + "/close")
    assert "Naar de bank kan niet meer gaan dan wat er na de wisselkas overblijft." in beyond.text
    with app.app_context():
        assert db.session.scalars(select(ZReport)).all() == []
        assert db.session.scalars(select(CashMovement)).all() == []

    closed = post(manager, page + "/close", {"next_float": "40", "to_bank": ""}, page + "/close")
    assert closed.status_code == 302
    session = stored_session(app)
    assert session.next_float_cents == 4000
    with app.app_context():
        [bank] = db.session.scalars(select(CashMovement)).all()
        assert (bank.kind, bank.amount_cents) == (TO_BANK, -1760)  # 57,60 counted − 40,00
        figures = json.loads(db.session.scalars(select(ZReport)).one().figures)
        # the bank leaves after the count: expected and the difference stay as counted
        assert (figures["expected_cents"], figures["difference_cents"]) == (5760, 0)
        assert (figures["to_bank_cents"], figures["next_float_cents"]) == (1760, 4000)

    tomorrow = day_url(sold, day=DAY + timedelta(days=1))
    assert 'value="40,00"' in manager.get(tomorrow).text  # opens with what was left
    post(
        manager,
        tomorrow + "/movements",
        {"direction": "in", "amount": "5", "reason": "munten"},
        tomorrow,
    )
    with app.app_context():
        sessions = db.session.scalars(select(CashSession).order_by(CashSession.business_day))
        assert [s.opening_float_cents for s in sessions] == [5000, 4000]


def test_staff_count_the_drawer_only_when_given_the_permission(
    app: Flask,
    manager: FlaskClient,
    staff: FlaskClient,
    sold: dict[str, Any],  # noqa: F811
) -> None:
    page = day_url(sold)
    assert staff.get(page + "/count").status_code == 403
    assert staff.get("/admin/cash").status_code == 403
    with app.app_context():
        sam = db.session.scalars(select(User).where(User.name == "Sam")).one()
        user_page = f"/admin/users/{sam.id}"
    form = manager.get(user_page).text
    assert 'name="may_count_cash"' in form
    token = csrf_token(form)
    saved = manager.post(
        user_page,
        data={
            "csrf_token": token,
            "name": "Sam",
            "role": "staff",
            "active": "y",
            "sound": "y",
            "tile_size": "160",
            "may_count_cash": "y",
        },
    )
    assert saved.status_code == 302
    counter = logged_in(app, "Sam")
    overview = counter.get(f"/admin/cash?day={DAY.isoformat()}").text
    assert f'href="{page}/count"' in overview and f'href="{page}"' not in overview
    counted = post(counter, page + "/count", count_data({1000: 1}), page + "/count")
    assert counted.status_code == 302
    assert stored_session(app).counted_cents == 1000
    result = counter.get(page + "/count").text
    assert "Dag afsluiten" not in result and "X-rapport" not in result
    # counting is all: the drawer, the X report and the close stay for managers
    for url in (page, page + "/x", page + "/close"):
        assert counter.get(url).status_code == 403
    with app.app_context():
        change = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "user_changed")
        ).all()[-1]
        assert "may_count_cash" in change.summary

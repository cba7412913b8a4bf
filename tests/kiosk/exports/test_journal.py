"""The journal the accountant books as is: a ledger account on every line, balanced every day."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from kiosk.cash.drawer import (
    add_cash_movement,
    close_day,
    get_drawer,
    open_cash_session,
    record_cash_count,
)
from kiosk.demo.history import generate_history
from kiosk.errors import OperationError
from kiosk.exports.files import write_export
from kiosk.exports.journal import journal_export
from kiosk.exports.ledger import get_account_list, set_account
from kiosk.extensions import db
from kiosk.models import AuditEntry, Sale, Till, User
from kiosk.models.types import Role
from kiosk.money import change_pieces
from kiosk.sales.refunds import refund_sale
from tests.conftest import Shop
from tests.kiosk.demo.test_history import plus_plek  # noqa: F401 (a fixture)

FIRST, LAST = date(2026, 11, 16), date(2026, 11, 18)


def read_journal(first_day: date, last_day: date, folder: Path) -> list[dict[str, str]]:
    """Write the journal of the days as CSV, and read it back as rows by header."""
    path = folder / "journaal.csv"
    write_export(journal_export(first_day, last_day), path, "csv")
    lines = path.read_text("utf-8-sig").splitlines()
    header = lines[0].split(";")
    return [dict(zip(header, line.split(";"), strict=True)) for line in lines[1:]]


def cents(text: str) -> int:
    """Read a Belgian amount cell ("1.250,50") as cents; empty is zero."""
    return int(text.replace(".", "").replace(",", "")) if text else 0


def close_with_everything(day: date, till: Till, manager: User, difference: int) -> None:
    """Open with a float, take cash out and put some in, count with a difference, go to the bank."""
    noon = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=20)
    open_cash_session(till, day, 10000, manager, noon)
    add_cash_movement(till, day, -1250, "Eieren gekocht bij de buur", manager, noon)
    add_cash_movement(till, day, 500, "Wisselgeld bijgelegd", manager, noon)
    counted = get_drawer(till, day).expected_cents + difference
    pieces = dict(change_pieces(counted))
    record_cash_count(till, day, pieces, manager, noon, "Wisselgeld fout teruggegeven")
    close_day(till, day, manager, noon, 10000, None)


@pytest.fixture
def history(app: Flask, ctx: None, shop: Shop, plus_plek: dict[str, int]) -> dict[str, Any]:  # noqa: F811
    """Three days of farm shop and bistro sales with refunds, each till closed with a difference."""
    manager_id = shop.user("Mia", role=Role.MANAGER, password="geheim-wachtwoord")
    generate_history(FIRST, LAST, 25, seed=7)
    db.session.commit()
    manager = db.session.get_one(User, manager_id)
    for offset, day in enumerate((FIRST, LAST)):
        start = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=15)
        sales = db.session.scalars(
            select(Sale)
            .where(Sale.rung_up_at >= start - timedelta(hours=5), Sale.rung_up_at < start)
            .order_by(Sale.id)
            .limit(2)
        ).all()
        for sale in sales:
            refund_sale(
                sale.till,
                sale.id,
                manager.id,
                None,
                stock="waste",
                reason="beschadigd",
                idempotency_key=str(uuid.uuid4()),
                now=start,
            )
        for index, till_id in enumerate((plus_plek["farm_till"], plus_plek["bistro_till"])):
            till = db.session.get_one(Till, till_id)
            close_with_everything(day, till, manager, (-35, 20)[(index + offset) % 2])
    db.session.commit()
    return {"manager": manager_id}


def test_the_journal_balances_every_day_with_an_account_on_every_line(
    app: Flask, history: dict[str, Any], tmp_path: Path
) -> None:
    rows = read_journal(FIRST, LAST, tmp_path)
    assert list(rows[0]) == [
        "datum",
        "soort",
        "sleutel",
        "rekening",
        "omschrijving",
        "debet",
        "credit",
    ]
    balance: dict[str, int] = defaultdict(int)
    for row in rows:
        assert row["rekening"].isdigit() and 3 <= len(row["rekening"]) <= 10, row
        assert not (row["debet"] and row["credit"]), row
        balance[row["datum"]] += cents(row["debet"]) - cents(row["credit"])
    assert set(balance) == {day.isoformat() for day in (FIRST, FIRST + timedelta(days=1), LAST)}
    assert all(difference == 0 for difference in balance.values()), balance

    kinds = {(row["soort"], row["rekening"]) for row in rows}
    # receipts: cash on 570000, card in transit on 580000; VAT payable per rate on 4510xx
    assert {("ontvangst", "570000"), ("ontvangst", "580000")} <= kinds
    assert {("btw", "451006"), ("btw", "451012"), ("btw", "451021")} <= kinds
    # turnover per rate and consumption: take-away 7000xx, eaten in the bistro 7001xx
    turnover = {number for kind, number in kinds if kind == "omzet"}
    assert {"700006", "700112", "700121"} <= turnover
    assert ("afronding", "757000") in kinds or ("afronding", "657000") in kinds
    # the drawer: cash in and out against the suspense account, differences, to the bank
    assert {("kas_in_uit", "499000"), ("kas_in_uit", "570000")} <= kinds
    assert {("kasverschil", "657000"), ("kasverschil", "757000")} <= kinds
    assert {("naar_bank", "580000"), ("naar_bank", "570000")} <= kinds
    shortage = [r for r in rows if r["soort"] == "kasverschil" and r["rekening"] == "657000"]
    assert all(cents(r["debet"]) == 35 for r in shortage) and len(shortage) == 2
    assert "Wisselgeld fout teruggegeven" in shortage[0]["omschrijving"]
    # refunds were made: a refund day still balances (checked above), its turnover is netted
    assert db.session.scalar(select(Sale.id).where(Sale.refund_of_id.is_not(None)))


def test_the_cash_to_the_bank_is_what_was_counted_beyond_the_next_float(
    app: Flask, history: dict[str, Any], tmp_path: Path
) -> None:
    rows = read_journal(FIRST, FIRST, tmp_path)
    for till in db.session.scalars(select(Till).order_by(Till.code)):
        drawer = get_drawer(till, FIRST)
        assert drawer.counted_cents is not None and drawer.next_float_cents == 10000
        assert drawer.to_bank_cents == drawer.counted_cents - 10000
        to_bank = [
            r
            for r in rows
            if r["soort"] == "naar_bank" and r["sleutel"] == till.code and r["rekening"] == "580000"
        ]
        assert [cents(r["debet"]) for r in to_bank] == [drawer.to_bank_cents]


def test_a_manager_s_own_account_goes_into_the_journal_and_the_audit_log(
    app: Flask, history: dict[str, Any], tmp_path: Path
) -> None:
    listed = {account.posting: account for account in get_account_list()}
    assert listed["kaart"].number == "580000" and not listed["kaart"].changed
    assert listed["omzet_600_takeaway"].number == "700006"
    set_account("kaart", " 499100 ", "Te ontvangen Bancontact")
    db.session.commit()
    card = [
        r
        for r in read_journal(FIRST, FIRST, tmp_path)
        if r["soort"] == "ontvangst" and r["sleutel"] == "card"
    ]
    assert [r["rekening"] for r in card] == ["499100"]
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "ledger_account_changed")
    ).one()
    assert "580000 → 499100" in entry.summary


@pytest.mark.parametrize("number", ["12", "12345678901", "70 0006", "7000O6", "", "٧٠٠٠٠٦"])
def test_a_malformed_account_number_is_refused_and_changes_nothing(
    app: Flask, ctx: None, number: str
) -> None:
    with pytest.raises(OperationError) as refused:
        set_account("kas", number, "Kas")
    db.session.rollback()
    assert refused.value.code == "invalid_account"
    assert {a.posting: a.number for a in get_account_list()}["kas"] == "570000"

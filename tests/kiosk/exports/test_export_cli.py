"""The export commands: sales, the receipts book (a file, or a folder for cron), the journal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook

from kiosk.cash.drawer import close_day, record_cash_count
from kiosk.extensions import db
from kiosk.models import Till, User
from kiosk.models.types import utcnow
from kiosk.periods import business_day
from tests.kiosk.sales_support import sell

MOMENT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def sold(app: Flask, goods: dict[str, Any]) -> dict[str, Any]:
    """A cash sale and a card sale on 20 November 2026, and one card sale yesterday."""
    with app.app_context():
        sell(goods["till"], goods["operator"], [(goods["bread"], "2")], [("cash", 1000)], MOMENT)
        sell(goods["till"], goods["operator"], [(goods["candle"], "1")], [("card", 1299)], MOMENT)
        yesterday = utcnow() - timedelta(days=1)
        sell(goods["till"], goods["operator"], [(goods["bread"], "1")], [("card", 385)], yesterday)
        db.session.remove()
    return goods


def test_sales_export_to_csv_and_xlsx(cli: Any, sold: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "verkopen.csv"
    result = cli("export", "sales", "--from", "2026-11-20", "--to", "2026-11-20", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "2 rij(en) geschreven" in result.output
    lines = out.read_text("utf-8-sig").splitlines()
    assert lines[0].startswith("datum;tijd;verkooppunt;kassa;ticketnummer")
    assert len(lines) == 3
    book = tmp_path / "verkopen.xlsx"
    assert cli("export", "sales", "--from", "2026-11-20", "--to", "2026-11-20", "--out",
               str(book)).exit_code == 0  # fmt: skip
    assert load_workbook(book).active.max_row == 4  # the header, 2 rows and the totals row


def test_journal_export_balances(cli: Any, sold: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "journaal.csv"
    result = cli(
        "export", "journal", "--from", "2026-11-20", "--to", "2026-11-20", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    rows = [line.split(";") for line in out.read_text("utf-8-sig").splitlines()[1:]]
    debit = sum(int(r[5].replace(",", "")) for r in rows if r[5])
    credit = sum(int(r[6].replace(",", "")) for r in rows if r[6])
    assert debit == credit == 770 + 1299


def test_day_export_yesterday_into_a_folder_for_cron(
    app: Flask, cli: Any, sold: dict[str, Any], tmp_path: Path
) -> None:
    folder = tmp_path / "dagboek"
    folder.mkdir()
    result = cli("export", "day", "--date", "yesterday", "--out", str(folder))
    assert result.exit_code == 0, result.output
    yesterday = business_day(utcnow()) - timedelta(days=1)
    path = folder / f"dagontvangsten-{yesterday.isoformat()}.csv"
    assert path.exists()
    assert "geschreven" in result.output
    again = cli("export", "day", "--date", "yesterday", "--out", str(folder))
    assert "ongewijzigd" in again.output
    with app.app_context():
        till = db.session.get_one(Till, sold["till"])
        manager = db.session.get_one(User, sold["operator"])
        record_cash_count(till, yesterday, {500: 1}, manager, utcnow(), "geteld in de test")
        close_day(till, yesterday, manager, utcnow())
        db.session.commit()
        kept = path.read_bytes()
        late = datetime.combine(yesterday, datetime.min.time(), UTC) + timedelta(hours=12)
        sell(sold["till"], sold["operator"], [(sold["bread"], "1")], [("card", 385)], late)
        db.session.remove()
    refused = cli("export", "day", "--date", "yesterday", "--out", str(folder))
    assert refused.exit_code == 1
    assert "is afgesloten" in refused.output
    assert path.read_bytes() == kept


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sales", "--from", "2026-11-21", "--to", "2026-11-20"), "ligt na de einddatum"),
        (("sales", "--from", "20-11-2026", "--to", "2026-11-20"), "geen geldige datum"),
        (
            ("sales", "--from", "2026-11-20", "--to", "2026-11-20", "--format", "pdf"),
            "Kies --format",
        ),
        (("day", "--date", "morgen"), "geen geldige datum"),
    ],
)
def test_wrong_options_get_a_dutch_message_and_exit_1(
    cli: Any, sold: dict[str, Any], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = cli("export", *args, "--out", str(tmp_path / "uit.csv"))
    assert result.exit_code == 1
    assert message in result.output
    assert not (tmp_path / "uit.csv").exists()


def test_an_unwritable_place_is_explained(cli: Any, sold: dict[str, Any], tmp_path: Path) -> None:
    result = cli("export", "sales", "--from", "2026-11-20", "--to", "2026-11-20", "--out",
                 str(tmp_path / "nope" / "uit.csv"))  # fmt: skip
    assert result.exit_code == 1
    assert "bestaat niet" in result.output

"""Exports: sale lines, the daily receipts book and the journal agree with the Z reports."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook

from kiosk.cash.drawer import close_day, record_cash_count
from kiosk.exports.accounting import day_book_export, sale_lines_export
from kiosk.exports.files import ExportRefused, export_day_to_folder, write_export
from kiosk.exports.journal import journal_export
from kiosk.exports.spreadsheets import PLAIN_CSV
from kiosk.extensions import db
from kiosk.models import Till, User, ZReport
from kiosk.reports.day_figures import SalesScope, get_figures
from tests.kiosk.sales_support import sell

DAY = date(2026, 11, 20)
NOON = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)


@pytest.fixture
def day_of_sales(app: Flask, ctx: None, goods: dict[str, Any]) -> dict[str, Any]:
    """Four sales on DAY at two tills (cash, card and mixed), and one on the next day."""
    sell(goods["till"], goods["operator"], [(goods["bread"], "2")], [("cash", 1000)], NOON)
    sell(
        goods["till"],
        goods["second_operator"],
        [(goods["cheese"], "0.347"), (goods["candle"], "1")],
        [("card", 500), ("cash", 2000)],
        NOON + timedelta(hours=1),
    )
    sell(goods["gift_till"], goods["operator"], [(goods["candle"], "3")], [("card", 3897)], NOON)
    sell(
        goods["till"],
        goods["operator"],
        [(goods["bread"], "1"), (goods["candle"], "2")],
        [("cash", 3000)],
        datetime(2026, 11, 20, 22, 59, tzinfo=UTC),  # 23:59 in Brussels: still DAY
    )
    sell(
        goods["till"],
        goods["operator"],
        [(goods["bread"], "1")],
        [("cash", 400)],
        datetime(2026, 11, 20, 23, 0, tzinfo=UTC),  # midnight in Brussels: the next day
    )
    return goods


def read_csv(path: Path, style: str = ";") -> list[dict[str, str]]:
    """Read a Belgian CSV export back: the BOM, then rows of text."""
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=style))


def euro(text: str) -> int:
    """Read a Belgian amount (decimal comma) as cents."""
    return int(Decimal(text.replace(",", ".")) * 100) if text else 0


def close_both_tills(goods: dict[str, Any], day: date) -> list[ZReport]:
    """Count both drawers and make their Z reports; return the reports."""
    manager = db.session.get_one(User, goods["operator"])
    reports = []
    for name in ("till", "gift_till"):
        till = db.session.get_one(Till, goods[name])
        record_cash_count(till, day, {5000: 1}, manager, NOON, "geteld in de test")
        reports.append(close_day(till, day, manager, NOON + timedelta(hours=10)))
    db.session.commit()
    return reports


def test_the_day_book_equals_the_z_reports_and_the_journal(
    day_of_sales: dict[str, Any], tmp_path: Path
) -> None:
    reports = close_both_tills(day_of_sales, DAY)
    path = tmp_path / "dag.csv"
    write_export(day_book_export(DAY, DAY), path, "csv")
    rows = read_csv(path)
    for report in reports:
        frozen = json.loads(report.figures)
        code = frozen["till_code"]
        mine = [row for row in rows if row["kassa"] == code]
        assert {
            (euro(row["totaal_incl_btw"]), euro(row["btw"]), euro(row["maatstaf_excl_btw"]))
            for row in mine
        } == {
            (vat["gross_cents"], vat["vat_cents"], vat["gross_cents"] - vat["vat_cents"])
            for vat in frozen["figures"]["vat"]
        }
        ticket = frozen["figures"]["tickets"][0]
        assert {(int(r["eerste_ticket"]), int(r["laatste_ticket"])) for r in mine} == {
            (ticket["first_ticket"], ticket["last_ticket"])
        }
    journal_path = tmp_path / "journaal.csv"
    write_export(journal_export(DAY, DAY), journal_path, "csv")
    journal = read_csv(journal_path)
    assert sum(euro(r["debet"]) for r in journal) == sum(euro(r["credit"]) for r in journal)
    figures = get_figures(SalesScope(DAY, DAY))
    sales = [r for r in journal if r["soort"] in ("ontvangst", "omzet", "btw", "afronding")]
    assert sum(euro(r["debet"]) for r in sales) == figures.received_cents
    vat_in_journal = sum(euro(r["credit"]) for r in journal if r["soort"] == "btw")
    assert vat_in_journal == sum(euro(r["btw"]) for r in rows) == figures.vat_cents
    assert {r["sleutel"]: euro(r["debet"]) for r in journal if r["soort"] == "ontvangst"} == (
        figures.payments
    )


def test_sale_lines_are_one_row_each_and_add_up_to_the_turnover(
    day_of_sales: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "verkopen.csv"
    count = write_export(sale_lines_export(DAY, DAY), path, "csv")
    rows = read_csv(path)
    assert count == len(rows) == 6  # the sale just after midnight belongs to the next day
    assert sum(euro(r["bedrag_incl_btw"]) for r in rows) == (
        get_figures(SalesScope(DAY, DAY)).turnover_cents
    )
    cheese = next(r for r in rows if r["omschrijving"] == "Kaas")
    assert (cheese["hoeveelheid"], cheese["eenheid"], cheese["btw_tarief"]) == ("0,347", "kg", "6")
    assert cheese["btw_code"] == "C"
    assert {r["datum"] for r in rows} == {"2026-11-20"}
    assert rows[-1]["tijd"] == "2026-11-20 23:59:00"


def test_the_plain_csv_and_xlsx_variants(day_of_sales: dict[str, Any], tmp_path: Path) -> None:
    plain = tmp_path / "verkopen-plain.csv"
    write_export(sale_lines_export(DAY, DAY), plain, "csv", PLAIN_CSV)
    text = plain.read_text("utf-8")
    assert not text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert next(r for r in rows if r["omschrijving"] == "Kaas")["hoeveelheid"] == "0.347"
    workbook_path = tmp_path / "verkopen.xlsx"
    write_export(sale_lines_export(DAY, DAY), workbook_path, "xlsx")
    sheet = load_workbook(workbook_path).active
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert isinstance(first["datum"], datetime)  # openpyxl reads date cells as datetimes
    assert first["datum"].date() == DAY
    assert isinstance(first["bedrag_incl_btw"], int | float)
    amounts = [
        sheet.cell(row=r, column=header.index("bedrag_incl_btw") + 1).value
        for r in range(2, sheet.max_row)  # the last row is the totals row
    ]
    turnover = get_figures(SalesScope(DAY, DAY)).turnover_cents
    assert round(sum(Decimal(str(a)) for a in amounts) * 100) == turnover
    totals = dict(zip(header, [cell.value for cell in sheet[sheet.max_row]], strict=True))
    assert totals["datum"] == "TOTAAL"
    assert round(Decimal(str(totals["bedrag_incl_btw"])) * 100) == turnover


def test_the_daily_export_never_overwrites_a_closed_day_with_other_numbers(
    day_of_sales: dict[str, Any], tmp_path: Path
) -> None:
    goods = day_of_sales
    folder = tmp_path / "exports"
    folder.mkdir()
    path, what = export_day_to_folder(DAY, folder, "csv")
    assert (path.name, what) == ("dagontvangsten-2026-11-20.csv", "written")
    assert export_day_to_folder(DAY, folder, "csv")[1] == "unchanged"
    # while the day is open, a late sale rewrites the file
    sell(goods["till"], goods["operator"], [(goods["bread"], "1")], [("card", 385)], NOON)
    assert export_day_to_folder(DAY, folder, "csv")[1] == "rewritten"
    close_both_tills(goods, DAY)
    assert export_day_to_folder(DAY, folder, "csv")[1] == "unchanged"
    kept = path.read_bytes()
    sell(goods["till"], goods["operator"], [(goods["bread"], "1")], [("card", 385)], NOON)
    with pytest.raises(ExportRefused) as refused:
        export_day_to_folder(DAY, folder, "csv")
    assert "is afgesloten" in refused.value.message
    assert path.read_bytes() == kept
    assert sorted(p.name for p in folder.iterdir()) == ["dagontvangsten-2026-11-20.csv"]


def test_the_daily_xlsx_export_compares_cells_not_zip_dates(
    day_of_sales: dict[str, Any], tmp_path: Path
) -> None:
    close_both_tills(day_of_sales, DAY)
    assert export_day_to_folder(DAY, tmp_path, "xlsx")[1] == "written"
    assert export_day_to_folder(DAY, tmp_path, "xlsx")[1] == "unchanged"


def test_an_export_to_a_missing_folder_is_refused(app: Flask, ctx: None, tmp_path: Path) -> None:
    with pytest.raises(ExportRefused):
        write_export(sale_lines_export(DAY, DAY), tmp_path / "nope" / "x.csv", "csv")
    with pytest.raises(ExportRefused):
        export_day_to_folder(DAY, tmp_path / "nope", "csv")


def test_consumption_is_written_in_dutch_words(
    day_of_sales: dict[str, Any], tmp_path: Path
) -> None:
    goods = day_of_sales
    moment = NOON + timedelta(hours=2)
    sell(
        goods["till"], goods["operator"], [(goods["bread"], "1")], [("cash", 400)], moment, "eat_in"
    )
    path = tmp_path / "verkopen.csv"
    write_export(sale_lines_export(DAY, DAY), path, "csv")
    words = [row["verbruik"] for row in read_csv(path)]
    assert set(words) == {"meenemen", "ter plaatse"}
    assert words.count("ter plaatse") == 1

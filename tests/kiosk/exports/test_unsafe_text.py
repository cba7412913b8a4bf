"""Names a spreadsheet would run, or cannot hold, in every file the one writer writes.

A product named like a formula stays text (an apostrophe in CSV, a string cell in XLSX) and a
control character is dropped, in the products file, the sales export and a settlement alike.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.cell import range_boundaries
from sqlalchemy import select

from kiosk.exports.spreadsheets import Column, Kind, cell_text, write_spreadsheet
from kiosk.extensions import db
from kiosk.models import AuditEntry, Producer, Product
from tests.conftest import Shop
from tests.kiosk.sales_support import sell

#: names a spreadsheet would run as a formula, or read as an error value
FORMULA_NAMES = (
    '=HYPERLINK("http://x.example","klik")',
    "+cmd|'/C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "#N/A",
)
#: names with a control character the database holds (PostgreSQL refuses NUL) and their text
CONTROL_NAMES = {"Kaas\x07": "Kaas", "Esc\x1bape": "Escape"}
MOMENT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def csv_rows(path: Path) -> list[list[str]]:
    """Read a Belgian CSV file back with the csv module."""
    return list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline=""), delimiter=";"))


def xlsx_column(path: Path, column: int) -> list[tuple[Any, str]]:
    """Return one column's (value, data type) below the header of an XLSX file's first sheet."""
    workbook = load_workbook(path)
    try:
        sheet = workbook.worksheets[0]
        last = range_boundaries(sheet.auto_filter.ref)[3]
        rows = sheet.iter_rows(min_row=2, max_row=last)  # the filtered rows: no totals row
        cells = [row[column] for row in rows]
        return [(cell.value, cell.data_type) for cell in cells]
    finally:
        workbook.close()


def guarded(name: str) -> str:
    """Return a name as the CSV writer writes it: an apostrophe before a formula's start."""
    return "'" + name if name.startswith(("=", "+", "-", "@")) else name


def test_the_writer_drops_every_character_openpyxl_refuses() -> None:
    refused = [chr(code) for code in range(0x20) if ILLEGAL_CHARACTERS_RE.match(chr(code))]
    assert len(refused) == 29
    assert cell_text("".join(refused) + "Kaas\x7f\ud800\uffff") == "Kaas"
    assert cell_text("twee\tregels\r\n") == "twee\tregels\r\n"  # cells may hold these


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_written_file_never_fails_on_a_name_and_keeps_numbers_numbers(
    tmp_path: Path, file_format: str
) -> None:
    path = tmp_path / f"x.{file_format}"
    columns = [Column("naam"), Column("bedrag", Kind.MONEY_CENTS)]
    names = ["\x00Nul\x1b\x07", "=1+1", "-5", "\t=1", "#DIV/0!"]
    write_spreadsheet(path, columns, [[name, -864] for name in names], file_format=file_format)
    if file_format == "csv":
        assert csv_rows(path)[1:] == [
            ["Nul", "-8,64"],  # a negative amount is a number, never guarded
            ["'=1+1", "-8,64"],
            ["'-5", "-8,64"],
            ["'\t=1", "-8,64"],
            ["#DIV/0!", "-8,64"],
        ]
    else:
        assert xlsx_column(path, 0) == [(name.strip("\x00\x1b\x07"), "s") for name in names]
        assert xlsx_column(path, 1) == [(-8.64, "n")] * len(names)


@pytest.fixture
def unsafe_products(app: Flask, shop: Shop) -> list[str]:
    """Products named like formulas and with control characters; return their names."""
    shop.point_of_sale("HW")
    names = [*FORMULA_NAMES, *CONTROL_NAMES]
    for price, name in enumerate(names, start=100):
        shop.product(name, price_cents=price)
    return names


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_products_file_from_the_cli_defuses_formulas_and_drops_control_characters(
    cli: Any, unsafe_products: list[str], tmp_path: Path, file_format: str
) -> None:
    out = tmp_path / f"producten.{file_format}"
    result = cli("export", "products", "--out", str(out))
    assert result.exit_code == 0, result.output
    written = sorted(CONTROL_NAMES.get(name, name) for name in unsafe_products)
    if file_format == "csv":
        rows = csv_rows(out)
        assert sorted(row[0] for row in rows[1:]) == sorted(guarded(name) for name in written)
        assert {row[4] for row in rows[1:]} >= {"1,00", "1,01"}
    else:
        assert sorted(xlsx_column(out, 0)) == [(name, "s") for name in written]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_formula_named_products_export_and_import_again_unchanged(
    cli: Any, shop: Shop, tmp_path: Path, file_format: str
) -> None:
    shop.point_of_sale("HW")
    for name in FORMULA_NAMES:
        shop.product(name, price_cents=250)
    out = tmp_path / f"producten.{file_format}"
    assert cli("export", "products", "--out", str(out)).exit_code == 0
    result = cli("import", "products", str(out))
    assert "0 product(en) toegevoegd, 0 gewijzigd" in result.output, result.output


def sell_unsafe_names(app: Flask, goods: dict[str, Any], producer_name: str) -> int:
    """Sell '=1+1' and 'Kaas' + BEL of a new consignment producer on 20 Nov 2026; return its id."""
    with app.app_context():
        producer = Producer(name=producer_name, consignment=True, commission_percent=20)
        db.session.add(producer)
        db.session.flush()
        for key, name in (("bread", "=1+1"), ("cheese", "Kaas\x07")):
            product = db.session.get(Product, goods[key])
            assert product is not None
            product.name, product.producer = name, producer
        db.session.commit()
        sold = [(goods["bread"], "2"), (goods["cheese"], "0.5")]
        sell(goods["till"], goods["operator"], sold, [("cash", 5000)], MOMENT)
        producer_id = producer.id
        db.session.remove()
    return producer_id


@pytest.fixture
def unsafe_sales(app: Flask, goods: dict[str, Any]) -> str:
    """Sales of '=1+1' and 'Kaas' + BEL of producer 'Hoeve =1+1'; return the producer's name."""
    sell_unsafe_names(app, goods, "Hoeve =1+1")
    return "Hoeve =1+1"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_sales_export_lists_unsafe_names_as_text(
    cli: Any, unsafe_sales: str, tmp_path: Path, file_format: str
) -> None:
    out = tmp_path / f"verkopen.{file_format}"
    result = cli("export", "sales", "--from", "2026-11-20", "--to", "2026-11-20", "--out", str(out))
    assert result.exit_code == 0, result.output
    description = 9  # the sale line's description: the product's name when it was sold
    if file_format == "csv":
        assert [row[description] for row in csv_rows(out)[1:]] == ["'=1+1", "Kaas"]
    else:
        assert xlsx_column(out, description) == [("=1+1", "s"), ("Kaas", "s")]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_settlement_lists_unsafe_names_as_text(
    cli: Any, unsafe_sales: str, tmp_path: Path, file_format: str
) -> None:
    out = tmp_path / f"afrekening.{file_format}"
    period = ("--from", "2026-11-01", "--to", "2026-11-30")
    result = cli("export", "settlement", "--producer", unsafe_sales, *period, "--out", str(out))
    assert result.exit_code == 0, result.output
    if file_format == "csv":
        rows = csv_rows(out)[1:]
        assert {row[0] for row in rows} == {"Hoeve =1+1"}  # no formula: it starts with H
        assert sorted(row[3] for row in rows) == ["'=1+1", "Kaas", "TOTAAL"]
    else:
        # the statement's own TOTAAL row is the sheet's totals row, below the filtered rows
        assert sorted(xlsx_column(out, 3)) == [("=1+1", "s"), ("Kaas", "s")]
        assert {value for value, _type in xlsx_column(out, 0)} == {"Hoeve =1+1"}


def test_the_cli_names_each_export_as_the_back_office_does(
    app: Flask, cli: Any, unsafe_sales: str, tmp_path: Path
) -> None:
    period = ("--from", "2026-11-20", "--to", "2026-11-20")
    commands = [
        ("products",),
        ("settlement", "--producer", unsafe_sales, *period),
        ("stock-valuation",),
        ("stock-valuation", "--per-category"),
        ("sales", *period),
        ("journal", *period),
        ("day", "--date", "2026-11-20"),
    ]
    for number, command in enumerate(commands):
        out = tmp_path / f"{number}.csv"
        result = cli("export", *command, "--out", str(out))
        assert result.exit_code == 0, result.output
    folder = tmp_path / "dagboek"
    folder.mkdir()
    assert cli("export", "day", "--date", "2026-11-20", "--out", str(folder)).exit_code == 0
    with app.app_context():
        logged = db.session.scalars(
            select(AuditEntry.subject).where(AuditEntry.action == "export").order_by(AuditEntry.id)
        ).all()
    assert logged == [
        "export:producten",
        "export:afrekening Hoeve =1+1",
        "export:voorraadwaarde per product",
        "export:voorraadwaarde per categorie",
        "export:verkopen",
        "export:journaal",
        "export:dagontvangsten",
        "export:dagontvangsten",
    ]

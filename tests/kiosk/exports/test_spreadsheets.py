"""The spreadsheet writer: exact CSV bytes in both styles, XLSX read back, rows streamed."""

from __future__ import annotations

import csv
import io
import itertools
import tracemalloc
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from kiosk.exports.spreadsheets import (
    BELGIAN_CSV,
    PLAIN_CSV,
    Column,
    CsvStyle,
    Kind,
    Row,
    iter_csv,
    write_csv,
    write_spreadsheet,
    write_xlsx,
)

COLUMNS = (
    Column("product"),
    Column("aantal", Kind.QUANTITY_MILLI),
    Column("bedrag", Kind.MONEY_CENTS),
    Column("pct", Kind.PERCENT),
    Column("dag", Kind.DATE),
    Column("tickets", Kind.INTEGER),
    Column("tijd", Kind.DATETIME),
)
ROWS = [
    ["Boerenbrood", 2000, 760, Decimal("23.5"), date(2026, 1, 31), 3, None],
    ["Hoevekaas; jong", 347, -864, None, None, None, datetime(2026, 7, 1, 22, 5, tzinfo=UTC)],
    ['Kaars "groot"', 1250, 123456, Decimal("-4"), date(2025, 12, 1), 0, None],
]


def csv_bytes(rows: Sequence[Row], style: CsvStyle) -> bytes:
    buffer = io.BytesIO()
    assert write_csv(buffer, COLUMNS, rows, style) == len(rows)
    return buffer.getvalue()


def test_belgian_csv_bytes_have_a_bom_semicolons_and_decimal_commas() -> None:
    assert csv_bytes(ROWS, BELGIAN_CSV) == (
        b"\xef\xbb\xbfproduct;aantal;bedrag;pct;dag;tickets;tijd\r\n"
        b"Boerenbrood;2;7,60;23,5;2026-01-31;3;\r\n"
        b'"Hoevekaas; jong";0,347;-8,64;;;;2026-07-02 00:05:00\r\n'  # Brussels summer time
        b'"Kaars ""groot""";1,25;1234,56;-4;2025-12-01;0;\r\n'
    )


def test_plain_csv_bytes_have_commas_and_decimal_points_without_bom() -> None:
    assert csv_bytes(ROWS, PLAIN_CSV) == (
        b"product,aantal,bedrag,pct,dag,tickets,tijd\r\n"
        b"Boerenbrood,2,7.60,23.5,2026-01-31,3,\r\n"
        b"Hoevekaas; jong,0.347,-8.64,,,,2026-07-02 00:05:00\r\n"
        b'"Kaars ""groot""",1.25,1234.56,-4,2025-12-01,0,\r\n'
    )


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_defused_in_csv() -> None:
    rows = [[text, None, None, None, None, None, None] for text in ("=1+1", "+32", "@SUM", "ok")]
    lines = csv_bytes(rows, BELGIAN_CSV).decode("utf-8-sig").splitlines()[1:]
    assert [line.split(";")[0] for line in lines] == ["'=1+1", "'+32", "'@SUM", "ok"]


def read_money(text: str, style: CsvStyle) -> int:
    """Read an amount the way a program would: exact cents."""
    return int(Decimal(text.replace(style.decimal_mark, ".")) * 100)


ROW = st.tuples(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20
    ).filter(lambda text: not text.startswith(("=", "+", "-", "@"))),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
)
ROUND_TRIP_COLUMNS = (
    Column("tekst"),
    Column("aantal", Kind.QUANTITY_MILLI),
    Column("bedrag", Kind.MONEY_CENTS),
    Column("dag", Kind.DATE),
)


@pytest.mark.parametrize("style", [BELGIAN_CSV, PLAIN_CSV], ids=["belgian", "plain"])
@given(rows=st.lists(ROW, max_size=8))
def test_csv_read_back_with_the_csv_module_gives_the_same_figures(
    style: CsvStyle, rows: list[tuple[str, int, int, date]]
) -> None:
    data = io.BytesIO()
    write_csv(data, ROUND_TRIP_COLUMNS, rows, style)
    text = data.getvalue().decode("utf-8-sig" if style.bom else "utf-8")
    header, *read = list(csv.reader(io.StringIO(text, newline=""), delimiter=style.delimiter))
    assert header == ["tekst", "aantal", "bedrag", "dag"]
    assert [
        (
            name,
            int(Decimal(milli.replace(style.decimal_mark, ".")) * 1000),
            read_money(cents, style),
            date.fromisoformat(day),
        )
        for name, milli, cents, day in read
    ] == [tuple(row) for row in rows]


def test_xlsx_holds_numbers_as_numbers_and_dates_as_dates() -> None:
    data = io.BytesIO()
    assert write_xlsx(data, COLUMNS, ROWS, "Afrekening") == 3
    data.seek(0)
    workbook = load_workbook(data)
    sheet = workbook["Afrekening"]
    assert sheet.freeze_panes == "A2"
    header = next(sheet.iter_rows(max_row=1))
    assert [cell.value for cell in header] == [column.header for column in COLUMNS]
    assert all(cell.font.bold for cell in header)
    first, second, third, totals = list(sheet.iter_rows(min_row=2))
    # the totals row: money added up (not quantities: kg and pieces may mix), labelled
    assert [cell.value for cell in totals] == ["TOTAAL", None, 1233.52, None, None, None, None]
    assert all(cell.font.bold for cell in totals if cell.value is not None)
    assert sheet.auto_filter.ref == "A1:G4"  # header and rows, not the totals row
    assert [cell.value for cell in first[:6]] == [
        "Boerenbrood",
        2,
        7.6,
        0.235,
        datetime(2026, 1, 31),
        3,
    ]
    assert first[1].data_type == first[2].data_type == "n"
    assert first[2].number_format == "#,##0.00"
    assert first[3].number_format == "0.0%"
    assert first[4].is_date and first[4].number_format == "yyyy-mm-dd"
    assert second[1].value == 0.347 and second[2].value == -8.64
    assert second[3].value is None and second[4].value is None
    assert second[6].value == datetime(2026, 7, 2, 0, 5)  # Brussels time, no zone
    assert third[0].value == 'Kaars "groot"' and third[2].value == 1234.56
    workbook.close()


def test_xlsx_never_turns_text_into_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    write_spreadsheet(path, [Column("naam")], [['=HYPERLINK("http://x")']], file_format="xlsx")
    workbook = load_workbook(path)
    cell = workbook.active["A2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    workbook.close()


def test_write_spreadsheet_chooses_the_format_and_refuses_others(tmp_path: Path) -> None:
    assert write_spreadsheet(tmp_path / "a.csv", COLUMNS, ROWS, file_format="csv") == 3
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbfproduct;")
    with pytest.raises(ValueError):
        write_spreadsheet(tmp_path / "a.pdf", COLUMNS, ROWS, file_format="pdf")


def endless_rows() -> Iterator[Row]:
    for number in itertools.count():
        yield [f"product {number}", number, number * 7, None, date(2026, 1, 1), number, None]


def test_csv_is_written_while_the_rows_come_in() -> None:
    lines = iter_csv(COLUMNS, endless_rows())
    assert next(lines).startswith("\ufeffproduct;")
    assert next(lines) == "product 0;0;0,00;;2026-01-01;0;\r\n"
    assert next(lines) == "product 1;0,001;0,07;;2026-01-01;1;\r\n"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_memory_stays_bounded_whatever_the_number_of_rows(tmp_path: Path, file_format: str) -> None:
    def peak(count: int) -> int:
        tracemalloc.start()
        write_spreadsheet(
            tmp_path / f"big.{file_format}",
            COLUMNS,
            itertools.islice(endless_rows(), count),
            file_format=file_format,
        )
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    # 20 times the rows, not 20 times the memory: held at once, these rows alone take ~600 kB
    small, large = peak(100), peak(2_000)
    assert large < small + 200_000


def test_xlsx_rows_beyond_a_sheet_go_on_to_the_next_sheet_with_the_header(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from kiosk.exports.spreadsheets import Column, Kind, write_xlsx

    columns = [Column("nummer", Kind.INTEGER), Column("bedrag", Kind.MONEY_CENTS)]
    path = tmp_path / "lang.xlsx"
    count = write_xlsx(
        path, columns, ((n, n * 100) for n in range(7)), "Verkopen", rows_per_sheet=3
    )
    assert count == 7
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Verkopen", "Verkopen (2)", "Verkopen (3)"]
    values = [list(sheet.values) for sheet in workbook.worksheets]
    assert [rows[0] for rows in values] == [("nummer", "bedrag")] * 3
    assert [row[0] for rows in values for row in rows[1:-1]] == list(range(7))
    # each sheet adds up its own rows (ticket numbers are not added up: the label goes there)
    assert [rows[-1] for rows in values] == [("TOTAAL", 3), ("TOTAAL", 12), ("TOTAAL", 6)]


def test_a_reports_own_totals_row_is_the_xlsx_totals_row_and_csv_adds_none(
    tmp_path: Path,
) -> None:
    from openpyxl import load_workbook

    from kiosk.exports.spreadsheets import TotalsRow

    columns = [Column("product"), Column("bedrag", Kind.MONEY_CENTS)]
    rows = [["Kaas", 101], ["Brood", 202], TotalsRow(["TOTAAL", 304])]  # its own rounding
    assert write_xlsx(tmp_path / "a.xlsx", columns, rows) == 3
    sheet = load_workbook(tmp_path / "a.xlsx").active
    assert list(sheet.values) == [
        ("product", "bedrag"),
        ("Kaas", 1.01),
        ("Brood", 2.02),
        ("TOTAAL", 3.04),
    ]
    assert sheet.auto_filter.ref == "A1:B3" and sheet["B4"].font.bold
    # CSV: the rows as they came, the report's own total included, nothing added
    plain = [["Kaas", 101], ["Brood", 202]]
    assert write_spreadsheet(tmp_path / "b.csv", columns, plain, file_format="csv") == 2
    text = (tmp_path / "b.csv").read_text("utf-8-sig")
    assert text.splitlines() == ["product;bedrag", "Kaas;1,01", "Brood;2,02"]
    assert write_spreadsheet(tmp_path / "c.csv", columns, rows, file_format="csv") == 3
    assert (tmp_path / "c.csv").read_text("utf-8-sig").splitlines()[-1] == "TOTAAL;3,04"

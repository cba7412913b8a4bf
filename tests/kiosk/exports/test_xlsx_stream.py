"""The streaming XLSX writer: every kind of cell read back, its parts well-formed, as xlsxwriter."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from kiosk.exports.local_hours import local_time
from kiosk.exports.spreadsheets import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    MONEY_FORMAT,
    NUMBER_FORMATS,
    PERCENT_FORMAT,
    TOTALS_LABEL,
    Column,
    Kind,
    Row,
    TotalsRow,
    cell_text,
    write_xlsx,
)

COLUMNS = (
    Column("naam"),
    Column("bedrag", Kind.MONEY_CENTS),
    Column("eenheidsprijs", Kind.MONEY_CENTS, summed=False),
    Column("aantal", Kind.QUANTITY_MILLI),
    Column("btw", Kind.PERCENT),
    Column("dag", Kind.DATE),
    Column("tijd", Kind.DATETIME),
    Column("ticket", Kind.INTEGER),
)
SPRING = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 in Brussels; an hour later, 03:30
TEXTS = ["=1+1", "#N/A", "@x", "a\x00b\x1fc\ufffe", '<&>"', "café €", " spaced ", "", "_x0041_"]
ROWS: list[Row] = [
    *[
        [text, -1234 + n, 250, 347, Decimal("6"), date(2026, 3, 29), SPRING.replace(hour=n % 3), n]
        for n, text in enumerate(TEXTS)
    ],
    [None, None, None, None, None, None, None, None],
]
GIVEN_TOTALS = TotalsRow([TOTALS_LABEL, 999, None, None, None, None, None, 7])


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Write the rows once: on one sheet with the report's totals row, and on sheets of 4."""
    folder = tmp_path_factory.mktemp("xlsx")
    paths = {"one": folder / "one.xlsx", "split": folder / "split.xlsx"}
    assert write_xlsx(paths["one"], COLUMNS, [*ROWS, GIVEN_TOTALS], "verkopen") == len(ROWS) + 1
    assert write_xlsx(paths["split"], COLUMNS, ROWS, "verkopen", rows_per_sheet=4) == len(ROWS)
    return paths


def test_every_kind_of_cell_reads_back_with_its_type_format_and_style(
    files: dict[str, Path],
) -> None:
    workbook = load_workbook(files["one"])
    assert workbook.sheetnames == ["verkopen"]
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:H11"  # the header and the data rows, not the totals
    header = list(sheet[1])
    assert [cell.value for cell in header] == [column.header for column in COLUMNS]
    assert all(cell.font.b and cell.data_type == "s" for cell in header)
    texts = [sheet.cell(row=n, column=1) for n in range(2, 11)]
    assert [cell.value for cell in texts] == [
        "=1+1",
        "#N/A",
        "@x",
        "abc",
        '<&>"',
        "café €",
        " spaced ",
        None,
        "_x005F_x0041_",
    ]  # fmt: skip  (Excel shows "_x0041_": its own escape, escaped; openpyxl reads it as written)
    assert all(
        cell.data_type == "s" for cell in texts[:7] + texts[8:]
    )  # text stays text: no formula, error
    first = [cell for cell in sheet[2]]
    assert [cell.value for cell in first[1:]] == [
        -12.34, 2.5, 0.347, 0.06, datetime(2026, 3, 29), datetime(2026, 3, 29, 1, 30), 0
    ]  # fmt: skip
    assert [cell.number_format for cell in first[1:]] == [
        MONEY_FORMAT, MONEY_FORMAT, "General", PERCENT_FORMAT, DATE_FORMAT, DATETIME_FORMAT,
        "General",
    ]  # fmt: skip
    assert [cell.data_type for cell in first[1:]] == ["n", "n", "n", "n", "d", "d", "n"]
    assert not any(cell.font.b for cell in first)
    # across the spring clock change: 01:30, then 03:30 an hour later (02:30 never happens)
    assert [sheet.cell(row=n, column=7).value for n in (2, 3)] == [
        datetime(2026, 3, 29, 1, 30),
        datetime(2026, 3, 29, 3, 30),
    ]
    assert [cell.value for cell in sheet[11]] == [None] * 8  # a row of nothing stays a row
    totals = list(sheet[12])  # the report's own totals row, bold, after the filter
    assert [cell.value for cell in totals] == [TOTALS_LABEL, 9.99, None, None, None, None, None, 7]
    assert totals[0].font.b and totals[1].font.b and totals[1].number_format == MONEY_FORMAT
    assert sheet.max_row == 12


def test_rows_beyond_a_sheet_go_on_with_the_header_the_filter_and_added_up_totals(
    files: dict[str, Path],
) -> None:
    workbook = load_workbook(files["split"])
    assert workbook.sheetnames == ["verkopen", "verkopen (2)", "verkopen (3)"]
    for number, sheet in enumerate(workbook.worksheets):
        chunk = ROWS[4 * number : 4 * number + 4]
        assert sheet.freeze_panes == "A2"
        assert [cell.value for cell in sheet[1]] == [column.header for column in COLUMNS]
        assert sheet.auto_filter.ref == f"A1:H{len(chunk) + 1}"
        totals = list(sheet[len(chunk) + 2])
        cents = sum(row[1] for row in chunk if row[1] is not None)
        # the money added up (not the price per unit), labelled in the first column not added
        assert [cell.value for cell in totals][:3] == [TOTALS_LABEL, cents / 100, None]
        assert all(cell.font.b for cell in totals[:2])
        assert sheet.max_row == len(chunk) + 2


def test_read_only_readers_see_whole_rows(files: dict[str, Path]) -> None:
    workbook = load_workbook(files["one"], read_only=True)  # as the product import reads
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    assert len(rows) == 12 and {len(row) for row in rows} == {len(COLUMNS)}


def test_every_part_is_well_formed_xml_and_named_in_the_content_types(
    files: dict[str, Path],
) -> None:
    for path in files.values():
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            parts = archive.namelist()
            trees = {name: ElementTree.fromstring(archive.read(name)) for name in parts}
            offsets = [info.header_offset for info in archive.infolist()]
        # plain zip headers: each local header's version and sizes agree with the central
        # directory's (ZIP64 fields in the local header alone are what strict readers refuse)
        data = path.read_bytes()
        assert {data[at + 4 : at + 6] for at in offsets} == {(20).to_bytes(2, "little")}
        assert all(data[at + 18 : at + 26] != b"\xff" * 8 for at in offsets)
        types = trees["[Content_Types].xml"]
        named = {str(element.get("PartName")) for element in types if element.get("PartName")}
        defaults = {element.get("Extension") for element in types if element.get("Extension")}
        assert defaults == {"rels", "xml"}
        assert named == {"/" + name for name in parts if name.endswith(".xml")} - {
            "/[Content_Types].xml"
        }
        assert set(parts) - {name.lstrip("/") for name in named} == {
            "[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels"
        }  # fmt: skip
        workbook = trees["xl/workbook.xml"]
        hidden = [element for element in workbook.iter() if element.tag.endswith("definedName")]
        sheets = [element for element in workbook.iter() if element.tag.endswith("}sheet")]
        assert [name.get("localSheetId") for name in hidden] == [str(n) for n in range(len(sheets))]
        assert all(name.get("name") == "_xlnm._FilterDatabase" for name in hidden)


def reference_xlsx(path: Path, rows: Sequence[Row], rows_per_sheet: int) -> None:
    """Write the rows as write_xlsx did with xlsxwriter (constant memory), cell by cell."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    bold = workbook.add_format({"bold": True})
    plain = {
        kind: workbook.add_format({"num_format": code}) for kind, code in NUMBER_FORMATS.items()
    }
    heavy = {
        kind: workbook.add_format({"num_format": code, "bold": True})
        for kind, code in NUMBER_FORMATS.items()
    }

    def write(sheet: Any, line: int, values: Sequence[Any], strong: bool) -> None:
        for index, (column, value) in enumerate(zip(COLUMNS, values, strict=True)):
            kind = Kind.TEXT if line == 0 or value == TOTALS_LABEL else column.kind
            style = (heavy if strong else plain).get(kind, bold if strong else None)
            if value is not None and value != "" and (kind != Kind.TEXT or cell_text(value)):
                reference_cell(sheet, line, index, kind, value, style)

    for number, start in enumerate(range(0, len(rows), rows_per_sheet), start=1):
        chunk = rows[start : start + rows_per_sheet]
        sheet = workbook.add_worksheet("verkopen" if number == 1 else f"verkopen ({number})")
        for index, column in enumerate(COLUMNS):
            sheet.set_column(index, index, 32 if column.kind == Kind.TEXT else 16)
        sheet.freeze_panes(1, 0)
        write(sheet, 0, [column.header for column in COLUMNS], True)
        data = [row for row in chunk if not isinstance(row, TotalsRow)]
        for line, row in enumerate(data, start=1):
            write(sheet, line, row, False)
        sheet.autofilter(0, 0, len(data), len(COLUMNS) - 1)
        given = [row for row in chunk if isinstance(row, TotalsRow)]
        cents = sum(int(row[1]) for row in data if row[1] is not None)
        totals = given[0] if given else [TOTALS_LABEL, cents, None, None, None, None, None, None]
        write(sheet, len(data) + 1, totals, True)
    workbook.close()


def reference_cell(sheet: Any, line: int, index: int, kind: Kind, value: Any, style: Any) -> None:
    """Write one value as the xlsxwriter writer did."""
    if kind == Kind.TEXT:
        sheet.write_string(line, index, cell_text(value), style)
    elif kind == Kind.DATETIME:
        sheet.write_datetime(line, index, local_time(value), style)
    elif kind == Kind.DATE:
        sheet.write_datetime(line, index, value, style)
    elif kind == Kind.PERCENT:
        sheet.write_number(line, index, float(Decimal(value) / 100), style)
    else:
        scale = {Kind.MONEY_CENTS: 100, Kind.QUANTITY_MILLI: 1000}.get(kind, 1)
        sheet.write_number(line, index, int(value) / scale, style)


def cells(workbook: Workbook) -> list[tuple[Any, ...]]:
    """Return every cell of every sheet with what a reader sees of it."""
    return [
        (sheet.title, cell.coordinate, cell.value, cell.data_type, cell.number_format, cell.font.b)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]


def widths(sheet: Any) -> dict[int, float]:
    """Return each column's width, by number (xlsxwriter writes equal neighbours as one)."""
    return {
        number: dimension.width
        for dimension in sheet.column_dimensions.values()
        for number in range(dimension.min, dimension.max + 1)
    }


@pytest.mark.parametrize(
    ("name", "rows", "rows_per_sheet"),
    [("one", [*ROWS, GIVEN_TOTALS], 1_048_575), ("split", ROWS, 4)],
)
def test_the_file_holds_the_cells_xlsxwriter_wrote(
    files: dict[str, Path], tmp_path: Path, name: str, rows: list[Row], rows_per_sheet: int
) -> None:
    reference = tmp_path / "xlsxwriter.xlsx"
    reference_xlsx(reference, rows, rows_per_sheet)
    ours, theirs = load_workbook(files[name]), load_workbook(reference)
    assert cells(ours) == cells(theirs)
    for mine, other in zip(ours.worksheets, theirs.worksheets, strict=True):
        assert (mine.freeze_panes, mine.auto_filter.ref) == (
            other.freeze_panes,
            other.auto_filter.ref,
        )
        assert widths(mine) == widths(other)
    with zipfile.ZipFile(files[name]) as archive:  # Excel's own escape stays literal text
        sheets = [archive.read(part) for part in archive.namelist() if "worksheets/" in part]
        assert sum(sheet.count(b"<t>_x005F_x0041_</t>") for sheet in sheets) == 1


#: LibreOffice's CSV filter: ';' between cells, '"' around text, UTF-8, every sheet to a file
LIBREOFFICE_CSV = "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,false,false,false,-1"


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="needs LibreOffice (Debian: libreoffice-calc-nogui)"
)
def test_libreoffice_reads_every_sheet_as_it_read_xlsxwriters_file(
    files: dict[str, Path], tmp_path: Path
) -> None:
    """A real spreadsheet program opens the file and shows what it showed of xlsxwriter's."""
    inputs = []
    for name, rows, rows_per_sheet in (
        ("one", [*ROWS, GIVEN_TOTALS], 1_048_575),
        ("split", ROWS, 4),
    ):
        ours = tmp_path / f"ours-{name}.xlsx"
        ours.write_bytes(files[name].read_bytes())
        reference_xlsx(tmp_path / f"theirs-{name}.xlsx", rows, rows_per_sheet)
        inputs += [ours, tmp_path / f"theirs-{name}.xlsx"]
    out = tmp_path / "csv"
    profile = (tmp_path / "profile").as_uri()  # its own profile: workers run side by side
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to"]
    subprocess.run(
        [*command, LIBREOFFICE_CSV, "--outdir", str(out), *map(str, inputs)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shown = {path.name: path.read_text("utf-8") for path in out.glob("*.csv")}
    ours_shown = {
        name.removeprefix("ours-"): text for name, text in shown.items() if "ours-" in name
    }
    theirs_shown = {
        name.removeprefix("theirs-"): text for name, text in shown.items() if "theirs-" in name
    }
    assert len(ours_shown) == 4  # one sheet, and three sheets of four rows
    assert ours_shown == theirs_shown
    first = ours_shown["one-verkopen.csv"].splitlines()
    assert first[1].startswith("=1+1;-12.34;2.5;0.347;6%;2026-03-29;2026-03-29 01:30:00;0")
    assert first[2].startswith("#N/A;")  # text, not an error value
    assert first[-1].startswith("TOTAAL;9.99;")

"""Exports as spreadsheets: typed columns, rows streamed to CSV (Belgian or plain) or XLSX.

A column has a kind, and each format writes that kind its own way: money is integer cents in,
'12,34' (Belgian CSV), '12.34' (plain CSV) or a number cell of 12.34 with two decimals (XLSX).
Rows come from any iterator and are written as they come (CSV a hundred lines at a time, with one
writer per column chosen once), so memory stays bounded whatever the number of rows
(XLSX sheets stream straight into the zip: kiosk.exports.xlsx_stream).
Every CSV and XLSX file PlusKassa writes goes through here, so every text cell is made safe once:
control characters are dropped and text that looks like a formula stays text.
"""

from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import IO, Any

from kiosk.exports.local_hours import LocalHours
from kiosk.exports.xlsx_stream import (
    XlsxBook,
    XlsxSheet,
    column_letters,
    empty_cell,
    excel_serial,
    number_cell,
    text_cell,
)

#: text a spreadsheet would run as a formula when it opens a CSV file (CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: characters no spreadsheet cell may hold: C0 controls but tab, newline and carriage return
#: (what openpyxl's ILLEGAL_CHARACTERS_RE refuses), DEL, lone surrogates and XML's non-characters
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


class Kind(enum.StrEnum):
    """What a column holds, which decides how each format writes it."""

    TEXT = "text"
    INTEGER = "integer"  # counts, ticket numbers
    MONEY_CENTS = "money_cents"  # int cents → euro with 2 decimals
    QUANTITY_MILLI = "quantity_milli"  # int thousandths → pieces or kg
    PERCENT = "percent"  # Decimal percent points: Decimal("23.5") is 23,5 %
    DATE = "date"  # datetime.date, written ISO (yyyy-mm-dd)
    DATETIME = "datetime"  # aware datetime, written in Brussels time


#: the kinds a totals row adds up
SUMMED_KINDS = (Kind.MONEY_CENTS,)


@dataclass(frozen=True)
class Column:
    """A column's header (fixed, not translated: other programs read it) and kind.

    An XLSX totals row adds up the money columns, except a price per unit (`summed=False`);
    quantities are not added up, for a sheet may mix kilograms and pieces.
    """

    header: str
    kind: Kind = Kind.TEXT
    summed: bool = True

    @property
    def totalled(self) -> bool:
        """Return whether the XLSX totals row adds this column up."""
        return self.summed and self.kind in SUMMED_KINDS


@dataclass(frozen=True)
class CsvStyle:
    """How a CSV file spells things."""

    delimiter: str
    decimal_mark: str
    bom: bool


#: Belgian spreadsheet defaults: UTF-8 with BOM, ';' between cells, decimal comma
BELGIAN_CSV = CsvStyle(delimiter=";", decimal_mark=",", bom=True)
#: for programs: UTF-8 without BOM, ',' between cells, decimal point
PLAIN_CSV = CsvStyle(delimiter=",", decimal_mark=".", bom=False)

MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"

Row = Sequence[Any]


class TotalsRow(list[Any]):
    """A report's own totals row, yielded last, which XLSX writes instead of adding up columns.

    XLSX makes it the bold totals row outside the filter; CSV writes it as its last line.
    """


def euro_decimal(cents: int) -> Decimal:
    """Return cents as an exact euro amount (12345 → Decimal('123.45'))."""
    return Decimal(cents) / 100


def quantity_decimal(milli: int) -> Decimal:
    """Return thousandths as an exact quantity without needless zeros (2500 → 2.5)."""
    value = Decimal(milli) / 1000
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def cell_text(value: Any) -> str:
    """Return a text cell's value without the characters a spreadsheet file cannot hold."""
    return UNWRITABLE.sub("", str(value))


def unguarded(text: str) -> str:
    """Return text as it was before the CSV formula guard ("'=1+1" → "=1+1")."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


#: texts each column remembers (names, prices, days and rates repeat all year)
KEPT_TEXTS = 256

CsvCell = Callable[[Any], str]


class RememberedTexts(dict[Any, str]):
    """A column's CSV text per value, written once: looking a value up is the whole write.

    Only for kinds whose equal values always have the same text (1 and 1.0 cents are both
    '0,01'); a text column remembers only str values (True and 1 are equal, 'True' and '1'
    are not), and percentages are never remembered by value (6 and 6.0 are written apart).
    """

    def __init__(self, write: CsvCell, only: type | None = None, empty: str = "") -> None:
        super().__init__()
        self.write = write
        self.only = only
        self.empty = empty  # the text of None and ''

    def __missing__(self, value: Any) -> str:
        text = self.empty if value is None or value == "" else self.write(value)
        if self.only is None or value.__class__ is self.only or value is None:
            if len(self) >= KEPT_TEXTS:
                self.clear()
            self[value] = text
        return text


def same_object_remembered(write: CsvCell) -> CsvCell:
    """Return `write` remembering its text per object (a rate a report reuses for every line)."""
    texts: dict[int, tuple[Any, str]] = {}

    def cell(value: Any) -> str:
        known = texts.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        if len(texts) >= KEPT_TEXTS:
            texts.clear()
        text = write(value)
        texts[id(value)] = (value, text)  # holding the value keeps its id from being reused
        return text

    return cell


def csv_text(value: Any) -> str:
    """Write a text cell: without unwritable characters, and never as a formula."""
    text = cell_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_money(value: Any, mark: str) -> str:
    """Write integer cents as euros ('-12,34')."""
    sign = "-" if value < 0 else ""
    euros, cents = divmod(abs(int(value)), 100)
    return f"{sign}{euros}{mark}{cents:02d}"


def csv_quantity(value: Any, mark: str) -> str:
    """Write thousandths as a quantity without needless zeros ('0,347', '2')."""
    return format(quantity_decimal(int(value)), "f").replace(".", mark)


def csv_percent(value: Any, mark: str) -> str:
    """Write percent points as they are ('23,5')."""
    return format(Decimal(value), "f").replace(".", mark)


def empty_or(write: CsvCell) -> CsvCell:
    """Return `write` with None and '' written as an empty cell."""
    return lambda value: "" if value is None or value == "" else write(value)


def csv_writer(kind: Kind, style: CsvStyle, hours: LocalHours) -> CsvCell:
    """Return the function that writes the values of a column of `kind` as CSV text."""
    mark = style.decimal_mark
    if kind == Kind.PERCENT:
        return same_object_remembered(empty_or(lambda value: csv_percent(value, mark)))
    if kind == Kind.DATETIME:  # equal moments are one instant: one Brussels time
        return RememberedTexts(hours.text).__getitem__
    write: CsvCell = {
        Kind.TEXT: csv_text,
        Kind.MONEY_CENTS: lambda value: csv_money(value, mark),
        Kind.QUANTITY_MILLI: lambda value: csv_quantity(value, mark),
        Kind.INTEGER: lambda value: str(int(value)),
        Kind.DATE: lambda value: value.isoformat(),
    }[kind]
    return RememberedTexts(write, only=str if kind == Kind.TEXT else None).__getitem__


def csv_writers(columns: Sequence[Column], style: CsvStyle) -> list[CsvCell]:
    """Return one writer per column, chosen once (not a choice per cell)."""
    hours = LocalHours()
    return [csv_writer(column.kind, style, hours) for column in columns]


def iter_csv(
    columns: Sequence[Column],
    rows: Iterable[Row],
    style: CsvStyle = BELGIAN_CSV,
    *,
    batch: int = 1,
) -> Iterator[str]:
    """Yield a CSV file: the header line, then the rows, `batch` lines at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=style.delimiter, lineterminator="\r\n")
    writers = csv_writers(columns, style)
    writer.writerow([column.header for column in columns])
    yield ("\ufeff" if style.bom else "") + buffer.getvalue()
    iterator = iter(rows)
    while lines := [
        [write(value) for write, value in zip(writers, row, strict=True)]
        for row in islice(iterator, batch)
    ]:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(lines)
        yield buffer.getvalue()


#: rows written to a CSV file at a time (a few kB: memory stays flat, calls stay few)
CSV_BATCH = 100


def write_csv(
    target: Path | IO[bytes],
    columns: Sequence[Column],
    rows: Iterable[Row],
    style: CsvStyle = BELGIAN_CSV,
) -> int:
    """Write rows to a CSV file (a path or a binary file); return how many rows."""
    counted = CountedRows(rows)
    handle = target.open("wb") if isinstance(target, Path) else target
    try:
        for text in iter_csv(columns, counted, style, batch=CSV_BATCH):
            handle.write(text.encode("utf-8"))
    finally:
        if isinstance(target, Path):
            handle.close()
    return counted.count


class CountedRows:
    """Pass rows on, counting them."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self.rows = iter(rows)
        self.count = 0

    def __iter__(self) -> Iterator[Row]:
        return self

    def __next__(self) -> Row:
        row = next(self.rows)
        self.count += 1
        return row


NUMBER_FORMATS = {
    Kind.MONEY_CENTS: MONEY_FORMAT,
    Kind.PERCENT: PERCENT_FORMAT,
    Kind.DATE: DATE_FORMAT,
    Kind.DATETIME: DATETIME_FORMAT,
}

#: the XML of a column's cell holding a value ('' for no cell), with ROW for its row number
XlsxCell = Callable[[Any], str]


class XlsxCells:
    """Each column's cells as XML: numbers as numbers, dates as dates, text as inline text.

    Each column's writer is chosen once, and remembers its cells per value (a product's name,
    a price, a day), so most cells are a dict lookup. Text is always an inline string, so text
    that looks like a formula ('=1+1') or an error value ('#N/A') stays text; money,
    percentages and dates get their number format, bold in the totals row. A row's last cell is
    written even when empty (see kiosk.exports.xlsx_stream).
    """

    def __init__(self, book: XlsxBook, hours: LocalHours) -> None:
        self.book = book
        self.hours = hours

    def writers(self, columns: Sequence[Column], *, bold: bool = False) -> list[XlsxCell]:
        """Return one writer per column (of the totals row when `bold`)."""
        last = len(columns) - 1
        return [
            self.writer(index, column.kind, bold, last=index == last)
            for index, column in enumerate(columns)
        ]

    def writer(
        self, column: int, kind: Kind, bold: bool = False, *, last: bool = False
    ) -> XlsxCell:
        """Return the function that writes a value of `kind` as a cell of `column`."""
        letters = column_letters(column)
        style = self.book.style(NUMBER_FORMATS.get(kind), bold)
        empty = empty_cell(letters) if last else ""
        write: XlsxCell
        if kind == Kind.TEXT:

            def write(value: Any) -> str:
                text = cell_text(value)
                return text_cell(letters, style, text) if text else empty

        elif kind == Kind.DATE:
            write = lambda value: number_cell(letters, style, excel_serial(value))  # noqa: E731
        elif kind == Kind.DATETIME:  # equal moments are one instant: one Brussels time
            local = self.hours.naive
            write = lambda value: number_cell(letters, style, excel_serial(local(value)))  # noqa: E731
        elif kind == Kind.PERCENT:  # 6 and 6.0 percent points are both 0.06
            write = lambda value: number_cell(letters, style, float(Decimal(value) / 100))  # noqa: E731
        else:
            scale = {Kind.MONEY_CENTS: 100, Kind.QUANTITY_MILLI: 1000}.get(kind, 1)
            write = lambda value: number_cell(letters, style, int(value) / scale)  # noqa: E731
        return RememberedTexts(
            write, only=str if kind == Kind.TEXT else None, empty=empty
        ).__getitem__


#: rows an XLSX sheet holds below its header (Excel's limit is 1,048,576 rows)
XLSX_ROWS_PER_SHEET = 1_048_575


def write_xlsx(
    target: Path | IO[bytes],
    columns: Sequence[Column],
    rows: Iterable[Row],
    sheet_title: str = "Blad1",
    *,
    rows_per_sheet: int = XLSX_ROWS_PER_SHEET,
    totals: bool = True,
) -> int:
    """Write rows to an XLSX file (a path or a binary file); return how many rows.

    Each sheet has a frozen header row with a filter on it and ends in a totals row: the sums
    of its money columns (not prices per unit), outside the filter so sorting leaves it last
    (`totals=False`
    leaves it off a file that is read back in, as the product file is). Rows that do not fit on
    one sheet go on to a next one ("Blad1 (2)", …), each with the header and totals.
    Rows stream into the file as they come (kiosk.exports.xlsx_stream), so memory stays flat.
    """
    book = XlsxBook(target, list(NUMBER_FORMATS.values()))
    try:
        count = write_sheets(book, columns, rows, sheet_title, rows_per_sheet, totals)
    except BaseException:
        book.abandon()
        raise
    book.close()
    return count


def write_sheets(
    book: XlsxBook,
    columns: Sequence[Column],
    rows: Iterable[Row],
    sheet_title: str,
    rows_per_sheet: int,
    totals: bool,
) -> int:
    """Write the rows on as many sheets as they need; return how many rows."""
    cells = XlsxCells(book, LocalHours())
    writers = cells.writers(columns)
    sheet: XlsxSheet | None = None
    sums = SheetTotals(columns, totals)
    count = 0
    for row in rows:
        if count % rows_per_sheet == 0:
            if sheet is not None:
                sums.finish(sheet, cells)
            number = count // rows_per_sheet + 1
            title = sheet_title[:31] if number == 1 else f"{sheet_title[:24]} ({number})"
            sheet = new_sheet(book, title, columns, cells)
            sums = SheetTotals(columns, totals)
        assert sheet is not None
        count += 1
        if isinstance(row, TotalsRow):
            sums.given = row
            continue
        sums.add(row)
        sheet.add_row([write(value) for write, value in zip(writers, row, strict=True)])
    if sheet is None:
        sheet = new_sheet(book, sheet_title[:31], columns, cells)
    sums.finish(sheet, cells)
    return count


#: the first cell of a totals row (in the first column that is not added up)
TOTALS_LABEL = "TOTAAL"


class SheetTotals:
    """The running sums of one sheet's money columns, exact (integer cents)."""

    def __init__(self, columns: Sequence[Column], wanted: bool = True) -> None:
        self.columns = columns
        summed = [wanted and column.totalled for column in columns]
        self.sums: list[int | None] = [0 if add else None for add in summed]
        #: the indexes of the columns added up
        self.summed = [index for index, add in enumerate(summed) if add]
        self.rows = 0
        #: the report's own totals row, if it yielded one
        self.given: TotalsRow | None = None

    def add(self, row: Row) -> None:
        """Count one row in."""
        self.rows += 1
        sums = self.sums
        for index in self.summed:
            value = row[index]
            if value is not None and value != "":
                sums[index] += int(value)  # type: ignore[operator]  # summed: never None

    def finish(self, sheet: XlsxSheet, cells: XlsxCells) -> None:
        """Put the filter on the header and data rows, then write the bold totals row."""
        sheet.autofilter(self.rows + 1, len(self.columns))
        values: list[Any] = list(self.given) if self.given is not None else self.added_up()
        if values:  # else nothing to add up: no totals row
            last = len(self.columns) - 1
            sheet.add_row(
                [
                    cells.writer(index, kind, bold=True, last=index == last)(value)
                    for index, (column, value) in enumerate(zip(self.columns, values, strict=True))
                    for kind in [Kind.TEXT if value == TOTALS_LABEL else column.kind]
                ]
            )
        sheet.close()

    def added_up(self) -> list[Any]:
        """Return the sums, labelled in the first column not added up; [] when none is."""
        if all(total is None for total in self.sums):
            return []
        values: list[Any] = list(self.sums)
        label_at = next((i for i, total in enumerate(self.sums) if total is None), None)
        if label_at is not None:
            values[label_at] = TOTALS_LABEL
        return values


def new_sheet(book: XlsxBook, title: str, columns: Sequence[Column], cells: XlsxCells) -> XlsxSheet:
    """Add a sheet with column widths and a frozen bold header row."""
    sheet = book.add_sheet(title, [32 if column.kind == Kind.TEXT else 16 for column in columns])
    header = [Column(column.header) for column in columns]
    writers = cells.writers(header, bold=True)
    sheet.add_row([write(column.header) for write, column in zip(writers, header, strict=True)])
    return sheet


def write_spreadsheet(
    path: Path,
    columns: Sequence[Column],
    rows: Iterable[Row],
    *,
    file_format: str,
    style: CsvStyle = BELGIAN_CSV,
    sheet_title: str = "Blad1",
    totals: bool = True,
) -> int:
    """Write rows to `path` as 'csv' or 'xlsx' (XLSX with a totals row); return how many rows.

    CSV stays plain rows, header first, without a totals row, so programs can read it.
    """
    if file_format == "xlsx":
        return write_xlsx(path, columns, rows, sheet_title, totals=totals)
    if file_format == "csv":
        return write_csv(path, columns, rows, style)
    raise ValueError(f"unknown spreadsheet format {file_format!r}")

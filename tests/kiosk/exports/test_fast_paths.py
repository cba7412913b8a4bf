"""The exports' fast paths write what the plain ones wrote, to the byte, across DST changes.

The CSV writer chooses one writer per column and remembers texts; Brussels time is worked out
once per UTC hour. A tiny reference writer here (one cell at a time, zoneinfo for every moment,
one csv line at a time: the writer as it was) must give the same bytes for any rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kiosk.exports.accounting import sale_lines_export
from kiosk.exports.local_hours import LocalHours
from kiosk.exports.spreadsheets import (
    BELGIAN_CSV,
    PLAIN_CSV,
    UNWRITABLE,
    Column,
    CsvStyle,
    Kind,
    Row,
    quantity_decimal,
    write_csv,
    write_xlsx,
)
from kiosk.extensions import db
from kiosk.models import Sale
from tests.kiosk.exports.test_spreadsheets import (
    COLUMNS,  # text, quantity, money, %, day, number, time
)
from tests.kiosk.sales_support import sell

BRUSSELS = ZoneInfo("Europe/Brussels")
#: the last Sundays of March and October 2026: 01:00 UTC, the clocks go forward and back
SPRING, AUTUMN = datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC)


def reference_cell(kind: Kind, value: Any, style: CsvStyle) -> str:
    """Write one value as CSV text, the way the writer did before it was made fast."""
    if value is None or value == "":
        return ""
    mark = style.decimal_mark
    if kind == Kind.MONEY_CENTS:
        sign = "-" if value < 0 else ""
        euros, cents = divmod(abs(int(value)), 100)
        return f"{sign}{euros}{mark}{cents:02d}"
    if kind == Kind.QUANTITY_MILLI:
        return format(quantity_decimal(int(value)), "f").replace(".", mark)
    if kind == Kind.PERCENT:
        return format(Decimal(value), "f").replace(".", mark)
    if kind == Kind.INTEGER:
        return str(int(value))
    if kind == Kind.DATE:
        return str(value.isoformat())
    if kind == Kind.DATETIME:
        return value.astimezone(BRUSSELS).strftime("%Y-%m-%d %H:%M:%S")
    text = UNWRITABLE.sub("", str(value))
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def reference_csv(columns: Sequence[Column], rows: Sequence[Row], style: CsvStyle) -> bytes:
    """Write a whole CSV file one line at a time."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=style.delimiter, lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    for row in rows:
        writer.writerow(
            [reference_cell(c.kind, v, style) for c, v in zip(columns, row, strict=True)]
        )
    return (("\ufeff" if style.bom else "") + out.getvalue()).encode("utf-8")


def written(columns: Sequence[Column], rows: Sequence[Row], style: CsvStyle) -> bytes:
    """Write a CSV file with the app's writer."""
    data = io.BytesIO()
    assert write_csv(data, columns, rows, style) == len(rows)
    return data.getvalue()


#: a zone half an hour off whole hours: its moments' minutes are not Brussels' minutes
INDIA = timezone(timedelta(hours=5, minutes=30))
#: values that are equal but were written apart: a remembered text must not mix them up
LOOKALIKES: list[list[Any]] = [
    ["1", 1000, 1, Decimal("6"), date(2026, 3, 29), 1, SPRING],
    [1, True, True, Decimal("6.0"), None, True, SPRING + timedelta(microseconds=999_999)],
    [True, 1000, Decimal("1.0"), Decimal("6.00"), "", Decimal("1.0"), None],
    [1.0, -1000, -1, 6, date(2026, 10, 25), -3, AUTUMN - timedelta(seconds=1)],
    ["=1+1", 0, 0, Decimal("-4"), date(1900, 1, 1), 0, AUTUMN],
    ["\x07Kaas\x1b", 2500, -864, Decimal("23.5"), date(2100, 12, 31), 10**12, AUTUMN],
    ["", None, None, None, None, None, datetime(1890, 6, 1, 12, 0, 5, tzinfo=UTC)],
    [None, 347, 123456, Decimal("5.5"), None, None, datetime(2026, 7, 1, 22, 5, tzinfo=UTC)],
    ['Kaars; "groot"\r\n', 1250, 5, None, None, 7, SPRING.astimezone(INDIA)],
]


@pytest.mark.parametrize("style", [BELGIAN_CSV, PLAIN_CSV], ids=["belgian", "plain"])
def test_values_that_are_equal_but_written_apart_keep_their_own_text(style: CsvStyle) -> None:
    rows = LOOKALIKES * 3  # remembered the second time round
    assert written(COLUMNS, rows, style) == reference_csv(COLUMNS, rows, style)


MOMENTS = st.datetimes(
    min_value=datetime(1850, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
VALUE = {
    Kind.TEXT: st.one_of(st.none(), st.text(max_size=12), st.integers(-3, 3), st.booleans()),
    Kind.QUANTITY_MILLI: st.one_of(st.none(), st.integers(-(10**7), 10**7)),
    Kind.MONEY_CENTS: st.one_of(st.none(), st.integers(-(10**9), 10**9)),
    Kind.PERCENT: st.one_of(st.none(), st.decimals(-100, 100, places=2)),
    Kind.DATE: st.one_of(st.none(), st.dates()),
    Kind.INTEGER: st.one_of(st.none(), st.integers(-(10**6), 10**6)),
    Kind.DATETIME: st.one_of(st.none(), MOMENTS),
}
ROWS = st.lists(st.tuples(*(VALUE[column.kind] for column in COLUMNS)), max_size=300)


@settings(max_examples=60, deadline=None)
@given(rows=ROWS)
def test_the_csv_writer_writes_the_same_bytes_as_the_reference_for_any_rows(
    rows: list[Row],
) -> None:
    for style in (BELGIAN_CSV, PLAIN_CSV):
        assert written(COLUMNS, rows, style) == reference_csv(COLUMNS, rows, style)


def every_minute(around: datetime) -> list[datetime]:
    """Return every minute (and a second before each) from three hours before to after."""
    start = around - timedelta(hours=3)
    minutes = [start + timedelta(minutes=n) for n in range(6 * 60)]
    return sorted(minutes + [moment - timedelta(seconds=1) for moment in minutes])


@pytest.mark.parametrize("change", [SPRING, AUTUMN], ids=["march", "october"])
def test_local_time_remembered_per_hour_is_zoneinfos_across_the_clock_change(
    change: datetime,
) -> None:
    hours = LocalHours()
    for moment in every_minute(change) * 2:  # the second time from what it remembered
        local = moment.astimezone(BRUSSELS)
        assert hours.text(moment) == local.strftime("%Y-%m-%d %H:%M:%S")
        assert hours.naive(moment) == local.replace(tzinfo=None)
        assert hours.day(moment) == local.date()
    # 02:30 never happens in March; in October, 02:30 comes twice, an hour apart in UTC
    texts = [hours.text(change + timedelta(minutes=minutes)) for minutes in (-30, 30)]
    assert texts == (
        ["2026-03-29 01:30:00", "2026-03-29 03:30:00"]
        if change == SPRING
        else ["2026-10-25 02:30:00", "2026-10-25 02:30:00"]
    )


def test_xlsx_moments_around_the_clock_changes_are_brussels_time(tmp_path: Path) -> None:
    moments = every_minute(SPRING)[::7] + every_minute(AUTUMN)[::7]
    path = tmp_path / "tijden.xlsx"
    write_xlsx(path, [Column("tijd", Kind.DATETIME)], [[moment] for moment in moments])
    workbook = load_workbook(path, read_only=True)
    read = [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    workbook.close()
    expected = [moment.astimezone(BRUSSELS).replace(tzinfo=None) for moment in moments]
    assert read == expected  # and no totals row: a sheet without money adds nothing up


@pytest.mark.parametrize("change", [SPRING, AUTUMN], ids=["march", "october"])
def test_the_sales_export_across_a_clock_change_is_the_reference_file(
    ctx: None, goods: dict[str, Any], tmp_path: Path, change: datetime
) -> None:
    sales = []
    for number, minutes in enumerate(range(-150, 150, 20)):  # every 20 minutes across 01:00 UTC
        lines = [(goods["bread"], "2"), (goods["cheese"], "0.347"), (goods["candle"], "1")]
        till = goods["till"] if number % 2 else goods["gift_till"]
        chosen = lines[: 1 + number % 3] if till == goods["till"] else [(goods["candle"], "1")]
        moment = change + timedelta(minutes=minutes, seconds=number, microseconds=999_999)
        sales.append(sell(till, goods["operator"], chosen, [("cash", 10_000)], moment))
    day = change.date()
    export = sale_lines_export(day - timedelta(days=1), day + timedelta(days=1))
    rows = list(export.rows)
    assert len(rows) == sum(len(sale.lines) for sale in sales)
    path = tmp_path / "verkopen.csv"
    assert write_csv(path, export.columns, rows) == len(rows)
    assert path.read_bytes() == reference_csv(export.columns, rows, BELGIAN_CSV)
    # and the rows' day and time are each sale's moment in Brussels, the rates the lines' own
    by_receipt = {sale.receipt_number: db.session.get_one(Sale, sale.id) for sale in sales}
    for row in rows:
        sale = by_receipt[row[5]]
        local = sale.rung_up_at.astimezone(BRUSSELS)
        assert (row[0], row[1]) == (local.date(), sale.rung_up_at)
        line = next(line for line in sale.lines if line.description == row[9])
        assert row[19] == Decimal(line.vat_rate_basis_points) / 100

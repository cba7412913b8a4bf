"""The floor bench_reports measures the exports against: the same year's sale lines, raw.

The raw writers read the rows straight from the driver (sqlite3, or a psycopg server-side
cursor) with the query written out by hand, share each receipt's VAT out over its lines as the
app does (kiosk.money.share_out), and write them with the csv module, or with the XLSX writer's
core (kiosk.exports.xlsx_stream, each column's cells remembered per value): the least any export
of these rows can do. xlsxwriter called directly (constant memory) is a second line, the library
the app used before. The raw CSV file and the raw XLSX's sheet are byte-identical to the app's on
the demo history (bench_reports checks both); the raw writers skip what the demo's rows never
need (control characters in names, rates other than 0, 6, 12 and 21 %).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

#: the sale-line export's query, written out by hand for the raw writers (the floor)
RAW_QUERY = """
SELECT sl.sale_id, sl.vat_rate_basis_points, sl.amount_cents, sv.vat_cents, s.rung_up_at,
       p.code, t.code, s.ticket_number, s.receipt_number, o.receipt_number, u.name,
       sl.product_id, sl.description, c.name, pr.name, sl.unit, sl.quantity_milli,
       sl.share_parts, sl.unit_price_cents, s.consumption, s.late
FROM sale_line sl
JOIN sale s ON s.id = sl.sale_id
LEFT JOIN sale_vat sv ON sv.sale_id = sl.sale_id AND sv.rate_basis_points = sl.vat_rate_basis_points
JOIN point_of_sale p ON p.id = s.point_of_sale_id
JOIN till t ON t.id = s.till_id
JOIN user_account u ON u.id = s.operator_id
LEFT JOIN sale o ON o.id = s.refund_of_id
LEFT JOIN product pd ON pd.id = sl.product_id
LEFT JOIN category c ON c.id = pd.category_id
LEFT JOIN producer pr ON pr.id = pd.producer_id
WHERE s.rung_up_at >= {mark} AND s.rung_up_at < {mark}
ORDER BY s.rung_up_at, s.id, sl.position
"""


def raw_lines(url: str, first: date, last: date) -> Iterator[tuple[Any, ...]]:
    """Yield the export's raw rows straight from the driver (sqlite3, or psycopg's named cursor)."""
    from datetime import UTC

    from kiosk.reports.day_figures import day_start

    start, end = day_start(first), day_start(last + timedelta(days=1))
    connection: Any
    cursor: Any
    if url.startswith("sqlite"):
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        naive = [moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") for moment in (start, end)]
        cursor = connection.execute(RAW_QUERY.format(mark="?"), naive)
    else:
        import psycopg

        connection = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        cursor = connection.cursor(name="raw_export")  # server-side, as the app's export
        cursor.execute(RAW_QUERY.format(mark="%s"), (start, end))
    try:
        while batch := cursor.fetchmany(2000):
            yield from batch
    finally:
        connection.close()


def raw_sales(url: str, first: date, last: date) -> Iterator[tuple[Any, ...]]:
    """Yield (local hour, UTC "yyyy-mm-dd hh:mm:ss", row, line VAT), receipt VAT shared out.

    The local hour is (day text, "yyyy-mm-dd hh" text, naive start), looked up once an hour.
    """
    from datetime import UTC, datetime
    from itertools import groupby
    from zoneinfo import ZoneInfo

    from kiosk.money import share_out

    brussels = ZoneInfo("Europe/Brussels")
    hours: dict[str, tuple[str, str, datetime]] = {}
    for _sale_id, lines in groupby(raw_lines(url, first, last), key=lambda row: row[0]):
        group = list(lines)
        shares = [0] * len(group)
        for rate in {row[1] for row in group}:
            indexes = [i for i, row in enumerate(group) if row[1] == rate]
            amounts = [group[i][2] for i in indexes]
            for index, share in zip(indexes, share_out(group[indexes[0]][3], amounts), strict=True):
                shares[index] = share
        moment = group[0][4]
        text = moment if isinstance(moment, str) else moment.astimezone(UTC).isoformat(" ")
        hour = hours.get(text[:13])
        if hour is None:
            utc = datetime.fromisoformat(text[:13] + ":00:00+00:00")
            local = utc.astimezone(brussels).replace(tzinfo=None)
            hour = hours[text[:13]] = (f"{local:%Y-%m-%d}", f"{local:%Y-%m-%d %H}", local)
        for row, share in zip(group, shares, strict=True):
            yield hour, text[:19], row, share


RAW_GUARD = ("=", "+", "-", "@", "\t", "\r")


def raw_csv(url: str, first: date, last: date, target: Path) -> int:
    """Write the year's sale lines with sqlite3/psycopg and the csv module only: the floor."""
    import csv
    import io

    def money(cents: int) -> str:
        sign = "-" if cents < 0 else ""
        euros, rest = divmod(abs(cents), 100)
        return f"{sign}{euros},{rest:02d}"

    def quantity(milli: int) -> str:
        sign = "-" if milli < 0 else ""
        whole, rest = divmod(abs(milli), 1000)
        return f"{sign}{whole}" if not rest else f"{sign}{whole},{rest:03d}".rstrip("0")

    def text(value: str | None) -> str:
        return "" if value is None else "'" + value if value.startswith(RAW_GUARD) else value

    rates = {600: ("6", "C"), 1200: ("12", "B"), 2100: ("21", "A"), 0: ("0", "D")}
    headers = sale_line_headers()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    count = 0
    with target.open("wb") as handle:
        writer.writerow(headers)
        handle.write(("\ufeff" + buffer.getvalue()).encode())
        lines = []
        for (day, hour, _start), moment, row, vat in raw_sales(url, first, last):
            _sale, rate, amount, _receipt_vat, _moment, point, till, ticket, receipt = row[:9]
            original, operator, product, description, category, producer, unit = row[9:16]
            milli, parts, price, consumption, late = row[16:]
            lines.append((
                day, hour + moment[13:], text(point),
                text(till), ticket, text(receipt), text(original), text(operator),
                "" if product is None else product, text(description), text(category),
                text(producer), "kg" if unit == "kg" else "stuk", quantity(milli),
                f"1/{parts}" if parts else "", money(price), money(amount), money(vat),
                money(amount - vat), *rates[rate],
                "meenemen" if consumption == "takeaway" else "ter plaatse",
                "ja" if late else "nee",
            ))  # fmt: skip
            if len(lines) == 1000:
                count += len(lines)
                buffer.seek(0)
                buffer.truncate()
                writer.writerows(lines)
                handle.write(buffer.getvalue().encode())
                lines.clear()
        count += len(lines)
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(lines)
        handle.write(buffer.getvalue().encode())
    return count


class RawCells(dict[Any, str]):
    """A column's cell XML per value, made once (the same remembering the app's writer does)."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, value: Any) -> str:
        if len(self) >= 256:
            self.clear()
        cell = self[value] = self.make(value)
        return cell  # type: ignore[no-any-return]


def raw_xlsx(url: str, first: date, last: date, target: Path) -> int:
    """Write the same sheet with the XLSX writer's core (kiosk.exports.xlsx_stream): the floor.

    Raw rows go straight to each column's remembered cell XML, with no kinds, no Column and no
    per-column writers; the sheet's XML is byte for byte the app's (bench_reports checks it).
    """
    from datetime import datetime

    from kiosk.exports.xlsx_stream import (
        XlsxBook,
        column_letters,
        empty_cell,
        excel_serial,
        number_cell,
        text_cell,
    )

    formats = ["#,##0.00", "0.0%", "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"]
    book = XlsxBook(target, formats)
    money, share, day_style, moment_style = (book.style(code, False) for code in formats)
    letters = [column_letters(index) for index in range(23)]
    from kiosk.exports.accounting import SALE_LINE_COLUMNS

    sheet = book.add_sheet("verkopen", [32 if c.kind == "text" else 16 for c in SALE_LINE_COLUMNS])
    bold = book.style(None, True)
    sheet.add_row([text_cell(letters[i], bold, h) for i, h in enumerate(sale_line_headers())])

    def text(index: int) -> RawCells:
        return RawCells(lambda value: "" if value is None else text_cell(letters[index], 0, value))

    def number(index: int, style: int, scale: int = 1) -> RawCells:
        return RawCells(
            lambda value: "" if value is None else number_cell(letters[index], style, value / scale)
        )

    def moment_cell(value: Any) -> str:
        start, utc_text, raw = value
        micro = raw.microsecond if isinstance(raw, datetime) else int(raw[20:26].ljust(6, "0"))
        minute, second = int(utc_text[14:16]), int(utc_text[17:19])
        local = start.replace(minute=minute, second=second, microsecond=micro)
        return number_cell(letters[1], moment_style, excel_serial(local))

    days = RawCells(lambda start: number_cell(letters[0], day_style, excel_serial(start.date())))
    moments = RawCells(moment_cell)
    point, till, receipt, original, operator = (text(i) for i in (2, 3, 5, 6, 7))
    description, category, producer, unit, parts_cell = (text(i) for i in (9, 10, 11, 12, 14))
    ticket_cell, product_cell, milli_cell = number(4, 0), number(8, 0), number(13, 0, 1000)
    price_cell, amount_cell, vat_cell, net_cell = (number(i, money, 100) for i in (15, 16, 17, 18))
    rate_cell, code_cell = number(19, share, 10000), text(20)
    consumption_cell, late_cell = text(21), text(22)
    codes = {600: "C", 1200: "B", 2100: "A"}
    words = {"takeaway": "meenemen", "eat_in": "ter plaatse"}
    add_row = sheet.add_row
    count = amounts = vats = nets = 0
    for (_day, _hour, start), utc_text, row, vat in raw_sales(url, first, last):
        _sale, rate, amount, _receipt_vat, raw_moment, point_code, till_code, ticket = row[:8]
        receipt_number, original_number, operator_name, product, words_text = row[8:13]
        category_name, producer_name, unit_name, milli, parts, price, consumption, late = row[13:]
        count += 1
        amounts += amount
        vats += vat
        nets += amount - vat
        add_row([
            days[start], moments[start, utc_text, raw_moment], point[point_code], till[till_code],
            ticket_cell[ticket], receipt[receipt_number], original[original_number],
            operator[operator_name], product_cell[product], description[words_text],
            category[category_name], producer[producer_name],
            unit["kg" if unit_name == "kg" else "stuk"], milli_cell[milli],
            parts_cell[f"1/{parts}" if parts else None], price_cell[price], amount_cell[amount],
            vat_cell[vat], net_cell[amount - vat], rate_cell[rate], code_cell[codes.get(rate, "D")],
            consumption_cell[words[consumption]], late_cell["ja" if late else "nee"],
        ])  # fmt: skip
    sheet.autofilter(count + 1, 23)
    heavy = book.style(formats[0], True)
    sums = [
        number_cell(letters[16 + i], heavy, total / 100)
        for i, total in enumerate((amounts, vats, nets))
    ]
    sheet.add_row(
        [
            text_cell(letters[0], bold, "TOTAAL"),
            *[""] * 15,
            *sums,
            *[""] * 4,
            empty_cell(letters[22]),
        ]
    )
    book.close()
    return count


def raw_xlsxwriter(url: str, first: date, last: date, target: Path) -> int:
    """Write the same cells straight through xlsxwriter (constant memory): the old library."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    sheet = workbook.add_worksheet("verkopen")
    formats = {
        number_format: workbook.add_format({"num_format": number_format})
        for number_format in ("#,##0.00", "0.0%", "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss")
    }
    money, share, day, moment = formats.values()
    sheet.write_row(0, 0, sale_line_headers())
    number, string, when = sheet.write_number, sheet.write_string, sheet.write_datetime
    words = {"takeaway": "meenemen", "eat_in": "ter plaatse"}
    count = 0
    for count, ((_day, _hour, start), utc_text, row, vat) in enumerate(
        raw_sales(url, first, last), start=1
    ):
        local = start.replace(minute=int(utc_text[14:16]), second=int(utc_text[17:19]))
        _sale, rate, amount, _receipt_vat, _moment, point, till, ticket, receipt = row[:9]
        original, operator, product, description, category, producer, unit = row[9:16]
        milli, parts, price, consumption, late = row[16:]
        when(count, 0, local.replace(hour=0, minute=0, second=0), day)
        when(count, 1, local, moment)
        string(count, 2, point)
        string(count, 3, till)
        number(count, 4, ticket)
        string(count, 5, receipt)
        if original is not None:
            string(count, 6, original)
        string(count, 7, operator)
        if product is not None:
            number(count, 8, product)
        string(count, 9, description)
        for column, value in ((10, category), (11, producer)):
            if value is not None:
                string(count, column, value)
        string(count, 12, "kg" if unit == "kg" else "stuk")
        number(count, 13, milli / 1000)
        if parts:
            string(count, 14, f"1/{parts}")
        number(count, 15, price / 100, money)
        number(count, 16, amount / 100, money)
        number(count, 17, vat / 100, money)
        number(count, 18, (amount - vat) / 100, money)
        number(count, 19, rate / 10000, share)
        string(count, 20, {600: "C", 1200: "B", 2100: "A"}.get(rate, "D"))
        string(count, 21, words[consumption])
        string(count, 22, "ja" if late else "nee")
    sheet.autofilter(0, 0, count, 22)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return count


def sale_line_headers() -> list[str]:
    """Return the sale-line export's headers."""
    from kiosk.exports.accounting import SALE_LINE_COLUMNS

    return [column.header for column in SALE_LINE_COLUMNS]

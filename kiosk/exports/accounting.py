"""Exports for the accountant and for analysis: sale lines, the daily receipts book, the journal.

Each export is a fixed list of columns (the README documents them; other programs read them, so
the headers are never translated) and a generator of rows that streams from the database in
batches, so a year of sales is written in bounded memory. The figures are the ones the day
summary and the Z report show: VAT per rate is the sum of the receipts' VAT.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from kiosk.decimal_text import rate_text, unit_word
from kiosk.exports.local_hours import LocalHours
from kiosk.exports.spreadsheets import Column, Kind, Row
from kiosk.extensions import db
from kiosk.models import (
    Category,
    PointOfSale,
    Producer,
    Product,
    Sale,
    SaleLine,
    SaleVat,
    Till,
    User,
)
from kiosk.models.rules import basis_points_to_rate
from kiosk.models.types import CONSUMPTION_WORDS
from kiosk.reports.day_figures import SalesScope, get_ticket_ranges
from kiosk.reports.line_vat import allocated, line_select
from kiosk.sales.receipts import VAT_CODES

#: each export's name: its file's, its sheet's and the audit log's, from the CLI and the back office
SALE_LINES, DAY_BOOK, JOURNAL = "verkopen", "dagontvangsten", "journaal"
#: rows fetched from the database at a time
BATCH = 2000


@dataclass(frozen=True)
class Export:
    """An export's name (for file names), its columns and its rows."""

    name: str
    columns: tuple[Column, ...]
    rows: Iterator[Row]


def days(first_day: date, last_day: date) -> Iterator[date]:
    """Yield every business day from first to last."""
    day = first_day
    while day <= last_day:
        yield day
        day += timedelta(days=1)


def vat_code(basis_points: int) -> str:
    """Return the receipt's letter for a VAT rate (A=21, B=12, C=6, D=0)."""
    return VAT_CODES.get(rate_text(basis_points_to_rate(basis_points)), "")


def percent(basis_points: int) -> Decimal:
    """Return a rate in basis points as percent points (600 → 6)."""
    return basis_points_to_rate(basis_points)


SALE_LINE_COLUMNS = (
    Column("datum", Kind.DATE),
    Column("tijd", Kind.DATETIME),
    Column("verkooppunt"),
    Column("kassa"),
    Column("ticketnummer", Kind.INTEGER),
    Column("bonnummer"),
    Column("terugbetaling_van"),
    Column("medewerker"),
    Column("product_id", Kind.INTEGER),
    Column("omschrijving"),
    Column("categorie"),
    Column("producent"),
    Column("eenheid"),
    Column("hoeveelheid", Kind.QUANTITY_MILLI),
    Column("deel"),
    Column("eenheidsprijs", Kind.MONEY_CENTS, summed=False),
    Column("bedrag_incl_btw", Kind.MONEY_CENTS),
    Column("btw_bedrag", Kind.MONEY_CENTS),
    Column("bedrag_excl_btw", Kind.MONEY_CENTS),
    Column("btw_tarief", Kind.PERCENT),
    Column("btw_code"),
    Column("verbruik"),
    Column("laat"),
)

#: the `laat` cell: "ja" for a sale that arrived after its day's Z report (it counts in a later Z)
LATE_WORDS = {True: "ja", False: "nee"}


def sale_lines_export(first_day: date, last_day: date) -> Export:
    """Return one row per sale line of the business days from first to last."""
    return Export(SALE_LINES, SALE_LINE_COLUMNS, sale_line_rows(SalesScope(first_day, last_day)))


def sale_line_rows(scope: SalesScope) -> Iterator[Row]:
    """Stream the sale lines in the scope, oldest first (by when the till rang them up).

    A line's VAT is its share of its receipt's VAT at its rate (kiosk.reports.line_vat), so
    `btw_bedrag` adds up to the receipts' VAT; a split-bill part keeps its own amount and
    quantity, with its part of the item in `deel` ("1/3": one of three equal parts).
    """
    original = aliased(Sale)
    query = scope.where(
        line_select(
            Sale.rung_up_at,
            PointOfSale.code,
            Till.code,
            Sale.ticket_number,
            Sale.receipt_number,
            original.receipt_number,
            User.name,
            SaleLine.product_id,
            SaleLine.description,
            Category.name,
            Producer.name,
            SaleLine.unit,
            SaleLine.quantity_milli,
            SaleLine.share_parts,
            SaleLine.unit_price_cents,
            Sale.consumption,
            Sale.late,
        )
        .join(PointOfSale, PointOfSale.id == Sale.point_of_sale_id)
        .join(Till, Till.id == Sale.till_id)
        .join(User, User.id == Sale.operator_id)
        .outerjoin(original, original.id == Sale.refund_of_id)
        .outerjoin(Product, Product.id == SaleLine.product_id)
        .outerjoin(Category, Category.id == Product.category_id)
        .outerjoin(Producer, Producer.id == Product.producer_id)
        .order_by(None)
        .order_by(Sale.rung_up_at, Sale.id, SaleLine.position)
    )
    # Core rows, not ORM ones, in batches (a server-side cursor on PostgreSQL); the local day and
    # each rate's words are worked out once per hour and once per rate, not once per line
    result = db.session.connection().execute(
        query.execution_options(stream_results=True, yield_per=BATCH)
    )
    hours, moment, day = LocalHours(), None, None
    rates: dict[int, tuple[Decimal, str]] = {}
    for row, vat in allocated(result):
        _sale_id, rate, amount, _receipt_vat, rung_up_at, *middle, unit, quantity = row[:-4]
        parts, price, consumption, late = row[-4:]
        rate_words = rates.get(rate)
        if rate_words is None:
            rate_words = rates[rate] = (percent(rate), vat_code(rate))
        if rung_up_at != moment:  # a sale's lines share its moment
            moment, day = rung_up_at, hours.day(rung_up_at)
        yield (
            day,
            rung_up_at,
            *middle,
            unit_word(unit),
            quantity,
            f"1/{parts}" if parts else "",
            price,
            amount,
            vat,
            amount - vat,
            *rate_words,
            CONSUMPTION_WORDS[consumption],
            LATE_WORDS[bool(late)],
        )


DAY_BOOK_COLUMNS = (
    Column("datum", Kind.DATE),
    Column("verkooppunt"),
    Column("kassa"),
    Column("btw_tarief", Kind.PERCENT),
    Column("btw_code"),
    Column("maatstaf_excl_btw", Kind.MONEY_CENTS),
    Column("btw", Kind.MONEY_CENTS),
    Column("totaal_incl_btw", Kind.MONEY_CENTS),
    Column("tickets", Kind.INTEGER),
    Column("eerste_ticket", Kind.INTEGER),
    Column("laatste_ticket", Kind.INTEGER),
    Column("laat"),
)


def day_book_export(first_day: date, last_day: date) -> Export:
    """Return the daily receipts book: per day, till and VAT rate, the receipts' totals."""
    return Export(DAY_BOOK, DAY_BOOK_COLUMNS, day_book_rows(first_day, last_day))


def day_book_rows(first_day: date, last_day: date) -> Iterator[Row]:
    """Stream the receipts book, a day at a time (tills by code, rates lowest first).

    A day is the day the till rang its sales up. Late sales (they arrived after that day's Z
    report and count in the till's next Z) have rows of their own, marked `laat`.
    """
    for day in days(first_day, last_day):
        scope = SalesScope(day, day)
        tickets = {t.till_code: (t.first_ticket, t.last_ticket) for t in get_ticket_ranges(scope)}
        rows = db.session.execute(
            scope.where(
                select(
                    PointOfSale.code,
                    Till.code,
                    SaleVat.rate_basis_points,
                    func.sum(SaleVat.gross_cents),
                    func.sum(SaleVat.vat_cents),
                    func.count(Sale.id),
                    Sale.late,
                )
                .select_from(SaleVat)
                .join(Sale, Sale.id == SaleVat.sale_id)
                .join(Till, Till.id == Sale.till_id)
                .join(PointOfSale, PointOfSale.id == Sale.point_of_sale_id)
                .group_by(PointOfSale.code, Till.code, Sale.late, SaleVat.rate_basis_points)
                .order_by(Till.code, Sale.late, SaleVat.rate_basis_points)
            )
        ).all()
        for point_code, till_code, rate, gross, vat, count, late in rows:
            first, last = tickets[till_code]
            yield (
                day,
                point_code,
                till_code,
                percent(rate),
                vat_code(rate),
                int(gross) - int(vat),
                int(vat),
                int(gross),
                int(count),
                first,
                last,
                LATE_WORDS[bool(late)],
            )

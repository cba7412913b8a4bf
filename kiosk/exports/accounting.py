"""Exports for the accountant and for analysis: sale lines, the daily receipts book, the journal.

Each export is a fixed list of columns (the README documents them; other programs read them, so
the headers are never translated) and a generator of rows that streams from the database in
batches, so a year of sales is written in bounded memory. The figures are the ones the day
summary and the Z report show: VAT per rate is the sum of the receipts' VAT.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from kiosk.cash.drawer import get_drawer, get_z_report
from kiosk.decimal_text import rate_text
from kiosk.exports.ledger import (
    CONSUMPTION_WORDS,
    account_for,
    get_accounts,
    method_posting,
    turnover_posting,
    vat_posting,
)
from kiosk.exports.spreadsheets import Column, Kind, Row
from kiosk.extensions import db
from kiosk.models import (
    CashSession,
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
from kiosk.models.cash import TO_BANK
from kiosk.models.rules import basis_points_to_rate
from kiosk.models.types import Consumption
from kiosk.money import apportion
from kiosk.periods import business_day
from kiosk.reports.day_figures import SalesScope, VatTotal, get_figures, get_ticket_ranges
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
    Column("eenheidsprijs", Kind.MONEY_CENTS),
    Column("bedrag_incl_btw", Kind.MONEY_CENTS),
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
    """Stream the sale lines in the scope, oldest first (by when the till rang them up)."""
    original = aliased(Sale)
    query = scope.where(
        select(
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
            SaleLine.unit_price_cents,
            SaleLine.amount_cents,
            SaleLine.vat_rate_basis_points,
            Sale.consumption,
            Sale.late,
        )
        .select_from(SaleLine)
        .join(Sale, Sale.id == SaleLine.sale_id)
        .join(PointOfSale, PointOfSale.id == Sale.point_of_sale_id)
        .join(Till, Till.id == Sale.till_id)
        .join(User, User.id == Sale.operator_id)
        .outerjoin(original, original.id == Sale.refund_of_id)
        .outerjoin(Product, Product.id == SaleLine.product_id)
        .outerjoin(Category, Category.id == Product.category_id)
        .outerjoin(Producer, Producer.id == Product.producer_id)
        .order_by(Sale.rung_up_at, Sale.id, SaleLine.position)
    )
    result = db.session.execute(query.execution_options(yield_per=BATCH))
    for row in result:
        (rung_up_at, *middle, rate, consumption, late) = row
        yield (
            business_day(rung_up_at),
            rung_up_at,
            *middle,
            percent(rate),
            vat_code(rate),
            consumption,
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


#: the journal's columns, version 2 (version 1 had no `rekening`; README, Exports)
JOURNAL_COLUMNS = (
    Column("datum", Kind.DATE),
    Column("soort"),
    Column("sleutel"),
    Column("rekening"),
    Column("omschrijving"),
    Column("debet", Kind.MONEY_CENTS),
    Column("credit", Kind.MONEY_CENTS),
)

METHOD_NAMES = {"cash": "Ontvangsten contant", "card": "Ontvangsten kaart"}


@dataclass(frozen=True)
class Posting:
    """One journal line: what it is, the posting key of its account, and a signed amount.

    A positive amount is debit, a negative one credit.
    """

    kind: str
    key: str
    account: str
    text: str
    amount_cents: int


def journal_export(first_day: date, last_day: date) -> Export:
    """Return the accountant's journal: per day, receipts, turnover, VAT and the cash drawer."""
    return Export(JOURNAL, JOURNAL_COLUMNS, journal_rows(first_day, last_day))


def journal_rows(first_day: date, last_day: date) -> Iterator[Row]:
    """Stream a journal that balances per day, each line with its ledger account.

    Sales: receipts per method (cash after change) in debit against turnover per rate and
    consumption, VAT per rate and cash rounding in credit. The drawer: cash put in or taken out,
    the count's difference and the cash taken to the bank, each a pair of lines. Every part is
    balanced, so each day's debit equals its credit to the cent. A negative amount (a day of
    refunds) moves to the other side, so debit and credit are never negative.
    """
    changed = get_accounts()
    for day in days(first_day, last_day):
        for posting in [*sales_postings(day), *drawer_postings(day)]:
            account = account_for(posting.account, changed)
            yield (
                day,
                posting.kind,
                posting.key,
                account.number,
                posting.text,
                *sides(posting.amount_cents),
            )


def sales_postings(day: date) -> list[Posting]:
    """Return a day's receipts against its turnover, VAT and cash rounding."""
    figures = get_figures(SalesScope(day, day))
    if not (figures.sales_count or figures.refunds_count):
        return []
    postings = [
        Posting(
            "ontvangst",
            method,
            method_posting(method),
            METHOD_NAMES.get(method, f"Ontvangsten {method}"),
            amount,
        )
        for method, amount in sorted(figures.payments.items())
    ]
    turnover = get_turnover_by_consumption(day, figures.vat)
    for total in figures.vat:
        rate = rate_text(percent(total.rate_basis_points))
        for consumption, base in turnover[total.rate_basis_points]:
            word = CONSUMPTION_WORDS.get(consumption, consumption)
            postings.append(
                Posting(
                    "omzet",
                    f"{rate} {word}",
                    turnover_posting(total.rate_basis_points, consumption),
                    f"Omzet {rate}% {word} excl. btw",
                    -base,
                )
            )
        postings.append(
            Posting(
                "btw", rate, vat_posting(total.rate_basis_points), f"Btw {rate}%", -total.vat_cents
            )
        )
    if figures.rounding_cents:
        gain = figures.rounding_cents > 0
        postings.append(
            Posting(
                "afronding",
                "contant",
                "afronding_winst" if gain else "afronding_verlies",
                "Afronding contant",
                -figures.rounding_cents,
            )
        )
    return postings


def get_turnover_by_consumption(day: date, vat: list[VatTotal]) -> dict[int, list[tuple[str, int]]]:
    """Share each rate's base (the receipts' own) over eat-in and take-away by the lines' gross.

    A line's consumption is its own where a bistro tab mixes them, else its sale's. The shares
    are whole cents by largest remainder, so they add up to the rate's base exactly.
    """
    consumption = func.coalesce(SaleLine.consumption, Sale.consumption)
    rows = db.session.execute(
        SalesScope(day, day).where(
            select(SaleLine.vat_rate_basis_points, consumption, func.sum(SaleLine.amount_cents))
            .select_from(SaleLine)
            .join(Sale, Sale.id == SaleLine.sale_id)
            .group_by(SaleLine.vat_rate_basis_points, consumption)
        )
    ).all()
    gross: dict[int, dict[str, int]] = {}
    for points, where, cents in rows:
        gross.setdefault(int(points), {})[str(where)] = int(cents or 0)
    shared: dict[int, list[tuple[str, int]]] = {}
    for total in vat:
        parts = sorted(gross.get(total.rate_basis_points, {}).items()) or [
            (Consumption.TAKEAWAY.value, 0)
        ]
        whole = sum(cents for _, cents in parts)
        if whole == 0:  # refunds cancel the sales out: the base, if any, goes to the first
            parts = [(parts[0][0], 1)] + [(where, 0) for where, _ in parts[1:]]
            whole = 1
        exact = [Decimal(total.base_cents) * cents / whole for _, cents in parts]
        amounts = apportion(total.base_cents, exact)
        shared[total.rate_basis_points] = [
            (where, cents) for (where, _), cents in zip(parts, amounts, strict=True) if cents
        ]
    return shared


def drawer_postings(day: date) -> list[Posting]:
    """Return a day's cash put in or taken out, count differences and cash to the bank."""
    postings: list[Posting] = []
    sessions = db.session.scalars(
        select(CashSession)
        .join(Till, Till.id == CashSession.till_id)
        .where(CashSession.business_day == day)
        .order_by(Till.code)
    )
    for session in sessions:
        till = session.till.code
        for movement in session.movements:
            into_cash = movement.amount_cents
            if movement.kind == TO_BANK:
                postings += pair("naar_bank", till, "naar_bank", "Naar de bank", -into_cash)
            else:
                postings += pair("kas_in_uit", till, "kas_in_uit", movement.reason, -into_cash)
        difference = get_frozen_difference(session)
        if difference:
            postings += pair(
                "kasverschil",
                till,
                "kasverschil_tekort" if difference < 0 else "kasverschil_overschot",
                f"Kasverschil: {session.difference_reason or 'geen reden'}",
                -difference,
            )
    return postings


def pair(kind: str, key: str, account: str, text: str, amount_cents: int) -> list[Posting]:
    """Return a cash posting: `amount_cents` debit on `account`, the same in credit on cash."""
    return [
        Posting(kind, key, account, text, amount_cents),
        Posting(kind, key, "kas", text, -amount_cents),
    ]


def get_frozen_difference(session: CashSession) -> int:
    """Return a drawer's counted minus expected: as its Z report froze it, else as it is now."""
    z_report = get_z_report(session.till, session.business_day)
    if z_report is not None:
        return int(json.loads(z_report.figures).get("difference_cents") or 0)
    if session.counted_cents is None:
        return 0
    return get_drawer(session.till, session.business_day).difference_cents or 0


def sides(amount: int) -> tuple[int | None, int | None]:
    """Put an amount on the debit side, or its opposite on the credit side when negative."""
    return (amount, None) if amount >= 0 else (None, -amount)

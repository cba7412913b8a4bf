"""The accountant's journal: every line on a ledger account, debit equal to credit every day.

Sales: receipts per method against turnover per rate and consumption, VAT per rate and cash
rounding. The drawer: cash put in or taken out, the count's difference and the cash taken to the
bank. The README documents the columns (version 2) and the accounts (kiosk/exports/ledger.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from kiosk.cash.drawer import get_drawer, get_z_report
from kiosk.decimal_text import rate_text
from kiosk.exports.accounting import JOURNAL, Export, days, percent
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
from kiosk.models import CashSession, Sale, SaleLine, Till
from kiosk.models.cash import TO_BANK
from kiosk.models.types import Consumption
from kiosk.money import share_out
from kiosk.payment_methods import journal_text
from kiosk.reports.day_figures import SalesScope, VatTotal, get_figures

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
            journal_text(method),
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
        if (
            sum(cents for _, cents in parts) == 0
        ):  # refunds cancel the sales out: the base, if any, goes to the first
            parts = [(parts[0][0], 1)] + [(where, 0) for where, _ in parts[1:]]
        amounts = share_out(total.base_cents, [cents for _, cents in parts])
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

"""Consignment settlement: what a producer's goods sold for in a period, and what the shop owes.

The rules, in one place:

- The period is a range of Brussels calendar days, both ends included; a sale belongs to the
  business day of its moment in Brussels time.
- Turnover is the sum of the sale lines (VAT included) of the producer's products. Refunds are
  sales with negative lines, so they net out by themselves.
- VAT is what the receipts show. Each sale's VAT per rate, as its receipt stored it, is shared
  over that sale's lines of that rate in proportion to their amounts, by largest remainder
  (kiosk.reports.line_vat, the rule every breakdown uses). So the VAT of every producer,
  summed, is the VAT of the receipts to the cent, and a receipt with only this producer's
  goods counts exactly as printed.
- Commission is `commission_percent` of the turnover VAT included (the consignment custom),
  rounded half up once, on the statement's total. Per product the total commission is shared in
  proportion to turnover by largest remainder, so the lines add up to the total exactly.
- Owed to the producer: turnover VAT included − commission. Producers who sell to the shop
  (no consignment) get the same statement of what was sold, without commission or amount owed.

Products belong to a producer as the catalog says today; sale lines do not record the producer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from kiosk import money
from kiosk.database import get_row
from kiosk.decimal_text import unit_word
from kiosk.exports.spreadsheets import (
    BELGIAN_CSV,
    Column,
    CsvStyle,
    Kind,
    TotalsRow,
    write_spreadsheet,
)
from kiosk.extensions import db
from kiosk.models import Producer, Product, Sale, SaleLine
from kiosk.models.rules import basis_points_to_rate
from kiosk.money import share_out
from kiosk.reports.day_figures import SalesScope
from kiosk.reports.line_vat import LEAD, allocated, line_select


def period_bounds(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """Return the UTC moments where a range of Brussels days starts and ends (end excluded)."""
    return SalesScope(first_day, last_day).utc_bounds()


@dataclass(frozen=True)
class SettlementLine:
    """One product on a statement."""

    product_id: int
    name: str
    unit: str
    quantity_milli: int
    turnover_cents: int
    vat_cents: int
    commission_cents: int | None  # None: the producer does not sell on consignment

    @property
    def excl_vat_cents(self) -> int:
        """Return the turnover without VAT."""
        return self.turnover_cents - self.vat_cents

    @property
    def owed_cents(self) -> int | None:
        """Return what the shop owes the producer for this product."""
        if self.commission_cents is None:
            return None
        return self.turnover_cents - self.commission_cents


@dataclass(frozen=True)
class Settlement:
    """A producer's statement for a period: lines per product, VAT per rate and totals."""

    producer: Producer
    first_day: date
    last_day: date
    lines: tuple[SettlementLine, ...]
    vat: tuple[money.VatSummary, ...]
    turnover_cents: int
    vat_cents: int
    commission_cents: int | None

    @property
    def consignment(self) -> bool:
        """Return whether the shop sells these goods on the producer's behalf."""
        return self.commission_cents is not None

    @property
    def commission_percent(self) -> int:
        """Return the commission rate the statement applies."""
        return self.producer.commission_percent if self.consignment else 0

    @property
    def excl_vat_cents(self) -> int:
        """Return the turnover without VAT."""
        return self.turnover_cents - self.vat_cents

    @property
    def owed_cents(self) -> int | None:
        """Return what the shop owes the producer ("te betalen")."""
        if self.commission_cents is None:
            return None
        return self.turnover_cents - self.commission_cents


@dataclass
class ProductSum:
    """What one product's lines add up to while the statement is made."""

    quantity_milli: int = 0
    turnover_cents: int = 0
    vat_cents: int = 0


def get_settlement(producer: Producer, first_day: date, last_day: date) -> Settlement:
    """Return the statement of a producer's sales on these Brussels days (both included)."""
    start, end = period_bounds(first_day, last_day)
    products = {
        product.id: product
        for product in db.session.scalars(select(Product).where(Product.producer_id == producer.id))
    }
    sales_with_goods = (
        select(SaleLine.sale_id)
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(
            SaleLine.product_id.in_(list(products)),
            Sale.rung_up_at >= start,
            Sale.rung_up_at < end,
        )
    )
    # every line of those sales: a receipt's VAT per rate is shared over all of its lines
    rows = db.session.execute(
        line_select(SaleLine.product_id, SaleLine.quantity_milli).where(
            SaleLine.sale_id.in_(sales_with_goods)
        )
    )
    sums: dict[int, ProductSum] = defaultdict(ProductSum)
    per_rate: dict[Decimal, list[int]] = defaultdict(lambda: [0, 0])  # rate → [gross, VAT]
    for line, vat in allocated(rows):
        product_id, quantity_milli = line[LEAD], line[LEAD + 1]
        if product_id not in products:
            continue
        total = sums[product_id]
        total.quantity_milli += quantity_milli
        total.turnover_cents += line[2]
        total.vat_cents += vat
        rate_sums = per_rate[basis_points_to_rate(line[1])]
        rate_sums[0] += line[2]
        rate_sums[1] += vat
    return build_settlement(producer, first_day, last_day, products, sums, per_rate)


def build_settlement(
    producer: Producer,
    first_day: date,
    last_day: date,
    products: dict[int, Product],
    sums: dict[int, ProductSum],
    per_rate: dict[Decimal, list[int]],
) -> Settlement:
    """Put the sums per product into lines, with the commission shared over them."""
    order = sorted(sums, key=lambda product_id: (products[product_id].name.lower(), product_id))
    turnover = sum(total.turnover_cents for total in sums.values())
    commission_shares: list[int | None] = [None] * len(order)
    commission = None
    if producer.consignment:
        percent = Decimal(producer.commission_percent) / 100
        commission = money.round_half_up(turnover * percent)
        turnovers = [sums[product_id].turnover_cents for product_id in order]
        commission_shares = list(share_out(commission, turnovers))
    lines = tuple(
        SettlementLine(
            product_id=product_id,
            name=products[product_id].name,
            unit=products[product_id].unit,
            quantity_milli=sums[product_id].quantity_milli,
            turnover_cents=sums[product_id].turnover_cents,
            vat_cents=sums[product_id].vat_cents,
            commission_cents=share,
        )
        for product_id, share in zip(order, commission_shares, strict=True)
    )
    vat = tuple(
        money.VatSummary(rate, gross - vat_cents, vat_cents, gross)
        for rate, (gross, vat_cents) in sorted(per_rate.items())
    )
    return Settlement(
        producer=producer,
        first_day=first_day,
        last_day=last_day,
        lines=lines,
        vat=vat,
        turnover_cents=turnover,
        vat_cents=sum(line.vat_cents for line in lines),
        commission_cents=commission,
    )


def find_producer(name_or_id: str) -> Producer | None:
    """Return the producer with this id or (case-insensitive) name."""
    text = name_or_id.strip()
    if text.isascii() and text.isdigit():
        producer = get_row(Producer, int(text))
        if producer is not None:
            return producer
    # compared here, not in SQL: SQLite's lower() leaves letters like É alone
    wanted = text.casefold()
    return next(
        (p for p in db.session.scalars(select(Producer)) if p.name.casefold() == wanted), None
    )


SETTLEMENT_COLUMNS = (
    Column("producent"),
    Column("van", Kind.DATE),
    Column("tot_en_met", Kind.DATE),
    Column("product"),
    Column("eenheid"),
    Column("aantal", Kind.QUANTITY_MILLI),
    Column("omzet_incl_btw", Kind.MONEY_CENTS),
    Column("btw", Kind.MONEY_CENTS),
    Column("omzet_excl_btw", Kind.MONEY_CENTS),
    Column("commissie_pct", Kind.PERCENT),
    Column("commissie", Kind.MONEY_CENTS),
    Column("te_betalen", Kind.MONEY_CENTS),
)
TOTAL_LABEL = "TOTAAL"


def settlement_rows(settlement: Settlement) -> Iterator[list[object]]:
    """Yield the statement as spreadsheet rows: one per product, then the total."""
    head = [settlement.producer.name, settlement.first_day, settlement.last_day]
    percent = Decimal(settlement.commission_percent) if settlement.consignment else None
    for line in settlement.lines:
        yield [
            *head,
            line.name,
            unit_word(line.unit),
            line.quantity_milli,
            line.turnover_cents,
            line.vat_cents,
            line.excl_vat_cents,
            percent,
            line.commission_cents,
            line.owed_cents,
        ]
    yield TotalsRow(
        [
            *head,
            TOTAL_LABEL,
            None,
            None,
            settlement.turnover_cents,
            settlement.vat_cents,
            settlement.excl_vat_cents,
            percent,
            settlement.commission_cents,
            settlement.owed_cents,
        ]
    )


def settlement_export_name(producer: Producer) -> str:
    """Return a producer's statement's name in the audit log, from the CLI and the back office."""
    return f"afrekening {producer.name}"


def export_settlement(
    settlement: Settlement, path: Path, file_format: str, style: CsvStyle = BELGIAN_CSV
) -> int:
    """Write a statement to a CSV or XLSX file; return how many products it lists."""
    write_spreadsheet(
        path,
        SETTLEMENT_COLUMNS,
        settlement_rows(settlement),
        file_format=file_format,
        style=style,
        sheet_title="Afrekening",
    )
    return len(settlement.lines)

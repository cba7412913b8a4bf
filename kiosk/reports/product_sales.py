"""Sales per product over a period: quantity, turnover, VAT, purchase value and margin.

The rules, in one place:

- The period is a range of Brussels business days (both ends included), a sale's day the day
  the till rang it up, as on the turnover page; a point of sale limits it to that shop's sales.
- Quantity is the sold units: pieces (split-bill parts add up to their item), or kg; refunds
  count back. Turnover is the lines' amounts VAT included; refunds net out.
- VAT and base are the lines' shares of their receipts' VAT (kiosk.reports.line_vat), so the
  totals row equals the turnover page for the same period and point of sale, to the cent.
- Purchase value: the quantity sold × the product's purchase price (excl. VAT) as the catalog
  holds it now, rounded half up; a product without a purchase price has none, and no margin.
- Margin = turnover excl. VAT − purchase value; margin % = margin / turnover excl. VAT.
- A category or producer filter keeps the products the catalog puts in it today (sale lines do
  not record them); their VAT is still shared out of whole receipts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kiosk.decimal_text import unit_word
from kiosk.exports.accounting import Export
from kiosk.exports.spreadsheets import Column, Kind, Row
from kiosk.extensions import db
from kiosk.models import Product, SaleLine
from kiosk.money import round_half_up
from kiosk.reports.day_figures import SalesScope
from kiosk.reports.line_vat import LEAD, allocated, line_select
from kiosk.stock.valuation import margin_percent

#: the export's name: its file's, its sheet's and the audit log's
PRODUCT_SALES = "verkopen-per-product"
NO_CATEGORY, NO_PRODUCER = "Zonder categorie", ""


@dataclass(frozen=True)
class ProductFilter:
    """Which lines to add up: a period, and optionally a point of sale, category or producer."""

    first_day: date
    last_day: date
    point_of_sale_id: int | None = None
    category_id: int | None = None
    producer_id: int | None = None


@dataclass
class ProductSales:
    """One product's sales in the period; all money in cents."""

    product_id: int | None
    name: str
    unit: str
    category: str
    producer: str
    purchase_price_cents: int | None
    quantity_milli: int = 0
    gross_cents: int = 0
    vat_cents: int = 0

    @property
    def base_cents(self) -> int:
        """Return the turnover without VAT."""
        return self.gross_cents - self.vat_cents

    @property
    def purchase_cents(self) -> int | None:
        """Return what the goods sold cost, at the product's purchase price."""
        if self.purchase_price_cents is None:
            return None
        return round_half_up(Decimal(self.quantity_milli) * self.purchase_price_cents / 1000)

    @property
    def margin_cents(self) -> int | None:
        """Return the margin without VAT."""
        purchase = self.purchase_cents
        return None if purchase is None else self.base_cents - purchase

    @property
    def margin_percent(self) -> Decimal | None:
        """Return the margin as a percentage of the turnover without VAT."""
        return margin_percent(self.margin_cents, self.base_cents)


@dataclass(frozen=True)
class ProductSalesTotal:
    """The totals row: every product's figures added up."""

    gross_cents: int
    vat_cents: int
    purchase_cents: int
    margin_cents: int
    #: the turnover without VAT of the products with a purchase value
    priced_base_cents: int

    @property
    def base_cents(self) -> int:
        """Return the turnover without VAT."""
        return self.gross_cents - self.vat_cents

    @property
    def margin_percent(self) -> Decimal | None:
        """Return the margin of the products with a purchase value, as a percentage of theirs."""
        return margin_percent(self.margin_cents, self.priced_base_cents)


#: the columns a page or the `sort` parameter can order by, and how
SORT_KEYS: dict[str, Any] = {
    "product": lambda row: (row.name.lower(), row.product_id or 0),
    "quantity": lambda row: row.quantity_milli,
    "gross": lambda row: row.gross_cents,
    "base": lambda row: row.base_cents,
    "vat": lambda row: row.vat_cents,
    "purchase": lambda row: (row.purchase_cents is not None, row.purchase_cents or 0),
    "margin": lambda row: (row.margin_cents is not None, row.margin_cents or 0),
    "margin_percent": lambda row: (row.margin_percent is not None, row.margin_percent or 0),
}
DEFAULT_SORT = "-gross"


def sorted_sales(rows: list[ProductSales], sort: str) -> list[ProductSales]:
    """Order products by a `SORT_KEYS` column, "-" first for highest first; then by name."""
    key = SORT_KEYS[sort.lstrip("-")]
    by_name = sorted(rows, key=SORT_KEYS["product"])
    return sorted(by_name, key=key, reverse=sort.startswith("-"))


def get_product_sales(chosen: ProductFilter) -> list[ProductSales]:
    """Add up the sold lines in the filter per product, highest turnover first."""
    scope = SalesScope(chosen.first_day, chosen.last_day, point_of_sale_id=chosen.point_of_sale_id)
    catalog = {
        product.id: product
        for product in db.session.scalars(
            select(Product).options(selectinload(Product.category), selectinload(Product.producer))
        )
    }
    rows = db.session.execute(
        scope.where(
            line_select(
                SaleLine.product_id, SaleLine.description, SaleLine.unit, SaleLine.quantity_milli
            )
        )
    )
    sums: dict[tuple[int | None, str], ProductSales] = {}
    for line, vat in allocated(rows):
        product_id, description, unit, quantity_milli = line[LEAD:]
        product = catalog.get(product_id) if product_id is not None else None
        if not wanted(product, chosen):
            continue
        key = (product_id, "" if product is not None else description)
        entry = sums.get(key)
        if entry is None:
            entry = sums[key] = new_entry(product, description, unit)
        entry.quantity_milli += int(quantity_milli)
        entry.gross_cents += int(line[2])
        entry.vat_cents += vat
    return sorted_sales(list(sums.values()), DEFAULT_SORT)


def wanted(product: Product | None, chosen: ProductFilter) -> bool:
    """Return whether a line's product passes the category and producer filters."""
    if chosen.category_id is not None and (
        product is None or product.category_id != chosen.category_id
    ):
        return False
    return chosen.producer_id is None or (
        product is not None and product.producer_id == chosen.producer_id
    )


def new_entry(product: Product | None, description: str, unit: str) -> ProductSales:
    """Start a product's sums (a line without a product goes by its description)."""
    if product is None:
        return ProductSales(None, description, unit, NO_CATEGORY, NO_PRODUCER, None)
    return ProductSales(
        product.id,
        product.name,
        product.unit,
        product.category.name if product.category else NO_CATEGORY,
        product.producer.name if product.producer else NO_PRODUCER,
        product.purchase_price_cents,
    )


def product_sales_total(rows: list[ProductSales]) -> ProductSalesTotal:
    """Add the products up; purchase value and margin cover the products that have one."""
    priced = [row for row in rows if row.purchase_cents is not None]
    return ProductSalesTotal(
        gross_cents=sum(row.gross_cents for row in rows),
        vat_cents=sum(row.vat_cents for row in rows),
        purchase_cents=sum(row.purchase_cents or 0 for row in priced),
        margin_cents=sum(row.margin_cents or 0 for row in priced),
        priced_base_cents=sum(row.base_cents for row in priced),
    )


PRODUCT_SALES_COLUMNS = (
    Column("van", Kind.DATE),
    Column("tot_en_met", Kind.DATE),
    Column("verkooppunt"),
    Column("product_id", Kind.INTEGER),
    Column("product"),
    Column("categorie"),
    Column("producent"),
    Column("eenheid"),
    Column("hoeveelheid", Kind.QUANTITY_MILLI),
    Column("omzet_incl_btw", Kind.MONEY_CENTS),
    Column("btw", Kind.MONEY_CENTS),
    Column("omzet_excl_btw", Kind.MONEY_CENTS),
    Column("aankoopwaarde", Kind.MONEY_CENTS),
    Column("marge", Kind.MONEY_CENTS),
    Column("marge_pct", Kind.PERCENT),
)


def product_sales_export(chosen: ProductFilter, point_code: str = "") -> Export:
    """Return the sales per product as an export (one row per product)."""
    return Export(PRODUCT_SALES, PRODUCT_SALES_COLUMNS, product_sales_rows(chosen, point_code))


def product_sales_rows(chosen: ProductFilter, point_code: str) -> Iterator[Row]:
    """Yield the product sales as spreadsheet rows, highest turnover first."""
    for row in get_product_sales(chosen):
        yield (
            chosen.first_day,
            chosen.last_day,
            point_code,
            row.product_id,
            row.name,
            row.category,
            row.producer,
            unit_word(row.unit),
            row.quantity_milli,
            row.gross_cents,
            row.vat_cents,
            row.base_cents,
            row.purchase_cents,
            row.margin_cents,
            row.margin_percent,
        )

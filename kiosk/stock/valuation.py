"""Stock valuation: what the goods on hand cost, what they would sell for, and the margin.

The rules, in one place:

- On-hand is the stock ledger's balance per product over every location (negative stock is
  counted as it stands, and flagged).
- Purchase value: on-hand × purchase price (taken to exclude VAT). Lots carry the price they
  were delivered at; when a product has several lots on hand, their prices are averaged by
  quantity. Lots without a price, and goods without a lot, take the product's purchase price.
  When some goods on hand have no price at all, the product is flagged "geen aankoopprijs" and
  has no purchase value or margin.
- Sale value VAT included: on-hand × today's price. Without VAT: minus the VAT that amount
  contains at today's rate (`money.vat_included_cents`, the receipts' rule), for take-away
  unless every point of sale of the product serves to eat in.
- Margin = sale value without VAT − purchase value; margin % = margin / sale value without VAT.
  Per category and in total they cover only the products that have a purchase value.
- Goods of a consignment producer are on the shelf but the producer's until sold: their value is
  shown apart (`consignment`, `consignment_purchase_cents`) from the shop's own stock (`own`,
  `own_purchase_cents`), which is what the shop owns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from kiosk import money
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
from kiosk.models import Lot, Product, StockBalance
from kiosk.models.rules import basis_points_to_rate
from kiosk.models.types import Consumption, utcnow
from kiosk.periods import business_day
from kiosk.sales.queries import get_vat_rates

NO_PURCHASE_PRICE = "no_purchase_price"
NEGATIVE_STOCK = "negative_stock"
NO_VAT_RATE = "no_vat_rate"
#: the flags as the spreadsheets write them (fixed Dutch, like the headers)
FLAG_TEXTS = {
    NO_PURCHASE_PRICE: "geen aankoopprijs",
    NEGATIVE_STOCK: "negatieve voorraad",
    NO_VAT_RATE: "geen btw-tarief",
}


def margin_percent(margin_cents: int | None, sale_excl_cents: int | None) -> Decimal | None:
    """Return a margin as a percentage of the sale value without VAT, to one decimal."""
    if margin_cents is None or not sale_excl_cents:
        return None
    percent = Decimal(margin_cents) * 100 / Decimal(sale_excl_cents)
    return percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ProductValue:
    """One product's stock, valued."""

    product: Product
    quantity_milli: int
    purchase_cents: int | None  # None: some goods on hand have no purchase price
    sale_incl_cents: int
    sale_excl_cents: int | None  # None: no VAT rate is known for the product
    vat_rate: Decimal | None

    @property
    def consignment(self) -> bool:
        """Return whether the goods are a consignment producer's until sold, not the shop's."""
        producer = self.product.producer
        return producer is not None and producer.consignment

    @property
    def margin_cents(self) -> int | None:
        """Return the margin without VAT."""
        if self.purchase_cents is None or self.sale_excl_cents is None:
            return None
        return self.sale_excl_cents - self.purchase_cents

    @property
    def margin_percent(self) -> Decimal | None:
        """Return the margin as a percentage of the sale value without VAT."""
        return margin_percent(self.margin_cents, self.sale_excl_cents)

    @property
    def flags(self) -> list[str]:
        """Return what needs attention: no purchase price, negative stock."""
        flags = [NO_PURCHASE_PRICE] if self.purchase_cents is None else []
        flags += [NO_VAT_RATE] if self.vat_rate is None else []
        return flags + ([NEGATIVE_STOCK] if self.quantity_milli < 0 else [])


@dataclass
class GroupValue:
    """A category's (or the whole stock's) products, valued together."""

    name: str | None
    product_count: int = 0
    unpriced_count: int = 0  # products without a margin: no purchase price (or VAT rate)
    purchase_cents: int = 0  # of the products with a purchase value
    sale_incl_cents: int = 0
    sale_excl_cents: int = 0
    priced_sale_excl_cents: int = 0  # of the products with a purchase value
    consignment_purchase_cents: int = 0

    def add(self, value: ProductValue) -> None:
        """Count one product in."""
        self.product_count += 1
        self.sale_incl_cents += value.sale_incl_cents
        self.sale_excl_cents += value.sale_excl_cents or 0
        if value.purchase_cents is None or value.sale_excl_cents is None:
            self.unpriced_count += 1
            return
        self.purchase_cents += value.purchase_cents
        self.priced_sale_excl_cents += value.sale_excl_cents
        if value.consignment:
            self.consignment_purchase_cents += value.purchase_cents

    @property
    def own_purchase_cents(self) -> int:
        """Return the purchase value of the goods the shop owns (consignment goods left out)."""
        return self.purchase_cents - self.consignment_purchase_cents

    @property
    def margin_cents(self) -> int:
        """Return the margin without VAT of the products with a purchase value."""
        return self.priced_sale_excl_cents - self.purchase_cents

    @property
    def margin_percent(self) -> Decimal | None:
        """Return the margin as a percentage of those products' sale value without VAT."""
        return margin_percent(self.margin_cents, self.priced_sale_excl_cents)


@dataclass
class StockValuation:
    """The stock valued per product and per category, with the total."""

    day: date
    products: list[ProductValue] = field(default_factory=list)
    categories: list[GroupValue] = field(default_factory=list)
    total: GroupValue = field(default_factory=lambda: GroupValue(None))
    #: the goods the shop owns, and the consignment goods the producers own until sold
    own: GroupValue = field(default_factory=lambda: GroupValue(None))
    consignment: GroupValue = field(default_factory=lambda: GroupValue(None))


def purchase_value(
    net_milli: int, parts: list[tuple[int, int | None]], product_price: int | None
) -> int | None:
    """Value the net on-hand at the quantity-weighted price of the lots on hand.

    `parts` are (quantity in thousandths, lot price or None) per price; None takes the product's
    price. Negative parts (goods sold that the ledger lacked) are not on hand: they only lower
    the net quantity. With nothing positive on hand, the product's price applies.
    """
    on_hand = [(milli, price) for milli, price in parts if milli > 0] or [(1, None)]
    prices = [(milli, product_price if price is None else price) for milli, price in on_hand]
    if any(price is None for _, price in prices):
        return None
    weighted = sum(milli * price for milli, price in prices if price is not None)
    total_milli = sum(milli for milli, _ in prices)
    return money.round_half_up(Decimal(net_milli) * weighted / (Decimal(total_milli) * 1000))


def consumption_of(product: Product) -> str:
    """Return where a product is consumed: take-away, unless it is only sold to eat in."""
    kinds = {pos.default_consumption for pos in product.points_of_sale}
    return Consumption.EAT_IN if kinds == {Consumption.EAT_IN} else Consumption.TAKEAWAY


def get_stock_valuation() -> StockValuation:
    """Value every product with stock on hand, per product and per category."""
    day = business_day(utcnow())
    rows = db.session.execute(
        select(
            StockBalance.product_id,
            Lot.purchase_price_cents,
            func.sum(StockBalance.quantity_milli),
        )
        .outerjoin(Lot, Lot.id == StockBalance.lot_id)
        .group_by(StockBalance.product_id, Lot.purchase_price_cents)
    ).all()
    parts: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for product_id, lot_price, milli in rows:
        if milli:
            parts[product_id].append((int(milli), lot_price))
    products = db.session.scalars(
        select(Product)
        .where(Product.id.in_(list(parts)))
        .options(
            selectinload(Product.points_of_sale),
            selectinload(Product.category),
            selectinload(Product.producer),
        )
    ).all()
    rates = get_vat_rates(day)
    values = []
    for product in products:
        net = sum(milli for milli, _ in parts[product.id])
        if net == 0:
            continue
        basis_points = rates.get((product.vat_class, consumption_of(product)))
        rate = None if basis_points is None else basis_points_to_rate(basis_points)
        sale_incl = money.line_amount_cents(product.price_cents, Decimal(net) / 1000)
        sale_excl = None
        if rate is not None:
            sale_excl = sale_incl - money.vat_included_cents(sale_incl, rate)
        purchase = purchase_value(net, parts[product.id], product.purchase_price_cents)
        values.append(ProductValue(product, net, purchase, sale_incl, sale_excl, rate))
    return group_valuation(day, values)


def group_valuation(day: date, values: Iterable[ProductValue]) -> StockValuation:
    """Sort the products by category and name, and add them up per category and in total."""

    def category_order(value: ProductValue) -> tuple[bool, int, str, str]:
        category = value.product.category
        if category is None:
            return (True, 0, "", value.product.name.lower())
        return (False, category.position, category.name.lower(), value.product.name.lower())

    valuation = StockValuation(day, products=sorted(values, key=category_order))
    groups: dict[int | None, GroupValue] = {}
    for value in valuation.products:
        category = value.product.category
        key = category.id if category else None
        if key not in groups:
            groups[key] = GroupValue(category.name if category else None)
            valuation.categories.append(groups[key])
        groups[key].add(value)
        valuation.total.add(value)
        (valuation.consignment if value.consignment else valuation.own).add(value)
    return valuation


PRODUCT_COLUMNS = (
    Column("categorie"),
    Column("product"),
    Column("producent"),
    Column("consignatie"),
    Column("eenheid"),
    Column("voorraad", Kind.QUANTITY_MILLI),
    Column("aankoopwaarde", Kind.MONEY_CENTS),
    Column("verkoopprijs", Kind.MONEY_CENTS, summed=False),
    Column("btw_pct", Kind.PERCENT),
    Column("verkoopwaarde_incl_btw", Kind.MONEY_CENTS),
    Column("verkoopwaarde_excl_btw", Kind.MONEY_CENTS),
    Column("marge", Kind.MONEY_CENTS),
    Column("marge_pct", Kind.PERCENT),
    Column("opmerking"),
)
CATEGORY_COLUMNS = (
    Column("categorie"),
    Column("producten", Kind.INTEGER),
    Column("zonder_aankoopprijs", Kind.INTEGER),
    Column("aankoopwaarde", Kind.MONEY_CENTS),
    Column("verkoopwaarde_incl_btw", Kind.MONEY_CENTS),
    Column("verkoopwaarde_excl_btw", Kind.MONEY_CENTS),
    Column("marge", Kind.MONEY_CENTS),
    Column("marge_pct", Kind.PERCENT),
    Column("aankoopwaarde_eigen", Kind.MONEY_CENTS),
    Column("aankoopwaarde_consignatie", Kind.MONEY_CENTS),
)
NO_CATEGORY = "zonder categorie"
TOTAL_LABEL = "TOTAAL"


def product_rows(valuation: StockValuation) -> Iterator[list[object]]:
    """Yield one spreadsheet row per product."""
    for value in valuation.products:
        product = value.product
        yield [
            product.category.name if product.category else NO_CATEGORY,
            product.name,
            product.producer.name if product.producer else "",
            "ja" if value.consignment else "nee",
            unit_word(product.unit),
            value.quantity_milli,
            value.purchase_cents,
            product.price_cents,
            value.vat_rate,
            value.sale_incl_cents,
            value.sale_excl_cents,
            value.margin_cents,
            value.margin_percent,
            ", ".join(FLAG_TEXTS[flag] for flag in value.flags),
        ]


def category_rows(valuation: StockValuation) -> Iterator[list[object]]:
    """Yield one spreadsheet row per category, then the total."""
    for group in [*valuation.categories, valuation.total]:
        name = group.name or (NO_CATEGORY if group is not valuation.total else TOTAL_LABEL)
        row = [
            name,
            group.product_count,
            group.unpriced_count,
            group.purchase_cents,
            group.sale_incl_cents,
            group.sale_excl_cents,
            group.margin_cents,
            group.margin_percent,
            group.own_purchase_cents,
            group.consignment_purchase_cents,
        ]
        yield TotalsRow(row) if group is valuation.total else row


#: the valuation's names in the audit log, per product or per category, from CLI and back office
VALUATION_EXPORT_NAMES = {
    "product": "voorraadwaarde per product",
    "category": "voorraadwaarde per categorie",
}


def export_stock_valuation(
    valuation: StockValuation,
    path: Path,
    file_format: str,
    *,
    per: str = "product",
    style: CsvStyle = BELGIAN_CSV,
) -> int:
    """Write the valuation per product or per category to CSV or XLSX; return how many rows."""
    columns, rows, title = valuation_table(valuation, per)
    return write_spreadsheet(
        path, columns, rows, file_format=file_format, style=style, sheet_title=title
    )


def valuation_table(
    valuation: StockValuation, per: str
) -> tuple[Sequence[Column], Iterator[list[object]], str]:
    """Return the columns, rows and sheet title of the table per product or per category."""
    if per == "category":
        return CATEGORY_COLUMNS, category_rows(valuation), "Per categorie"
    return PRODUCT_COLUMNS, product_rows(valuation), "Voorraadwaarde"

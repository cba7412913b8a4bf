"""Price what a till asks to sell: products it may sell, quantities, VAT rates, payment methods.

Sales, bistro tabs, customers' orders and vending machines check and price their lines here,
so a product, a quantity or a method is refused the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, TypeVar

from flask_babel import lazy_gettext as _l

from kiosk import money
from kiosk.errors import OperationError
from kiosk.models import SaleLine, Till
from kiosk.models.types import Consumption, Unit
from kiosk.sales.sale_catalog import current_catalog
from kiosk.sales.sale_rows import new_row


class SellableProduct(Protocol):
    """What a sale reads of a product: a Product row, or one kept in the sale catalog."""

    @property
    def name(self) -> str:
        """The name on the receipt or tile."""

    @property
    def active(self) -> bool:
        """Whether it may be used now."""

    @property
    def unit(self) -> str:
        """The unit it is sold by: piece or kg."""


Sellable = TypeVar("Sellable", bound=SellableProduct)


@dataclass(frozen=True)
class OrderLine:
    """One wanted product and its quantity (pieces, or kg for weighed products)."""

    product_id: int
    quantity: Decimal


def vat_rate(rates: dict[tuple[str, str], int], vat_class: str, consumption: str, name: str) -> int:
    """Return the VAT rate (basis points) of a VAT class and consumption; refuse a missing one."""
    rate = rates.get((vat_class, consumption))
    if rate is None:
        raise OperationError(
            422, "vat_rate_missing", _l("Er is geen btw-tarief voor %(name)s.", name=name)
        )
    return rate


#: the consumptions an order may name
CONSUMPTIONS = frozenset(Consumption)


def priced_lines(
    till: Till,
    wanted_lines: Sequence[OrderLine],
    consumption: str,
    rates: dict[tuple[str, str], int],
) -> list[SaleLine]:
    """Price each wanted line at today's price and VAT rate."""
    if consumption not in CONSUMPTIONS:
        raise OperationError(422, "invalid_consumption", _l("Kies meenemen of ter plaatse."))
    products = current_catalog().products_of(till.point_of_sale_id)
    lines = []
    for position, wanted in enumerate(wanted_lines, start=1):
        product = sellable_product(products.get(wanted.product_id))
        check_quantity(product, wanted.quantity)
        rate = vat_rate(rates, product.vat_class, consumption, product.name)
        lines.append(sale_line(position, product, wanted.quantity, product.price_cents, rate))
    return lines


class PricedProduct(Protocol):
    """What a sale line records of its product: a Product row, or one of the sale catalog."""

    @property
    def id(self) -> int:
        """The row id."""

    @property
    def name(self) -> str:
        """The name on the receipt."""

    @property
    def unit(self) -> str:
        """The unit it is sold by: piece or kg."""

    @property
    def vat_class(self) -> str:
        """Its VAT class."""


def sale_line(
    position: int, product: PricedProduct, quantity: Decimal, unit_price_cents: int, rate: int
) -> SaleLine:
    """Return a new sale line: a quantity of a product at a unit price and VAT rate (basis points).

    It is written with Core by store_sale, with the sale it belongs to.
    """
    columns = {
        "position": position,
        "product_id": product.id,
        "description": product.name,
        "unit": product.unit,
        "quantity_milli": int(quantity * 1000),
        "unit_price_cents": unit_price_cents,
        "amount_cents": money.line_amount_cents(unit_price_cents, quantity),
        "vat_class": product.vat_class,
        "vat_rate_basis_points": rate,
    }
    return new_row(SaleLine, columns)


def sellable_product(product: Sellable | None) -> Sellable:
    """Return the product if the till may sell it now (it came from the till's point of sale)."""
    if product is None:
        raise OperationError(
            422, "unknown_product", _l("Dit product is niet gekend aan deze kassa.")
        )
    if not product.active:
        raise OperationError(
            422,
            "inactive_product",
            _l("%(product)s wordt niet meer verkocht.", product=product.name),
        )
    return product


#: Largest quantity on one line: more is a slip of the finger, not a sale.
MAX_PIECES = Decimal(999)
MAX_KG = Decimal(500)


def check_quantity(product: SellableProduct, quantity: Decimal) -> None:
    """Refuse zero, negative, absurd and wrongly divided quantities."""
    if product.unit == Unit.PIECE:
        if quantity == quantity.to_integral_value() and 0 < quantity <= MAX_PIECES:
            return
        message = _l(
            "Geef voor %(product)s een aantal stuks van 1 tot %(most)s.",
            product=product.name,
            most=MAX_PIECES,
        )
    else:
        exponent = quantity.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= -3 and 0 < quantity <= MAX_KG:
            return
        message = _l(
            "Geef voor %(product)s een gewicht tot %(most)s kg, op de gram.",
            product=product.name,
            most=MAX_KG,
        )
    raise OperationError(422, "invalid_quantity", message)


def payments_by_method(
    payments: tuple[tuple[str, int], ...], accepted: list[str]
) -> dict[str, int]:
    """Add up the payments per method, refusing methods this point of sale does not take."""
    totals: dict[str, int] = {}
    for method, amount in payments:
        if method not in accepted:
            raise OperationError(
                422,
                "payment_method_not_accepted",
                _l("Deze kassa neemt deze betaalwijze niet aan."),
            )
        totals[method] = totals.get(method, 0) + amount
    return totals

"""Bulk edits of products: one change for many products, previewed, then applied as one entry.

A price changes by a percentage or an amount and is rounded to whole cents, or to 5 or 10
cents, half up, in integer and Decimal arithmetic (never a float). The other fields are set to
one value for every chosen product. Applying checks everything first and changes nothing on a
refusal; it records one audit entry (`products_bulk_changed`) listing every product changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from kiosk.audit import log as audit
from kiosk.catalog.audit_entries import product_fields
from kiosk.catalog.operations import MAX_PRICE_CENTS, CatalogError
from kiosk.models import Category, Producer, Product

#: the roundings a bulk price change offers, in cents
ROUNDINGS = (1, 5, 10)
#: the fields a bulk edit sets to one value, as the audit log names them
SET_FIELDS = ("category", "producer", "vat_class", "active", "minimum_stock_milli")


@dataclass(frozen=True)
class BulkChange:
    """What to do to every chosen product; fields left out of `values` stay as they are.

    `values` holds Category or None for "category", Producer or None for "producer", a VAT
    class, a bool for "active", thousandths or None for "minimum_stock_milli".
    """

    price_percent: Decimal | None = None
    price_amount_cents: int | None = None
    round_to_cents: int = 1
    values: dict[str, Any] = field(default_factory=dict)

    def changes_price(self) -> bool:
        """Return whether the change touches the price."""
        return self.price_percent is not None or self.price_amount_cents is not None


def new_price(old_cents: int, change: BulkChange) -> int:
    """Return a price after the change, rounded half up to the change's multiple of cents."""
    exact = Decimal(old_cents)
    if change.price_percent is not None:
        exact = exact * (Decimal(100) + change.price_percent) / Decimal(100)
    if change.price_amount_cents is not None:
        exact += change.price_amount_cents
    step = Decimal(change.round_to_cents)
    return int((exact / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)


@dataclass(frozen=True)
class ProductChange:
    """One product's fields before and after the change (only the fields that change)."""

    product: Product
    before: dict[str, Any]
    after: dict[str, Any]


def plan_bulk_change(products: Sequence[Product], change: BulkChange) -> list[ProductChange]:
    """Work out each product's before → after without changing anything; refuse a bad change."""
    if not products:
        raise CatalogError(422, "no_products", _l("Kies minstens één product."))
    if change.round_to_cents not in ROUNDINGS:
        raise CatalogError(422, "bad_rounding", _l("Rond af op 1, 5 of 10 cent."), "rounding")
    if not change.changes_price() and not change.values:
        raise CatalogError(422, "no_change", _l("Kies wat er moet veranderen."))
    plans = []
    for product in products:
        old = product_fields(product)
        wanted = dict(after_values(change))
        if change.changes_price():
            wanted["price_cents"] = new_price(product.price_cents, change)
            if wanted["price_cents"] <= 0:
                message = _l(
                    "De nieuwe prijs van %(name)s zou 0 of minder zijn. Kies een kleinere daling.",
                    name=product.name,
                )
                raise CatalogError(422, "price_not_positive", message, "price_value")
            if wanted["price_cents"] > MAX_PRICE_CENTS:
                message = _l("De nieuwe prijs van %(name)s is te hoog.", name=product.name)
                raise CatalogError(422, "price_too_high", message, "price_value")
        after = {key: value for key, value in wanted.items() if old.get(key) != value}
        if after:
            plans.append(ProductChange(product, {key: old.get(key) for key in after}, after))
    return plans


def after_values(change: BulkChange) -> dict[str, Any]:
    """Return the set fields as the audit log stores them (names for related rows)."""
    stored = {}
    for key, value in change.values.items():
        stored[key] = value.name if isinstance(value, (Category, Producer)) else value
    return stored


def apply_bulk_change(products: Sequence[Product], change: BulkChange) -> list[ProductChange]:
    """Apply the change to every chosen product and record one audit entry (no commit)."""
    plans = plan_bulk_change(products, change)
    for plan in plans:
        product = plan.product
        if "price_cents" in plan.after:
            product.price_cents = plan.after["price_cents"]
        for key in SET_FIELDS:
            if key in plan.after:
                setattr(product, key, change.values[key])
    if plans:
        audit.record(
            "products_bulk_changed",
            subject=f"products:{len(plans)}",
            before={"products": {str(plan.product.id): named(plan, plan.before) for plan in plans}},
            after={"products": {str(plan.product.id): named(plan, plan.after) for plan in plans}},
        )
    return plans


def named(plan: ProductChange, values: dict[str, Any]) -> dict[str, Any]:
    """Return a product's changed fields with its name, as the audit entry keeps them."""
    return {"name": plan.product.name, "unit": str(plan.product.unit), **values}

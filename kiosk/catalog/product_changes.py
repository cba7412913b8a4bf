"""What a products file would change in a product, field by field, in the shop's Dutch words.

"Boerenbrood: prijs 3,80 € → 3,95 €; categorie Brood → Bakkerij": the import's preview lists one
such line per changed product, so nobody saves a file without seeing what it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale

from kiosk.catalog.vat_classes import VAT_CLASS_LABELS
from kiosk.decimal_text import milli_text
from kiosk.models import Product
from kiosk.models.types import PREPARATIONS, Unit, VatClass
from kiosk.money import euro_text

#: a product's field → its name in the products file's language, in the order a change lists them
FIELD_WORDS = {
    "name": "naam",
    "price_cents": "prijs",
    "category": "categorie",
    "producer": "producent",
    "points_of_sale": "verkooppunten",
    "unit": "eenheid",
    "vat_class": "btw-klasse",
    "barcode": "barcode",
    "pictogram": "pictogram",
    "purchase_price_cents": "aankoopprijs",
    "stock_tracked": "voorraad bijhouden",
    "minimum_stock_milli": "minimum",
    "active": "actief",
    "preparation": "bereiding",
}
FIELD_ORDER = {key: position for position, key in enumerate(FIELD_WORDS)}
NOTHING = "—"


@dataclass(frozen=True)
class FieldChange:
    """One field of a product: its Dutch name, what it holds now and what the file gives."""

    field: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.field} {self.before} → {self.after}"


@dataclass(frozen=True)
class ProductChange:
    """A product the file changes, with every field it changes."""

    name: str
    fields: tuple[FieldChange, ...]

    def __str__(self) -> str:
        return f"{self.name}: " + "; ".join(str(change) for change in self.fields)


def value_text(key: str, value: Any) -> str:
    """Write a product field's value as the preview shows it: '3,80 €', 'Brood', 'HW, BI'."""
    if value is None or value == "":
        return NOTHING
    if key in ("price_cents", "purchase_price_cents"):
        return euro_text(value)
    if key in ("category", "producer"):
        return str(value.name)
    if key == "points_of_sale":
        return ", ".join(sorted(pos.code for pos in value)) or NOTHING
    if key == "unit":
        return "kg" if value == Unit.KG else "stuk"
    if key == "vat_class":
        with force_locale("nl"):
            return str(VAT_CLASS_LABELS[VatClass(value)])
    if key in ("stock_tracked", "active"):
        return "ja" if value else "nee"
    if key == "minimum_stock_milli":
        return milli_text(value)
    if key == "preparation":
        return PREPARATIONS.get(value, value)
    return str(value)


def product_change(product: Product, values: dict[str, Any]) -> ProductChange | None:
    """Describe how `values` would change the product, field by field; None when they don't."""
    changes = []
    for key in sorted(values, key=lambda name: FIELD_ORDER.get(name, len(FIELD_ORDER))):
        before, after = value_text(key, getattr(product, key)), value_text(key, values[key])
        if before != after:
            changes.append(FieldChange(FIELD_WORDS.get(key, key), before, after))
    return ProductChange(product.name, tuple(changes)) if changes else None

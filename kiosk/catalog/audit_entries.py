"""What the audit log keeps of a product change: the fields before and after, and a sentence."""

from __future__ import annotations

from typing import Any

from kiosk.audit import log as audit
from kiosk.models import AuditEntry, Product
from kiosk.money import format_euro


def product_fields(product: Product) -> dict[str, Any]:
    """Return the product's fields the audit log compares (names for related rows)."""
    return {
        "name": product.name,
        "price_cents": product.price_cents,
        "vat_class": str(product.vat_class) if product.vat_class is not None else None,
        "unit": str(product.unit) if product.unit is not None else None,
        "purchase_price_cents": product.purchase_price_cents,
        "barcode": product.barcode,
        "active": product.active,
        "stock_tracked": product.stock_tracked,
        "minimum_stock_milli": product.minimum_stock_milli,
        "preparation": product.preparation,
        "net_quantity": (
            f"{product.net_quantity} {product.net_unit}" if product.net_quantity else None
        ),
        "category": product.category.name if product.category is not None else None,
        "producer": product.producer.name if product.producer is not None else None,
        "points_of_sale": sorted(pos.code for pos in product.points_of_sale),
    }


def record_product_added(product: Product, *, via: str = "") -> AuditEntry:
    """Log a new product with its price and VAT class; `via` names an import, if one."""
    return audit.record(
        "product_added",
        subject=f"product:{product.id}",
        summary=f"Product {product.name} toegevoegd aan {euro(product.price_cents)}{via}.",
        after=product_fields(product),
    )


def record_product_change(
    product: Product, before: dict[str, Any], *, via: str = ""
) -> AuditEntry | None:
    """Log the fields of a product that changed since `before`; nothing when none did."""
    old, new = audit.changed_fields(before, product_fields(product))
    if not new:
        return None
    parts = []
    if "price_cents" in new:
        parts.append(f"prijs {euro(old['price_cents'])} → {euro(new['price_cents'])}")
    if "vat_class" in new:
        parts.append(f"btw-klasse {old['vat_class']} → {new['vat_class']}")
    others = sorted(set(new) - {"price_cents", "vat_class"})
    if others:
        parts.append(", ".join(others))
    return audit.record(
        "product_changed",
        subject=f"product:{product.id}",
        summary=f"Product {product.name} gewijzigd{via}: {'; '.join(parts)}.",
        before=old,
        after=new,
    )


def euro(cents: int | None) -> str:
    """Write an amount as people read it: € 2,80."""
    return "—" if cents is None else f"€ {format_euro(cents)}"

"""JSON documents the API answers with; money stays integer cents, rates and quantities strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import url_for

from kiosk import money
from kiosk.decimal_text import quantity_text, rate_text
from kiosk.models import Category, Product, Sale, User
from kiosk.periods import business_day


def pictogram_url(pictogram: str | None, photo: str | None) -> str | None:
    """Return the URL of a photo when there is one, else of the OpenMoji pictogram."""
    if photo:
        return url_for("till.media", filename=photo)
    if pictogram:
        return url_for("till.pictogram", code=pictogram)
    return None


def product_document(product: Product, rate: Decimal | None) -> dict[str, Any]:
    """Describe a product for the till's catalog."""
    return {
        "id": product.id,
        "name": product.name,
        "price_cents": product.price_cents,
        "unit": product.unit,
        "vat_rate": rate_text(rate) if rate is not None else None,
        "barcode": product.barcode,
        "category_id": product.category_id,
        "pictogram_url": pictogram_url(product.pictogram, product.photo),
    }


def category_document(category: Category) -> dict[str, Any]:
    """Describe a category tile."""
    return {
        "id": category.id,
        "name": category.name,
        "pictogram_url": pictogram_url(category.pictogram, None),
    }


def operator_document(user: User) -> dict[str, Any]:
    """Describe a person who can run the till."""
    return {
        "id": user.id,
        "name": user.name,
        "role": user.role,
        "photo_url": pictogram_url(user.pictogram, user.photo),
        "has_pin": user.pin_hash is not None,
        "speech": user.speech,
        "sound": user.sound,
        "tile_size": user.tile_size,
        "large_digits": user.large_digits,
    }


def sale_document(sale: Sale) -> dict[str, Any]:
    """Describe a stored sale, with everything its receipt shows."""
    vat = money.vat_breakdown((line.vat_rate, line.amount_cents) for line in sale.lines)
    return {
        "id": sale.id,
        "ticket_number": sale.ticket_number,
        "receipt_number": sale.receipt_number,
        "till": sale.till.code,
        "point_of_sale": sale.point_of_sale.code,
        "operator": {"id": sale.operator.id, "name": sale.operator.name},
        "created_at": sale.created_at.isoformat(),
        "rung_up_at": sale.rung_up_at.isoformat(),
        "business_day": business_day(sale.rung_up_at).isoformat(),
        "late": sale.late,
        "consumption": sale.consumption,
        "lines": [
            {
                "product_id": line.product_id,
                "description": line.description,
                "quantity": quantity_text(line.quantity, line.unit),
                "unit": line.unit,
                "unit_price_cents": line.unit_price_cents,
                "amount_cents": line.amount_cents,
                "vat_rate": rate_text(line.vat_rate),
            }
            for line in sale.lines
        ],
        "payments": [
            {"method": payment.method, "amount_cents": payment.amount_cents}
            | ({"reference": payment.reference} if payment.reference else {})
            for payment in sale.payments
        ],
        "total_cents": sale.total_cents,
        "rounding_cents": sale.rounding_cents,
        "change_cents": sale.change_cents,
        "change": [
            {"value_cents": value, "count": count}
            for value, count in money.change_pieces(sale.change_cents)
        ],
        "vat": [
            {
                "rate": rate_text(summary.rate),
                "base_cents": summary.base_cents,
                "vat_cents": summary.vat_cents,
                "total_cents": summary.total_cents,
            }
            for summary in vat
        ],
    }

"""Read sales and the rules they follow: VAT rates, thresholds, a sale by id or idempotency key."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from kiosk.database import get_row
from kiosk.extensions import db
from kiosk.models import Sale, Threshold, VatRate


def get_vat_rates(day: date) -> dict[tuple[str, str], int]:
    """Return the rate in basis points per (VAT class, consumption) in force on `day`."""
    rows = db.session.scalars(
        select(VatRate).where(VatRate.valid_from <= day).order_by(VatRate.valid_from)
    )
    return {(row.vat_class, row.consumption): row.rate_basis_points for row in rows}


def get_threshold(name: str, day: date) -> int | None:
    """Return the amount of a legal threshold in force on `day`, if one is set."""
    return db.session.scalar(
        select(Threshold.value_cents)
        .where(Threshold.name == name, Threshold.valid_from <= day)
        .order_by(Threshold.valid_from.desc())
        .limit(1)
    )


def get_sale_by_key(till_id: int, idempotency_key: str) -> Sale | None:
    """Return the sale a till made with this idempotency key, if any."""
    return db.session.scalar(
        select(Sale).where(Sale.till_id == till_id, Sale.idempotency_key == idempotency_key)
    )


def get_sale(sale_id: int) -> Sale | None:
    """Return a sale with its lines and payments."""
    return get_row(Sale, sale_id)

"""Read sales and the rules they follow: VAT rates, thresholds, a sale by id or idempotency key."""

from __future__ import annotations

from datetime import date
from typing import cast

from sqlalchemy import Table, bindparam, select

from kiosk.database import get_row
from kiosk.driver_sql import DriverStatement
from kiosk.extensions import db
from kiosk.models import Sale, Threshold, VatRate

# Every sale reads these: built once, as building a statement costs more than running it.
VAT_RATES = (
    select(VatRate.vat_class, VatRate.consumption, VatRate.rate_basis_points)
    .where(VatRate.valid_from <= bindparam("day"))
    .order_by(VatRate.valid_from)
)
THRESHOLD = (
    select(Threshold.value_cents)
    .where(Threshold.name == bindparam("name"), Threshold.valid_from <= bindparam("day"))
    .order_by(Threshold.valid_from.desc())
    .limit(1)
)
SALE_TABLE = cast(Table, Sale.__table__)
#: Core, on the session's connection: a new sale's key finds nothing, and an ORM query that
#: finds nothing still costs its ORM set-up
SALE_ID_BY_KEY = DriverStatement(
    select(SALE_TABLE.c.id).where(
        SALE_TABLE.c.till_id == bindparam("till_id"),
        SALE_TABLE.c.idempotency_key == bindparam("key"),
    )
)
SALE_BY_KEY = select(Sale).where(
    Sale.till_id == bindparam("till_id"), Sale.idempotency_key == bindparam("key")
)


def get_vat_rates(day: date) -> dict[tuple[str, str], int]:
    """Return the rate in basis points per (VAT class, consumption) in force on `day`."""
    rows = db.session.execute(VAT_RATES, {"day": day})
    return {(vat_class, consumption): rate for vat_class, consumption, rate in rows}


def get_threshold(name: str, day: date) -> int | None:
    """Return the amount of a legal threshold in force on `day`, if one is set."""
    return db.session.scalar(THRESHOLD, {"name": name, "day": day})


def get_sale_by_key(till_id: int, idempotency_key: str) -> Sale | None:
    """Return the sale a till made with this idempotency key, if any."""
    return db.session.scalar(SALE_BY_KEY, {"till_id": till_id, "key": idempotency_key})


def get_sale_id_by_key(till_id: int, idempotency_key: str) -> int | None:
    """Return the id of the sale a till made with this idempotency key, if any."""
    found = SALE_ID_BY_KEY.scalar(
        db.session.connection(), {"till_id": till_id, "key": idempotency_key}
    )
    return None if found is None else int(found)


def get_sale(sale_id: int) -> Sale | None:
    """Return a sale with its lines and payments."""
    return get_row(Sale, sale_id)

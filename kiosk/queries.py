"""Read-only queries (`get_…`): they never change data."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from kiosk.extensions import db
from kiosk.models import Category, PointOfSale, Product, Sale, Threshold, Till, User, VatRate
from kiosk.models.catalog import product_point_of_sale
from kiosk.models.types import Role

BRUSSELS = ZoneInfo("Europe/Brussels")


def business_day(moment: datetime) -> date:
    """Return the Brussels calendar day a moment falls on."""
    return moment.astimezone(BRUSSELS).date()


def hash_token(token: str) -> str:
    """Hash a till token for storage and look-up (tokens are long and random)."""
    return hashlib.sha256(token.encode()).hexdigest()


def get_till_by_token(token: str) -> Till | None:
    """Return the active till that owns this token, if any."""
    till = db.session.scalar(
        select(Till)
        .where(Till.token_hash == hash_token(token))
        .options(joinedload(Till.point_of_sale))  # every till request needs its point of sale
    )
    return till if till is not None and till.active else None


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


def get_products_for_sale(point_of_sale: PointOfSale, product_ids: set[int]) -> dict[int, Product]:
    """Return those of the wanted products that this point of sale sells, active or not."""
    products = db.session.scalars(
        select(Product)
        .join(product_point_of_sale)
        .where(
            product_point_of_sale.c.point_of_sale_id == point_of_sale.id,
            Product.id.in_(product_ids),
        )
    )
    return {product.id: product for product in products}


def get_catalog_products(point_of_sale: PointOfSale) -> list[Product]:
    """Return the active products of a point of sale, by category and name."""
    return list(
        db.session.scalars(
            select(Product)
            .join(product_point_of_sale)
            .where(
                product_point_of_sale.c.point_of_sale_id == point_of_sale.id,
                Product.active.is_(True),
            )
            # NULLS LAST on both engines (SQLite would put products without a category first)
            .order_by(Product.category_id.asc().nulls_last(), Product.name)
        )
    )


def get_categories(category_ids: set[int]) -> list[Category]:
    """Return these categories in till order."""
    return list(
        db.session.scalars(
            select(Category)
            .where(Category.id.in_(category_ids))
            .order_by(Category.position, Category.name)
        )
    )


def get_operators() -> list[User]:
    """Return the people who may run a till: care users first, then staff and managers."""
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
    order = {Role.CARE: 0, Role.STAFF: 1, Role.MANAGER: 2}
    return sorted(users, key=lambda user: order.get(Role(user.role), 3))


def get_sale_by_key(till_id: int, idempotency_key: str) -> Sale | None:
    """Return the sale a till made with this idempotency key, if any."""
    return db.session.scalar(
        select(Sale).where(Sale.till_id == till_id, Sale.idempotency_key == idempotency_key)
    )


#: ids are 32-bit integers on every engine; a bigger number names no row (and would overflow)
MAX_ROW_ID = 2**31 - 1

Row = TypeVar("Row")


def get_row(model: type[Row], row_id: int) -> Row | None:
    """Return the row with this id, or None (also for ids too big for the database)."""
    return db.session.get(model, row_id) if 0 < row_id <= MAX_ROW_ID else None


def get_sale(sale_id: int) -> Sale | None:
    """Return a sale with its lines and payments."""
    return get_row(Sale, sale_id)

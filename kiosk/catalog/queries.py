"""Read the catalogue: what a point of sale sells, and its categories."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from kiosk.extensions import db
from kiosk.models import Category, PointOfSale, Product
from kiosk.models.catalog import product_point_of_sale

#: built once: every sale reads it
PRODUCTS_FOR_SALE = (
    select(Product)
    .join(product_point_of_sale)
    .where(
        product_point_of_sale.c.point_of_sale_id == bindparam("point_of_sale_id"),
        Product.id.in_(bindparam("product_ids", expanding=True)),
    )
)


def get_products_for_sale(point_of_sale: PointOfSale, product_ids: set[int]) -> dict[int, Product]:
    """Return those of the wanted products that this point of sale sells, active or not."""
    products = db.session.scalars(
        PRODUCTS_FOR_SALE,
        {"point_of_sale_id": point_of_sale.id, "product_ids": sorted(product_ids)},
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

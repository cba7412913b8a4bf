"""GET /api/v1/catalog: what this till sells and who may run it, with an ETag (304 when current)."""

from __future__ import annotations

from decimal import Decimal

from flask import g, jsonify
from flask.typing import ResponseReturnValue

from kiosk.api.blueprint import bp
from kiosk.api.documents import category_document, operator_document, product_document
from kiosk.bistro.queries import get_dining_tables
from kiosk.catalog.queries import get_catalog_products, get_categories
from kiosk.http_cache import revalidated
from kiosk.models.rules import basis_points_to_rate
from kiosk.models.types import utcnow
from kiosk.organisation.queries import get_operators
from kiosk.periods import business_day
from kiosk.sales.queries import get_vat_rates


@bp.get("/catalog")
def catalog() -> ResponseReturnValue:
    """Answer with the till's point of sale, products and operators; 304 if unchanged."""
    point_of_sale = g.till.point_of_sale
    rates = get_vat_rates(business_day(utcnow()))
    products = get_catalog_products(point_of_sale)
    consumption = point_of_sale.default_consumption
    document = jsonify(
        point_of_sale={
            "code": point_of_sale.code,
            "name": point_of_sale.name,
            "bistro": bool(get_dining_tables(point_of_sale.id)),
        },
        till={"code": g.till.code, "name": g.till.name, "role": g.till.role},
        consumption=consumption,
        payment_methods=point_of_sale.accepted_methods,
        categories=[
            category_document(category)
            for category in get_categories({p.category_id for p in products if p.category_id})
        ],
        products=[
            product_document(product, rate_for(rates, product.vat_class, consumption))
            for product in products
        ],
        operators=[operator_document(user) for user in get_operators()],
    )
    return revalidated(document)


def rate_for(rates: dict[tuple[str, str], int], vat_class: str, consumption: str) -> Decimal | None:
    """Return the rate in percent for a class and consumption, if one is set."""
    basis_points = rates.get((vat_class, consumption))
    return basis_points_to_rate(basis_points) if basis_points is not None else None

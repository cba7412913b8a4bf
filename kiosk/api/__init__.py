"""The till's JSON API under /api/v1, authenticated per till by a bearer token."""

from kiosk.api import (
    bistro,
    catalog,
    customer_orders,
    kitchen,
    openapi,
    operators,
    qr_payments,
    receipts,
    refunds,
    refused_sales,
    sales,
)
from kiosk.api.blueprint import api_http_error, bp

__all__ = [
    "api_http_error",
    "bistro",
    "bp",
    "catalog",
    "customer_orders",
    "kitchen",
    "openapi",
    "operators",
    "qr_payments",
    "receipts",
    "refunds",
    "refused_sales",
    "sales",
]

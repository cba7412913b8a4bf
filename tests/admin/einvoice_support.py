"""A dairy producer with a VAT number, the demo's dairy products and a sent order, for e-invoices.

Test modules import the fixture they use from here (``# noqa: F401``).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from kiosk.extensions import db
from kiosk.models import (
    Delivery,
    Lot,
    Producer,
    Product,
    PurchaseOrder,
    PurchaseOrderLine,
    StockMove,
)
from kiosk.models.orders import OrderStatus
from tests.admin.catalog_forms import submit
from tests.kiosk.orders.orders_support import orders_shop_fixture  # noqa: F401

PEPPOL = Path(__file__).parents[1] / "fixtures" / "peppol"
UPLOAD = "/admin/deliveries/einvoice"


@pytest.fixture(name="dairy")
def dairy_fixture(app: Flask, orders_shop: dict[str, Any]) -> dict[str, Any]:
    """Add Hoevezuivel Vleminckx (BE0123.456.749) with five products and a sent order.

    Milk and butter carry their demo EANs, young cheese item code KAAS-J, aged cheese and ice
    cream nothing; order 1 asks 24 milk at 0,95, 12 butter at 3,00, 4,250 kg young cheese at
    14,00 and 6 ice creams.
    """
    with app.app_context():
        dairy = Producer(name="Hoevezuivel Vleminckx", vat_number="BE0123.456.749")
        db.session.add(dairy)
        db.session.flush()
        made = {
            key: Product(name=name, price_cents=price, unit=unit, producer_id=dairy.id, **extra)
            for key, name, price, unit, extra in (
                ("milk", "Hoevemelk 1 l", 150, "piece", {"barcode": "5434412100372"}),
                ("butter", "Hoeveboter 250 g", 430, "piece", {"barcode": "5434412101485"}),
                ("young", "Hoevekaas jong", 2190, "kg", {"supplier_item_code": "KAAS-J"}),
                ("aged", "Hoevekaas belegen", 2490, "kg", {}),
                ("ice", "Hoeve-ijs vanille 500 ml", 650, "piece", {}),
            )
        }
        db.session.add_all(made.values())
        db.session.flush()
        order = PurchaseOrder(number=1, producer_id=dairy.id, status=OrderStatus.SENT)
        order.lines = [
            PurchaseOrderLine(
                product_id=made[key].id, quantity_milli=milli, purchase_price_cents=price
            )
            for key, milli, price in (
                ("milk", 24000, 95),
                ("butter", 12000, 300),
                ("young", 4250, 1400),
                ("ice", 6000, None),
            )
        ]
        db.session.add(order)
        db.session.commit()
        return {
            **orders_shop,
            "dairy": dairy.id,
            "order": order.id,
            **{key: product.id for key, product in made.items()},
        }


def upload(client: FlaskClient, content: bytes, name: str = "factuur.xml") -> TestResponse:
    """Open the upload page and post a file to it with the page's CSRF token."""
    return submit(client, UPLOAD, {"invoice": (io.BytesIO(content), name)})


def form_values(html: str) -> dict[str, str]:
    """Return what a rendered form would post: its inputs' values and selects' chosen options."""
    values = {
        name: value
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)
    }
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', body)
        if chosen:
            values[name] = chosen.group(1)
    return values


def received_lines(app: Flask, dairy: dict[str, Any]) -> list[tuple[int, int, int | None]]:
    """Return the delivery that received order 1 as (product, quantity, price) per move."""
    with app.app_context():
        order = db.session.get_one(PurchaseOrder, dairy["order"])
        assert order.status == "received" and order.delivery_id is not None
        delivery = db.session.get_one(Delivery, order.delivery_id)
        assert delivery.producer_id == dairy["dairy"]
        rows = db.session.execute(
            select(Lot.product_id, StockMove.quantity_milli, Lot.purchase_price_cents)
            .join(StockMove, StockMove.lot_id == Lot.id)
            .where(StockMove.delivery_id == delivery.id)
            .order_by(StockMove.id)
        ).all()
    return [(product, quantity, price) for product, quantity, price in rows]


def invoiced_lines(dairy: dict[str, Any]) -> list[tuple[int, int, int | None]]:
    """Return the Belgian dairy invoice's lines as (product, quantity, price), the 4th chosen."""
    return [
        (dairy["milk"], 24000, 95),
        (dairy["butter"], 10000, 300),
        (dairy["young"], 4250, 1451),
        (dairy["aged"], 2500, 1650),
    ]

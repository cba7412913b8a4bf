"""Access rules of customers' orders: staff take and manage them; a till takes, prepares, pays."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy import select

from kiosk.customer_orders.checks import NewOrder
from kiosk.customer_orders.invoices import make_invoice
from kiosk.customer_orders.operations import create_order
from kiosk.customer_orders.payments import hand_over_on_invoice
from kiosk.extensions import db
from kiosk.models import Organisation, PointOfSale, User
from kiosk.models.types import utcnow
from kiosk.periods import business_day
from kiosk.sales.operations import OrderLine
from tests.admin.access_rule import Rule

ORDER = "/admin/customer-orders/{customer_order_id}"
API_ORDER = "/api/v1/orders/{customer_order_id}"
INVOICE = "/admin/customer-orders/invoices/{customer_invoice_id}"

ENDPOINTS: dict[str, Rule] = {
    "admin.customer_order_list": Rule("staff", "/admin/customer-orders", {"GET": 200}),
    # a post without fields re-shows the form with its errors
    "admin.customer_order_new": Rule(
        "staff", "/admin/customer-orders/new", {"GET": 200, "POST": 200}
    ),
    "admin.customer_order_edit": Rule("staff", ORDER + "/edit", {"GET": 200, "POST": 200}),
    "admin.customer_order_show": Rule("staff", ORDER, {"GET": 200}),
    "admin.customer_order_cancel": Rule("staff", ORDER + "/cancel", {"POST": 302}),
    # not an order on the invoice: refused, said on the order's page
    "admin.customer_order_hand_over": Rule("staff", ORDER + "/hand-over", {"POST": 302}),
    "admin.customer_order_round": Rule("staff", "/admin/customer-orders/round", {"GET": 200}),
    # the round goes to the point of sale's receipt printer (or says there is none) and back
    "admin.customer_order_round_print": Rule(
        "staff", "/admin/customer-orders/round/print", {"POST": 302}
    ),
    "admin.customer_order_invoice": Rule("staff", "/admin/customer-orders/invoice", {"GET": 200}),
    # not an order paid by QR: no code, and nothing to confirm (said on the order's page)
    "admin.customer_order_qr": Rule("staff", ORDER + "/qr.png", {"GET": 404}),
    "admin.customer_order_qr_received": Rule("staff", ORDER + "/qr-received", {"POST": 302}),
    # nothing of this association to invoice: said on the month's page
    "admin.customer_invoice_new": Rule("staff", "/admin/customer-orders/invoice", {"POST": 302}),
    "admin.customer_invoice_show": Rule("staff", INVOICE, {"GET": 200}),
    # the organisation has no IBAN here: the invoice shows no code
    "admin.customer_invoice_qr": Rule("staff", INVOICE + "/qr.png", {"GET": 404}),
    "admin.customer_invoice_paid": Rule("staff", INVOICE + "/paid", {"POST": 302}),
    # past the token check, an order or a payment without an Idempotency-Key is malformed
    "api.create_customer_order": Rule("till", "/api/v1/orders", {"POST": 400}),
    "api.list_customer_orders": Rule("till", "/api/v1/orders?day={order_day}", {"GET": 200}),
    "api.show_customer_order": Rule("till", API_ORDER, {"GET": 200}),
    "api.prepare_customer_order": Rule("till", API_ORDER + "/prepared", {"POST": 200}),
    "api.pay_customer_order": Rule("till", API_ORDER + "/sale", {"POST": 400}),
}


def world_values(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """Take an open order for today at the farm shop; return its id and day."""
    with app.app_context():
        farm = db.session.scalars(select(PointOfSale).where(PointOfSale.code == "HW")).one()
        today = business_day(utcnow())
        wanted = NewOrder(
            "Maria Peeters",
            "0470 12 34 56",
            "pickup",
            today,
            (OrderLine(farm_shop["bread"], Decimal(2)),),
        )
        order, _created = create_order(farm, wanted, utcnow())
        # an order on the monthly invoice, handed over and invoiced
        if db.session.get(Organisation, 1) is None:
            db.session.add(Organisation(id=1, name="Plus-plek De Linde vzw"))
        on_invoice = NewOrder(
            "Jef Janssens",
            "0470 65 43 21",
            "pickup",
            today,
            (OrderLine(farm_shop["bread"], Decimal(1)),),
            payment="invoice",
            association=("VZW De Linde", None, None),
        )
        invoiced, _created = create_order(farm, on_invoice, utcnow())
        operator = db.session.get_one(User, farm_shop["operator_id"])
        hand_over_on_invoice(invoiced.id, operator, utcnow())
        invoice = make_invoice(today.replace(day=1), "VZW De Linde", operator, utcnow())
        db.session.commit()
        return {
            "customer_order_id": order.id,
            "order_day": today.isoformat(),
            "customer_invoice_id": invoice.id,
        }

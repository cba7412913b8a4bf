"""Back office: an association's monthly invoice of handed-over orders, and QR-paid orders."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kiosk.customer_orders.checks import NewOrder
from kiosk.customer_orders.invoices import next_invoice_number
from kiosk.customer_orders.operations import create_order
from kiosk.customer_orders.payments import hand_over_on_invoice
from kiosk.extensions import db
from kiosk.models import (
    AuditEntry,
    CustomerInvoice,
    CustomerOrder,
    Organisation,
    PointOfSale,
    Product,
    Sale,
    User,
)
from kiosk.models.types import utcnow
from kiosk.sales.operations import OrderLine
from tests.admin.stock_support import post_form, stock_shop_fixture, today  # noqa: F401
from tests.kiosk.api.test_qr_payments import IBAN, decoded

LIST = "/admin/customer-orders"
ORGANISATION = "Plus-plek De Linde vzw"
LINDE = ("VZW De Linde", "Lindelaan 3, 9000 Gent", "BE 0123.456.749")


def audit_actions(app: Flask) -> list[str]:
    """Return the actions of the audit log's entries about customers' orders, in order."""
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.action.like("customer_%"))
                .order_by(AuditEntry.id)
            )
        )


def set_up_organisation(app: Flask) -> None:
    """Give the organisation its name, address, VAT number and IBAN."""
    with app.app_context():
        db.session.merge(
            Organisation(
                id=1,
                name="Plus-plek De Linde vzw",
                address="Hoevestraat 1, 9000 Gent",
                vat_number="BE 0999.888.777",
                iban=IBAN,
            )
        )
        db.session.commit()


def order(
    app: Flask,
    shop: dict[str, Any],
    lines: tuple[tuple[str, str], ...],
    payment: str,
    association: tuple[str | None, str | None, str | None] = (None, None, None),
    address: str | None = None,
) -> int:
    """Take an order for today (a delivery when it has an address); return its id."""
    with app.app_context():
        farm = db.session.get_one(PointOfSale, shop["farm"])
        wanted = NewOrder(
            "Maria Peeters",
            "0470 12 34 56",
            "delivery" if address else "pickup",
            today(),
            tuple(OrderLine(shop[key], Decimal(quantity)) for key, quantity in lines),
            payment=payment,
            association=association,
            address=address,
        )
        order_id = create_order(farm, wanted, utcnow())[0].id
        db.session.commit()
        return order_id


def hand_over(app: Flask, order_id: int) -> None:
    """Hand an order on the invoice over, as Sam."""
    with app.app_context():
        sam = db.session.scalars(select(User).where(User.name == "Sam")).one()
        hand_over_on_invoice(order_id, sam, utcnow())
        db.session.commit()


def make(staff: FlaskClient, association: str) -> Any:
    """Ask for an association's invoice of this month."""
    month = today().strftime("%Y-%m")
    return post_form(
        staff,
        f"{LIST}/invoice?month={month}",
        {"association": association},
        page=f"{LIST}/invoice?month={month}",
    )


def test_the_monthly_invoice_is_numbered_unbroken_shows_what_belgium_asks_and_never_changes(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    set_up_organisation(app)
    bread = order(app, stock_shop, (("bread", "2"),), "invoice", LINDE)
    candle = order(app, stock_shop, (("candle", "1"), ("eggs", "1")), "invoice", LINDE)
    other = order(app, stock_shop, (("eggs", "2"),), "invoice", ("Dagcentrum Zon", None, None))
    for order_id in (bread, candle, other):
        hand_over(app, order_id)
    year = today().year
    with app.app_context():  # a number taken in a transaction that rolls back is given back
        next_invoice_number(year)
        db.session.rollback()
    made = make(staff, "VZW De Linde")
    assert made.status_code == 302
    url = made.headers["Location"]
    page = staff.get(url).text
    number = f"{year}-0001"
    for shown in (
        f"Factuur {number}",
        "Plus-plek De Linde vzw",
        "Hoevestraat 1, 9000 Gent",
        "BE 0999.888.777",
        "VZW De Linde",
        "Lindelaan 3, 9000 Gent",
        "BE0123.456.749",  # as Belgium writes it
        today().strftime("%d-%m-%Y"),
        (today() + timedelta(days=30)).strftime("%d-%m-%Y"),
        f"B-{bread:06d}",
        "Boerenbrood",
        "Kaars",
        "12,50 €",  # the candle's price
        "21%",
        "6%",
        "Te betalen binnen 30 dagen",
        f"met de mededeling {number}",
    ):
        assert shown in page, shown
    # 2 bread 7,60 + eggs 2,95 at 6%: base 9,95, VAT 0,60; candle 12,50 at 21%: 10,33 + 2,17
    for amounts in ("9,95 €", "0,60 €", "10,55 €", "10,33 €", "2,17 €", "12,50 €", "23,05 €"):
        assert amounts in page, amounts
    qr = staff.get(url + "/qr.png")
    assert qr.status_code == 200 and qr.mimetype == "image/png"
    assert decoded(qr.data)[5:] == [ORGANISATION, IBAN, "EUR23.05", "", "", number]
    # made once: the association has nothing left to invoice; the next one continues the numbers
    again = make(staff, "VZW De Linde")
    assert again.status_code == 302 and "invoice?month" in again.headers["Location"]
    second = make(staff, "Dagcentrum Zon")
    assert staff.get(second.headers["Location"]).text.count(f"Factuur {year}-0002") >= 1
    # never changed: a new name, address or price later leaves the invoice as it was sent
    with app.app_context():
        db.session.get_one(Organisation, 1).name = "Nieuwe naam"
        db.session.get_one(Product, stock_shop["candle"]).price_cents = 9900
        db.session.commit()
        invoice = db.session.scalars(
            select(CustomerInvoice).where(CustomerInvoice.number == number)
        ).one()
        assert (invoice.total_cents, len(invoice.orders)) == (2305, 2)
        invoice.total_cents = 1
        with pytest.raises(PermissionError):
            db.session.flush()
        db.session.rollback()
    kept = staff.get(url).text
    assert "Plus-plek De Linde vzw" in kept and "Nieuwe naam" not in kept
    assert "12,50 €" in kept and "99,00 €" not in kept
    # paid once, by whom
    paid = post_form(staff, url + "/paid", {}, page=url)
    assert paid.status_code == 302
    assert "bevestigd door Sam" in staff.get(url).text
    assert post_form(staff, url + "/paid", {}, page=url).status_code == 302
    assert "Deze factuur is al betaald." in staff.get(url).text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CustomerInvoice)) == 2
    assert audit_actions(app) == [
        *["customer_order.taken"] * 3,
        *["customer_order.handed_over"] * 3,
        "customer_invoice.made",
        "customer_invoice.made",
        "customer_invoice.paid",
    ]


def test_an_order_paid_by_qr_shows_its_code_and_is_confirmed_once_in_the_back_office(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    set_up_organisation(app)
    order_id = order(app, stock_shop, (("bread", "2"),), "qr", address="Dorpsstraat 1")
    number = f"B-{order_id:06d}"
    url = f"{LIST}/{order_id}"
    page = staff.get(url).text
    assert f"Mededeling: {number}" in page and "Betaling ontvangen" in page
    payload = decoded(staff.get(url + "/qr.png").data)
    assert payload[5:] == [ORGANISATION, IBAN, "EUR7.6", "", "", number]
    slip = staff.get(f"{LIST}/round?day={today().isoformat()}").text
    assert f"/admin/customer-orders/{order_id}/qr.png" in slip and f"Mededeling: {number}" in slip
    for _twice in range(2):
        assert post_form(staff, url + "/qr-received", {}, page=url).status_code == 302
    with app.app_context():
        sale = db.session.scalars(select(Sale)).one()
        assert [(p.method, p.amount_cents, p.reference) for p in sale.payments] == [
            ("qr", 760, number)
        ]
        assert db.session.get_one(User, sale.payments[0].confirmed_by_id).name == "Sam"
        stored = db.session.get_one(CustomerOrder, order_id)
        assert (stored.status, stored.sale_id) == ("paid", sale.id)
    shown = staff.get(url).text
    assert "Deze bestelling is al betaald." in shown and "Betaling ontvangen" not in shown
    assert staff.get(url + "/qr.png").status_code == 404
    assert audit_actions(app) == ["customer_order.taken", "customer_order.paid"]

"""Purchase orders: draft → sent → received or cancelled, refused steps, audit sentences."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import AuditEntry, Location, Producer, Product, PurchaseOrder
from kiosk.orders.operations import (
    OrderedLine,
    cancel_purchase_order,
    change_draft,
    create_purchase_order,
    receive_purchase_order,
    send_purchase_order,
)
from kiosk.stock.operations import DeliveredLine, receive_delivery
from tests.kiosk.audit_support import sentences_of
from tests.kiosk.orders.orders_support import NOW, orders_shop_fixture  # noqa: F401


def rows(app: Flask, orders_shop: dict[str, Any]) -> tuple[Producer, Product, Product, Location]:
    """Return De Linde, its bread and cheese, and the shelf (inside an app context)."""
    return (
        db.session.get_one(Producer, orders_shop["linde"]),
        db.session.get_one(Product, orders_shop["bread"]),
        db.session.get_one(Product, orders_shop["cheese"]),
        db.session.get_one(Location, orders_shop["shelf"]),
    )


def test_an_order_goes_from_draft_to_sent_to_received_once(
    app: Flask, orders_shop: dict[str, Any]
) -> None:
    with app.app_context():
        linde, bread, cheese, shelf = rows(app, orders_shop)
        order = create_purchase_order(linde, [OrderedLine(bread, 5000, 210)], None, NOW)
        second = create_purchase_order(linde, [OrderedLine(cheese, 3600)], None, NOW)
        assert (order.number, second.number, order.status) == (1, 2, "draft")
        change_draft(order, [OrderedLine(bread, 6000, 210), OrderedLine(cheese, 2500)], "Vroeg")
        assert [line.quantity_milli for line in order.lines] == [6000, 2500]
        assert order.total_cents == 1260  # 6 × 2,10; the cheese has no price
        send_purchase_order(order, None, NOW)
        assert order.status == "sent" and order.sent_at is not None
        delivery = receive_delivery(
            linde.id, shelf, [DeliveredLine(bread, 6000, 210, None, None)], None, NOW
        )
        receive_purchase_order(order, delivery, None, NOW)
        db.session.commit()
        assert (order.status, order.delivery_id) == ("received", delivery.id)
        with pytest.raises(OperationError) as twice:
            receive_purchase_order(order, delivery, None, NOW)
        assert twice.value.status == 409 and twice.value.message == (
            "Deze bestelling is al ontvangen."
        )
        with pytest.raises(OperationError):
            cancel_purchase_order(order, None, NOW)
        with pytest.raises(OperationError):
            change_draft(order, [OrderedLine(bread, 1000)], None)
    created = sentences_of(app, "purchase_order.created")
    assert created[0] == (
        "Bestelling 1 bij Hoeve De Linde gemaakt met 1 regel(s).",
        "Order 1 with Hoeve De Linde made with 1 line(s).",
    )
    assert sentences_of(app, "purchase_order.sent") == [
        ("Bestelling 1 bij Hoeve De Linde verstuurd.", "Order 1 sent to Hoeve De Linde.")
    ]
    assert sentences_of(app, "purchase_order.received") == [
        ("Bestelling 1 van Hoeve De Linde ontvangen.", "Order 1 from Hoeve De Linde received.")
    ]


def test_a_cancelled_order_cannot_be_sent_or_received(
    app: Flask, orders_shop: dict[str, Any]
) -> None:
    with app.app_context():
        linde, bread, _cheese, shelf = rows(app, orders_shop)
        order = create_purchase_order(linde, [OrderedLine(bread, 5000)], None, NOW)
        send_purchase_order(order, None, NOW)
        cancel_purchase_order(order, None, NOW)
        db.session.commit()
        delivery = receive_delivery(
            linde.id, shelf, [DeliveredLine(bread, 1000, None, None, None)], None, NOW
        )
        for step in (
            lambda: send_purchase_order(order, None, NOW),
            lambda: receive_purchase_order(order, delivery, None, NOW),
        ):
            with pytest.raises(OperationError) as refused:
                step()
            assert refused.value.message == "Deze bestelling is geannuleerd."
        db.session.rollback()
    assert sentences_of(app, "purchase_order.cancelled") == [
        ("Bestelling 1 bij Hoeve De Linde geannuleerd.", "Order 1 with Hoeve De Linde cancelled.")
    ]


def test_bad_orders_are_refused_with_a_message_and_store_nothing(
    app: Flask, orders_shop: dict[str, Any]
) -> None:
    with app.app_context():
        linde, bread, _cheese, shelf = rows(app, orders_shop)
        eggs = db.session.get_one(Product, orders_shop["eggs"])
        cases = [
            ([], "Een bestelling heeft minstens één product met een aantal."),
            ([OrderedLine(eggs, 1000)], "Eieren (6) komt niet van deze producent."),
            ([OrderedLine(bread, 0)], "Een bestelde hoeveelheid moet meer dan nul zijn."),
            ([OrderedLine(bread, 1000, -5)], "Een aankoopprijs kan niet negatief zijn."),
        ]
        for lines, message in cases:
            with pytest.raises(OperationError) as refused:
                create_purchase_order(linde, lines, None, NOW)
            assert refused.value.message == message
            db.session.rollback()
        order = create_purchase_order(linde, [OrderedLine(bread, 1000)], None, NOW)
        send_purchase_order(order, None, NOW)
        db.session.commit()
        other = receive_delivery(
            orders_shop["kippenhof"],
            shelf,
            [DeliveredLine(eggs, 1000, None, None, None)],
            None,
            NOW,
        )
        with pytest.raises(OperationError) as wrong:
            receive_purchase_order(order, other, None, NOW)
        assert "andere producent" in wrong.value.message
        db.session.rollback()
        assert db.session.get_one(PurchaseOrder, order.id).status == "sent"
        assert db.session.scalar(select(func.count()).select_from(PurchaseOrder)) == 1
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert [a for a in actions if a.startswith("purchase_order")] == [
            "purchase_order.created",
            "purchase_order.sent",
        ]


@pytest.mark.postgres_only
def test_two_orders_made_at_once_get_the_next_two_numbers(
    app: Flask, orders_shop: dict[str, Any]
) -> None:
    first_made = threading.Event()
    numbers: list[int] = []
    errors: list[BaseException] = []

    def make(wait_first: bool) -> None:
        try:
            with app.app_context():
                linde, bread, _cheese, _shelf = rows(app, orders_shop)
                if wait_first:
                    first_made.wait(10)
                order = create_purchase_order(linde, [OrderedLine(bread, 1000)], None, NOW)
                if not wait_first:
                    first_made.set()
                    time.sleep(0.3)  # the other one reads the last number meanwhile
                db.session.commit()
                numbers.append(order.number)
        except BaseException as error:  # reported below, with the numbers
            errors.append(error)
            first_made.set()

    threads = [threading.Thread(target=make, args=(wait,)) for wait in (False, True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert sorted(numbers) == [1, 2]

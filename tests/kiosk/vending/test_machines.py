"""The vending operations' own refusals, beyond what the back-office forms already keep out."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kiosk.cash.drawer import add_cash_movement, open_cash_session, record_cash_count
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Location, Product, Sale, StockMove, User
from kiosk.models.types import Role, utcnow
from kiosk.stock.operations import DeliveredLine, receive_delivery
from kiosk.vending.machines import (
    add_machine,
    remove_compartment,
    save_compartment,
    save_point_of_sale_of_kind,
)
from kiosk.vending.queries import get_machine_till
from kiosk.vending.visits import Counted, Fill, book_count, book_refill


def refused(code: str, operation: Any, *arguments: Any) -> None:
    """Check that an operation refuses with this code and that nothing is left to commit."""
    with pytest.raises(OperationError) as refusal:
        operation(*arguments)
    assert refusal.value.code == code
    db.session.rollback()


def test_compartments_and_visits_refuse_what_a_machine_cannot_do(
    ctx: None, farm_shop: dict[str, Any]
) -> None:
    bread = db.session.get_one(Product, farm_shop["bread"])
    cheese = db.session.get_one(Product, farm_shop["cheese"])
    staff = db.session.get_one(User, farm_shop["operator_id"])
    staff.role = Role.STAFF
    room = Location(code="BERGING", name="Berging", kind="stockroom")
    db.session.add(room)
    receive_delivery(None, room, [DeliveredLine(bread, 10000)], None, utcnow())
    first, second = add_machine("AU", "Automaat"), add_machine("AV", "Tweede automaat")
    own = save_compartment(None, first, 1, bread, 6)
    foreign = save_compartment(None, second, 1, bread, 6)
    db.session.commit()

    refused("weighed_product", save_compartment, None, first, 2, cheese, 4)
    bread.active = False
    refused("inactive_product", save_compartment, None, first, 2, bread, 4)
    refused("invalid_price", save_compartment, None, first, 2, bread, 4, 0)
    refused("invalid_number", save_compartment, None, first, 0, bread, 4)
    refused("number_taken", save_compartment, None, first, 1, bread, 4)
    book_refill(room, [Fill(own, 4)], staff, utcnow())
    db.session.commit()
    eggs = db.session.get_one(Product, farm_shop["eggs"])
    refused("compartment_not_empty", save_compartment, own, first, 1, eggs, 6)
    refused("invalid_capacity", save_compartment, own, first, 1, bread, 3)
    refused("compartment_not_empty", remove_compartment, own)
    refused("invalid_count", book_refill, room, [Fill(own, -1)], staff, utcnow())
    refused("invalid_count", book_count, first, [Counted(own, -1)], staff, utcnow())
    refused("invalid_count", book_count, first, [Counted(own, 2, -1)], staff, utcnow())
    refused("invalid_count", book_count, first, [Counted(foreign, 0)], staff, utcnow())
    till, day, now = get_machine_till(first), utcnow().date(), utcnow()
    assert till is not None and not till.has_drawer  # its cash is counted per emptying
    refused("no_drawer", open_cash_session, till, day, 0, staff, now)
    refused("no_drawer", add_cash_movement, till, day, 500, "wissel", staff, now)
    refused("no_drawer", record_cash_count, till, day, {200: 1}, staff, now)
    assert own.count_inside == 4 and foreign.count_inside == 0
    assert db.session.scalar(select(func.count(Sale.id))) == 0
    assert db.session.scalar(select(func.count(StockMove.id))) == 3  # delivery, refill out and in
    # a machine that sold keeps its kind, even once its compartments are gone
    book_count(first, [Counted(own, 0)], staff, utcnow())
    remove_compartment(own)
    db.session.commit()
    refused(
        "kind_locked", save_point_of_sale_of_kind, first, "AU", "A", "takeaway", ["cash"], "kassa"
    )
    refused("invalid_kind", save_point_of_sale_of_kind, None, "AX", "A", "takeaway", ["cash"], "x")

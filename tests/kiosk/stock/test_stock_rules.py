"""The stock operations' own refusals: places with unique codes, whole pieces, lots that fit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Location, Lot, PointOfSale, Product
from kiosk.models.types import utcnow
from kiosk.organisation.places import save_location, save_point_of_sale
from kiosk.stock.operations import DeliveredLine, book_waste, receive_delivery, record_count
from kiosk.stock.queries import get_lot_balances


def refusal(call: Callable[..., object], *args: Any) -> str:
    with pytest.raises(OperationError) as refused:
        call(*args)
    return refused.value.code


def test_points_of_sale_and_locations_keep_unique_codes(
    ctx: None, farm_shop: dict[str, Any]
) -> None:
    farm = db.session.scalar(select(PointOfSale))
    bistro = save_point_of_sale(None, " bi ", "Bistro", "eat_in", ["card", "cash"])
    assert (bistro.code, bistro.payment_methods) == ("BI", "cash|card")
    assert refusal(save_point_of_sale, None, "hw", "Twee", "takeaway", ["cash"]) == "code_taken"
    assert refusal(save_point_of_sale, None, "X Y", "Fout", "takeaway", ["cash"]) == "invalid_code"
    assert refusal(save_point_of_sale, None, "GW", "Gift", "takeaway", []) == (
        "invalid_payment_methods"
    )
    assert refusal(save_point_of_sale, None, "GW", "Gift", "takeaway", ["cash", "bitcoin"]) == (
        "invalid_payment_methods"
    )
    assert refusal(save_point_of_sale, None, "GW", "Gift", "inside", ["cash"]) == (
        "invalid_consumption"
    )
    shelf = save_location(None, "hw-rek", "Rek", "shelf", farm)
    assert shelf.code == "HW-REK"
    assert refusal(save_location, None, "TOOG", "Toog", "bistro", farm) == "point_of_sale_taken"
    assert refusal(save_location, None, "HW-REK", "Rek 2", "shelf", None) == "code_taken"
    assert refusal(save_location, None, "KELDER", "Kelder", "cellar", None) == "invalid_kind"
    assert save_location(shelf, "HW-REK", "Winkelrek", "shelf", farm).name == "Winkelrek"


def test_pieces_stay_whole_and_a_chosen_lot_must_be_the_products(
    ctx: None, farm_shop: dict[str, Any]
) -> None:
    shelf = Location(code="REK", name="Rek")
    db.session.add(shelf)
    bread = db.session.get_one(Product, farm_shop["bread"])
    eggs = db.session.get_one(Product, farm_shop["eggs"])
    half = DeliveredLine(bread, 1500, None, None, None)
    assert refusal(receive_delivery, None, shelf, [half], None, utcnow()) == "invalid_quantity"
    db.session.rollback()
    shelf = Location(code="REK", name="Rek")
    db.session.add(shelf)
    lines = [
        DeliveredLine(bread, 4000, None, "B-EARLY", date(2030, 1, 1)),
        DeliveredLine(bread, 4000, None, "B-LATE", date(2030, 2, 1)),
        DeliveredLine(eggs, 6000, None, "E", None),
    ]
    receive_delivery(None, shelf, lines, None, utcnow())
    lots = {lot.code: lot for lot in db.session.scalars(select(Lot))}
    now = utcnow()
    assert refusal(book_waste, bread, shelf, 1000, "damaged", None, now, lots["E"]) == (
        "invalid_lot"
    )
    assert refusal(record_count, bread, shelf, 2500, None, now) == "invalid_quantity"
    # a chosen lot goes first; what it lacks comes from the first expiry
    book_waste(bread, shelf, 5000, "damaged", None, now, lots["B-LATE"])
    balances = get_lot_balances(bread.id, shelf.id)
    assert [(b.lot_id, b.quantity_milli) for b in balances] == [
        (lots["B-EARLY"].id, 3000),
        (lots["B-LATE"].id, 0),
    ]
    db.session.rollback()

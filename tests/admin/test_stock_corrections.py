"""Corrections through the back office: a delivery cancelled or corrected, waste and counts undone.

Each is a reversing entry with a reason, linked to what it undoes; the original stays as booked,
the ledger shows both, the valuation follows, and one audit entry says what happened.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import AuditEntry, Delivery, Location, Lot, Product, StockMove
from kiosk.models.types import utcnow
from kiosk.stock.operations import DeliveredLine, book_waste, receive_delivery, record_count
from kiosk.stock.queries import get_lot_balances, get_on_hand
from kiosk.stock.valuation import get_stock_valuation
from tests.admin.stock_support import (
    count_rows,
    ledger_rows,
    post_form,
    stock_shop_fixture,  # noqa: F401
)
from tests.kiosk.audit_support import sentences_of

REASON = "Factuur nagekeken: verkeerd aantal"


def book(app: Flask, location_id: int, *lines: tuple[int, int, int | None]) -> dict[str, int]:
    """Book a delivery of (product, quantity_milli, price) lines; return its and its moves' ids."""
    with app.app_context():
        location = db.session.get_one(Location, location_id)
        delivered = [
            DeliveredLine(db.session.get_one(Product, product), quantity, price, "L1")
            for product, quantity, price in lines
        ]
        delivery = receive_delivery(None, location, delivered, None, utcnow())
        db.session.commit()
        moves = db.session.scalars(
            select(StockMove).where(StockMove.delivery_id == delivery.id).order_by(StockMove.id)
        ).all()
        return {"delivery": delivery.id, **{f"move{i}": m.id for i, m in enumerate(moves)}}


def everything(app: Flask) -> list[int]:
    """Count what a correction could have stored: deliveries, lots, moves, audit entries."""
    return [*ledger_rows(app), *count_rows(app, AuditEntry)]


def purchase_values(app: Flask) -> dict[str, int | None]:
    """Return the stock valuation's purchase value per product name."""
    with app.app_context():
        valuation = get_stock_valuation()
        return {value.product.name: value.purchase_cents for value in valuation.products}


def correct_url(delivery_id: int) -> str:
    return f"/admin/deliveries/{delivery_id}/correct"


def test_a_delivery_is_cancelled_by_a_reversing_entry_and_the_ledger_shows_both(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    bread, cheese, room = stock_shop["bread"], stock_shop["cheese"], stock_shop["room"]
    booked = book(app, room, (bread, 10_000, 200), (cheese, 1_250, 1250))
    assert purchase_values(app) == {"Boerenbrood": 2000, "Hoevekaas": 1563}
    page = staff.get(f"/admin/deliveries/{booked['delivery']}")
    assert f'href="{correct_url(booked["delivery"])}"' in page.text
    response = post_form(
        staff, correct_url(booked["delivery"]), {"reason": "Verkeerde producent", "cancel": ""}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/deliveries/{booked['delivery']}"
    with app.app_context():
        assert get_on_hand(bread, room) == 0 and get_on_hand(cheese, room) == 0
        assert [b.quantity_milli for b in get_lot_balances(bread, room)] == [0]
        correction = db.session.scalars(
            select(Delivery).where(Delivery.corrects_id == booked["delivery"])
        ).one()
        assert correction.reason == "Verkeerde producent"
        moves = db.session.scalars(select(StockMove).order_by(StockMove.id)).all()
        assert [(m.kind, m.quantity_milli, m.corrects_id, m.reason) for m in moves] == [
            ("delivery", 10_000, None, None),
            ("delivery", 1_250, None, None),
            ("correction", -10_000, booked["move0"], "Verkeerde producent"),
            ("correction", -1_250, booked["move1"], "Verkeerde producent"),
        ]
        assert {m.delivery_id for m in moves[2:]} == {correction.id}
        correction_id = correction.id
    assert purchase_values(app) == {}  # nothing left on hand: nothing to value
    ledger = staff.get(f"/admin/stock/products/{bread}").text
    assert "+10 st." in ledger and "-10 st." in ledger and "Verkeerde producent" in ledger
    assert "correctie" in ledger
    original = staff.get(f"/admin/deliveries/{booked['delivery']}").text
    assert "Gecorrigeerd door" in original and f"levering {correction_id}" in original
    assert f'href="{correct_url(booked["delivery"])}"' not in original
    assert "Verkeerde producent" in staff.get(f"/admin/deliveries/{correction_id}").text
    listed = staff.get("/admin/deliveries").text
    assert f"Correctie van levering {booked['delivery']}: Verkeerde producent" in listed
    assert "-35,63 €" in listed  # the reversal's value: 10 × 2,00 € and 1,250 kg × 12,50 €
    assert sentences_of(app, "delivery.cancelled") == [
        (
            f"Levering {booked['delivery']} van onbekende producent geannuleerd, alle lijnen "
            "teruggeboekt (reden: Verkeerde producent).",
            f"Delivery {booked['delivery']} from unknown producer cancelled, every line "
            "reversed (reason: Verkeerde producent).",
        )
    ]


def test_a_line_is_corrected_in_quantity_and_another_in_price(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    bread, cheese, room = stock_shop["bread"], stock_shop["cheese"], stock_shop["room"]
    booked = book(app, room, (bread, 10_000, 200), (cheese, 1_250, 1250))
    form = staff.get(correct_url(booked["delivery"])).text
    assert f'name="quantity-{booked["move0"]}" value="10"' in form
    assert f'name="price-{booked["move1"]}" value="12,50"' in form
    data = {
        "reason": REASON,
        "correct": "",
        f"quantity-{booked['move0']}": "7",
        f"price-{booked['move0']}": "2,00",
        f"quantity-{booked['move1']}": "1,250",
        f"price-{booked['move1']}": "13,00",
    }
    assert post_form(staff, correct_url(booked["delivery"]), data).status_code == 302
    with app.app_context():
        assert get_on_hand(bread, room) == 7_000 and get_on_hand(cheese, room) == 1_250
        bread_moves = db.session.scalars(
            select(StockMove).where(StockMove.product_id == bread).order_by(StockMove.id)
        ).all()
        assert [(m.kind, m.quantity_milli) for m in bread_moves] == [
            ("delivery", 10_000),
            ("correction", -10_000),
            ("delivery", 7_000),
        ]
        assert len({m.lot_id for m in bread_moves}) == 1  # same price: the same lot
        cheese_lots = db.session.scalars(
            select(Lot).where(Lot.product_id == cheese).order_by(Lot.id)
        ).all()
        assert [(lot.purchase_price_cents, lot.code) for lot in cheese_lots] == [
            (1250, "L1"),
            (1300, "L1"),
        ]
        assert [b.quantity_milli for b in get_lot_balances(cheese, room)] == [0, 1_250]
    assert purchase_values(app) == {"Boerenbrood": 1400, "Hoevekaas": 1625}
    assert sentences_of(app, "delivery.corrected") == [
        (
            f"Levering {booked['delivery']} van onbekende producent gecorrigeerd: "
            "Boerenbrood: 10 st. → 7 st.; Hoevekaas: aankoopprijs 12,50 € → 13,00 € "
            f"(reden: {REASON}).",
            f"Delivery {booked['delivery']} from unknown producer corrected: "
            "Boerenbrood: 10 pcs → 7 pcs; Hoevekaas: purchase price 12,50 € → 13,00 € "
            f"(reason: {REASON}).",
        )
    ]


def sell(client: FlaskClient, shop: dict[str, Any], product: int, pieces: int) -> None:
    """Sell pieces of a product at the farm shop's till, through the API."""
    body = {
        "operator_id": shop["operator_id"],
        "lines": [{"product_id": product, "quantity": str(pieces)}],
        "payments": [{"method": "card", "amount_cents": 380 * pieces}],
    }
    headers = {**shop["headers"], "Idempotency-Key": str(uuid.uuid4())}
    assert client.post("/api/v1/sales", json=body, headers=headers).status_code == 201


def test_a_partly_sold_lot_cannot_be_corrected_below_what_is_left(
    app: Flask, client: FlaskClient, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    bread, shelf = stock_shop["bread"], stock_shop["shelf"]
    booked = book(app, shelf, (bread, 10_000, 200))
    sell(client, stock_shop, bread, 5)
    before = everything(app)
    refusal = "Van Boerenbrood is van dit lot al een deel verkocht, afgeboekt of verplaatst"
    for data in (
        {f"quantity-{booked['move0']}": "3", f"price-{booked['move0']}": "2,00", "correct": ""},
        {f"quantity-{booked['move0']}": "10", f"price-{booked['move0']}": "2,50", "correct": ""},
        {"cancel": ""},
    ):
        response = post_form(staff, correct_url(booked["delivery"]), {"reason": REASON, **data})
        assert response.status_code == 200
        assert refusal in response.text
        assert everything(app) == before
    with app.app_context():
        assert get_on_hand(bread, shelf) == 5_000
    data = {f"quantity-{booked['move0']}": "7", f"price-{booked['move0']}": "2,00", "correct": ""}
    response = post_form(staff, correct_url(booked["delivery"]), {"reason": REASON, **data})
    assert response.status_code == 302
    with app.app_context():
        assert get_on_hand(bread, shelf) == 2_000


def test_waste_is_undone_once_with_its_reason(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    bread, room = stock_shop["bread"], stock_shop["room"]
    book(app, room, (bread, 10_000, 200))
    with app.app_context():
        wasted = book_waste(
            db.session.get_one(Product, bread),
            db.session.get_one(Location, room),
            3_000,
            "damaged",
            None,
            utcnow(),
        )
        db.session.commit()
        waste_id = wasted[0].id
    url = f"/admin/stock/waste/{waste_id}/reverse"
    assert f'href="{url}"' in staff.get(f"/admin/stock/products/{bread}").text
    response = post_form(staff, url, {"reason": "Toch niet beschadigd"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/stock/products/{bread}"
    with app.app_context():
        assert get_on_hand(bread, room) == 10_000
        reversal = db.session.scalars(
            select(StockMove).where(StockMove.corrects_id == waste_id)
        ).one()
        assert (reversal.kind, reversal.quantity_milli, reversal.reason) == (
            "correction",
            3_000,
            "Toch niet beschadigd",
        )
        assert reversal.lot_id == wasted[0].lot_id
    ledger = staff.get(f"/admin/stock/products/{bread}").text
    assert "teruggedraaid" in ledger and f'href="{url}"' not in ledger
    before = everything(app)
    again = post_form(staff, url, {"reason": "Nog eens"})
    assert again.status_code == 200
    assert "Dit werd al gecorrigeerd: het kan maar één keer." in again.text
    assert everything(app) == before
    assert sentences_of(app, "stock_waste.reversed") == [
        (
            "Verlies van Boerenbrood in Berging ongedaan gemaakt: 7 st. → 10 st. "
            "(reden: Toch niet beschadigd).",
            "Loss of Boerenbrood in Berging undone: 7 pcs → 10 pcs (reason: Toch niet beschadigd).",
        )
    ]


def test_a_count_is_reversed_for_every_product_it_changed(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    bread, eggs, room = stock_shop["bread"], stock_shop["eggs"], stock_shop["room"]
    book(app, room, (bread, 10_000, 200))
    with app.app_context():
        location, now = db.session.get_one(Location, room), utcnow()
        counted = record_count(db.session.get_one(Product, bread), location, 8_000, None, now)
        counted += record_count(db.session.get_one(Product, eggs), location, 4_000, None, now)
        db.session.commit()
        first = min(m.id for m in counted)
    result = f"/admin/stock-counts/results/{first}"
    assert f'href="{result}/reverse"' in staff.get(result).text
    response = post_form(staff, f"{result}/reverse", {"reason": "Verkeerde rekken geteld"})
    assert response.status_code == 302 and response.headers["Location"] == result
    with app.app_context():
        assert get_on_hand(bread, room) == 10_000 and get_on_hand(eggs, room) == 0
        reversals = db.session.scalars(
            select(StockMove).where(StockMove.kind == "correction").order_by(StockMove.id)
        ).all()
        assert [(m.corrects_id, m.quantity_milli) for m in reversals] == [
            (counted[0].id, 2_000),
            (counted[1].id, -4_000),
        ]
    shown = staff.get(result).text
    assert "Deze telling is teruggedraaid." in shown and f"{result}/reverse" not in shown
    assert sentences_of(app, "stock_count.reversed") == [
        (
            "Telling in Berging teruggedraaid voor Boerenbrood, Eieren (6) "
            "(reden: Verkeerde rekken geteld).",
            "Count in Berging reversed for Boerenbrood, Eieren (6) "
            "(reason: Verkeerde rekken geteld).",
        )
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "  ", "cancel": ""}, "Vul een reden in voor de correctie."),
        ({"reason": "x" * 201, "cancel": ""}, "Een reden heeft hoogstens 200 tekens."),
        ({"reason": REASON, "correct": ""}, "Er is niets gewijzigd."),
        ({"reason": REASON, "correct": "", "quantity": "veel"}, "Typ een getal, bv. 3 of 1,250."),
        ({"reason": REASON, "correct": "", "quantity": "1,5"}, "Geef een geheel aantal stuks."),
        ({"reason": REASON, "correct": "", "price": "-2"}, "Een bedrag kan niet negatief zijn."),
    ],
)
def test_a_wrong_correction_says_why_and_changes_nothing(
    app: Flask,
    staff: FlaskClient,
    stock_shop: dict[str, Any],
    data: dict[str, str],
    message: str,
) -> None:
    booked = book(app, stock_shop["room"], (stock_shop["bread"], 10_000, 200))
    line = {
        f"quantity-{booked['move0']}": data.pop("quantity", "10"),
        f"price-{booked['move0']}": data.pop("price", "2,00"),
    }
    before = everything(app)
    response = post_form(staff, correct_url(booked["delivery"]), {**line, **data})
    assert response.status_code == 200
    assert message in response.text
    assert everything(app) == before


def test_a_delivery_is_corrected_once_and_unknown_entries_are_not_found(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    bread, room = stock_shop["bread"], stock_shop["room"]
    booked = book(app, room, (bread, 10_000, 200))
    url = correct_url(booked["delivery"])
    assert post_form(staff, url, {"reason": REASON, "cancel": ""}).status_code == 302
    before = everything(app)
    again = post_form(staff, url, {"reason": REASON, "cancel": ""})
    assert again.status_code == 200
    assert "Deze levering werd al gecorrigeerd: het kan maar één keer." in again.text
    assert everything(app) == before
    with app.app_context():
        sale_like = db.session.scalars(select(StockMove).where(StockMove.kind == "delivery")).one()
        move_id = sale_like.id
    for missing in (
        "/admin/deliveries/999999/correct",
        "/admin/stock/waste/999999/reverse",
        f"/admin/stock/waste/{move_id}/reverse",  # a delivery's move is no waste entry
        "/admin/stock-counts/results/999999/reverse",
        "/admin/stock-counts/results/99999999999999999999/reverse",
    ):
        assert staff.get(missing).status_code == 404
    assert everything(app) == before

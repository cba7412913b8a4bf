"""Back office: points of sale and stock locations (managers only)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Location, PointOfSale
from tests.admin.stock_support import post_form, stock_shop_fixture  # noqa: F401


def point_of_sale(app: Flask, code: str) -> PointOfSale | None:
    with app.app_context():
        point = db.session.scalar(select(PointOfSale).where(PointOfSale.code == code))
        if point is not None:
            db.session.expunge(point)
        return point


def location(app: Flask, code: str) -> Location | None:
    with app.app_context():
        place = db.session.scalar(select(Location).where(Location.code == code))
        if place is not None:
            db.session.expunge(place)
        return place


def test_manager_adds_and_changes_a_point_of_sale(
    app: Flask, manager: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    url = "/admin/points-of-sale/new"
    added = post_form(
        manager,
        url,
        {
            "code": " bi ",
            "name": "Bistro",
            "default_consumption": "eat_in",
            "payment_methods": ["cash"],
        },
    )
    assert added.status_code == 302
    bistro = point_of_sale(app, "BI")
    assert bistro is not None
    assert (bistro.name, bistro.default_consumption, bistro.payment_methods) == (
        "Bistro",
        "eat_in",
        "cash",
    )
    listed = manager.get("/admin/points-of-sale")
    assert "Bistro" in listed.text and "Ter plaatse" in listed.text
    edit = f"/admin/points-of-sale/{bistro.id}"
    page = manager.get(edit)
    assert 'checked id="payment_methods-0"' in page.text  # cash
    assert 'checked id="payment_methods-1"' not in page.text  # card
    changed = post_form(
        manager,
        edit,
        {
            "code": "BI",
            "name": "Bistro De Hoeve",
            "default_consumption": "eat_in",
            "payment_methods": ["card", "cash"],
        },
    )
    assert changed.status_code == 302
    changed_bistro = point_of_sale(app, "BI")
    assert changed_bistro is not None
    assert changed_bistro.payment_methods == "cash|card"


def test_point_of_sale_mistakes_are_explained_per_field_and_nothing_is_stored(
    app: Flask, manager: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    taken = post_form(
        manager,
        "/admin/points-of-sale/new",
        {"code": "hw", "name": "Tweede", "default_consumption": "takeaway"},
    )
    assert taken.status_code == 200
    assert "Er is al een verkooppunt met deze code." in taken.text
    assert "Kies minstens één betaalwijze." in taken.text
    assert 'value="Tweede"' in taken.text  # what was typed stays
    bad_code = post_form(
        manager,
        "/admin/points-of-sale/new",
        {"code": "B I!", "name": "", "payment_methods": ["cash"]},
    )
    assert "Gebruik hoofdletters, cijfers en streepjes, bv. HW." in bad_code.text
    assert "Dit veld is vereist." in bad_code.text
    with app.app_context():
        assert db.session.scalars(select(PointOfSale.code)).all() == ["HW"]
    assert manager.get("/admin/points-of-sale/999999").status_code == 404
    assert manager.get("/admin/points-of-sale/99999999999").status_code == 404


def test_staff_may_not_manage_places(staff: FlaskClient, farm_shop: dict[str, Any]) -> None:
    assert staff.get("/admin/points-of-sale").status_code == 403
    assert staff.get("/admin/locations/new").status_code == 403


def test_manager_adds_a_location_that_a_point_of_sale_sells_from(
    app: Flask, manager: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    farm = point_of_sale(app, "HW")
    assert farm is not None
    added = post_form(
        manager,
        "/admin/locations/new",
        {"code": "hw-rek", "name": "Winkelrek", "kind": "shelf", "sells_for": str(farm.id)},
    )
    assert added.status_code == 302
    shelf = location(app, "HW-REK")
    assert shelf is not None
    assert (shelf.name, shelf.kind, shelf.sells_for_id) == ("Winkelrek", "shelf", farm.id)
    listed = manager.get("/admin/locations")
    assert "Winkelrek" in listed.text and "Hoevewinkel" in listed.text
    # a point of sale sells from one location: a second one for HW is refused, by name
    second = post_form(
        manager,
        "/admin/locations/new",
        {"code": "TOOG", "name": "Toog", "kind": "bistro", "sells_for": str(farm.id)},
    )
    assert second.status_code == 200
    assert "Hoevewinkel verkoopt al uit Winkelrek." in second.text
    assert location(app, "TOOG") is None
    room = post_form(
        manager,
        "/admin/locations/new",
        {"code": "BERGING", "name": "Berging", "kind": "stockroom", "sells_for": ""},
    )
    assert room.status_code == 302
    stockroom = location(app, "BERGING")
    assert stockroom is not None
    assert stockroom.sells_for_id is None


def test_a_location_is_changed_and_its_code_stays_unique(
    app: Flask, manager: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    edit = f"/admin/locations/{stock_shop['room']}"
    assert 'value="BERGING"' in manager.get(edit).text
    shelf_page = manager.get(f"/admin/locations/{stock_shop['shelf']}").text
    assert f'<option selected value="{stock_shop["farm"]}">Hoevewinkel</option>' in shelf_page
    taken = post_form(
        manager, edit, {"code": "HW-REK", "name": "Berging", "kind": "stockroom", "sells_for": ""}
    )
    assert taken.status_code == 200
    assert "Er is al een plaats met deze code." in taken.text
    bad_kind = post_form(
        manager, edit, {"code": "BERGING", "name": "Berging", "kind": "kelder", "sells_for": ""}
    )
    assert bad_kind.status_code == 200
    assert "Ongeldige keuze" in bad_kind.text
    moved = post_form(
        manager,
        edit,
        {"code": "AUTOMAAT", "name": "Automaat", "kind": "vending", "sells_for": "999999"},
    )
    assert moved.status_code == 200  # no such point of sale
    changed = post_form(
        manager, edit, {"code": "AUTOMAAT", "name": "Automaat", "kind": "vending", "sells_for": ""}
    )
    assert changed.status_code == 302
    vending = location(app, "AUTOMAAT")
    assert vending is not None
    assert vending.kind == "vending"
    assert location(app, "BERGING") is None
    assert manager.get("/admin/locations/999999").status_code == 404

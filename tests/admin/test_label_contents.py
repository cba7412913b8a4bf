"""Labels carry the price per kg or litre, the producer and the best-before (#16 point 8)."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.catalog.labels import label_from_payload, label_payload, product_label
from kiosk.catalog.net_quantity import quantity_in_name, unit_price
from kiosk.demo.loader import load_demo
from kiosk.extensions import db
from kiosk.models import Location, Producer, Product
from kiosk.printing.queue import add_printer
from kiosk.printing.worker import print_due_jobs
from printers.labels import label_texts
from tests.admin.stock_support import deliver, today
from tests.conftest import Shop, csrf_token
from tests.fake_printer import FakeNetworkPrinter
from tests.printers.escpos_stream import printed_lines

JAM_CODE = "5456123101851"
CHEESE_CODE = "2100001000004"


@pytest.mark.parametrize(
    ("price_cents", "quantity", "unit", "expected"),
    [
        (450, 350, "g", (1286, "kg")),  # 1285,714… rounds up
        (520, 350, "g", (1486, "kg")),  # 1485,714…
        (350, 1, "l", (350, "l")),
        (180, 25, "cl", (720, "l")),
        (250, 33, "cl", (758, "l")),  # 757,57…
        (1299, 75, "cl", (1732, "l")),
        (695, 500, "ml", (1390, "l")),
        (5, 2000, "g", (3, "kg")),  # exactly 2,5 cents: half-up, not to even
        (1, 2000, "g", (1, "kg")),  # exactly 0,5 cent
        (698, 2, "kg", (349, "kg")),
        (333, 300, "g", (1110, "kg")),  # exactly 1110
    ],
)
def test_the_unit_price_is_exact_cents_rounded_half_up(
    price_cents: int, quantity: int, unit: str, expected: tuple[int, str]
) -> None:
    assert unit_price(price_cents, quantity, unit) == expected


@pytest.mark.parametrize(
    ("name", "quantity"),
    [
        ("Aardbeienconfituur 350 g", (350, "g")),
        ("Appelsap 1 l", (1, "l")),
        ("Appelsap 25 cl", (25, "cl")),
        ("Hoeve-ijs vanille 500 ml", (500, "ml")),
        ("Appels Boskoop 2 kg", (2, "kg")),
        ("Boerenbrood", None),
        ("Eieren (6)", None),
        ("Kaars 0 g", None),
    ],
)
def test_a_quantity_at_the_end_of_a_name_is_read(
    name: str, quantity: tuple[int, str] | None
) -> None:
    assert quantity_in_name(name) == quantity


def test_the_demo_products_know_their_net_quantity(app: Flask, ctx: None) -> None:
    load_demo(app.config["SECRET_KEY"])
    db.session.commit()
    stored = {
        product.name: (product.net_quantity, product.net_unit)
        for product in db.session.scalars(select(Product))
    }
    assert stored["Aardbeienconfituur 350 g"] == (350, "g")
    assert stored["Hoevemelk 1 l"] == (1, "l")
    assert stored["Appelsap 25 cl"] == (25, "cl")
    assert stored["Boerenbrood"] == (None, None)
    jam = db.session.scalars(
        select(Product).where(Product.name == "Aardbeienconfituur 350 g")
    ).one()
    assert label_texts(product_label(jam)).unit_price == "14,86 €/kg"  # € 5,20 for 350 g


@pytest.fixture
def jam(shop: Shop, farm_shop: dict[str, Any]) -> int:
    """A 350 g jar of jam at € 4,50 from Fruithoeve Peeters, with its code."""
    product_id = shop.product("Confituur 350 g", price_cents=450, barcode=JAM_CODE)
    with shop.app.app_context():
        product = db.session.get_one(Product, product_id)
        product.producer = Producer(name="Fruithoeve Peeters")
        product.net_quantity, product.net_unit = 350, "g"
        db.session.commit()
    return product_id


def test_a_label_job_keeps_the_unit_price_and_the_producer(app: Flask, jam: int) -> None:
    with app.app_context():
        label = product_label(db.session.get_one(Product, jam))
        assert (label.unit_price_cents, label.unit_price_per, label.producer) == (
            1286,
            "kg",
            "Fruithoeve Peeters",
        )
        assert label_from_payload(label_payload(label, 2, jam)) == (label, 2)


def test_a_sheet_label_shows_the_unit_price_producer_and_best_before(
    staff: FlaskClient, jam: int
) -> None:
    page = staff.get("/admin/labels")
    response = staff.post(
        "/admin/labels",
        data={
            "layout": "3x8",
            "start": "1",
            f"count_{jam}": "1",
            f"best_before_{jam}": "2099-05-01",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.status_code == 302
    html = staff.get(response.headers["Location"]).text
    assert '<p class="label-unit-price">12,86 €/kg</p>' in html
    assert '<p class="label-producer">Fruithoeve Peeters</p>' in html
    assert "THT 01-05-2099" in html and "€ 4,50" in html


def test_a_product_without_a_net_quantity_shows_no_unit_price(
    app: Flask, staff: FlaskClient, jam: int
) -> None:
    with app.app_context():
        product = db.session.get_one(Product, jam)
        product.net_quantity = product.net_unit = None
        db.session.commit()
    html = staff.get(f"/admin/labels/products/{jam}").text
    assert 'class="label-unit-price"' not in html
    assert "Fruithoeve Peeters" in html


def test_a_weighed_pack_label_shows_its_producer_and_best_before(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    with app.app_context():
        cheese = db.session.get_one(Product, farm_shop["cheese"])
        cheese.barcode = CHEESE_CODE
        cheese.producer = Producer(name="Kaashoeve Wouters")
        db.session.commit()
    url = f"/admin/labels/products/{farm_shop['cheese']}"
    html = staff.get(url, query_string={"weight": "0,750", "best_before": "2099-05-01"}).text
    assert "Kaashoeve Wouters" in html and "THT 01-05-2099" in html
    assert "€ 24,90" in html and "€ 18,68" in html
    assert 'class="label-unit-price"' not in html  # a weighed pack already says its price per kg


def test_a_printed_label_has_the_unit_price_and_the_producer(
    app: Flask, staff: FlaskClient, jam: int, fake_printer: FakeNetworkPrinter
) -> None:
    with app.app_context():
        printer = add_printer("Toog", fake_printer.url, profile="TM-T20II", point_of_sale_code="HW")
        db.session.commit()
        printer_id = printer.id
    page = staff.get(f"/admin/labels/products/{jam}")
    response = staff.post(
        f"/admin/labels/products/{jam}/print",
        data={
            "printer": printer_id,
            "copies": "1",
            "best_before": "2099-05-01",
            "csrf_token": csrf_token(page.text),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert print_due_jobs() == 1
    lines = [line.strip() for line in printed_lines(fake_printer.wait_for_jobs(1)[0])]
    assert "€ 4,50 per stuk" in lines
    assert "12,86 €/kg" in lines
    assert "Fruithoeve Peeters" in lines
    assert "THT 01-05-2099" in lines


def test_a_pack_label_takes_the_best_before_of_a_lot_in_stock(
    app: Flask, staff: FlaskClient, jam: int
) -> None:
    with app.app_context():
        room = Location(code="BERGING", name="Berging", kind="stockroom")
        db.session.add(room)
        db.session.commit()
        room_id = room.id
    soon, later = today() + timedelta(days=30), today() + timedelta(days=90)
    deliver(app, jam, room_id, 12_000, later, "L-LATER")
    deliver(app, jam, room_id, 6_000, soon, "L-SOON")
    deliver(app, jam, room_id, 6_000, today() - timedelta(days=1), "L-OVER")  # past: not offered
    page = staff.get(f"/admin/labels/products/{jam}").text
    offered = re.findall(r'<li><a href="([^"]+)">(Lot [^<]+)</a></li>', page)
    assert [text for _link, text in offered] == [
        f"Lot L-SOON, THT {soon:%d-%m-%Y}",
        f"Lot L-LATER, THT {later:%d-%m-%Y}",
    ]
    label = staff.get(html.unescape(offered[0][0])).text
    assert f"THT {soon:%d-%m-%Y}" in label
    assert '<p class="label-unit-price">12,86 €/kg</p>' in label

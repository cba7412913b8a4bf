"""Long lists (products, stock, sales, deliveries, audit): search, filters, sort, pages, figures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from kiosk.catalog.audit_entries import product_fields, record_product_change
from kiosk.extensions import db
from kiosk.models import Category, Location, PointOfSale, Producer, Product, Sale
from kiosk.stock.operations import DeliveredLine, receive_delivery
from tests.admin.stock_support import stock_shop_fixture  # noqa: F401 (a fixture)
from tests.conftest import Shop, found
from tests.kiosk.sales_support import sell

pytestmark = pytest.mark.usefixtures("team")

LISTS = ["/admin/products", "/admin/stock", "/admin/sales", "/admin/deliveries"]


def add_products(app: Flask, count: int, *, producer: str | None = None) -> None:
    """Add `count` products "Artikel 000" … at 1,00 € and up, with EANs 20000000000xx."""
    with app.app_context():
        made_by = Producer(name=producer) if producer else None
        db.session.add_all(
            Product(
                name=f"Artikel {number:03d}",
                price_cents=100 + number,
                barcode=f"29{number:011d}",
                producer=made_by,
            )
            for number in range(count)
        )
        db.session.commit()


def row_names(html: str) -> list[str]:
    """Return the product names linked in a list's rows, in order."""
    return re.findall(r'<a href="/admin/(?:products|stock/products)/\d+">([^<]+)</a>', html)


def test_the_products_list_shows_stock_purchase_price_margin_and_last_sale(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    sold_at = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)  # 10:30 in Brussels
    with app.app_context():
        bread = db.session.get_one(Product, stock_shop["bread"])
        bread.purchase_price_cents = 200
        shelf = db.session.get_one(Location, stock_shop["shelf"])
        receive_delivery(None, shelf, [DeliveredLine(bread, 5_000, 200)], None, sold_at)
        db.session.commit()
        sell(
            stock_shop["till_id"],
            stock_shop["operator_id"],
            [(bread.id, "1")],
            [("card", 380)],
            sold_at,
        )
    page = staff.get("/admin/products?q=boerenbrood").text
    row = found(r"<tr>(?:(?!</tr>).)*Boerenbrood(?:(?!</tr>).)*</tr>", page, re.S).group(0)
    cells = [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    # 3,80 € holds 6 % VAT: 0,22 €; without it 3,58 €; less 2,00 € bought: 1,58 €, 44,1 %
    assert "2,00 €" in cells
    assert "1,58 € (44,1 %)" in cells
    assert "4 st." in cells  # 5 delivered, 1 sold
    assert "27-11-2026 10:30" in cells
    assert row_names(staff.get("/admin/products?sort=-last_sale").text)[0] == "Boerenbrood"
    assert row_names(staff.get("/admin/products?sort=-stock").text)[0] == "Boerenbrood"
    eggs = found(
        r"<tr>(?:(?!</tr>).)*Eieren \(6\)(?:(?!</tr>).)*</tr>",
        staff.get("/admin/products").text,
        re.S,
    )
    assert eggs.group(0).count('<td class="amount">–</td>') == 2  # no purchase price, no margin


@contextmanager
def counted_queries(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements run while the block runs."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def remember(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", remember)


def test_the_products_list_asks_the_database_as_often_for_fifty_products_as_for_five(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any], shop: Shop
) -> None:
    staff.get("/admin/products")  # the session and its user are read once, as on every page
    with counted_queries(app) as few:
        assert staff.get("/admin/products").status_code == 200
    add_products(app, 60, producer="Atelier De Linde")
    with counted_queries(app) as many:
        assert staff.get("/admin/products").status_code == 200
    assert len(many) == len(few), "\n".join(many)


def test_the_products_list_pages_sorts_and_searches_on_the_server(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    add_products(app, 120, producer="Atelier De Linde")
    first = staff.get("/admin/products?q=artikel").text
    assert "1–50 van 120" in first
    assert row_names(first)[:2] == ["Artikel 000", "Artikel 001"]
    assert 'rel="next" href="/admin/products?q=artikel&amp;page=2"' in first
    assert 'rel="prev"' not in first
    last = staff.get("/admin/products?q=artikel&page=3").text
    assert "101–120 van 120" in last and len(row_names(last)) == 20
    assert 'rel="next"' not in last
    reverse = staff.get("/admin/products?q=artikel&sort=-name").text
    assert row_names(reverse)[0] == "Artikel 119"
    assert 'aria-sort="descending"' in reverse
    by_price = staff.get("/admin/products?sort=-price").text
    assert row_names(by_price)[0] == "Hoevekaas"  # 24,90 € per kg
    assert row_names(staff.get("/admin/products?q=2900000000042").text) == ["Artikel 042"]
    assert len(row_names(staff.get("/admin/products?q=de linde").text)) == 50  # by producer
    assert "1–4 van 4" in staff.get("/admin/products?producer=none").text


@pytest.mark.parametrize(
    "query",
    [
        "page=999",
        "page=-3",
        "page=abc",
        "page=99999999999999999999",
        "sort=password",
        "sort=--name",
        "q=%00%01",
        "q=" + "x" * 500,
        "category=abc&producer=-1&point_of_sale=99999999999999999999&active=maybe",
        "first_day=morgen&last_day=2026-02-30&location=x",
        "_scheme=gopher&_external=1&_anchor=x&by=filter&endpoint=x",
    ],
)
def test_bad_list_parameters_show_the_list_never_an_error(
    manager: FlaskClient, farm_shop: dict[str, Any], query: str
) -> None:
    for url in [*LISTS, "/admin/audit"]:
        answer = manager.get(f"{url}?{query}")
        assert answer.status_code == 200, (url, query)


def test_a_page_beyond_the_end_shows_the_last_page(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    add_products(app, 60)
    beyond = staff.get("/admin/products?page=7").text
    assert "51–64 van 64" in beyond
    assert 'rel="prev" href="/admin/products?page=1"' not in beyond  # page 2's previous is 1
    assert 'rel="prev" href="/admin/products"' in beyond


def test_the_stock_list_is_searched_sorted_and_paged(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    add_products(app, 60)
    with app.app_context():
        shelf = db.session.get_one(Location, stock_shop["shelf"])
        products = db.session.scalars(select(Product).where(Product.name.like("Artikel%")))
        lines = [DeliveredLine(product, 1_000 * product.id, 100) for product in products]
        receive_delivery(None, shelf, lines, None, datetime.now(UTC))
        db.session.commit()
    first = staff.get("/admin/stock").text
    assert "1–50 van 60" in first
    assert row_names(staff.get("/admin/stock?page=2").text)[-1] == "Artikel 059"
    found_one = staff.get("/admin/stock?q=2900000000007").text
    assert row_names(found_one) == ["Artikel 007"] and "1–1 van 1" in found_one
    most = staff.get("/admin/stock?sort=-quantity").text
    assert row_names(most)[0] == "Artikel 059"


def test_the_sales_list_is_searched_filtered_by_place_and_days_and_sorted(
    app: Flask, manager: FlaskClient, shop: Shop, farm_shop: dict[str, Any]
) -> None:
    shop.point_of_sale("BI", name="Bistro")
    bistro_till, _token = shop.till("BI", name="Bistrokassa")
    coffee = shop.product("Koffie", price_cents=250, point_of_sale="BI")
    monday = datetime(2026, 11, 23, 10, tzinfo=UTC)
    with app.app_context():
        operator = farm_shop["operator_id"]
        bread = sell(
            farm_shop["till_id"], operator, [(farm_shop["bread"], "2")], [("card", 760)], monday
        )
        cheese = sell(
            farm_shop["till_id"],
            operator,
            [(farm_shop["candle"], "1")],
            [("card", 1250)],
            monday + timedelta(days=2),
        )
        drink = sell(
            bistro_till, operator, [(coffee, "1")], [("card", 250)], monday + timedelta(days=3)
        )
        receipts = [bread.receipt_number, cheese.receipt_number, drink.receipt_number]
        bistro = drink.point_of_sale_id
    everything = manager.get("/admin/sales").text
    assert [everything.index(receipt) for receipt in receipts] == sorted(
        everything.index(receipt) for receipt in receipts
    )[::-1]  # newest first
    assert "1–3 van 3" in everything
    by_product = manager.get("/admin/sales?q=kaars").text
    assert receipts[1] in by_product and receipts[0] not in by_product
    at_bistro = manager.get(f"/admin/sales?point_of_sale={bistro}").text
    assert receipts[2] in at_bistro and receipts[0] not in at_bistro
    days = manager.get("/admin/sales?first_day=2026-11-24&last_day=2026-11-25").text
    assert receipts[1] in days and receipts[0] not in days and receipts[2] not in days
    cheapest = manager.get("/admin/sales?sort=total").text
    assert cheapest.index(receipts[2]) < cheapest.index(receipts[0]) < cheapest.index(receipts[1])
    assert receipts[0] in manager.get(f"/admin/sales?q={receipts[0]}").text
    with app.app_context():
        assert db.session.scalar(select(Sale.id).where(Sale.receipt_number == receipts[0]))


def test_the_deliveries_list_is_searched_by_product_and_filtered_by_producer(
    app: Flask, staff: FlaskClient, stock_shop: dict[str, Any]
) -> None:
    with app.app_context():
        shelf = db.session.get_one(Location, stock_shop["shelf"])
        linde = Producer(name="Hoeve De Linde")
        db.session.add(linde)
        db.session.flush()
        bread = db.session.get_one(Product, stock_shop["bread"])
        cheese = db.session.get_one(Product, stock_shop["cheese"])
        when = datetime(2026, 11, 20, 8, tzinfo=UTC)
        receive_delivery(
            linde.id, shelf, [DeliveredLine(bread, 10_000, 150)], None, when, "ochtendronde"
        )
        receive_delivery(
            None, shelf, [DeliveredLine(cheese, 2_000, 1500)], None, when + timedelta(days=5)
        )
        db.session.commit()
        linde_id = linde.id
    both = staff.get("/admin/deliveries").text
    assert "1–2 van 2" in both
    assert both.index("25-11-2026") < both.index("20-11-2026")  # newest first
    by_product = staff.get("/admin/deliveries?q=hoevekaas").text
    assert "25-11-2026" in by_product and "20-11-2026" not in by_product
    by_producer = staff.get(f"/admin/deliveries?producer={linde_id}").text
    assert "20-11-2026" in by_producer and "25-11-2026" not in by_producer
    assert "20-11-2026" in staff.get("/admin/deliveries?q=ochtendronde").text
    days = staff.get("/admin/deliveries?first_day=2026-11-21").text
    assert "1–1 van 1" in days and "25-11-2026" in days


def test_the_audit_log_takes_q_like_every_list(
    app: Flask, manager: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    with app.app_context():
        bread = db.session.get_one(Product, farm_shop["bread"])
        before = product_fields(bread)
        bread.price_cents = 395
        record_product_change(bread, before)
        db.session.commit()
    assert "Boerenbrood" in manager.get("/admin/audit?q=boerenbrood").text
    assert "Boerenbrood" not in manager.get("/admin/audit?q=hoevekaas").text


def test_the_filters_keep_categories_and_choose_by_point_of_sale(
    app: Flask, staff: FlaskClient, shop: Shop, farm_shop: dict[str, Any]
) -> None:
    shop.point_of_sale("GW", name="Geschenkwinkel")
    shop.product("Vogelhuisje", price_cents=1800, point_of_sale="GW", vat_class="non_food")
    with app.app_context():
        gift = db.session.scalar(select(Category.id).where(Category.name == "Kaarsen"))
        gift_shop = db.session.scalar(select(PointOfSale.id).where(PointOfSale.code == "GW"))
    assert row_names(staff.get(f"/admin/products?point_of_sale={gift_shop}").text) == [
        "Vogelhuisje"
    ]
    assert row_names(staff.get(f"/admin/products?category={gift}").text) == ["Kaars"]

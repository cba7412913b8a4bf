"""Stock valuation: lots at their own purchase price, sale value with and without VAT, margins."""

from __future__ import annotations

import csv
import io
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from kiosk.extensions import db
from kiosk.models import Location, PointOfSale, Producer, Product
from kiosk.models.types import utcnow
from kiosk.stock.operations import DeliveredLine, receive_delivery, record_count
from kiosk.stock.valuation import (
    NEGATIVE_STOCK,
    NO_PURCHASE_PRICE,
    ProductValue,
    StockValuation,
    get_stock_valuation,
    purchase_value,
)
from tests.conftest import Shop, present


@pytest.fixture
def stocked(app: Flask, shop: Shop, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """The farm shop's shelf with lots at different purchase prices, and a bistro product."""
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in")
    cake = shop.product("Taart", price_cents=2200, point_of_sale="BI", category="Gebak")
    with app.app_context():
        farm = db.session.scalar(select(PointOfSale).where(PointOfSale.code == "HW"))
        shelf = Location(code="REK", name="Winkelrek", sells_for=farm)
        db.session.add(shelf)
        linde = Producer(name="Hoeve De Linde", consignment=True, commission_percent=20)
        db.session.add(linde)
        db.session.flush()
        product = {key: db.session.get_one(Product, farm_shop[key]) for key in ("bread", "eggs")}
        product["cheese"] = db.session.get_one(Product, farm_shop["cheese"])
        product["candle"] = db.session.get_one(Product, farm_shop["candle"])
        product["cake"] = db.session.get_one(Product, cake)
        product["eggs"].purchase_price_cents = 200  # no lots: counted in at this price
        product["cheese"].producer = linde
        product["cake"].purchase_price_cents = 900
        deliver = [
            DeliveredLine(product["bread"], 10_000, 100),
            DeliveredLine(product["bread"], 5_000, 130),
            DeliveredLine(product["cheese"], 2_500, 1500),  # 2,5 kg at 15,00 per kg
            DeliveredLine(product["candle"], 3_000, None),  # neither lot nor product has a price
            DeliveredLine(product["cake"], 4_000, None),  # the product's price applies
        ]
        receive_delivery(None, shelf, deliver, None, utcnow())
        record_count(product["eggs"], shelf, 6_000, None, utcnow())
        db.session.commit()
    return {**farm_shop, "cake": cake}


def valued(app: Flask) -> tuple[StockValuation, dict[str, ProductValue]]:
    with app.app_context():
        valuation = get_stock_valuation()
        return valuation, {value.product.name: value for value in valuation.products}


def test_each_product_is_valued_at_its_lots_prices(app: Flask, stocked: dict[str, Any]) -> None:
    _valuation, by_name = valued(app)
    bread = by_name["Boerenbrood"]
    assert bread.quantity_milli == 15_000
    assert bread.purchase_cents == 10 * 100 + 5 * 130
    assert bread.sale_incl_cents == 15 * 380
    assert bread.sale_excl_cents == 5700 - 323  # 6 % VAT in 57,00 is 3,2264
    assert bread.margin_cents == 5377 - 1650
    assert bread.margin_percent == Decimal("69.3")
    cheese = by_name["Hoevekaas"]
    assert (cheese.quantity_milli, cheese.purchase_cents, cheese.sale_incl_cents) == (
        2500,
        3750,
        6225,
    )
    eggs = by_name["Eieren (6)"]
    assert (eggs.purchase_cents, eggs.sale_incl_cents) == (1200, 1770)
    cake = by_name["Taart"]  # sold only to eat in: 12 %
    assert (cake.vat_rate, cake.purchase_cents, cake.sale_excl_cents) == (
        Decimal(12),
        3600,
        8800 - 943,
    )
    candle = by_name["Kaars"]
    assert candle.purchase_cents is None and candle.margin_cents is None
    assert candle.flags == [NO_PURCHASE_PRICE]
    assert candle.sale_excl_cents == 3750 - 651  # 21 %


def test_categories_and_total_add_up_and_leave_products_without_price_out_of_the_margin(
    app: Flask, stocked: dict[str, Any]
) -> None:
    valuation, _by_name = valued(app)
    assert [group.name for group in valuation.categories] == [
        "Brood",
        "Eieren",
        "Gebak",
        "Kaarsen",
        "Kaas",
    ]  # every category has position 0 here: by name
    for group in valuation.categories:
        members = [v for v in valuation.products if present(v.product.category).name == group.name]
        priced = [v for v in members if v.purchase_cents is not None]
        assert group.product_count == len(members)
        assert group.purchase_cents == sum(present(v.purchase_cents) for v in priced)
        assert group.sale_incl_cents == sum(v.sale_incl_cents for v in members)
        assert group.margin_cents == sum(present(v.margin_cents) for v in priced)
    total = valuation.total
    assert total.unpriced_count == 1 and total.product_count == 5
    assert total.purchase_cents == 1650 + 1200 + 3750 + 3600
    assert total.margin_cents == sum(g.margin_cents for g in valuation.categories)
    assert total.sale_incl_cents == sum(g.sale_incl_cents for g in valuation.categories)
    assert total.consignment_purchase_cents == 3750  # De Linde's cheese is not the shop's
    # the shop's own stock and the producers' consignment goods, apart, adding up to the total
    assert valuation.consignment.purchase_cents == 3750
    assert valuation.own.purchase_cents == total.own_purchase_cents == 1650 + 1200 + 3600
    assert [v.product.name for v in valuation.products if v.consignment] == ["Hoevekaas"]
    assert valuation.own.product_count + valuation.consignment.product_count == 5
    assert valuation.own.sale_incl_cents + valuation.consignment.sale_incl_cents == (
        total.sale_incl_cents
    )
    assert total.margin_percent == (
        Decimal(total.margin_cents * 100) / total.priced_sale_excl_cents
    ).quantize(Decimal("0.1"))


def test_sales_take_the_first_lot_and_the_value_follows(
    app: Flask, client: FlaskClient, stocked: dict[str, Any]
) -> None:
    body = {
        "operator_id": stocked["operator_id"],
        "lines": [{"product_id": stocked["bread"], "quantity": "12"}],
        "payments": [{"method": "card", "amount_cents": 12 * 380}],
    }
    headers = {**stocked["headers"], "Idempotency-Key": str(uuid.uuid4())}
    assert client.post("/api/v1/sales", json=body, headers=headers).status_code == 201
    _, by_name = valued(app)
    assert by_name["Boerenbrood"].quantity_milli == 3000
    assert by_name["Boerenbrood"].purchase_cents == 3 * 130  # what is left is the dearer lot


def test_negative_stock_is_valued_as_it_stands_and_flagged(
    app: Flask, client: FlaskClient, stocked: dict[str, Any]
) -> None:
    body = {
        "operator_id": stocked["operator_id"],
        "lines": [{"product_id": stocked["eggs"], "quantity": "8"}],
        "payments": [{"method": "card", "amount_cents": 8 * 295}],
    }
    headers = {**stocked["headers"], "Idempotency-Key": str(uuid.uuid4())}
    assert client.post("/api/v1/sales", json=body, headers=headers).status_code == 201
    _, by_name = valued(app)
    eggs = by_name["Eieren (6)"]
    assert (eggs.quantity_milli, eggs.purchase_cents, eggs.sale_incl_cents) == (-2000, -400, -590)
    assert eggs.flags == [NEGATIVE_STOCK]


def test_purchase_value_weighs_the_lots_on_hand() -> None:
    assert purchase_value(15_000, [(10_000, 100), (5_000, 130)], None) == 1650
    # two sold that the ledger lacked, then ten delivered: eight left, at the new lot's price
    assert purchase_value(8_000, [(-2_000, None), (10_000, 150)], 90) == 1200
    assert purchase_value(-2_000, [(-2_000, None)], 90) == -180
    assert purchase_value(1_000, [(1_000, None)], None) is None
    assert purchase_value(333, [(1_000, 100), (1_000, 101)], None) == 33  # 33,4665


def test_products_without_stock_are_left_out(app: Flask, stocked: dict[str, Any]) -> None:
    with app.app_context():
        shelf = db.session.scalar(select(Location).where(Location.code == "REK"))
        assert shelf is not None
        record_count(db.session.get_one(Product, stocked["cake"]), shelf, 0, None, utcnow())
        db.session.get_one(Product, stocked["bread"]).category = None
        db.session.commit()
    valuation, by_name = valued(app)
    assert "Taart" not in by_name
    assert valuation.categories[-1].name is None  # products without a category come last


def test_cli_writes_the_valuation_per_product_and_per_category(
    app: Flask, stocked: dict[str, Any], cli: Any, tmp_path: Path
) -> None:
    out = tmp_path / "waarde.csv"
    result = cli("export", "stock-valuation", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "5 rij(en)" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig")), delimiter=";"))
    bread = next(row for row in rows if row["product"] == "Boerenbrood")
    assert (bread["voorraad"], bread["aankoopwaarde"], bread["marge_pct"]) == (
        "15",
        "16,50",
        "69,3",
    )
    candle = next(row for row in rows if row["product"] == "Kaars")
    assert (candle["aankoopwaarde"], candle["opmerking"]) == ("", "geen aankoopprijs")
    assert next(row for row in rows if row["product"] == "Hoevekaas")["consignatie"] == "ja"

    out = tmp_path / "waarde.xlsx"
    result = cli("export", "stock-valuation", "--per-category", "--plain", "--out", str(out))
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out)
    cells = [[cell.value for cell in row] for row in workbook["Per categorie"].iter_rows()]
    assert cells[0][:4] == ["categorie", "producten", "zonder_aankoopprijs", "aankoopwaarde"]
    assert cells[1][:4] == ["Brood", 1, 0, 16.5]
    assert cells[-1][0] == "TOTAAL" and cells[-1][3] == 102.0
    workbook.close()

    result = cli("export", "stock-valuation", "--out", str(tmp_path / "waarde.ods"))
    assert result.exit_code == 1 and "Kies --format csv of --format xlsx." in result.output

"""A shop and bistro at every VAT rate, and every report of one day read side by side.

The rounding tests (concrete and generated) ring sales up through the operations the API uses
(sales, refunds and voids, bistro tabs paid in equal parts), then read the same day back from
the turnover figures (which the X and Z reports are made of), the per-till X figures, the
sales-line export, the sales per product, the producers' settlements and the dashboard.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy import select

from kiosk.bistro.payments import Split, TabPayment, pay_tab
from kiosk.bistro.tabs import WantedItem, add_items, open_tab
from kiosk.exports.accounting import SALE_LINE_COLUMNS, sale_line_rows
from kiosk.extensions import db
from kiosk.models import Category, Producer, Product, Sale, Till
from kiosk.models.types import Role
from kiosk.money import line_amount_cents
from kiosk.reports.dashboard import get_top_products
from kiosk.reports.day_figures import Figures, SalesScope, get_figures
from kiosk.reports.product_sales import ProductFilter, ProductSales, get_product_sales
from kiosk.reports.settlement import Settlement, get_settlement
from kiosk.sales.refunds import refund_sale
from tests.conftest import Shop
from tests.kiosk.bistro_support import bistro_world
from tests.kiosk.sales_support import sell

HEADERS = [column.header for column in SALE_LINE_COLUMNS]
#: farm-shop goods by key: (name, price in cents, unit, VAT class, category, producer)
FARM_GOODS = {
    "eggs": ("Eieren", 100, "piece", "food", "Zuivel", "Hoeve De Linde"),
    "jam": ("Confituur", 100, "piece", "food", "Brood", "Bakkerij Peeters"),
    "leek": ("Prei", 100, "piece", "food", "Groenten", "Hoeve De Linde"),
    "cheese": ("Kaas", 1899, "kg", "food", "Zuivel", "Hoeve De Linde"),
    "candle": ("Kaars", 1299, "piece", "non_food", "Geschenken", None),
    "wine": ("Wijn", 1150, "piece", "alcohol", "Dranken", "Bakkerij Peeters"),
    "sandwich": ("Broodje", 495, "piece", "takeaway_meal", "Snacks", None),
    "juice": ("Sap", 215, "piece", "soft_drink", "Dranken", "Hoeve De Linde"),
}


def rounding_world(app: Flask, shop: Shop) -> dict[str, Any]:
    """Add the bistro world, a farm-shop till and goods at every rate, by two producers."""
    w = bistro_world(app, shop)
    w["farm_till"] = shop.till("HW", name="Hoevekassa")[0]
    w["staff_id"] = shop.user("Sofie", role=Role.STAFF)
    for key, (name, price, unit, vat_class, category, _producer) in FARM_GOODS.items():
        w[key] = shop.product(
            name,
            price_cents=price,
            unit=unit,
            vat_class=vat_class,
            category=category,
            point_of_sale="HW|BI",
        )
    with app.app_context():
        producers = {name: Producer(name=name) for name in ("Hoeve De Linde", "Bakkerij Peeters")}
        producers["Hoeve De Linde"].consignment = True
        producers["Hoeve De Linde"].commission_percent = 20
        db.session.add_all(producers.values())
        for key, (*_rest, producer) in FARM_GOODS.items():
            product = db.session.get_one(Product, w[key])
            product.producer = producers[producer] if producer else None
            product.purchase_price_cents = product.price_cents // 2
        soups = db.session.scalars(select(Category).filter_by(name="Snacks")).one()
        db.session.get_one(Product, w["soup"]).category = soups
        db.session.commit()
        w["producers"] = [producer.id for producer in producers.values()]
    return w


def farm_sale(w: dict[str, Any], lines: list[tuple[str, str]], method: str, at: datetime) -> Sale:
    """Sell goods at the farm shop, by card (the exact total) or cash (a note too many)."""
    products = [(w[key], quantity) for key, quantity in lines]
    if method == "card":
        total = sum(
            line_amount_cents(db.session.get_one(Product, pid).price_cents, Decimal(q))
            for pid, q in products
        )
        return sell(w["farm_till"], w["operator_id"], products, [("card", total)], at)
    return sell(w["farm_till"], w["operator_id"], products, [("cash", 100_000)], at)


def refund(w: dict[str, Any], sale: Sale, positions: list[int] | None, at: datetime) -> Sale:
    """Pay back lines of a farm-shop sale (by position; None: a void of the whole sale)."""
    till = db.session.get_one(Till, w["farm_till"])
    line_ids = None if positions is None else [sale.lines[p].id for p in positions]
    reason = "vergissing" if positions is None else "retour"
    made, _new = refund_sale(
        till,
        sale.id,
        w["staff_id"],
        line_ids,
        stock="return",
        reason=reason,
        idempotency_key=str(uuid.uuid4()),
        now=at,
    )
    db.session.commit()
    return made


def split_tab(
    w: dict[str, Any], items: list[tuple[str, str]], parts: int, at: datetime, table: int = 0
) -> list[Sale]:
    """Order items at a bistro table and pay the tab in `parts` equal parts, in cash."""
    till = db.session.get_one(Till, w["till_id"])
    tab, _new = open_tab(till, w["tables"][table], w["operator_id"], at)
    wanted = [WantedItem(str(uuid.uuid4()), w[key], Decimal(q)) for key, q in items]
    add_items(till, tab.id, w["operator_id"], wanted, at)
    db.session.commit()
    sales = []
    for part in range(1, parts + 1):
        split = Split("equal", parts=parts, part=part)
        request = TabPayment(w["operator_id"], split, (("cash", 100_000),))
        sale, _tab, _new = pay_tab(till, tab.id, request, str(uuid.uuid4()), at)
        db.session.commit()
        sales.append(sale)
    return sales


@dataclass
class DayReports:
    """One business day as every report shows it."""

    figures: Figures
    tills: list[Figures]
    export: list[dict[str, Any]]
    products: list[ProductSales]
    settlements: list[Settlement]
    top_gross: dict[str, int]


def day_reports(w: dict[str, Any], day: date) -> DayReports:
    """Read a day back from every report."""
    scope = SalesScope(day, day)
    return DayReports(
        figures=get_figures(scope),
        tills=[
            get_figures(SalesScope(day, day, till_id=till, closing=True))
            for till in (w["till_id"], w["farm_till"])
        ],
        export=[dict(zip(HEADERS, row, strict=True)) for row in sale_line_rows(scope)],
        products=get_product_sales(ProductFilter(day, day)),
        settlements=[
            get_settlement(db.session.get_one(Producer, pid), day, day) for pid in w["producers"]
        ],
        top_gross={top.name: top.gross_cents for top in get_top_products(scope, 1000)},
    )


def assert_every_report_agrees(reports: DayReports) -> None:
    """Check that every breakdown adds up to the receipts and every report gives the same."""
    figures, export = reports.figures, reports.export
    for whole in (figures, *reports.tills):
        assert sum(group.gross_cents for group in whole.categories) == whole.turnover_cents
        assert sum(group.base_cents for group in whole.categories) == whole.base_cents
        assert sum(group.gross_cents for group in whole.operators) == whole.turnover_cents
        assert sum(group.base_cents for group in whole.operators) == whole.base_cents
    # the X figures of the tills together are the day's (no late sales here)
    assert sum(till.vat_cents for till in reports.tills) == figures.vat_cents
    assert sum(row["btw_bedrag"] for row in export) == figures.vat_cents
    assert sum(row["bedrag_excl_btw"] for row in export) == figures.base_cents
    for total in figures.vat:
        rate = Decimal(total.rate_basis_points) / 100
        assert sum(r["btw_bedrag"] for r in export if r["btw_tarief"] == rate) == total.vat_cents
    per_category: dict[str, int] = defaultdict(int)
    per_product: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for row in export:
        per_category[row["categorie"] or "Zonder categorie"] += row["bedrag_excl_btw"]
        per_product[row["product_id"]][0] += row["bedrag_incl_btw"]
        per_product[row["product_id"]][1] += row["btw_bedrag"]
    for whole in (figures,):
        assert {g.name: g.base_cents for g in whole.categories} == dict(per_category)
    assert sum(p.gross_cents for p in reports.products) == figures.turnover_cents
    assert sum(p.vat_cents for p in reports.products) == figures.vat_cents
    for product in reports.products:
        assert [product.gross_cents, product.vat_cents] == per_product[product.product_id]
        assert reports.top_gross[product.name] == product.gross_cents
    for settlement in reports.settlements:
        for line in settlement.lines:
            assert [line.turnover_cents, line.vat_cents] == per_product[line.product_id]
        assert settlement.vat_cents == sum(total.vat_cents for total in settlement.vat)

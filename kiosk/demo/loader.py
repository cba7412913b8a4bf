"""Load the Belgian rules and the demo plus-plek from the data files in seed/."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

import seed
from kiosk.bistro.tables import save_table
from kiosk.catalog.net_quantity import quantity_in_name
from kiosk.demo.customer_orders import load_demo_orders
from kiosk.demo.vending import load_demo_vending
from kiosk.extensions import db
from kiosk.identifiers import normalize_iban
from kiosk.models import (
    Category,
    Location,
    Organisation,
    PointOfSale,
    Producer,
    Product,
    Threshold,
    Till,
    User,
    VatRate,
)
from kiosk.models.types import utcnow
from kiosk.organisation.people import add_till, add_user, demo_token
from kiosk.organisation.queries import hash_token
from kiosk.passwords import secret_matches
from kiosk.periods import business_day
from kiosk.sales.sale_catalog import ensure_catalog_stamp
from kiosk.stock.operations import DeliveredLine, receive_delivery

SEED = Path(seed.__file__).resolve().parent


def rows(path: Path) -> Iterator[dict[str, str]]:
    """Read a seed CSV file as dictionaries of stripped strings."""
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {key: (value or "").strip() for key, value in row.items()}


def load_rules(folder: Path = SEED / "rules") -> None:
    """Add the Belgian VAT rates and thresholds that the database does not have yet.

    The catalog stamp's row comes with them (kiosk.sales.sale_catalog): a database upgraded
    from before it, or made new, gets it here.
    """
    ensure_catalog_stamp()
    known_rates = {
        (rate.vat_class, rate.consumption, rate.valid_from)
        for rate in db.session.scalars(select(VatRate))
    }
    for row in rows(folder / "vat_rates.csv"):
        key = (row["vat_class"], row["consumption"], date.fromisoformat(row["valid_from"]))
        if key not in known_rates:
            basis_points = int(Decimal(row["rate_percent"]) * 100)
            db.session.add(
                VatRate(
                    vat_class=key[0],
                    consumption=key[1],
                    valid_from=key[2],
                    rate_basis_points=basis_points,
                )
            )
    known_thresholds = {(t.name, t.valid_from) for t in db.session.scalars(select(Threshold))}
    for row in rows(folder / "thresholds.csv"):
        valid_from = date.fromisoformat(row["valid_from"])
        if (row["name"], valid_from) not in known_thresholds:
            db.session.add(
                Threshold(
                    name=row["name"], value_cents=int(row["value_cents"]), valid_from=valid_from
                )
            )
    db.session.flush()


def is_empty() -> bool:
    """Return whether the shop has no products and no users yet."""
    return not db.session.scalar(select(func.count(Product.id))) and not db.session.scalar(
        select(func.count(User.id))
    )


def load_demo(secret_key: str, folder: Path = SEED / "demo") -> None:
    """Fill an empty database with the demo plus-plek."""
    load_rules()
    organisation = next(rows(folder / "organisation.csv"))
    db.session.add(
        Organisation(
            id=1,
            name=organisation["name"],
            address=organisation["address"],
            vat_number=organisation["vat_number"],
            receipt_footer=organisation["receipt_footer"],
            # the bank account customers pay by QR (a valid Belgian test IBAN), stored compact
            iban=normalize_iban(organisation["iban"]) if organisation["iban"] else None,
            beneficiary_name=organisation["beneficiary_name"] or None,
            bic=organisation["bic"] or None,
        )
    )
    points_of_sale = {}
    for row in rows(folder / "points_of_sale.csv"):
        points_of_sale[row["code"]] = PointOfSale(
            code=row["code"],
            name=row["name"],
            default_consumption=row["default_consumption"],
            payment_methods=row["payment_methods"],
            kind=row.get("kind") or "kassa",
        )
    db.session.add_all(points_of_sale.values())
    categories = {
        row["key"]: Category(
            name=row["name"], pictogram=row["pictogram"], position=int(row["position"])
        )
        for row in rows(folder / "categories.csv")
    }
    producers = {
        row["key"]: Producer(
            name=row["name"],
            farm=row["farm"] or None,
            town=row["town"] or None,
            distance_km=int(row["distance_km"]) if row["distance_km"] else None,
            contact=row["contact"] or None,
            phone=row["phone"] or None,
            email=row["email"] or None,
            consignment=row["consignment"] == "yes",
            commission_percent=int(row["commission_percent"] or 0),
        )
        for row in rows(folder / "producers.csv")
    }
    db.session.add_all([*categories.values(), *producers.values()])
    for row in rows(folder / "products.csv"):
        net_quantity, net_unit = quantity_in_name(row["name"]) or (None, None)
        db.session.add(
            Product(
                name=row["name"],
                category=categories[row["category"]],
                producer=producers[row["producer"]] if row["producer"] else None,
                points_of_sale=[points_of_sale[code] for code in row["points_of_sale"].split("|")],
                price_cents=int(row["price_cents"]),
                unit=row["unit"],
                vat_class=row["vat_class"],
                barcode=row["barcode"] or None,
                pictogram=row["pictogram"] or None,
                purchase_price_cents=int(row["purchase_price_cents"])
                if row["purchase_price_cents"]
                else None,
                stock_tracked=row["stock_tracked"] == "yes",
                preparation=row["preparation"] or None,
                net_quantity=net_quantity,
                net_unit=net_unit,
            )
        )
    db.session.flush()
    for row in rows(folder / "tables.csv"):
        save_table(
            None,
            points_of_sale[row["point_of_sale"]],
            int(row["number"]),
            name=row["name"],
            colour=row["colour"],
            position=int(row["position"]),
        )
    for row in rows(folder / "users.csv"):
        add_user(
            row["name"],
            row["role"],
            password=row["password"] or None,
            pin=row["pin"] or None,
            pictogram=row["pictogram"] or None,
        )
    load_demo_stock(folder, points_of_sale)
    for row in rows(folder / "tills.csv"):
        add_till(
            row["name"],
            row["point_of_sale"],
            code=row["code"],
            token=demo_token(secret_key, row["code"]),
        )
    db.session.flush()
    load_demo_orders(rows(folder / "customer_orders.csv"), points_of_sale["HW"])
    load_demo_vending(rows(folder / "vending.csv"))


def load_demo_stock(folder: Path, points_of_sale: dict[str, PointOfSale]) -> None:
    """Add the demo's stock locations and a first delivery per producer, dated from today."""
    locations = {
        row["code"]: Location(
            code=row["code"],
            name=row["name"],
            kind=row["kind"],
            sells_for=points_of_sale[row["sells_for"]] if row["sells_for"] else None,
        )
        for row in rows(folder / "locations.csv")
    }
    db.session.add_all(locations.values())
    products = {product.name: product for product in db.session.scalars(select(Product))}
    now = utcnow()
    today = business_day(now)
    per_delivery: dict[tuple[int | None, str], list[DeliveredLine]] = {}
    for row in rows(folder / "stock.csv"):
        product = products[row["product"]]
        product.minimum_stock_milli = int(Decimal(row["minimum"]) * 1000)
        days = row["best_before_days"]
        line = DeliveredLine(
            product=product,
            quantity_milli=int(Decimal(row["quantity"]) * 1000),
            purchase_price_cents=product.purchase_price_cents,
            lot_code=row["lot"],
            best_before=today + timedelta(days=int(days)) if days else None,
        )
        per_delivery.setdefault((product.producer_id, row["location"]), []).append(line)
    db.session.flush()
    for (producer_id, location_code), lines in per_delivery.items():
        receive_delivery(producer_id, locations[location_code], lines, None, now)


def get_demo_tills(secret_key: str, folder: Path = SEED / "demo") -> list[tuple[Till, str]]:
    """Return the demo tills still paired by their demo token, with that token."""
    tills = []
    for row in rows(folder / "tills.csv"):
        till = db.session.scalar(select(Till).where(Till.code == row["code"]))
        token = demo_token(secret_key, row["code"])
        if till is not None and till.active and till.token_hash == hash_token(token):
            tills.append((till, token))
    return tills


def get_demo_logins(folder: Path = SEED / "demo") -> list[tuple[str, str, str]]:
    """Return the demo's back-office logins as (name, role, password)."""
    return [
        (row["name"], row["role"], row["password"])
        for row in rows(folder / "users.csv")
        if row["password"]
    ]


def get_demo_pins(folder: Path = SEED / "demo") -> dict[str, str | None]:
    """Return each demo person's till PIN by name: None without one, left out once changed."""
    pins: dict[str, str | None] = {}
    for row in rows(folder / "users.csv"):
        user = db.session.scalar(select(User).where(User.name == row["name"]))
        if user is None or not user.active:
            continue
        if user.pin_hash is None:
            pins[user.name] = None
        elif row["pin"] and secret_matches(user.pin_hash, row["pin"]):
            pins[user.name] = row["pin"]
    return pins

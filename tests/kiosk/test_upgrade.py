"""Upgrades keep data: a shop on the first release's schema, upgraded to the newest migration.

The data goes in as that release wrote it: raw SQL valid for the first schema (08f827a3102a),
then stock (which arrived with e69f7444f0ae) at that revision, then every later migration runs.
Every sale, line, payment and stock move must come through unchanged, and the backfills (VAT
per sale, stock balances) must say what the receipts and the ledger say.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask_migrate import upgrade as alembic_upgrade
from sqlalchemy import inspect, text

from kiosk import create_app
from kiosk.backup.archive import make_backup
from kiosk.cli.main import main
from kiosk.database import check_schema_current, upgrade_database
from kiosk.extensions import db, migrate
from kiosk.models.types import utcnow
from kiosk.money import vat_breakdown
from tests.conftest import (
    SECRET,
    create_postgres_database,
    drop_postgres_database,
    postgres_url,
    present,
)

FIRST = "08f827a3102a"
STOCK = "e69f7444f0ae"
TOKEN = "pk_first-release-till-token"

#: table → the columns it had in the revision its rows were written at, and its order
KEPT = {
    "organisation": "id, name, address, vat_number, receipt_header, receipt_footer",
    "point_of_sale": "id, code, name, default_consumption, payment_methods",
    "category": "id, name, pictogram, position",
    "producer": "id, name, farm, town, distance_km, consignment, commission_percent",
    "user_account": "id, name, role, password_hash, pin_hash, active, tile_size, created_at",
    "product": "id, name, price_cents, vat_class, unit, barcode, producer_id, category_id, "
    "purchase_price_cents, active, stock_tracked, version",
    "product_point_of_sale": "product_id, point_of_sale_id",
    "till": "id, code, name, point_of_sale_id, token_hash, created_at, revoked_at",
    "ticket_sequence": "till_id, last_number",
    "sale": "id, till_id, point_of_sale_id, operator_id, ticket_number, receipt_number, "
    "idempotency_key, request_hash, created_at, consumption, total_cents, rounding_cents, "
    "change_cents, refund_of_id",
    "sale_line": "id, sale_id, position, product_id, description, unit, quantity_milli, "
    "unit_price_cents, amount_cents, vat_class, vat_rate_basis_points",
    "payment": "id, sale_id, method, amount_cents",
    "location": "id, code, name, kind, sells_for_id",
    "delivery": "id, producer_id, delivered_at, note, user_id",
    "lot": "id, product_id, code, best_before, delivery_id, purchase_price_cents, created_at",
    "stock_move": "id, product_id, location_id, lot_id, quantity_milli, kind, reason, sale_id, "
    "delivery_id, user_id, created_at",
}
#: the tables of the first schema (the others came with the stock ledger)
FIRST_TABLES = frozenset(KEPT) - {"location", "delivery", "lot", "stock_move"}


@pytest.fixture
def first_release(tmp_path: Path) -> Iterator[Flask]:
    """The app on a database of its own, at the first migration, with nothing in it yet."""
    base = postgres_url()
    url = create_postgres_database(base) if base else f"sqlite:///{tmp_path / 'first.db'}"
    app = create_app(
        {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": SECRET},
        instance_path=str(tmp_path / "instance"),
    )
    with app.app_context():
        alembic_upgrade(directory=migrate.directory, revision=FIRST)
    yield app
    with app.app_context():
        db.session.rollback()
        db.engine.dispose()
    if base:
        drop_postgres_database(base, url)


def at(moment: str) -> Any:
    """A stored time as that release wrote it: naive UTC text on SQLite, timestamptz elsewhere."""
    value = datetime.fromisoformat(moment).replace(tzinfo=UTC)
    if db.engine.dialect.name == "sqlite":
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def insert(table: str, **values: Any) -> None:
    """INSERT one row with plain SQL (ids come from the database, in order: 1, 2, …)."""
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    db.session.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), values)


def fill_first_schema() -> None:
    """A farm shop and a bistro with users, products, sales, a refund, payments."""
    insert(
        "organisation",
        name="Plus-plek De Linde vzw",
        address="Lindestraat 1, 1980 Zemst",
        vat_number="BE0123456789",
        receipt_header="Welkom",
        receipt_footer="Bedankt en tot ziens!",
    )
    for code, name, consumption in (("HW", "Hoevewinkel", "takeaway"), ("BI", "Bistro", "eat_in")):
        insert(
            "point_of_sale",
            code=code,
            name=name,
            default_consumption=consumption,
            payment_methods="cash|card",
        )
    insert("category", name="Zuivel", pictogram="1F9C0", position=1)
    insert(
        "producer",
        name="Hoeve Peeters",
        farm="Hoeve Peeters",
        town="Zemst",
        distance_km=4,
        consignment=True,
        commission_percent=20,
    )
    for name, role, password in (("Jan", "care", None), ("Mie", "manager", "pbkdf2:sha256:1$x$y")):
        insert(
            "user_account",
            name=name,
            role=role,
            password_hash=password,
            pin_hash=None,
            pictogram="1F600",
            active=True,
            speech=False,
            sound=True,
            tile_size=2,
            created_at=at("2026-01-05 08:00:00"),
        )
    products = (  # name, cents, VAT class, unit, barcode, stock tracked, point of sale
        ("Boerenbrood", 385, "food", "piece", "5412345000013", False, 1),
        ("Hoevekaas", 2495, "food", "kg", None, True, 1),
        ("Kaars", 1299, "non_food", "piece", None, False, 1),
        ("Pils", 250, "alcohol", "piece", None, False, 2),
    )
    for number, (name, cents, vat_class, unit, barcode, tracked, pos) in enumerate(products, 1):
        insert(
            "product",
            name=name,
            price_cents=cents,
            vat_class=vat_class,
            unit=unit,
            barcode=barcode,
            producer_id=1 if number == 2 else None,
            category_id=1 if number == 2 else None,
            purchase_price_cents=1450 if number == 2 else None,
            active=True,
            stock_tracked=tracked,
            version=1,
        )
        insert("product_point_of_sale", product_id=number, point_of_sale_id=pos)
    for code, name, pos in (("HW1", "Kassa hoevewinkel", 1), ("BI1", "Kassa bistro", 2)):
        token_hash = hashlib.sha256((TOKEN if code == "HW1" else "other").encode()).hexdigest()
        insert(
            "till",
            code=code,
            name=name,
            point_of_sale_id=pos,
            token_hash=token_hash,
            created_at=at("2026-01-05 08:30:00"),
            revoked_at=None,
        )
    insert("ticket_sequence", till_id=1, last_number=3)
    insert("ticket_sequence", till_id=2, last_number=1)
    sales = (  # till, pos, number, when, consumption, total, rounding, change, refund of
        (1, 1, 1, "2026-03-02 09:15:00", "takeaway", 2900, 0, 100, None),
        (1, 1, 2, "2026-03-02 10:01:30.250000", "takeaway", 2497, 0, 0, None),
        (1, 1, 3, "2026-03-03 11:00:00", "takeaway", -1299, 0, 0, 1),
        (2, 2, 1, "2026-03-03 12:30:00", "eat_in", 2378, -3, 0, None),
    )
    for till, pos, number, when, consumption, total, rounding, change, refund_of in sales:
        code = "HW1" if till == 1 else "BI1"
        insert(
            "sale",
            till_id=till,
            point_of_sale_id=pos,
            operator_id=1,
            ticket_number=number,
            receipt_number=f"{code}-{number:06d}",
            idempotency_key=f"key-{code}-{number}",
            request_hash=hashlib.sha256(f"{code}{number}".encode()).hexdigest(),
            created_at=at(when),
            consumption=consumption,
            total_cents=total,
            rounding_cents=rounding,
            change_cents=change,
            refund_of_id=refund_of,
        )
    lines = (  # sale, position, product, description, unit, milli, unit price, amount, class, rate
        (1, 1, 1, "Boerenbrood", "piece", 2000, 385, 770, "food", 600),
        (1, 2, 2, "Hoevekaas", "kg", 333, 2495, 831, "food", 600),
        (1, 3, 3, "Kaars", "piece", 1000, 1299, 1299, "non_food", 2100),
        (2, 1, 2, "Hoevekaas", "kg", 1001, 2495, 2497, "food", 600),
        (3, 1, 3, "Kaars", "piece", -1000, 1299, -1299, "non_food", 2100),
        (4, 1, 4, "Pils", "piece", 3000, 250, 750, "alcohol", 2100),
        (4, 2, 1, "Boerenbrood", "piece", 4000, 385, 1540, "food", 1200),
        (4, 3, None, "Vrije prijs: taart", "piece", 1000, 88, 88, "food", 1200),
    )
    for sale, position, product, description, unit, milli, price, amount, klass, rate in lines:
        insert(
            "sale_line",
            sale_id=sale,
            position=position,
            product_id=product,
            description=description,
            unit=unit,
            quantity_milli=milli,
            unit_price_cents=price,
            amount_cents=amount,
            vat_class=klass,
            vat_rate_basis_points=rate,
        )
    for sale, method, cents in ((1, "cash", 3000), (2, "card", 2497), (3, "cash", -1299)):
        insert("payment", sale_id=sale, method=method, amount_cents=cents)
    insert("payment", sale_id=4, method="card", amount_cents=1000)
    insert("payment", sale_id=4, method="cash", amount_cents=1375)


def fill_stock_schema() -> None:
    """The stock ledger as the release that brought it wrote it."""
    insert("location", code="WINKEL", name="Winkelrek", kind="shelf", sells_for_id=1)
    insert("location", code="MAGAZIJN", name="Stockruimte", kind="storage", sells_for_id=None)
    insert(
        "delivery",
        producer_id=1,
        delivered_at=at("2026-03-01 07:45:00"),
        note="Wekelijkse levering",
        user_id=2,
    )
    insert(
        "lot",
        product_id=2,
        code="K-0301",
        best_before=datetime(2026, 4, 15).date(),
        delivery_id=1,
        purchase_price_cents=1450,
        created_at=at("2026-03-01 07:45:00"),
    )
    moves = (  # product, location, lot, milli, kind, reason, sale, delivery, user, when
        (2, 2, 1, 5000, "delivery", None, None, 1, 2, "2026-03-01 07:45:00"),
        (2, 2, 1, -2000, "transfer", "naar het rek", None, None, 2, "2026-03-01 08:00:00"),
        (2, 1, 1, 2000, "transfer", "naar het rek", None, None, 2, "2026-03-01 08:00:00"),
        (2, 1, 1, -333, "sale", None, 1, None, None, "2026-03-02 09:15:00"),
        (2, 1, 1, -1001, "sale", None, 2, None, None, "2026-03-02 10:01:30.250000"),
        (2, 1, None, -120, "waste", "beschimmeld", None, None, 2, "2026-03-03 17:00:00"),
    )
    for product, location, lot, milli, kind, reason, sale, delivery, user, when in moves:
        insert(
            "stock_move",
            product_id=product,
            location_id=location,
            lot_id=lot,
            quantity_milli=milli,
            kind=kind,
            reason=reason,
            sale_id=sale,
            delivery_id=delivery,
            user_id=user,
            created_at=at(when),
        )


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every kept table's rows, in its old columns, in a fixed order."""
    rows = {}
    present = set(inspect(db.engine).get_table_names())
    for table, columns in KEPT.items():
        if table not in present:
            continue
        order = columns.split(",")[0]
        query = text(f"SELECT {columns} FROM {table} ORDER BY {order}, {columns.split(',')[-1]}")
        rows[table] = [tuple(row) for row in db.session.execute(query)]
    db.session.rollback()
    return rows


def test_an_upgrade_from_the_first_release_keeps_every_sale_line_payment_and_stock_move(
    first_release: Flask,
) -> None:
    app = first_release
    with app.app_context():
        fill_first_schema()
        db.session.commit()
        alembic_upgrade(directory=migrate.directory, revision=STOCK)
        fill_stock_schema()
        db.session.commit()
        before = snapshot()
        assert len(before["sale"]) == 4 and len(before["sale_line"]) == 8
        assert len(before["payment"]) == 5 and len(before["stock_move"]) == 6

        upgrade_database()
        db.session.commit()
        check_schema_current()

        assert snapshot() == before
        new_columns = db.session.execute(
            text(
                "SELECT (SELECT COUNT(*) FROM sale WHERE refund_reason IS NOT NULL), "
                "(SELECT COUNT(*) FROM sale_line WHERE consumption IS NOT NULL "
                "OR refund_of_line_id IS NOT NULL), "
                "(SELECT COUNT(*) FROM product WHERE minimum_stock_milli IS NOT NULL "
                "OR preparation IS NOT NULL)"
            )
        ).one()
        assert tuple(new_columns) == (0, 0, 0)
        # nobody had large digits before: everyone starts without them
        large_digits = text("SELECT large_digits FROM user_account")
        assert set(db.session.scalars(large_digits)) == {False}
        # every device paired before kitchen screens is a till, never seen as a screen
        devices = text("SELECT role, last_seen_at FROM till")
        assert {tuple(row) for row in db.session.execute(devices)} == {("till", None)}
        # net quantities came later: no product has one until staff fill it in
        net = "SELECT COUNT(*) FROM product WHERE net_quantity IS NOT NULL OR net_unit IS NOT NULL"
        assert db.session.scalar(text(net)) == 0
        # vending machines came later: every point of sale before them is one with a till
        kinds = text("SELECT kind FROM point_of_sale")
        assert set(db.session.scalars(kinds)) == {"kassa"}
        check_vat_backfill()
        check_stock_balances()
        db.session.rollback()

    # the upgraded shop sells on: the old till's token works and its numbers go on unbroken
    response = app.test_client().post(
        "/api/v1/sales",
        json={
            "operator_id": 1,
            "lines": [{"product_id": 1, "quantity": "1"}],
            "payments": [{"method": "card", "amount_cents": 385}],
        },
        headers={"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text
    assert present(response.json)["ticket_number"] == 4
    assert present(response.json)["id"] == 5


def check_vat_backfill() -> None:
    """Every old sale got its VAT per rate, as its receipt computes it, and nothing more."""
    lines: dict[int, list[tuple[Decimal, int]]] = {}
    for sale_id, basis_points, amount in db.session.execute(
        text("SELECT sale_id, vat_rate_basis_points, amount_cents FROM sale_line")
    ):
        lines.setdefault(sale_id, []).append((Decimal(basis_points) / 100, amount))
    expected = sorted(
        (sale_id, int(summary.rate * 100), summary.total_cents, summary.vat_cents)
        for sale_id, sale_lines in lines.items()
        for summary in vat_breakdown(sale_lines)
    )
    stored = db.session.execute(
        text(
            "SELECT sale_id, rate_basis_points, gross_cents, vat_cents FROM sale_vat "
            "ORDER BY sale_id, rate_basis_points"
        )
    ).all()
    assert [tuple(row) for row in stored] == expected
    # spot checks by hand: sale 1 has 1601 at 6 % (VAT 91) and 1299 at 21 % (VAT 225)
    assert (1, 600, 1601, 91) in expected and (1, 2100, 1299, 225) in expected
    assert (3, 2100, -1299, -225) in expected


def check_stock_balances() -> None:
    """The balances start as the sum of the ledger, per product, location and lot."""
    balances = db.session.execute(
        text(
            "SELECT product_id, location_id, lot_id, quantity_milli FROM stock_balance "
            "ORDER BY product_id, location_id, lot_key"
        )
    ).all()
    assert [tuple(row) for row in balances] == [
        (2, 1, None, -120),
        (2, 1, 1, 2000 - 333 - 1001),
        (2, 2, 1, 5000 - 2000),
    ]


@pytest.fixture
def target_url(own_database: str) -> str:
    """An empty database of this test's own to restore into."""
    return own_database


def test_a_backup_made_by_the_first_release_restores_upgraded(
    first_release: Flask, target_url: str, tmp_path: Path
) -> None:
    with first_release.app_context():
        fill_first_schema()
        db.session.commit()
        before = {table: rows for table, rows in snapshot().items() if table in FIRST_TABLES}
        backup = make_backup(tmp_path / "old.tar.gz", utcnow())
        db.session.rollback()
    assert backup.manifest["schema_revision"] == FIRST

    result = CliRunner().invoke(
        main,
        ["--instance", str(tmp_path / "new"), "restore", str(backup.path)],
        env={"PLUSKASSA_DATABASE_URL": target_url, "PLUSKASSA_SECRET_KEY": SECRET},
    )

    assert result.exit_code == 0, result.output
    restored = create_app(
        {"TESTING": True, "DATABASE_URL": target_url, "SECRET_KEY": SECRET},
        instance_path=str(tmp_path / "new"),
    )
    with restored.app_context():
        check_schema_current()
        after = {table: rows for table, rows in snapshot().items() if table in FIRST_TABLES}
        assert after == before
        check_vat_backfill()
        db.session.rollback()
        db.engine.dispose()

"""Benchmark: the back office's long lists at a real shop's scale (#16).

Run from the repository root (not part of the test run):

    python -m tests.benchmarks.bench_lists                 # builds the database once, then measures
    python -m tests.benchmarks.bench_lists --rebuild       # builds it again
    python -m tests.benchmarks.bench_lists --products 300 --lots 2000 --per-day 10   # quicker

It builds the demo plus-plek with `--products` products in all (the demo's own and generated
ones, spread over its points of sale, categories and producers), `--lots` lots delivered to its
locations (a delivery per producer and day, each lot a stock move and a balance, as booking
does) and a year of history (kiosk/demo/history.py, `--per-day` sales a till a day) into a
SQLite file kept in the folder given by `--folder` (built once: later runs reuse it). Then it
asks each list page `--runs` times through the Flask test client as a logged-in manager and
prints a table: server time p50 and p95 in ms, the CPU time the process spent (p50; on a busy
shared machine the wall time also counts waiting for a core), and the size of the HTML in KB.
The goal is under 200 ms and under 100 KB a page; the table says, it does not fail.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

SECRET = "bench-secret-key"
MANAGER, PASSWORD = "Bench", "bench-wachtwoord"
WORDS = (
    "Honing",
    "Confituur",
    "Kaars",
    "Zeep",
    "Sjaal",
    "Mand",
    "Kaart",
    "Vogelhuisje",
    "Appelsap",
    "Kaas",
    "Brood",
    "Eieren",
    "Koekjes",
    "Thee",
    "Mok",
    "Onderzetter",
    "Sleutelhanger",
    "Tas",
    "Schort",
    "Bloempot",
    "Muts",
    "Pesto",
    "Siroop",
)
KINDS = (
    "bloemen",
    "lavendel",
    "bosvruchten",
    "klassiek",
    "groot",
    "klein",
    "rood",
    "blauw",
    "bio",
    "hoeve",
)


def make_app(url: str, instance: Path) -> Any:
    """Return the app on `url` with its own instance folder."""
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(instance))
    from kiosk import create_app

    return create_app(
        {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": SECRET, "PRINT_WORKER": False},
        instance_path=str(instance),
    )


def build(app: Any, products: int, lots: int, per_day: int) -> dict[str, int]:
    """Make the demo, grow its catalogue and stock, write a year of sales; return the counts."""
    from kiosk.database import upgrade_database
    from kiosk.demo.history import generate_history
    from kiosk.demo.loader import load_demo
    from kiosk.extensions import db
    from kiosk.models.types import Role, utcnow
    from kiosk.organisation.people import add_user
    from kiosk.periods import business_day

    with app.app_context():
        upgrade_database()
        load_demo(SECRET)
        add_user(MANAGER, Role.MANAGER, password=PASSWORD)
        db.session.commit()
        rng = random.Random(16)
        add_products(products, rng)
        add_lots(lots, rng)
        db.session.commit()
        last_day = business_day(utcnow()) - timedelta(days=1)
        summary = generate_history(last_day - timedelta(days=364), last_day, per_day, seed=16)
        db.session.commit()
        return counts() | {"lines": summary.lines}


def add_products(total: int, rng: random.Random) -> None:
    """Add generated products until the catalogue holds `total`, sold at the demo's places."""
    from kiosk.extensions import db
    from kiosk.models import Category, PointOfSale, Producer, Product

    categories = list(db.session.scalars(select(Category)))
    producers = list(db.session.scalars(select(Producer)))
    places = list(db.session.scalars(select(PointOfSale)))
    have = db.session.scalar(select(func.count(Product.id))) or 0
    for number in range(total - have):
        price = rng.randrange(150, 4000, 5)
        db.session.add(
            Product(
                name=f"{rng.choice(WORDS)} {rng.choice(KINDS)} {number:04d}",
                price_cents=price,
                purchase_price_cents=price * rng.randrange(40, 70) // 100,
                vat_class=rng.choice(["food", "non_food", "soft_drink"]),
                barcode=f"28{number:011d}",
                category=rng.choice(categories),
                producer=rng.choice(producers),
                points_of_sale=[rng.choice(places)],
                minimum_stock_milli=rng.choice([None, 2000, 5000]),
                pictogram="1F36F",
            )
        )
    db.session.flush()


def add_lots(total: int, rng: random.Random) -> None:
    """Deliver `total` lots: 20 a delivery, each a delivery move and a balance, in bulk."""
    from kiosk.extensions import db
    from kiosk.models import Delivery, Location, Lot, Producer, Product, StockBalance, StockMove

    product_ids = list(db.session.scalars(select(Product.id)))
    location_ids = list(db.session.scalars(select(Location.id)))
    producer_ids = list(db.session.scalars(select(Producer.id)))
    start = datetime.now(UTC) - timedelta(days=365)
    for first in range(0, total, 20):
        when = start + timedelta(hours=first // 20 * 8)
        delivery = Delivery(producer_id=rng.choice(producer_ids), delivered_at=when)
        db.session.add(delivery)
        db.session.flush()
        location = rng.choice(location_ids)
        lot_rows = [
            {
                "product_id": rng.choice(product_ids),
                "code": f"L{first + offset:05d}",
                "best_before": (when + timedelta(days=rng.randrange(5, 200))).date(),
                "delivery_id": delivery.id,
                "purchase_price_cents": rng.randrange(50, 2000),
                "created_at": when,
            }
            for offset in range(min(20, total - first))
        ]
        lot_ids = db.session.scalars(insert(Lot).returning(Lot.id), lot_rows).all()
        moves, balances = [], []
        for lot_id, row in zip(lot_ids, lot_rows, strict=True):
            quantity = rng.randrange(1, 30) * 1000
            place = {"product_id": row["product_id"], "location_id": location}
            moves.append(
                {**place, "lot_id": lot_id, "quantity_milli": quantity, "kind": "delivery"}
                | {"delivery_id": delivery.id, "created_at": when}
            )
            balances.append(
                {**place, "lot_key": lot_id, "lot_id": lot_id, "quantity_milli": quantity}
            )
        db.session.execute(insert(StockMove), moves)
        db.session.execute(insert(StockBalance), balances)


def counts() -> dict[str, int]:
    """Return how many products, lots, sales and audit entries the database holds."""
    from kiosk.extensions import db
    from kiosk.models import AuditEntry, Delivery, Lot, Product, Sale

    return {
        name: int(db.session.scalar(select(func.count()).select_from(model)) or 0)
        for name, model in (
            ("products", Product),
            ("lots", Lot),
            ("deliveries", Delivery),
            ("sales", Sale),
            ("audit", AuditEntry),
        )
    }


def pages(app: Any) -> list[tuple[str, str]]:
    """Return the list pages to ask for: each list plainly, searched, sorted and far along."""
    from kiosk.extensions import db
    from kiosk.models import Producer

    with app.app_context():
        producer = db.session.scalar(select(Producer.id).limit(1))
        last_day = date.today() - timedelta(days=1)
    return [
        ("products", "/admin/products"),
        ("products ?q=honing", "/admin/products?q=honing"),
        ("products by last sale", "/admin/products?sort=-last_sale"),
        ("products by stock, page 20", "/admin/products?sort=stock&page=20"),
        ("products ?producer=", f"/admin/products?producer={producer}&active=all"),
        ("stock levels", "/admin/stock"),
        ("stock ?q=kaars", "/admin/stock?q=kaars"),
        ("stock by quantity, page 10", "/admin/stock?sort=-quantity&page=10"),
        ("sales", "/admin/sales"),
        ("sales ?q=honing", "/admin/sales?q=honing"),
        (
            "sales one day, by total",
            f"/admin/sales?first_day={last_day}&last_day={last_day}&sort=-total",
        ),
        ("sales page 500", "/admin/sales?page=500"),
        ("deliveries", "/admin/deliveries"),
        ("deliveries ?q=honing", "/admin/deliveries?q=honing"),
        ("audit log", "/admin/audit"),
        ("audit ?q=export", "/admin/audit?q=export"),
        ("bulk edit, all products with an a", "/admin/products/bulk?by=filter&q=a&active=all"),
    ]


def measure(app: Any, runs: int) -> list[tuple[str, float, float, float, float]]:
    """Ask each page `runs` times; return (name, p50 ms, p95 ms, p50 CPU ms, KB)."""
    from tests.conftest import login

    client = app.test_client()
    answer = login(client, MANAGER, PASSWORD)
    assert answer.status_code == 302, answer.status_code
    results = []
    for name, url in pages(app):
        samples, cpu, size = [], [], 0
        for _run in range(runs + 1):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            size = len(response.data)
        samples = sorted(samples[1:])  # the first asks a cold cache
        p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
        results.append(
            (name, statistics.median(samples), p95, statistics.median(cpu[1:]), size / 1024)
        )
    return results


def main() -> None:
    """Build (once) and measure; print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--lots", type=int, default=20_000)
    parser.add_argument("--per-day", type=int, default=100)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--folder", default=str(Path(tempfile.gettempdir()) / "pluskassa-bench-lists")
    )
    parser.add_argument("--rebuild", action="store_true")
    options = parser.parse_args()
    folder = Path(options.folder)
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "lists.sqlite"
    url = f"sqlite:///{database}"
    fresh = options.rebuild or not database.exists()
    if fresh and database.exists():
        database.unlink()
    app = make_app(url, folder)
    if fresh:
        started = time.perf_counter()
        made = build(app, options.products, options.lots, options.per_day)
        print(f"built in {time.perf_counter() - started:,.0f} s: {made}")
    with app.app_context():
        print(f"\n## {app.extensions['sqlalchemy'].engine.dialect.name}: {counts()}")
    print("\n| page | p50 ms | p95 ms | p50 CPU ms | HTML KB |\n|---|---:|---:|---:|---:|")
    for name, p50, p95, cpu, size in measure(app, options.runs):
        print(f"| {name} | {p50:.0f} | {p95:.0f} | {cpu:.0f} | {size:.0f} |")


if __name__ == "__main__":
    main()

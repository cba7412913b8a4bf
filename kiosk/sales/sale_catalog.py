"""What a sale reads, kept per process for as long as the catalog stamp says it is unchanged.

The tills by token, the people who run them, the points of sale, their products with price and
VAT class, the VAT rates, the thresholds and the receipt printers change a few times a day; a
shop sells many times a minute. Each app process keeps what it read of them in one
`SaleCatalog`, made for one value of `catalog_stamp.stamp`. Database triggers replace that value
with a new random one in every transaction that changes one of those tables (the migration
a7c3e9d2f5b1 lists them), however the change is made and from whichever process, so one cheap
query per transaction (`current_catalog`) tells whether the kept catalog is still right. The
stamp is read before anything it vouches for, so a change committed in between only makes the
catalog read again on the next transaction. A database without the stamp's row (until `db
upgrade` makes it) keeps nothing: every transaction reads afresh.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from flask import current_app, g
from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm.attributes import set_committed_value

from kiosk.driver_sql import DriverStatement
from kiosk.extensions import db
from kiosk.models import PointOfSale, Printer, Product, Till, User
from kiosk.models.catalog import catalog_stamp, product_point_of_sale
from kiosk.organisation.queries import hash_token
from kiosk.sales.queries import THRESHOLD, VAT_RATES
from kiosk.sales.sale_rows import loaded

#: app.extensions key of this process's kept catalog
KEPT = "pluskassa.sale_catalog"
#: the row the triggers change
STAMP_ROW = 1

# Built once: building a statement costs more than running it.
STAMP = select(catalog_stamp.c.stamp).where(catalog_stamp.c.id == STAMP_ROW)
#: the same, on the driver's cursor: every transaction that needs the catalog reads it
STAMP_READ = DriverStatement(STAMP)
TILL_COLUMNS = [column for column in Till.__table__.columns if column.key != "last_seen_at"]
TILLS = select(*TILL_COLUMNS).where(Till.token_hash == bindparam("token_hash"))
POINT_OF_SALE = select(*PointOfSale.__table__.columns).where(
    PointOfSale.id == bindparam("point_of_sale_id")
)
OPERATORS = select(User.id, User.name, User.active, User.pin_hash)
PRODUCTS = (
    select(
        Product.id,
        Product.name,
        Product.price_cents,
        Product.unit,
        Product.vat_class,
        Product.active,
    )
    .join(product_point_of_sale)
    .where(product_point_of_sale.c.point_of_sale_id == bindparam("point_of_sale_id"))
)
RECEIPT_PRINTERS = (
    select(Printer.id)
    .where(
        Printer.point_of_sale_id == bindparam("point_of_sale_id"),
        Printer.role == "receipt",
        Printer.active.is_(True),
    )
    .order_by(Printer.id)
)


@dataclass(frozen=True, slots=True)
class SaleProduct:
    """A product as a sale prices it."""

    id: int
    name: str
    price_cents: int
    unit: str
    vat_class: str
    active: bool


@dataclass(frozen=True, slots=True)
class Operator:
    """A person as a sale names them and checks their PIN proof."""

    id: int
    name: str
    active: bool
    pin_hash: str | None


Value = TypeVar("Value")


@dataclass
class SaleCatalog:
    """What sales read, as it was under one stamp; filled as it is first needed."""

    stamp: int | None
    tills: dict[str, tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=dict)
    operators: dict[int, Operator] | None = None
    products: dict[int, dict[int, SaleProduct]] = field(default_factory=dict)
    vat_rates: dict[date, dict[tuple[str, str], int]] = field(default_factory=dict)
    thresholds: dict[tuple[str, date], int | None] = field(default_factory=dict)
    receipt_printers: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def till(self, token: str) -> Till | None:
        """Return the active till that owns this token, as a row of this request's session."""
        token_hash = hash_token(token)
        kept = self.tills.get(token_hash)
        if kept is None:
            connection = db.session.connection()
            row = connection.execute(TILLS, {"token_hash": token_hash}).mappings().first()
            if row is None:  # unknown tokens are not kept: anyone can send many
                return None
            place = {"point_of_sale_id": row["point_of_sale_id"]}
            kept = (dict(row), dict(connection.execute(POINT_OF_SALE, place).mappings().one()))
            self.tills[token_hash] = kept
        till_columns, point_of_sale_columns = kept
        till = session_row(Till, till_columns)
        if "point_of_sale" not in till.__dict__:
            point_of_sale = session_row(PointOfSale, point_of_sale_columns)
            set_committed_value(till, "point_of_sale", point_of_sale)
        return till if till.active else None

    def operator(self, operator_id: int) -> Operator | None:
        """Return the person with this id, active or not, if there is one."""
        if self.operators is None:
            self.operators = {
                row.id: Operator(*row) for row in db.session.connection().execute(OPERATORS)
            }
        return self.operators.get(operator_id)

    def products_of(self, point_of_sale_id: int) -> dict[int, SaleProduct]:
        """Return every product this point of sale sells, active or not, by id."""
        return self.kept(
            self.products,
            point_of_sale_id,
            lambda: {
                row.id: SaleProduct(*row)
                for row in db.session.connection().execute(
                    PRODUCTS, {"point_of_sale_id": point_of_sale_id}
                )
            },
        )

    def rates_on(self, day: date) -> dict[tuple[str, str], int]:
        """Return the rate in basis points per (VAT class, consumption) in force on `day`."""
        return self.kept(
            self.vat_rates,
            day,
            lambda: {
                (vat_class, consumption): rate
                for vat_class, consumption, rate in db.session.connection().execute(
                    VAT_RATES, {"day": day}
                )
            },
        )

    def threshold(self, name: str, day: date) -> int | None:
        """Return the amount of a legal threshold in force on `day`, if one is set."""
        return self.kept(
            self.thresholds,
            (name, day),
            lambda: db.session.connection().scalar(THRESHOLD, {"name": name, "day": day}),
        )

    def receipt_printer_ids(self, point_of_sale_id: int) -> tuple[int, ...]:
        """Return the ids of the active receipt printers of a point of sale."""
        return self.kept(
            self.receipt_printers,
            point_of_sale_id,
            lambda: tuple(
                db.session.connection().scalars(
                    RECEIPT_PRINTERS, {"point_of_sale_id": point_of_sale_id}
                )
            ),
        )

    @staticmethod
    def kept(store: dict[Any, Value], key: Any, read: Any) -> Value:
        """Return what is kept under `key`, reading and keeping it the first time."""
        if key in store:
            return store[key]
        value: Value = read()
        store[key] = value
        return value


#: one catalog is made at a time per process: two requests that find the stamp changed at
#: once keep one of them (either is right; it only saves reading twice)
MAKING = threading.Lock()


def current_catalog() -> SaleCatalog:
    """Return the kept catalog if the stamp is unchanged, else a new one (a query a transaction)."""
    found: tuple[Any, SaleCatalog] | None = g.get("sale_catalog")
    if found is not None and found[0] is db.session().get_transaction():
        return found[1]
    stamp = STAMP_READ.scalar(db.session.connection(), {})
    catalog: SaleCatalog | None = current_app.extensions.get(KEPT)
    if catalog is None or stamp is None or catalog.stamp != stamp:
        with MAKING:
            catalog = current_app.extensions.get(KEPT)
            if catalog is None or stamp is None or catalog.stamp != stamp:
                catalog = SaleCatalog(stamp)
                if stamp is not None:
                    current_app.extensions[KEPT] = catalog
    g.sale_catalog = (db.session().get_transaction(), catalog)
    return catalog


Row = TypeVar("Row")


def session_row(model: type[Row], columns: dict[str, Any]) -> Row:
    """Return the row with these columns as one the session loaded, without asking the database."""
    found = db.session.identity_map.get(db.session.identity_key(model, columns["id"]))
    if found is not None:
        return found  # type: ignore[no-any-return]
    row = loaded(model, columns)
    db.session.add(row)
    return row


def ensure_catalog_stamp() -> None:
    """Make the stamp's row if the database lacks it (a new database; `db upgrade`)."""
    if db.session.connection().scalar(STAMP) is None:
        db.session.connection().execute(insert(catalog_stamp).values(id=STAMP_ROW, stamp=0))

"""Points of sale, categories, producers and products."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import Model, db
from kiosk.models.types import Consumption, Unit, VatClass

product_point_of_sale = Table(
    "product_point_of_sale",
    db.metadata,
    Column("product_id", ForeignKey("product.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "point_of_sale_id", ForeignKey("point_of_sale.id", ondelete="CASCADE"), primary_key=True
    ),
)

#: one row: a value that triggers replace whenever a till, person, point of sale, product, VAT
#: rate, threshold or printer changes (kiosk.sales.sale_catalog keeps what sales read until then)
catalog_stamp = Table(
    "catalog_stamp",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("stamp", BigInteger, nullable=False),
)


class PointOfSale(Model):
    """A place where the plus-plek sells: the farm shop, the gift shop, the bistro."""

    __tablename__ = "point_of_sale"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    default_consumption: Mapped[str] = mapped_column(String(10), default=Consumption.TAKEAWAY)
    payment_methods: Mapped[str] = mapped_column(String(80), default="cash|card")
    #: "kassa" (people sell at a till) or "automaat" (a vending machine, kiosk.vending)
    kind: Mapped[str] = mapped_column(String(10), default="kassa", server_default="kassa")

    products: Mapped[list[Product]] = relationship(
        secondary=product_point_of_sale, back_populates="points_of_sale"
    )

    @property
    def accepted_methods(self) -> list[str]:
        """Return the payment methods this point of sale takes."""
        return [m for m in self.payment_methods.split("|") if m]

    def __repr__(self) -> str:
        return f"<PointOfSale {self.code} {self.name!r}>"


class Category(Model):
    """A group of products shown as one big tile on the till."""

    __tablename__ = "category"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    pictogram: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<Category {self.name!r}>"


class Producer(Model):
    """A local producer who delivers to the shop, on consignment or sold outright."""

    __tablename__ = "producer"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    farm: Mapped[str | None] = mapped_column(String(120))
    town: Mapped[str | None] = mapped_column(String(80))
    contact: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    distance_km: Mapped[int | None] = mapped_column(Integer)
    consignment: Mapped[bool] = mapped_column(Boolean, default=False)
    commission_percent: Mapped[int] = mapped_column(Integer, default=0)
    #: "BE0123.456.749" (kiosk.identifiers): an e-invoice's seller is found by it
    vat_number: Mapped[str | None] = mapped_column(String(16), unique=True)

    def __repr__(self) -> str:
        return f"<Producer {self.name!r}>"


class Product(Model):
    """Something the shop sells, at a VAT-inclusive price per piece or per kg."""

    __tablename__ = "product"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    pictogram: Mapped[str | None] = mapped_column(String(40))
    photo: Mapped[str | None] = mapped_column(String(120))
    price_cents: Mapped[int] = mapped_column(Integer)
    vat_class: Mapped[str] = mapped_column(String(20), default=VatClass.FOOD)
    unit: Mapped[str] = mapped_column(String(10), default=Unit.PIECE)
    barcode: Mapped[str | None] = mapped_column(String(13), unique=True)
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producer.id"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    purchase_price_cents: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    stock_tracked: Mapped[bool] = mapped_column(Boolean, default=True)
    #: below this on-hand (thousandths of the unit) the product is on the morning's list
    minimum_stock_milli: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    #: where an order of it is made in the bistro: "kitchen", "bar", or NULL (nowhere)
    preparation: Mapped[str | None] = mapped_column(String(10))
    #: a pre-packed product's net content, e.g. 350 with "g": its label shows the price per kg
    net_quantity: Mapped[int | None] = mapped_column(Integer)
    #: "g", "kg", "ml", "cl" or "l" (kiosk.catalog.net_quantity.NET_UNITS), with net_quantity
    net_unit: Mapped[str | None] = mapped_column(String(2))
    #: the producer's own code for it (an e-invoice line's SellersItemIdentification)
    supplier_item_code: Mapped[str | None] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    producer: Mapped[Producer | None] = relationship()
    category: Mapped[Category | None] = relationship()
    points_of_sale: Mapped[list[PointOfSale]] = relationship(
        secondary=product_point_of_sale, back_populates="products"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)

    def __repr__(self) -> str:
        return f"<Product {self.id} {self.name!r} {self.price_cents}c/{self.unit}>"

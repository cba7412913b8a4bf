"""Stock as a ledger: locations, lots with best-before dates, deliveries and every move."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import Model
from kiosk.models.catalog import PointOfSale, Producer, Product
from kiosk.models.types import UTCDateTime, utcnow


class Location(Model):
    """A place where goods lie: the shop shelf, the stock room, the bistro, a vending machine."""

    __tablename__ = "location"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20), default="shelf")
    #: sales at this point of sale take their goods from here
    sells_for_id: Mapped[int | None] = mapped_column(ForeignKey("point_of_sale.id"), unique=True)

    sells_for: Mapped[PointOfSale | None] = relationship()

    def __repr__(self) -> str:
        return f"<Location {self.code}>"


class Delivery(Model):
    """Goods a producer brought in, on one day."""

    __tablename__ = "delivery"
    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producer.id"))
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: a correction: the delivery it reverses (and, for a change, books anew); one per delivery
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("delivery.id"), unique=True)
    #: why a correction was booked (required for one, empty for a delivery itself)
    reason: Mapped[str | None] = mapped_column(String(200))

    producer: Mapped[Producer | None] = relationship()

    def __repr__(self) -> str:
        return f"<Delivery {self.id} from {self.producer_id}>"


class Lot(Model):
    """A batch of one product, with its best-before date; sales take the earliest first."""

    __tablename__ = "lot"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    code: Mapped[str | None] = mapped_column(String(40))
    best_before: Mapped[date | None] = mapped_column(Date)
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("delivery.id"))
    purchase_price_cents: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product] = relationship()

    def __repr__(self) -> str:
        return f"<Lot {self.id} of {self.product_id} best before {self.best_before}>"


class StockMove(Model):
    """One change of stock: positive in, negative out. On-hand is the sum of the moves."""

    __tablename__ = "stock_move"
    __table_args__ = (Index("ix_stock_move_product_location", "product_id", "location_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lot.id"), index=True)
    #: thousandths of the product's unit (pieces × 1000, or grams)
    quantity_milli: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(200))
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sale.id"), index=True)
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("delivery.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: a reversing move: the move it undoes (each move is undone at most once)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("stock_move.id"), unique=True)

    lot: Mapped[Lot | None] = relationship()
    location: Mapped[Location] = relationship()

    @property
    def quantity(self) -> Decimal:
        """Return the quantity in pieces or kg."""
        return Decimal(self.quantity_milli) / 1000

    def __repr__(self) -> str:
        return f"<StockMove {self.kind} {self.quantity} of {self.product_id} at {self.location_id}>"


class StockBalance(Model):
    """What the ledger adds up to per product, location and lot; kept in each move's transaction.

    The moves stay the truth (tests check that the two agree); this table only spares every sale
    from summing a product's whole history.
    """

    __tablename__ = "stock_balance"
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), primary_key=True)
    #: the lot's id, or 0 for goods without a lot (a primary key cannot hold NULL)
    lot_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lot.id"))
    quantity_milli: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        where = f"{self.product_id}@{self.location_id} lot {self.lot_key}"
        return f"<StockBalance {where}: {self.quantity_milli}>"

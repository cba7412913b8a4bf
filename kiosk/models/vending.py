"""Vending machines: a point of sale of kind "automaat" with compartments, counts and emptyings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import Model
from kiosk.models.catalog import PointOfSale, Product
from kiosk.models.types import UTCDateTime, utcnow


class VendingCompartment(Model):
    """One compartment of a machine: one product, its price, how many fit and how many are in."""

    __tablename__ = "vending_compartment"
    __table_args__ = (UniqueConstraint("point_of_sale_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    point_of_sale_id: Mapped[int] = mapped_column(ForeignKey("point_of_sale.id"), index=True)
    #: the number on the machine's door (1, 2, 3 …)
    number: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    #: what the machine asks, VAT included (by default the product's price)
    price_cents: Mapped[int] = mapped_column(Integer)
    #: pieces that fit in it
    capacity: Mapped[int] = mapped_column(Integer)
    #: pieces in it since the last count or refill
    count_inside: Mapped[int] = mapped_column(Integer, default=0)
    #: the earliest best-before date of what is inside (None: unknown or empty)
    best_before: Mapped[date | None] = mapped_column(Date)
    #: the paid vends counter of the last EVA-DTS audit file read (kiosk.vending.dex)
    dex_vends: Mapped[int | None] = mapped_column(Integer)

    machine: Mapped[PointOfSale] = relationship()
    product: Mapped[Product] = relationship()

    @property
    def to_fill(self) -> int:
        """Return how many pieces fill it up."""
        return max(0, self.capacity - self.count_inside)

    def __repr__(self) -> str:
        return f"<VendingCompartment {self.point_of_sale_id}/{self.number} {self.count_inside}>"


class VendingCount(Model):
    """A visit's count of what is left per compartment: the difference is sold, expired is waste."""

    __tablename__ = "vending_count"
    id: Mapped[int] = mapped_column(primary_key=True)
    point_of_sale_id: Mapped[int] = mapped_column(ForeignKey("point_of_sale.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: the sale that booked what was sold (None when nothing was)
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sale.id"), unique=True)

    lines: Mapped[list[VendingCountLine]] = relationship(
        order_by="VendingCountLine.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<VendingCount {self.id} of {self.point_of_sale_id}>"


class VendingCountLine(Model):
    """One compartment of a count: what was in it, what was left, what was past its date."""

    __tablename__ = "vending_count_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("vending_count.id"), index=True)
    compartment_number: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    price_cents: Mapped[int] = mapped_column(Integer)
    before: Mapped[int] = mapped_column(Integer)
    left: Mapped[int] = mapped_column(Integer)
    expired: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship()

    @property
    def sold(self) -> int:
        """Return the pieces sold since the compartment was last counted or filled."""
        return self.before - self.left

    def __repr__(self) -> str:
        return f"<VendingCountLine {self.compartment_number}: {self.before} → {self.left}>"


class VendingEmptying(Model):
    """Cash taken out of a machine, counted per note and coin, beside what its sales brought."""

    __tablename__ = "vending_emptying"
    id: Mapped[int] = mapped_column(primary_key=True)
    point_of_sale_id: Mapped[int] = mapped_column(ForeignKey("point_of_sale.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: the previous emptying's moment (None: the first): the sales counted are those after it
    since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    expected_cents: Mapped[int] = mapped_column(Integer)
    counted_cents: Mapped[int] = mapped_column(Integer)
    #: {"5000": 1, "200": 3}: pieces per value in cents, as the drawer's count keeps them
    counted_pieces: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(200))

    machine: Mapped[PointOfSale] = relationship()

    @property
    def difference_cents(self) -> int:
        """Return counted minus expected (negative: money is missing)."""
        return self.counted_cents - self.expected_cents

    def __repr__(self) -> str:
        return f"<VendingEmptying {self.id} of {self.point_of_sale_id}: {self.counted_cents}>"

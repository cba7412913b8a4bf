"""Sales, their lines and payments, and the unbroken ticket numbers per till."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import Model
from kiosk.models.catalog import PointOfSale
from kiosk.models.people import Till, User
from kiosk.models.rules import basis_points_to_rate
from kiosk.models.types import UTCDateTime, utcnow
from kiosk.periods import business_day


class TicketSequence(Model):
    """The last ticket number a till used; bumped inside each sale's own transaction."""

    __tablename__ = "ticket_sequence"
    till_id: Mapped[int] = mapped_column(ForeignKey("till.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<TicketSequence till={self.till_id} last={self.last_number}>"


def stored_moment(context: Any) -> datetime:
    """Default a sale's time of sale to when it was stored (rows written without one)."""
    moment: datetime = context.get_current_parameters()["created_at"]
    return moment


def stored_day(context: Any) -> date:
    """Default the day whose Z counts a sale to the Brussels day it was rung up."""
    return business_day(context.get_current_parameters()["rung_up_at"])


class Sale(Model):
    """A completed, immutable sale; corrections are new sales that refer to it."""

    __tablename__ = "sale"
    __table_args__ = (
        UniqueConstraint("till_id", "ticket_number"),
        UniqueConstraint("till_id", "idempotency_key"),
        Index("ix_sale_till_id_closing_day", "till_id", "closing_day"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    till_id: Mapped[int] = mapped_column(ForeignKey("till.id"))
    point_of_sale_id: Mapped[int] = mapped_column(ForeignKey("point_of_sale.id"))
    operator_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    ticket_number: Mapped[int] = mapped_column(Integer)
    receipt_number: Mapped[str] = mapped_column(String(24), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    #: when the server stored it (its receipt time)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: when the till rang it up (the customer paid): its business day, VAT period and reports
    rung_up_at: Mapped[datetime] = mapped_column(UTCDateTime, default=stored_moment, index=True)
    #: the business day of the till's Z report that counts it: its own day, or a later one when
    #: it arrived after its day's Z (a late sale)
    closing_day: Mapped[date] = mapped_column(Date, default=stored_day)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    consumption: Mapped[str] = mapped_column(String(10))
    total_cents: Mapped[int] = mapped_column(Integer)
    rounding_cents: Mapped[int] = mapped_column(Integer, default=0)
    change_cents: Mapped[int] = mapped_column(Integer, default=0)
    refund_of_id: Mapped[int | None] = mapped_column(ForeignKey("sale.id"), index=True)
    #: why a refund was made: "vergissing" (a void of the sale just made), "retour", …
    refund_reason: Mapped[str | None] = mapped_column(String(40))

    till: Mapped[Till] = relationship()
    point_of_sale: Mapped[PointOfSale] = relationship()
    operator: Mapped[User] = relationship()
    refund_of: Mapped[Sale | None] = relationship(remote_side=[id])
    lines: Mapped[list[SaleLine]] = relationship(
        back_populates="sale", order_by="SaleLine.position", cascade="all"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="sale", order_by="Payment.id", cascade="all"
    )
    vat_totals: Mapped[list[SaleVat]] = relationship(
        back_populates="sale", order_by="SaleVat.rate_basis_points", cascade="all"
    )

    def __repr__(self) -> str:
        return f"<Sale {self.receipt_number} {self.total_cents}c>"


class SaleLine(Model):
    """One line of a sale, with the price and VAT rate it was sold at."""

    __tablename__ = "sale_line"
    #: a product's last sale, for the products list (read from the index alone)
    __table_args__ = (Index("ix_sale_line_product_sale", "product_id", "sale_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"), index=True)
    description: Mapped[str] = mapped_column(String(80))
    unit: Mapped[str] = mapped_column(String(10))
    #: thousandths of the unit (pieces × 1000, or grams for kg): exact on every engine
    quantity_milli: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)
    vat_class: Mapped[str] = mapped_column(String(20))
    vat_rate_basis_points: Mapped[int] = mapped_column(Integer)
    #: eat_in or takeaway where a line differs from its sale (a bistro tab mixes them); else NULL
    consumption: Mapped[str | None] = mapped_column(String(10))
    #: on a refund: the line of the original sale it pays back (unique: never refunded twice)
    refund_of_line_id: Mapped[int | None] = mapped_column(ForeignKey("sale_line.id"), unique=True)
    #: a bistro bill split in equal parts: into how many; this line pays one part of its item
    share_parts: Mapped[int | None] = mapped_column(Integer)

    sale: Mapped[Sale] = relationship(back_populates="lines")

    @property
    def quantity(self) -> Decimal:
        """Return the quantity in pieces or kg."""
        return Decimal(self.quantity_milli) / 1000

    @property
    def vat_rate(self) -> Decimal:
        """Return the VAT rate in percent that this line was sold at."""
        return basis_points_to_rate(self.vat_rate_basis_points)

    def __repr__(self) -> str:
        return f"<SaleLine {self.description!r} {self.quantity} {self.amount_cents}c>"


class Payment(Model):
    """Money handed over by the customer with one method; change comes out of cash."""

    __tablename__ = "payment"
    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column(Integer)
    #: a QR transfer's remittance text (the receipt number it was made for), to match the bank
    reference: Mapped[str | None] = mapped_column(String(35))
    #: the staff member who confirmed that a QR transfer arrived
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    sale: Mapped[Sale] = relationship(back_populates="payments")

    def __repr__(self) -> str:
        return f"<Payment {self.method} {self.amount_cents}c>"


class SaleVat(Model):
    """A sale's gross and VAT for one rate, as its receipt shows them; reports add these up."""

    __tablename__ = "sale_vat"
    sale_id: Mapped[int] = mapped_column(ForeignKey("sale.id"), primary_key=True)
    rate_basis_points: Mapped[int] = mapped_column(Integer, primary_key=True)
    gross_cents: Mapped[int] = mapped_column(Integer)
    vat_cents: Mapped[int] = mapped_column(Integer)

    sale: Mapped[Sale] = relationship(back_populates="vat_totals")

    @property
    def base_cents(self) -> int:
        """Return the amount without VAT."""
        return self.gross_cents - self.vat_cents

    def __repr__(self) -> str:
        return f"<SaleVat sale={self.sale_id} {self.rate_basis_points}bp {self.vat_cents}c>"

"""Orders to producers: a numbered purchase order per producer and its lines."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import Model
from kiosk.models.catalog import Producer, Product
from kiosk.models.stock import Delivery
from kiosk.models.types import UTCDateTime, utcnow
from kiosk.money import line_amount_cents


class OrderStatus(StrEnum):
    """Where a purchase order stands: draft → sent → received, or cancelled."""

    DRAFT = "draft"
    SENT = "sent"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class PurchaseOrder(Model):
    """What the shop asks one producer to deliver; receiving it books a delivery."""

    __tablename__ = "purchase_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: shown on the order and its mail: 1, 2, 3 … over all producers, never reused
    number: Mapped[int] = mapped_column(Integer, unique=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=OrderStatus.DRAFT)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: the delivery that received it
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("delivery.id"), unique=True)

    producer: Mapped[Producer] = relationship()
    delivery: Mapped[Delivery | None] = relationship()
    lines: Mapped[list[PurchaseOrderLine]] = relationship(
        order_by="PurchaseOrderLine.id", cascade="all, delete-orphan"
    )

    @property
    def total_cents(self) -> int:
        """Return the expected purchase total of the lines that have a price."""
        return sum(line.total_cents or 0 for line in self.lines)

    def __repr__(self) -> str:
        return f"<PurchaseOrder {self.number} {self.status} for {self.producer_id}>"


class PurchaseOrderLine(Model):
    """One product on a purchase order: how much, at what expected purchase price."""

    __tablename__ = "purchase_order_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_order_id: Mapped[int] = mapped_column(
        ForeignKey("purchase_order.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    #: thousandths of the product's unit (pieces × 1000, or grams)
    quantity_milli: Mapped[int] = mapped_column(Integer)
    #: expected purchase price per piece or kg, in cents
    purchase_price_cents: Mapped[int | None] = mapped_column(Integer)

    product: Mapped[Product] = relationship()

    @property
    def total_cents(self) -> int | None:
        """Return quantity × price, rounded half up to a cent (None without a price)."""
        if self.purchase_price_cents is None:
            return None
        return line_amount_cents(self.purchase_price_cents, Decimal(self.quantity_milli) / 1000)

    def __repr__(self) -> str:
        return f"<PurchaseOrderLine {self.product_id} × {self.quantity_milli}>"

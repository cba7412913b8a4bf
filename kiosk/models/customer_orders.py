"""Customers' orders for pickup or the delivery bike, and their lines.

(Orders to producers are purchase orders: kiosk.models.orders.)
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import Model
from kiosk.models.catalog import PointOfSale, Product
from kiosk.models.people import Till, User
from kiosk.models.sales import Sale
from kiosk.models.types import UTCDateTime, utcnow


class CustomerOrderStatus(StrEnum):
    """Where a customer's order stands: open → prepared → paid, or cancelled."""

    OPEN = "open"
    PREPARED = "prepared"
    PAID = "paid"
    CANCELLED = "cancelled"


class Fulfilment(StrEnum):
    """How the customer gets the goods."""

    PICKUP = "pickup"
    DELIVERY = "delivery"


class OrderPayment(StrEnum):
    """How the customer will pay: at pickup or delivery, by QR transfer, on a monthly invoice."""

    ON_COLLECTION = "on_collection"
    QR = "qr"
    INVOICE = "invoice"


#: statuses whose goods are still on the shelf but promised: stock shows them as reserved
RESERVING_STATUSES = (CustomerOrderStatus.OPEN, CustomerOrderStatus.PREPARED)


class CustomerOrder(Model):
    """A customer's order for a day: picked up at the shop or brought by the delivery bike.

    The customer's name, phone, address and note are personal data: shown to staff only, and
    erased (set to NULL, `erased_at` set) some days after the order was paid or handed over;
    the order and its sale stay for the figures.
    """

    __tablename__ = "customer_order"
    __table_args__ = (
        # an order taken at a till is stored once per Idempotency-Key (NULLs are distinct)
        UniqueConstraint("till_id", "idempotency_key"),
        Index("ix_customer_order_point_of_sale_day", "point_of_sale_id", "day"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    point_of_sale_id: Mapped[int] = mapped_column(ForeignKey("point_of_sale.id"))
    status: Mapped[str] = mapped_column(String(10), default=CustomerOrderStatus.OPEN)
    fulfilment: Mapped[str] = mapped_column(String(10))
    #: the day of pickup or delivery (a Brussels calendar day)
    day: Mapped[date] = mapped_column(Date)
    #: "HH:MM-HH:MM", or NULL for any time that day
    slot: Mapped[str | None] = mapped_column(String(11))
    payment: Mapped[str] = mapped_column(String(16), default=OrderPayment.ON_COLLECTION)
    customer_name: Mapped[str | None] = mapped_column(String(80))
    customer_phone: Mapped[str | None] = mapped_column(String(40))
    #: delivery orders only
    customer_address: Mapped[str | None] = mapped_column(Text)
    customer_note: Mapped[str | None] = mapped_column(Text)
    #: who took the order: a back-office user, or a till (with its Idempotency-Key)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    till_id: Mapped[int | None] = mapped_column(ForeignKey("till.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    prepared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: an order paid on the monthly invoice is handed over without a sale
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when the customer's personal data was erased
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the sale that paid it: unique, so one sale pays one order, and an order has one sale
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sale.id"), unique=True)

    point_of_sale: Mapped[PointOfSale] = relationship()
    created_by: Mapped[User | None] = relationship()
    till: Mapped[Till | None] = relationship()
    sale: Mapped[Sale | None] = relationship()
    lines: Mapped[list[CustomerOrderLine]] = relationship(
        back_populates="customer_order",
        order_by="CustomerOrderLine.position",
        cascade="all, delete-orphan",
    )

    @property
    def first_name(self) -> str | None:
        """Return the customer's first name: what a care user sees on the till."""
        if not self.customer_name:
            return None
        return self.customer_name.split()[0]

    def __repr__(self) -> str:
        return f"<CustomerOrder {self.id} {self.status} {self.fulfilment} {self.day}>"


class CustomerOrderLine(Model):
    """One product on a customer's order: pieces, or an estimated weight until it is weighed."""

    __tablename__ = "customer_order_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_order_id: Mapped[int] = mapped_column(
        ForeignKey("customer_order.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    #: thousandths of the unit: pieces × 1000, or the estimated grams of a weighed product
    quantity_milli: Mapped[int] = mapped_column(Integer)
    #: the grams a weighed line really weighed when the order was prepared
    weighed_milli: Mapped[int | None] = mapped_column(Integer)

    customer_order: Mapped[CustomerOrder] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()

    @property
    def milli(self) -> int:
        """Return what the line holds now: the weighed weight once weighed, else as ordered."""
        return self.weighed_milli if self.weighed_milli is not None else self.quantity_milli

    @property
    def quantity(self) -> Decimal:
        """Return that quantity in pieces or kg."""
        return Decimal(self.milli) / 1000

    def __repr__(self) -> str:
        return f"<CustomerOrderLine {self.product_id} × {self.milli}>"

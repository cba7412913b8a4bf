"""Customers' orders for pickup or the delivery bike, and their lines.

(Orders to producers are purchase orders: kiosk.models.orders.)
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import get_history

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
    #: the association an order on the monthly invoice is billed to (not personal data: kept)
    association_name: Mapped[str | None] = mapped_column(String(120))
    association_address: Mapped[str | None] = mapped_column(Text)
    association_vat_number: Mapped[str | None] = mapped_column(String(20))
    #: the monthly invoice the order is on, once it is made
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("customer_invoice.id"), index=True)
    #: an order paid on the monthly invoice is handed over with a sale paid `invoice`
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
    invoice: Mapped[CustomerInvoice | None] = relationship(back_populates="orders")
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

    @property
    def number(self) -> str:
        """Return the order's number for people and for a QR transfer's reference: `B-000123`."""
        return f"B-{self.id:06d}"

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


class CustomerInvoice(Model):
    """A monthly invoice to an association for the orders it was handed: never changed once made.

    The seller's and the customer's details are copied in when it is made, so a later change of
    the organisation or an order's association leaves the invoice as it was sent; its lines are
    the (immutable) sales of its orders. Only being paid is added later.
    """

    __tablename__ = "customer_invoice"
    __table_args__ = (UniqueConstraint("year", "sequence"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    #: "2026-0001": the year and an unbroken sequence within it (kiosk.models InvoiceSequence)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    #: the first day of the month it bills
    month: Mapped[date] = mapped_column(Date)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    seller_name: Mapped[str] = mapped_column(String(120))
    seller_address: Mapped[str] = mapped_column(String(200))
    seller_vat_number: Mapped[str] = mapped_column(String(20))
    seller_iban: Mapped[str | None] = mapped_column(String(34))
    customer_name: Mapped[str] = mapped_column(String(120))
    customer_address: Mapped[str | None] = mapped_column(Text)
    customer_vat_number: Mapped[str | None] = mapped_column(String(20))
    total_cents: Mapped[int] = mapped_column(Integer)
    #: when staff saw the transfer arrive, and who
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    paid_by: Mapped[User | None] = relationship(foreign_keys=[paid_by_id])
    orders: Mapped[list[CustomerOrder]] = relationship(
        back_populates="invoice", order_by="[CustomerOrder.day, CustomerOrder.id]"
    )

    def __repr__(self) -> str:
        return f"<CustomerInvoice {self.number} {self.total_cents}>"


#: what may still change on an invoice once it is made: that it was paid, and by whose word
INVOICE_CHANGEABLE = frozenset({"paid_at", "paid_by_id", "paid_by"})


@event.listens_for(CustomerInvoice, "before_update")
def _refuse_invoice_change(_mapper: object, _connection: object, invoice: CustomerInvoice) -> None:
    for column in CustomerInvoice.__table__.columns:
        if column.key not in INVOICE_CHANGEABLE and get_history(invoice, column.key).deleted:
            raise PermissionError(f"Een factuur verandert niet meer ({invoice!r}: {column.key}).")


@event.listens_for(CustomerInvoice, "before_delete")
def _refuse_invoice_delete(_mapper: object, _connection: object, invoice: CustomerInvoice) -> None:
    raise PermissionError(f"Een factuur wordt nooit gewist ({invoice!r}).")


class InvoiceSequence(Model):
    """The last invoice number of a year: numbers run unbroken and are never given twice."""

    __tablename__ = "invoice_sequence"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<InvoiceSequence {self.year} {self.last_number}>"

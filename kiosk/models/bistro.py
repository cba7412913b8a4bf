"""The bistro: tables on a floor, open tabs kept on the server, and the items ordered on them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import Model
from kiosk.models.catalog import PointOfSale, Product
from kiosk.models.people import User
from kiosk.models.sales import Sale
from kiosk.models.types import UTCDateTime, utcnow


class DiningTable(Model):
    """A table in the bistro, shown on the till as a big numbered, coloured picture."""

    __tablename__ = "dining_table"
    __table_args__ = (UniqueConstraint("point_of_sale_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    point_of_sale_id: Mapped[int] = mapped_column(ForeignKey("point_of_sale.id"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))
    #: a CSS colour for the table's picture, e.g. "#1f6f3f"
    colour: Mapped[str] = mapped_column(String(20), default="#1f6f3f")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)

    point_of_sale: Mapped[PointOfSale] = relationship()

    def __repr__(self) -> str:
        return f"<DiningTable {self.number} {self.name!r}>"


class Tab(Model):
    """What one table ordered, kept open on the server until it is paid (in one or more parts)."""

    __tablename__ = "tab"
    __table_args__ = (
        # one open tab per table; a paid or cancelled tab leaves the table free
        Index(
            "uq_tab_open_table",
            "table_id",
            unique=True,
            sqlite_where=text("state = 'open'"),
            postgresql_where=text("state = 'open'"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    point_of_sale_id: Mapped[int] = mapped_column(ForeignKey("point_of_sale.id"))
    table_id: Mapped[int | None] = mapped_column(ForeignKey("dining_table.id"), index=True)
    #: open, paid or cancelled
    state: Mapped[str] = mapped_column(String(10), default="open", index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: bumped by every change, so a tablet knows its picture of the tab is old
    version: Mapped[int] = mapped_column(Integer, default=1)

    point_of_sale: Mapped[PointOfSale] = relationship()
    table: Mapped[DiningTable | None] = relationship()
    opened_by: Mapped[User | None] = relationship()
    items: Mapped[list[TabItem]] = relationship(
        back_populates="tab", order_by="TabItem.id", cascade="all"
    )

    def __repr__(self) -> str:
        return f"<Tab {self.id} table={self.table_id} {self.state}>"


class TabItem(Model):
    """One product ordered on a tab, at the price of the moment it was ordered."""

    __tablename__ = "tab_item"
    __table_args__ = (UniqueConstraint("tab_id", "client_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tab_id: Mapped[int] = mapped_column(ForeignKey("tab.id"), index=True)
    #: made by the tablet, so a retried request adds the item once
    client_key: Mapped[str] = mapped_column(String(100))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    description: Mapped[str] = mapped_column(String(80))
    unit: Mapped[str] = mapped_column(String(10))
    quantity_milli: Mapped[int] = mapped_column(Integer)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    #: eat_in or takeaway: decides the VAT rate when the item is paid
    consumption: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: when the item went to the kitchen or bar printer
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: the sale that paid for this item (a split bill pays items in several sales)
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sale.id"), index=True)

    tab: Mapped[Tab] = relationship(back_populates="items")
    product: Mapped[Product] = relationship()
    added_by: Mapped[User | None] = relationship(foreign_keys=[added_by_id])
    sale: Mapped[Sale | None] = relationship()

    @property
    def quantity(self) -> Decimal:
        """Return the quantity in pieces or kg."""
        return Decimal(self.quantity_milli) / 1000

    def __repr__(self) -> str:
        return f"<TabItem {self.description!r} {self.quantity} on tab {self.tab_id}>"


class KitchenOrder(Model):
    """What one "Naar keuken" sent to a station's screen, shown there until the cook taps Klaar."""

    __tablename__ = "kitchen_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    point_of_sale_id: Mapped[int] = mapped_column(ForeignKey("point_of_sale.id"))
    tab_id: Mapped[int] = mapped_column(ForeignKey("tab.id"), index=True)
    #: kitchen or bar (Product.preparation)
    station: Mapped[str] = mapped_column(String(10))
    #: the ticket as kiosk.bistro.kitchen_tickets lays it out (JSON): the one layout of an order
    payload: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: the Idempotency-Key of the "Klaar" tap that marked it ready
    ready_key: Mapped[str | None] = mapped_column(String(100))

    tab: Mapped[Tab] = relationship()

    def __repr__(self) -> str:
        return f"<KitchenOrder {self.id} {self.station} tab {self.tab_id} ready={self.ready_at}>"

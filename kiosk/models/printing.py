"""Receipt, kitchen and bar printers, and the persistent queue of print jobs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import Model
from kiosk.models.catalog import PointOfSale
from kiosk.models.sales import Sale
from kiosk.models.types import UTCDateTime, utcnow


class Printer(Model):
    """An ESC/POS printer reached by URL, serving one role at a point of sale."""

    __tablename__ = "printer"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    url: Mapped[str] = mapped_column(String(200))
    profile: Mapped[str] = mapped_column(String(40), default="TM-T20II")
    paper_width_mm: Mapped[int] = mapped_column(Integer, default=80)
    point_of_sale_id: Mapped[int | None] = mapped_column(ForeignKey("point_of_sale.id"))
    role: Mapped[str] = mapped_column(String(10), default="receipt")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    point_of_sale: Mapped[PointOfSale | None] = relationship()

    def __repr__(self) -> str:
        return f"<Printer {self.name!r} {self.role} {self.url}>"


class PrintJob(Model):
    """One document to print; the worker retries it with backoff until it is printed."""

    __tablename__ = "print_job"
    id: Mapped[int] = mapped_column(primary_key=True)
    printer_id: Mapped[int] = mapped_column(ForeignKey("printer.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("sale.id"), index=True)
    payload: Mapped[str] = mapped_column(Text, default="{}")
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    printer: Mapped[Printer] = relationship()
    sale: Mapped[Sale | None] = relationship()

    def __repr__(self) -> str:
        return f"<PrintJob {self.id} {self.kind} {self.state} attempts={self.attempts}>"

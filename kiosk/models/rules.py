"""Rates and thresholds as data with effective dates, so an accountant can correct them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.extensions import Model


class VatRate(Model):
    """The VAT rate of a VAT class and consumption, valid from a date until the next row."""

    __tablename__ = "vat_rate"
    __table_args__ = (UniqueConstraint("vat_class", "consumption", "valid_from"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    vat_class: Mapped[str] = mapped_column(String(20))
    consumption: Mapped[str] = mapped_column(String(10))
    #: the rate in hundredths of a percent (600 = 6 %): exact on every engine
    rate_basis_points: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)

    @property
    def rate(self) -> Decimal:
        """Return the rate in percent."""
        return basis_points_to_rate(self.rate_basis_points)

    def __repr__(self) -> str:
        return f"<VatRate {self.vat_class}/{self.consumption} {self.rate}% from {self.valid_from}>"


class Threshold(Model):
    """A legal amount with an effective date, such as the €3,000 cash limit."""

    __tablename__ = "threshold"
    __table_args__ = (UniqueConstraint("name", "valid_from"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    value_cents: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)

    def __repr__(self) -> str:
        return f"<Threshold {self.name} {self.value_cents}c from {self.valid_from}>"


@cache  # a handful of rates, turned into Decimals for every line of every receipt
def basis_points_to_rate(basis_points: int) -> Decimal:
    """Turn hundredths of a percent into a percentage without trailing zeros (600 → 6)."""
    rate = Decimal(basis_points) / 100
    return rate.quantize(Decimal(1)) if rate == rate.to_integral() else rate.normalize()

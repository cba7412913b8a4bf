"""Column types and enumerations shared by the models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, TypeDecorator
from sqlalchemy.engine import Dialect


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every engine (SQLite stores it naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store aware datetimes in UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store times in UTC with tzinfo")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Read datetimes back as aware UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


class Unit(enum.StrEnum):
    """How a product is sold."""

    PIECE = "piece"
    KG = "kg"


class Consumption(enum.StrEnum):
    """Where the customer consumes: it decides the VAT rate of food and drinks."""

    TAKEAWAY = "takeaway"
    EAT_IN = "eat_in"


#: each consumption in the exports' words: fixed Dutch, as the till's VAT choice says it
#: ("Kies meenemen of ter plaatse"), never translated, since other programs read the files
CONSUMPTION_WORDS: dict[str, str] = {
    Consumption.TAKEAWAY: "meenemen",
    Consumption.EAT_IN: "ter plaatse",
}


class VatClass(enum.StrEnum):
    """A product's VAT class; the rate follows from class, consumption and date."""

    FOOD = "food"
    TAKEAWAY_MEAL = "takeaway_meal"
    SOFT_DRINK = "soft_drink"
    ALCOHOL = "alcohol"
    NON_FOOD = "non_food"


class Role(enum.StrEnum):
    """What a user may do: care users run the till, staff and managers the back office."""

    CARE = "care"
    STAFF = "staff"
    MANAGER = "manager"


class PaymentMethod(enum.StrEnum):
    """How a customer pays."""

    CASH = "cash"
    CARD = "card"
    QR = "qr"  # a transfer from the customer's bank app (EPC QR code), confirmed by staff
    INVOICE = "invoice"  # an order handed over on an association's monthly invoice (no till)


#: Product.preparation → the Dutch word for that station, on kitchen tickets and in the products
#: file (a printer with the role "kitchen" or "bar" prints that station's orders)
PREPARATIONS = {"kitchen": "keuken", "bar": "bar"}
#: what a paired device is: a till that sells, or the screen of a station (kitchen or bar)
DEVICE_ROLES = ("till", *PREPARATIONS)
#: the role of the till a vending machine's sales are booked on (kiosk.vending): no device uses it
VENDING_ROLE = "vending"

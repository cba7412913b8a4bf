"""The documents a printer prints, as plain frozen dataclasses.

Money is integer cents, quantities and VAT rates are decimal strings ("0.745", "6", "5.5"); no
float appears anywhere. Times are aware datetimes, printed in Europe/Brussels. The kiosk builds
these from its models; nothing here knows about the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Literal

Unit = Literal["piece", "kg"]
Station = Literal["keuken", "bar"]

_UNITS = ("piece", "kg")
_STATIONS = ("keuken", "bar")


def _require_cents(owner: str, name: str, value: object) -> None:
    # bool is an int too, and a float here means money went through a float somewhere upstream.
    if type(value) is not int:
        raise TypeError(f"{owner}.{name} must be an int number of cents, not {value!r}")


def _require_decimal(owner: str, name: str, value: str) -> None:
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError) as error:
        raise ValueError(f"{owner}.{name} must be a decimal string, not {value!r}") from error
    if not number.is_finite():
        raise ValueError(f"{owner}.{name} must be a finite decimal, not {value!r}")


def _require_aware(owner: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{owner}.created_at must be timezone-aware, not {value!r}")


@dataclass(frozen=True)
class ReceiptLine:
    """One sold (or refunded: negative) line: what, how much, at which price and VAT rate.

    ``vat_code`` is the letter printed next to the amount; leave it None to derive it from the
    receipt's distinct rates, sorted (see :func:`printers.formatting.vat_codes`).
    """

    description: str
    quantity: str
    unit: Unit
    unit_price_cents: int
    amount_cents: int
    vat_rate: str
    vat_code: str | None = None

    def __post_init__(self) -> None:
        _require_decimal("ReceiptLine", "quantity", self.quantity)
        _require_decimal("ReceiptLine", "vat_rate", self.vat_rate)
        _require_cents("ReceiptLine", "unit_price_cents", self.unit_price_cents)
        _require_cents("ReceiptLine", "amount_cents", self.amount_cents)
        if self.unit not in _UNITS:
            raise ValueError(f"ReceiptLine.unit must be 'piece' or 'kg', not {self.unit!r}")
        if self.vat_code is not None and not (len(self.vat_code) == 1 and self.vat_code.isalpha()):
            raise ValueError(f"ReceiptLine.vat_code must be one letter, not {self.vat_code!r}")


@dataclass(frozen=True)
class VatSummary:
    """Per VAT rate: the base, the VAT and the VAT-inclusive total, in cents."""

    rate: str
    base_cents: int
    vat_cents: int
    total_cents: int

    def __post_init__(self) -> None:
        _require_decimal("VatSummary", "rate", self.rate)
        for name in ("base_cents", "vat_cents", "total_cents"):
            _require_cents("VatSummary", name, getattr(self, name))


@dataclass(frozen=True)
class Payment:
    """One payment on a receipt: the method's label as printed (e.g. "Contant") and the amount.

    A bank transfer's `reference` (its remittance text) is printed under it, so the bank
    statement's line can be matched to this receipt.
    """

    method: str
    amount_cents: int
    reference: str | None = None

    def __post_init__(self) -> None:
        _require_cents("Payment", "amount_cents", self.amount_cents)


@dataclass(frozen=True)
class Receipt:
    """A customer receipt (kasticket), with everything Belgian rules ask it to show.

    ``receipt_number`` (e.g. "HW1-000042") is also printed as a Code128 barcode, so it must be
    printable ASCII. ``rounding_cents`` is the cash rounding added to the total (negative when
    rounded down). ``duplicate`` marks a reprint; ``refund_of`` names the receipt this one refunds
    and ``void`` marks such a refund as the correction of a mistake ("Vergissing").
    """

    organisation_name: str
    organisation_address: str
    vat_number: str
    point_of_sale: str
    till_code: str
    receipt_number: str
    ticket_number: int
    created_at: datetime
    operator: str
    lines: tuple[ReceiptLine, ...]
    total_cents: int
    vat_summaries: tuple[VatSummary, ...]
    payments: tuple[Payment, ...]
    rounding_cents: int = 0
    change_cents: int = 0
    header_text: str = ""
    footer_text: str = ""
    duplicate: bool = False
    refund_of: str | None = None
    void: bool = False

    def __post_init__(self) -> None:
        _require_aware("Receipt", self.created_at)
        for name in ("ticket_number", "total_cents", "rounding_cents", "change_cents"):
            _require_cents("Receipt", name, getattr(self, name))
        number = self.receipt_number
        if not number or len(number) > 40 or not all(" " <= char <= "~" for char in number):
            raise ValueError(
                f"Receipt.receipt_number must be 1-40 printable ASCII characters, not {number!r}"
            )


@dataclass(frozen=True)
class KitchenItem:
    """One item to prepare: how many, what, and the notes ("zonder kaas")."""

    quantity: int
    name: str
    notes: str = ""

    def __post_init__(self) -> None:
        if type(self.quantity) is not int:
            raise TypeError(f"KitchenItem.quantity must be an int, not {self.quantity!r}")


@dataclass(frozen=True)
class KitchenTicket:
    """An order for the kitchen or the bar; ``cancel`` turns it into a cancellation (ANNULEER)."""

    station: Station
    table_label: str
    items: tuple[KitchenItem, ...]
    created_at: datetime
    operator: str
    cancel: bool = False

    def __post_init__(self) -> None:
        _require_aware("KitchenTicket", self.created_at)
        if self.station not in _STATIONS:
            raise ValueError(
                f"KitchenTicket.station must be 'keuken' or 'bar', not {self.station!r}"
            )


@dataclass(frozen=True)
class TextReport:
    """A plain report (X or Z report, stock list): a title, label/value rows, then free lines.

    ``lines`` are printed as given and cut at the paper's width, never reflowed.
    """

    title: str
    rows: tuple[tuple[str, str], ...] = ()
    lines: tuple[str, ...] = ()
    created_at: datetime | None = None
    footer_text: str = ""

    def __post_init__(self) -> None:
        if self.created_at is not None:
            _require_aware("TextReport", self.created_at)

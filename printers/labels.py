"""Product labels: name, price, best-before and an EAN-13 barcode, on the receipt printer.

A :class:`Label` is a plain frozen dataclass, like the other documents: a piece or per-kg label
carries the product's own EAN-13, a weighed pack its price-embedded code (the shop numbers them;
this layer only prints what it is given). :func:`label_texts` words a label the Belgian way, for
paper and for the back office's A4 sticker sheets alike; :func:`render_labels` turns it into
ESC/POS bytes with python-escpos's ``barcode()`` (EAN13), one cut per copy.

A code with a wrong check digit is refused with :class:`InvalidBarcode`: python-barcode and most
printers would quietly "correct" it and print a different code than the one asked for.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from printers.documents import Unit
from printers.errors import PrinterError
from printers.formatting import center, format_amount, paper_text
from printers.layout import Size, TextLine, lines
from printers.paper import CODE_PAGE, PaperFormat
from printers.render import print_blocks

if TYPE_CHECKING:
    from escpos.escpos import Escpos

#: The most copies of one label in one print job.
MAX_COPIES = 500
LABEL_BARCODE_HEIGHT_DOTS = 80
# EAN-13: 95 modules plus the quiet zones (11 modules left, 7 right).
_EAN13_MODULES = 95 + 11 + 7
_MAX_MODULE_WIDTH = 3


class InvalidBarcode(PrinterError, ValueError):
    """A code that is not a valid EAN-13 (thirteen digits with the right check digit)."""


def ean13_check_digit(first_twelve: str) -> int:
    """Return the check digit of the first twelve digits of an EAN-13."""
    total = sum(int(digit) * (3 if i % 2 else 1) for i, digit in enumerate(first_twelve))
    return (10 - total % 10) % 10


def check_ean13(code: str) -> None:
    """Raise InvalidBarcode unless code is thirteen digits with the right check digit."""
    if not (len(code) == 13 and code.isascii() and code.isdigit()):
        raise InvalidBarcode(f"{code!r} is geen EAN-13-code: die heeft 13 cijfers.")
    if ean13_check_digit(code[:12]) != int(code[12]):
        raise InvalidBarcode(
            f"{code} is geen geldige EAN-13-code: het controlecijfer moet "
            f"{ean13_check_digit(code[:12])} zijn."
        )


@dataclass(frozen=True)
class Label:
    """One product label; a weighed pack also has its weight and its price (``amount_cents``).

    ``price_cents`` is the price per piece, or per kg for a kg product. ``ean13`` is printed as
    given, so it must already be the code the till should scan.
    """

    name: str
    unit: Unit
    price_cents: int
    ean13: str
    best_before: date | None = None
    weight_grams: int | None = None
    amount_cents: int | None = None
    producer: str | None = None
    #: a pre-packed piece's price per kg or litre (Belgian price indication), and "kg" or "l"
    unit_price_cents: int | None = None
    unit_price_per: str | None = None

    def __post_init__(self) -> None:
        for name in ("price_cents", "amount_cents", "weight_grams", "unit_price_cents"):
            value = getattr(self, name)
            if value is not None and type(value) is not int:
                raise TypeError(f"Label.{name} must be an int, not {value!r}")
        if self.unit not in ("piece", "kg"):
            raise ValueError(f"Label.unit must be 'piece' or 'kg', not {self.unit!r}")
        check_ean13(self.ean13)
        if (self.weight_grams is None) != (self.amount_cents is None):
            raise ValueError("A weighed label needs both weight_grams and amount_cents")
        if self.weight_grams is not None and (self.unit != "kg" or self.weight_grams <= 0):
            raise ValueError("Only a kg product has a weight, and it is more than 0 grams")
        if (self.unit_price_cents is None) != (self.unit_price_per not in ("kg", "l")):
            raise ValueError("A unit price needs its cents and 'kg' or 'l', or neither")

    @property
    def weighed(self) -> bool:
        """Return True for a weighed pack (weight and price on the label)."""
        return self.weight_grams is not None


#: the words printed before a weighed pack's weight and price, and before the best-before date
WEIGHT_CAPTION = "Gewicht"
AMOUNT_CAPTION = "Te betalen"
BEST_BEFORE_CAPTION = "THT"


@dataclass(frozen=True)
class LabelTexts:
    """A label's texts as printed; weight, amount and best-before are None when absent."""

    name: str
    price: str  # "€ 3,80"
    per: str  # "per stuk" or "per kg"
    weight: str | None  # "0,750 kg"
    amount: str | None  # "€ 18,68"
    best_before: str | None  # "01-05-2026"
    code: str
    unit_price: str | None = None  # "12,86 €/kg"
    producer: str | None = None
    weight_caption: str = WEIGHT_CAPTION
    amount_caption: str = AMOUNT_CAPTION
    best_before_caption: str = BEST_BEFORE_CAPTION


def format_weight(grams: int) -> str:
    """Format grams as kg with three decimals and a decimal comma: 750 → "0,750 kg"."""
    kilos, rest = divmod(grams, 1000)
    return f"{kilos},{rest:03d} kg"


def unit_price_text(cents: int, per: str) -> str:
    """Write a price per kg or litre as shelf labels show it: 1286, "kg" → "12,86 €/kg"."""
    return f"{format_amount(cents)} €/{per}"


def label_texts(label: Label) -> LabelTexts:
    """Word a label the Belgian way: "€ 24,90", "per kg", "0,750 kg", "01-05-2026"."""
    return LabelTexts(
        name=label.name,
        price=format_amount(label.price_cents, euro=True),
        per="per kg" if label.unit == "kg" else "per stuk",
        weight=format_weight(label.weight_grams) if label.weight_grams is not None else None,
        amount=(
            format_amount(label.amount_cents, euro=True) if label.amount_cents is not None else None
        ),
        best_before=f"{label.best_before:%d-%m-%Y}" if label.best_before else None,
        code=label.ean13,
        unit_price=(
            unit_price_text(label.unit_price_cents, label.unit_price_per)
            if label.unit_price_cents is not None and label.unit_price_per
            else None
        ),
        producer=label.producer or None,
    )


@dataclass(frozen=True)
class Ean13Line:
    """A centered EAN-13 barcode with its digits below it."""

    code: str
    module_width: int


LabelBlock = TextLine | Ean13Line


def layout_label(label: Label, paper: PaperFormat) -> tuple[LabelBlock, ...]:
    """Lay a label out for the paper: name, price (or weight and amount), best-before, barcode."""
    texts = label_texts(label)
    width = paper.columns
    blocks: list[LabelBlock] = []
    blocks += _centered(texts.name, paper.large_columns, bold=True, size="large")
    if texts.weight is not None and texts.amount is not None:
        blocks += _centered(f"{texts.weight_caption} {texts.weight}", width)
        blocks += _centered(f"{texts.price} {texts.per}", width)
        blocks += _centered(f"{texts.amount_caption} {texts.amount}", width, bold=True, size="tall")
    else:
        blocks += _centered(f"{texts.price} {texts.per}", width, bold=True, size="tall")
    if texts.unit_price:
        blocks += _centered(texts.unit_price, width)
    if texts.producer:
        blocks += _centered(texts.producer, width)
    if texts.best_before:
        blocks += _centered(f"{texts.best_before_caption} {texts.best_before}", width, bold=True)
    blocks.append(Ean13Line(label.ean13, _module_width(paper)))
    return tuple(blocks)


def _centered(
    text: str, width: int, *, bold: bool = False, size: Size = "normal"
) -> list[TextLine]:
    return lines(center(paper_text(text), width), bold=bold, size=size)


def _module_width(paper: PaperFormat) -> int:
    return max(2, min(_MAX_MODULE_WIDTH, paper.dots // _EAN13_MODULES))


def render_labels(label: Label, paper: PaperFormat, *, copies: int = 1) -> bytes:
    """Render copies of a label to ESC/POS bytes, each ending with a cut."""
    from escpos.printer import Dummy

    if type(copies) is not int or not 1 <= copies <= MAX_COPIES:
        raise ValueError(f"copies must be 1 to {MAX_COPIES}, not {copies!r}")
    if not (paper.hardware_barcode or paper.software_barcode):
        raise PrinterError(f"Printermodel {paper.profile} kan geen streepjescodes afdrukken.")
    head = Dummy(profile=paper.profile)
    head.hw("INIT")
    one = Dummy(profile=paper.profile)
    one.charcode(CODE_PAGE)  # sent with the first text: every copy sets the code page again
    print_blocks(one, layout_label(label, paper), lambda block: _ean13(one, block, paper))
    one.cut()
    # every copy is the same bytes: render once, repeat (a software barcode is an image)
    output: bytes = head.output + one.output * copies
    return output


def _ean13(printer: Escpos, block: Ean13Line, paper: PaperFormat) -> None:
    # python-escpos print()s which barcode renderer it chose; keep that off the server's stdout.
    with contextlib.redirect_stdout(io.StringIO()):
        if paper.hardware_barcode:
            # Twelve digits: the printer adds the check digit, which check_ean13 proved equal.
            printer.barcode(
                block.code[:12],
                "EAN13",
                height=LABEL_BARCODE_HEIGHT_DOTS,
                width=block.module_width,
                pos="BELOW",
                font="A",
                function_type="A",
            )
        else:
            printer.barcode(
                block.code[:12],
                "EAN13",
                height=LABEL_BARCODE_HEIGHT_DOTS,
                width=block.module_width,
                force_software=True,
            )
    printer.set(align="left")

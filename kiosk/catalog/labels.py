"""What goes on a product label, and its barcode drawn by python-barcode (SVG or PNG).

A piece or per-kg label carries the product's own EAN-13. A weighed pack carries a scale code the
till reads back (kiosk/static/till/js/scanner.js): an EAN-13 that starts with 2, whose digits 1-7
are the first seven of the product's own code (which must start with 2 too), digits 8-12 the
pack's price in cents and digit 13 the check digit. The pack's price is the till's own line
amount for that weight (:func:`kiosk.money.line_amount_cents`), so scanning the label charges
exactly what it says.

python-barcode silently replaces a wrong check digit, so every code is checked with
:func:`kiosk.identifiers.is_valid_ean13` before it is drawn or queued.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk import money
from kiosk.catalog.net_quantity import NET_UNITS, unit_price
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.identifiers import ean13_check_digit, is_valid_ean13
from kiosk.models import Product
from kiosk.models.types import Unit
from printers.labels import MAX_COPIES, Label

if TYPE_CHECKING:
    from PIL.Image import Image

SCALE_PREFIX = "2"
#: five price digits: € 999,99 is the most a scale code can say
MAX_SCALE_PRICE_CENTS = 99_999
#: the most one sale line may weigh (kiosk.operations.sales.MAX_KG), in grams
MAX_WEIGHT_GRAMS = 500_000


def checked_barcode(product: Product) -> str:
    """Return the product's EAN-13, or refuse a product without a valid one."""
    code = (product.barcode or "").strip()
    if not code:
        raise OperationError(
            422, "no_barcode", _l("%(product)s heeft geen streepjescode.", product=product.name)
        )
    if not is_valid_ean13(code):
        raise OperationError(
            422,
            "invalid_barcode",
            _l(
                "De streepjescode %(code)s van %(product)s is geen geldige EAN-13: "
                "het controlecijfer klopt niet. Verbeter ze in de productfiche.",
                code=code,
                product=product.name,
            ),
        )
    return code


def checked_scale_barcode(product: Product) -> str:
    """Return a weighed product's own code, which starts with 2; refuse any other product."""
    if product.unit != Unit.KG:
        raise OperationError(
            422,
            "not_weighed",
            _l("%(product)s wordt per stuk verkocht, niet gewogen.", product=product.name),
        )
    code = checked_barcode(product)
    if not code.startswith(SCALE_PREFIX):
        raise OperationError(
            422,
            "no_scale_code",
            _l(
                "De streepjescode van %(product)s begint niet met %(scale_prefix)s, dus de kassa "
                "kan er geen gewogen pak van herkennen. Geef het een eigen code die met 2 begint.",
                product=product.name,
                scale_prefix=SCALE_PREFIX,
            ),
        )
    return code


def label_problem(product: Product) -> str | None:
    """Return why this product can get no label (a weighed one: no weight label), or None."""
    try:
        if product.unit == Unit.KG:
            checked_scale_barcode(product)
        else:
            checked_barcode(product)
    except OperationError as error:
        return error.message
    return None


def product_label(product: Product, best_before: date | None = None) -> Label:
    """Describe a label: price per piece or per kg, price per kg or litre, producer, barcode."""
    per_kg_or_litre: tuple[int | None, str | None] = (None, None)
    if product.unit == Unit.PIECE and product.net_quantity and product.net_unit in NET_UNITS:
        per_kg_or_litre = unit_price(product.price_cents, product.net_quantity, product.net_unit)
    return Label(
        name=product.name,
        unit="kg" if product.unit == Unit.KG else "piece",
        price_cents=product.price_cents,
        ean13=checked_barcode(product),
        best_before=best_before,
        producer=product.producer.name if product.producer else None,
        unit_price_cents=per_kg_or_litre[0],
        unit_price_per=per_kg_or_litre[1],
    )


def weight_label(product: Product, weight_grams: int, best_before: date | None = None) -> Label:
    """Describe a weighed pack's label: weight, price per kg, its price and its scale code."""
    code = checked_scale_barcode(product)
    if not 0 < weight_grams <= MAX_WEIGHT_GRAMS:
        raise OperationError(
            422, "invalid_weight", _l("Geef een gewicht van meer dan 0 kg en hoogstens 500 kg.")
        )
    amount = money.line_amount_cents(product.price_cents, Decimal(weight_grams) / 1000)
    if not 0 < amount <= MAX_SCALE_PRICE_CENTS:
        raise OperationError(
            422,
            "price_out_of_range",
            _l(
                "Een etiket kan een prijs van € 0,01 tot € 999,99 dragen, niet € %(amount)s. "
                "Kies een ander gewicht.",
                amount=money.format_euro(amount),
            ),
        )
    scale_code = embed_price(code[:7], amount)
    check_scale_code_is_unambiguous(product, scale_code)
    return Label(
        name=product.name,
        unit="kg",
        price_cents=product.price_cents,
        ean13=scale_code,
        best_before=best_before,
        weight_grams=weight_grams,
        amount_cents=amount,
        producer=product.producer.name if product.producer else None,
    )


def embed_price(item: str, amount_cents: int) -> str:
    """Return the scale code for seven item digits and a price: item, 5 price digits, check."""
    if not (len(item) == 7 and item.isdigit() and item.startswith(SCALE_PREFIX)):
        raise ValueError(f"a scale code's item is 7 digits starting with 2, not {item!r}")
    if not 0 <= amount_cents <= MAX_SCALE_PRICE_CENTS:
        raise ValueError(f"a scale code holds 0 to 99999 cents, not {amount_cents}")
    first_twelve = f"{item}{amount_cents:05d}"
    return f"{first_twelve}{ean13_check_digit(first_twelve)}"


def check_scale_code_is_unambiguous(product: Product, scale_code: str) -> None:
    """Refuse a scale code the till would read as another product."""
    exact = db.session.scalar(select(Product).where(Product.barcode == scale_code))
    if exact is not None:
        raise OperationError(
            409,
            "scale_code_taken",
            _l(
                "De code %(scale_code)s is de streepjescode van %(exact)s: de kassa zou dat "
                "product aanrekenen. Kies een ander gewicht of geef een van beide een andere code.",
                scale_code=scale_code,
                exact=exact.name,
            ),
        )
    twin = db.session.scalar(
        select(Product).where(
            Product.unit == Unit.KG,
            Product.barcode.startswith(scale_code[:7], autoescape=True),
            Product.id != product.id,
        )
    )
    if twin is not None:
        raise OperationError(
            409,
            "scale_item_shared",
            _l(
                "%(twin)s heeft een streepjescode die met dezelfde 7 cijfers begint, dus de kassa "
                "kan %(product)s er niet van onderscheiden. Geef een van beide een andere code.",
                twin=twin.name,
                product=product.name,
            ),
        )


def parse_weight(text: str) -> int:
    """Read a weight in kg ("0,750", "1.2", "2") as grams; refuse what is no weight."""
    cleaned = text.strip().lower().removesuffix("kg").strip().replace(",", ".")
    try:
        kilos = Decimal(cleaned)
    except InvalidOperation:
        kilos = Decimal("NaN")
    if not kilos.is_finite():
        raise OperationError(422, "invalid_weight", _l("Geef het gewicht in kg, bv. 0,750."))
    grams = kilos * 1000
    if grams != grams.to_integral_value():
        raise OperationError(
            422,
            "invalid_weight",
            _l("Geef het gewicht tot op de gram: hoogstens 3 cijfers na de komma."),
        )
    if not 0 < grams <= MAX_WEIGHT_GRAMS:
        raise OperationError(
            422, "invalid_weight", _l("Geef een gewicht van meer dan 0 kg en hoogstens 500 kg.")
        )
    return int(grams)


def checked_code(code: str) -> str:
    """Return code if it is a valid EAN-13; refuse it before python-barcode 'corrects' it."""
    if not is_valid_ean13(code):
        raise OperationError(
            422, "invalid_barcode", _l("%(code)s is geen geldige EAN-13-code.", code=code)
        )
    return code


def barcode_svg(code: str, *, module_width_mm: float, bar_height_mm: float) -> str:
    """Draw an EAN-13 as an inline SVG element sized in mm, with its digits below the bars."""
    from barcode import EAN13
    from barcode.writer import SVGWriter

    svg: bytes = EAN13(checked_code(code), writer=SVGWriter()).render(
        writer_options={
            "module_width": module_width_mm,
            "module_height": bar_height_mm,
            "quiet_zone": module_width_mm * 11,  # EAN-13's left quiet zone, both sides
            "font_size": 8,
            "text_distance": 3,
            "margin_top": 0.5,
            "margin_bottom": 0.5,
        }
    )
    text = svg.decode("utf-8")
    # Inline in HTML: no XML declaration or doctype, and no id repeated on every label.
    text = text[text.index("<svg") :].replace(' id="barcode_group"', "")
    return text.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def barcode_image(code: str, *, dpi: int = 300, module_width_mm: float = 0.33) -> Image:
    """Draw an EAN-13 as a black-on-white Pillow image (100 % size by default)."""
    from barcode import EAN13
    from barcode.writer import ImageWriter

    image: Image = EAN13(checked_code(code), writer=ImageWriter()).render(
        writer_options={
            "module_width": module_width_mm,
            "module_height": 22.85,  # the nominal EAN-13 bar height
            "quiet_zone": module_width_mm * 11,
            "dpi": dpi,
            "font_size": 10,
            "text_distance": 4,
        }
    )
    return image


def barcode_png(code: str) -> bytes:
    """Return an EAN-13 as PNG bytes, for a preview or another label program."""
    output = io.BytesIO()
    barcode_image(code).save(output, format="PNG")
    return output.getvalue()


def label_payload(label: Label, copies: int, product_id: int) -> dict[str, Any]:
    """Describe copies of a label for a print job's payload (JSON)."""
    return {
        "copies": copies,
        "product_id": product_id,
        "label": {
            "name": label.name,
            "unit": label.unit,
            "price_cents": label.price_cents,
            "ean13": label.ean13,
            "best_before": label.best_before.isoformat() if label.best_before else None,
            "weight_grams": label.weight_grams,
            "amount_cents": label.amount_cents,
            "producer": label.producer,
            "unit_price_cents": label.unit_price_cents,
            "unit_price_per": label.unit_price_per,
        },
    }


def label_from_payload(payload: dict[str, Any]) -> tuple[Label, int]:
    """Read a label print job's payload back: the label and how many copies."""
    values = dict(payload["label"])
    best_before = values.pop("best_before", None)
    label = Label(**values, best_before=date.fromisoformat(best_before) if best_before else None)
    copies = payload["copies"]
    if type(copies) is not int or not 1 <= copies <= MAX_COPIES:
        raise ValueError(f"copies must be 1 to {MAX_COPIES}, not {copies!r}")
    return label, copies

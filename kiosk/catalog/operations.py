"""The catalogue: add and change products, categories and producers; the shop's own barcodes.

Products are never deleted (sales refer to them): they are deactivated. A product's `version`
goes up with every change, so a form saved over someone else's newer change is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import flag_modified

from kiosk.catalog.audit_entries import product_fields, record_product_added, record_product_change
from kiosk.catalog.net_quantity import NET_UNITS
from kiosk.errors import Message, OperationError
from kiosk.extensions import db
from kiosk.identifiers import (
    MAX_ITEM_NUMBER,
    ean13_problem,
    internal_ean13,
    internal_item_number,
    normalize_vat_number,
    scale_label_key,
)
from kiosk.models import Category, PointOfSale, Producer, Product
from kiosk.models.types import PREPARATIONS, Unit, VatClass

#: prices above this are typing mistakes (and would overflow the 32-bit cents column)
MAX_PRICE_CENTS = 9_999_999


def version_conflict_message() -> Message:
    """Say that someone else saved the product since the form was shown."""
    return _l(
        "Iemand anders heeft dit product intussen gewijzigd. Hieronder staat wat nu bewaard is; "
        "jouw wijzigingen staan nog in het formulier. Kijk ze na en bewaar opnieuw."
    )


class CatalogError(OperationError):
    """A refused catalogue change; `field` names the form field the message belongs next to."""

    def __init__(self, status: int, code: str, message: Message, field: str | None = None) -> None:
        super().__init__(status, code, message)
        self.field = field


@dataclass
class ProductDetails:
    """Everything a product form sets (the photo is stored by the view, by its file name)."""

    name: str
    price_cents: int
    vat_class: str = VatClass.FOOD
    unit: str = Unit.PIECE
    pictogram: str | None = None
    photo: str | None = None
    barcode: str | None = None
    producer: Producer | None = None
    category: Category | None = None
    purchase_price_cents: int | None = None
    points_of_sale: list[PointOfSale] = field(default_factory=list)
    stock_tracked: bool = True
    minimum_stock_milli: int | None = None
    description: str | None = None
    preparation: str | None = None
    net_quantity: int | None = None
    net_unit: str | None = None


def add_product(details: ProductDetails, *, make_barcode: bool = False) -> Product:
    """Add an active product; with `make_barcode`, give it the shop's next own barcode."""
    product = Product(active=True)
    apply_product_details(product, details, make_barcode=make_barcode)
    db.session.add(product)
    db.session.flush()
    record_product_added(product)
    return product


def update_product(
    product: Product, details: ProductDetails, *, seen_version: int, make_barcode: bool = False
) -> None:
    """Change a product, unless it changed since the form showed `seen_version`."""
    if product.version != seen_version:
        raise CatalogError(409, "version_conflict", version_conflict_message())
    points_before = {pos.id for pos in product.points_of_sale}
    before = product_fields(product)
    apply_product_details(product, details, make_barcode=make_barcode)
    if {pos.id for pos in product.points_of_sale} != points_before:
        # a change only in the points of sale updates no product column: count it all the same
        flag_modified(product, "name")
    db.session.flush()
    record_product_change(product, before)


def set_product_active(product: Product, active: bool) -> None:
    """Take a product off the tills, or put it back (it is never deleted)."""
    before = product_fields(product)
    product.active = active
    record_product_change(product, before)


def apply_product_details(product: Product, details: ProductDetails, *, make_barcode: bool) -> None:
    """Check the details and copy them onto the product."""
    name = details.name.strip()
    if not name or len(name) > 80:
        raise CatalogError(422, "invalid_name", _l("Geef een naam van 1 tot 80 tekens."), "name")
    if product_name_taken(name, product):
        raise CatalogError(
            409, "name_taken", _l("Er is al een product %(name)s.", name=name), "name"
        )
    for amount, field_name in (
        (details.price_cents, "price"),
        (details.purchase_price_cents, "purchase_price"),
    ):
        if amount is not None and not 0 <= amount <= MAX_PRICE_CENTS:
            raise CatalogError(
                422, "invalid_price", _l("Geef een bedrag tussen 0 en 99.999,99 euro."), field_name
            )
    if details.vat_class not in set(VatClass) or details.unit not in set(Unit):
        raise CatalogError(422, "invalid_choice", _l("Kies een btw-klasse en een eenheid."))
    if details.preparation is not None and details.preparation not in PREPARATIONS:
        raise CatalogError(
            422, "invalid_preparation", _l("Kies keuken, bar of geen bereiding."), "preparation"
        )
    barcode = details.barcode or None
    if make_barcode:
        if barcode:
            raise CatalogError(
                422,
                "barcode_and_make",
                _l("Maak het veld streepjescode leeg om een eigen streepjescode te laten maken."),
                "barcode",
            )
        barcode = next_internal_barcode()
    if barcode and barcode != product.barcode:
        check_barcode(barcode, product)
    product.name = name
    product.price_cents = details.price_cents
    product.vat_class = details.vat_class
    product.unit = details.unit
    product.pictogram = details.pictogram or None
    product.photo = details.photo or None
    product.barcode = barcode
    product.producer = details.producer
    product.category = details.category
    product.purchase_price_cents = details.purchase_price_cents
    product.points_of_sale = list(details.points_of_sale)
    product.stock_tracked = details.stock_tracked
    product.minimum_stock_milli = details.minimum_stock_milli
    product.description = (details.description or "").strip() or None
    product.preparation = details.preparation
    product.net_quantity = details.net_quantity if details.net_unit in NET_UNITS else None
    product.net_unit = details.net_unit if product.net_quantity else None


def product_name_taken(name: str, product: Product) -> bool:
    """Return whether another product has this name (the products file finds products by it)."""
    query = select(Product.id).where(func.lower(Product.name) == name.lower())
    if product.id is not None:
        query = query.where(Product.id != product.id)
    return db.session.scalar(query.limit(1)) is not None


def check_barcode(barcode: str, product: Product) -> None:
    """Refuse a barcode that is no EAN-13, belongs to another product, or reads as its label."""
    problem = ean13_problem(barcode)
    if problem is not None:
        raise CatalogError(422, "invalid_barcode", problem, "barcode")
    others = select(Product.name).where(Product.barcode == barcode)
    if product.id is not None:
        others = others.where(Product.id != product.id)
    owner = db.session.scalar(others.limit(1))
    key = scale_label_key(barcode)
    if owner is None and key is not None:
        # the till finds a scale label by its first seven digits: they must name one product
        same_label = select(Product.name).where(Product.barcode.startswith(key, autoescape=True))
        if product.id is not None:
            same_label = same_label.where(Product.id != product.id)
        owner = db.session.scalar(same_label.limit(1))
    if owner is not None:
        raise CatalogError(
            409,
            "barcode_taken",
            _l("Streepjescode %(code)s hoort al bij %(name)s.", code=barcode, name=owner),
            "barcode",
        )


def next_internal_barcode() -> str:
    """Return the shop's next own EAN-13 (prefix 2) whose item number no product uses yet."""
    codes = db.session.scalars(select(Product.barcode).where(Product.barcode.startswith("2")))
    used = {number for code in codes if code and (number := internal_item_number(code))}
    number = max(used, default=0) + 1
    if number > MAX_ITEM_NUMBER:
        # numbers are handed out in order; only when they run out are gaps filled
        number = next((n for n in range(1, MAX_ITEM_NUMBER + 1) if n not in used), 0)
    if not number:
        raise CatalogError(
            409, "no_barcodes_left", _l("Er zijn geen eigen streepjescodes meer vrij."), "barcode"
        )
    return internal_ean13(number)


def save_category(
    category: Category | None, name: str, *, pictogram: str | None, position: int
) -> Category:
    """Add a category (when `category` is None) or change one; names are unique."""
    name = name.strip()
    if not name or len(name) > 60:
        raise CatalogError(422, "invalid_name", _l("Geef een naam van 1 tot 60 tekens."), "name")
    query = select(Category.id).where(func.lower(Category.name) == name.lower())
    if category is not None:
        query = query.where(Category.id != category.id)
    if db.session.scalar(query.limit(1)) is not None:
        raise CatalogError(
            409, "name_taken", _l("Er is al een categorie %(name)s.", name=name), "name"
        )
    if category is None:
        category = Category()
        db.session.add(category)
    category.name = name
    category.pictogram = pictogram or None
    category.position = position
    db.session.flush()
    return category


@dataclass
class ProducerDetails:
    """Everything a producer form sets."""

    name: str
    farm: str | None = None
    town: str | None = None
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    distance_km: int | None = None
    consignment: bool = False
    commission_percent: int = 0
    vat_number: str | None = None


def save_producer(producer: Producer | None, details: ProducerDetails) -> Producer:
    """Add a producer (when `producer` is None) or change one; names are unique."""
    name = details.name.strip()
    if not name or len(name) > 80:
        raise CatalogError(422, "invalid_name", _l("Geef een naam van 1 tot 80 tekens."), "name")
    query = select(Producer.id).where(func.lower(Producer.name) == name.lower())
    if producer is not None:
        query = query.where(Producer.id != producer.id)
    if db.session.scalar(query.limit(1)) is not None:
        raise CatalogError(
            409, "name_taken", _l("Er is al een producent %(name)s.", name=name), "name"
        )
    if not 0 <= details.commission_percent <= 100:
        raise CatalogError(
            422,
            "invalid_commission",
            _l("De commissie ligt tussen 0 en 100 procent."),
            "commission_percent",
        )
    if details.distance_km is not None and details.distance_km < 0:
        raise CatalogError(
            422, "invalid_distance", _l("Een afstand kan niet negatief zijn."), "distance_km"
        )
    vat_number = producer_vat_number(producer, details.vat_number)
    if producer is None:
        producer = Producer()
        db.session.add(producer)
    producer.name = name
    producer.vat_number = vat_number
    for attribute in ("farm", "town", "contact", "phone", "email"):
        setattr(producer, attribute, (getattr(details, attribute) or "").strip() or None)
    producer.distance_km = details.distance_km
    producer.consignment = details.consignment
    producer.commission_percent = details.commission_percent
    db.session.flush()
    return producer


def producer_vat_number(producer: Producer | None, text: str | None) -> str | None:
    """Return a producer's VAT number in its usual spelling (None if blank); refuse a wrong one."""
    if not (text or "").strip():
        return None
    vat_number = normalize_vat_number(text or "")
    if vat_number is None:
        raise CatalogError(
            422,
            "invalid_vat_number",
            _l("Dit is geen geldig Belgisch btw-nummer (bv. BE0123.456.749)."),
            "vat_number",
        )
    query = select(Producer.name).where(Producer.vat_number == vat_number)
    if producer is not None:
        query = query.where(Producer.id != producer.id)
    if (other := db.session.scalar(query.limit(1))) is not None:
        raise CatalogError(
            409,
            "vat_number_taken",
            _l("%(name)s heeft dit btw-nummer al.", name=other),
            "vat_number",
        )
    return vat_number

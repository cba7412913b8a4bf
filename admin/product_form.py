"""The product form: euro amounts typed as '3,80', EAN-13 barcodes, the pictogram picker's field."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from admin.catalog_fields import PictogramMixin, ean13, normalise_barcode
from admin.fields import euro_amount, parse_euro, parse_quantity
from admin.forms import BackOfficeForm
from kiosk.catalog.net_quantity import MAX_NET_QUANTITY, NET_UNITS
from kiosk.catalog.operations import ProductDetails
from kiosk.catalog.price_checks import unusual_price
from kiosk.catalog.product_file import euro_text
from kiosk.catalog.vat_classes import VAT_CLASS_LABELS
from kiosk.decimal_text import milli_text
from kiosk.errors import Message
from kiosk.extensions import db
from kiosk.models import Category, PointOfSale, Producer, Product
from kiosk.models.types import Unit

UNIT_LABELS = {Unit.PIECE: _l("per stuk"), Unit.KG: _l("per kg")}
PREPARATION_LABELS = {"": _l("Geen"), "kitchen": _l("Keuken"), "bar": _l("Bar")}


class ProductForm(PictogramMixin, BackOfficeForm):
    """A product as staff fill it in."""

    conflict = False  # set when someone else saved the product since the form was shown
    #: a price that looks like a typing mistake, shown until staff press "Toch opslaan"
    price_warning: Message | None = None

    version = HiddenField(validators=[Regexp(r"^\d{0,9}$")])
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=80)])
    price = StringField(
        _l("Prijs in euro, btw inbegrepen (bv. 3,80)"),
        validators=[DataRequired(), euro_amount],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    unit = SelectField(
        _l("Eenheid"), choices=[SelectChoice(unit, label) for unit, label in UNIT_LABELS.items()]
    )
    vat_class = SelectField(
        _l("Btw-klasse"),
        choices=[SelectChoice(value, label) for value, label in VAT_CLASS_LABELS.items()],
    )
    barcode = StringField(
        _l("Streepjescode (EAN-13)"),
        validators=[Optional(), ean13],
        filters=[normalise_barcode],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    make_barcode = BooleanField(_l("Maak een eigen streepjescode (begint met 2)"))
    category = SelectField(_l("Categorie"))
    producer = SelectField(_l("Producent"))
    points_of_sale = SelectMultipleField(
        _l("Verkooppunten"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    purchase_price = StringField(
        _l("Aankoopprijs in euro (bv. 2,50)"),
        validators=[Optional(), euro_amount],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    net_quantity = StringField(
        _l("Netto-inhoud (voorverpakt, bv. 350)"),
        validators=[
            Optional(),
            Regexp(r"^\s*\d{1,6}\s*$", message=_l("Typ een geheel getal, bv. 350.")),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    net_unit = SelectField(
        _l("Maat van de netto-inhoud (g, kg, ml, cl, l)"),
        choices=[SelectChoice("", _l("(geen)"))] + [SelectChoice(unit, unit) for unit in NET_UNITS],
        default="",
    )
    confirm_price = BooleanField(_l("Toch opslaan"))
    stock_tracked = BooleanField(_l("Voorraad bijhouden"), default=True)
    minimum_stock = StringField(
        _l("Minimumvoorraad (stuks, of kg bij producten per kg)"),
        validators=[Optional(), Length(max=12)],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    preparation = SelectField(
        _l("Bereiding (bistro: bon naar keuken of bar)"),
        choices=[SelectChoice(value, label) for value, label in PREPARATION_LABELS.items()],
        default="",
    )
    description = TextAreaField(_l("Beschrijving"), validators=[Optional(), Length(max=2000)])
    photo = FileField(_l("Foto"), render_kw={"accept": "image/jpeg,image/png,image/webp"})
    remove_photo = BooleanField(_l("Foto verwijderen"))

    def fill_choices(self) -> None:
        """Offer the categories, producers and points of sale there are."""
        none = SelectChoice("", _l("(geen)"))
        self.category.choices = [none] + [
            SelectChoice(str(c.id), c.name)
            for c in db.session.scalars(select(Category).order_by(Category.position, Category.name))
        ]
        self.producer.choices = [none] + [
            SelectChoice(str(p.id), p.name)
            for p in db.session.scalars(select(Producer).order_by(Producer.name))
        ]
        self.points_of_sale.choices = [
            SelectChoice(str(pos.id), pos.name)
            for pos in db.session.scalars(select(PointOfSale).order_by(PointOfSale.name))
        ]

    def validate_points_of_sale(self, field: Field) -> None:
        """Ask for at least one point of sale: a product is sold somewhere."""
        if not field.data:
            raise ValidationError(_l("Kies minstens één verkooppunt."))

    def validate_minimum_stock(self, field: Field) -> None:
        """Check the minimum stock as pieces or kg."""
        if field.data and field.data.strip():
            try:
                parse_quantity(field.data, self.unit.data or Unit.PIECE, allow_zero=True)
            except ValueError as error:
                raise ValidationError(str(error.args[0])) from error

    def validate_net_unit(self, field: Field) -> None:
        """Ask for the net quantity and its unit together, the quantity more than 0."""
        quantity = (self.net_quantity.data or "").strip()
        if bool(quantity) != bool(field.data):
            raise ValidationError(_l("Geef de netto-inhoud met zijn eenheid, bv. 350 en g."))
        if quantity.isdigit() and not 0 < int(quantity) <= MAX_NET_QUANTITY:
            raise ValidationError(_l("Geef een netto-inhoud van 1 tot 100000."))

    def needs_price_confirmation(self, product: Product | None) -> bool:
        """Hold an unusual price back until "Toch opslaan" is pressed; say why on the form."""
        warning = unusual_price(
            parse_euro(self.price.data), product.price_cents if product else None
        )
        if warning is None or self.confirm_price.data:
            return False
        self.price_warning = warning
        return True

    def details(self, photo: str | None) -> ProductDetails:
        """Return what the validated form describes."""
        ids = {int(pos_id) for pos_id in self.points_of_sale.data or []}
        return ProductDetails(
            name=self.name.data,
            price_cents=parse_euro(self.price.data),
            vat_class=self.vat_class.data,
            unit=self.unit.data,
            pictogram=self.pictogram.data or None,
            photo=photo,
            barcode=self.barcode.data or None,
            producer=db.session.get(Producer, int(self.producer.data))
            if self.producer.data
            else None,
            category=db.session.get(Category, int(self.category.data))
            if self.category.data
            else None,
            purchase_price_cents=parse_euro(self.purchase_price.data)
            if self.purchase_price.data and self.purchase_price.data.strip()
            else None,
            points_of_sale=list(
                db.session.scalars(select(PointOfSale).where(PointOfSale.id.in_(ids)))
            ),
            stock_tracked=self.stock_tracked.data,
            minimum_stock_milli=parse_quantity(
                self.minimum_stock.data, self.unit.data, allow_zero=True
            )
            if self.minimum_stock.data and self.minimum_stock.data.strip()
            else None,
            description=self.description.data,
            preparation=self.preparation.data or None,
            net_quantity=int(self.net_quantity.data) if self.net_unit.data else None,
            net_unit=self.net_unit.data or None,
        )


def product_form_data(product: Product) -> dict[str, Any]:
    """Return a stored product as the form shows it: amounts as '3,80'."""
    return {
        "version": str(product.version),
        "name": product.name,
        "price": euro_text(product.price_cents),
        "unit": product.unit,
        "vat_class": product.vat_class,
        "barcode": product.barcode or "",
        "category": str(product.category_id or ""),
        "producer": str(product.producer_id or ""),
        "points_of_sale": [str(pos.id) for pos in product.points_of_sale],
        "purchase_price": euro_text(product.purchase_price_cents),
        "stock_tracked": product.stock_tracked,
        "minimum_stock": milli_text(product.minimum_stock_milli),
        "description": product.description or "",
        "preparation": product.preparation or "",
        "pictogram": product.pictogram or "",
        "net_quantity": str(product.net_quantity or ""),
        "net_unit": product.net_unit or "",
    }

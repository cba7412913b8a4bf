"""The forms of the stock pages: waste, transfers, the overview's filter, the morning list."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, NumberRange, Optional

from admin.forms import BackOfficeForm
from admin.stock_fields import (
    category_choices,
    check_quantity,
    choose,
    chosen,
    day_text,
    location_choices,
    product_choices,
)
from kiosk.decimal_text import unit_quantity_text
from kiosk.extensions import db
from kiosk.models import Location, Lot, Product, StockBalance

#: the reasons of kiosk.operations.stock.WASTE_REASONS, translatable (a test checks they match)
WASTE_LABELS = {
    "expired": _l("over datum"),
    "damaged": _l("beschadigd"),
    "eaten": _l("opgegeten in de bistro"),
    "other": _l("andere reden"),
}
QUANTITY_INPUT = {"inputmode": "decimal", "autocomplete": "off"}


class ProductMoveForm(BackOfficeForm):
    """What waste and transfers share: a product and a quantity of it."""

    product = SelectField(
        _l("Product"),
        choices=lambda: product_choices(with_stock=True),
        validators=[DataRequired(message=_l("Kies een product."))],
    )
    quantity = StringField(_l("Hoeveelheid (stuks of kg)"), render_kw=QUANTITY_INPUT)

    quantity_milli: int | None = None

    def product_row(self) -> Product | None:
        """Return the chosen product."""
        return chosen(Product, self.product)

    def validate(self, extra_validators: Any = None) -> bool:
        """Check the fields, then the quantity for the chosen product's unit."""
        valid = super().validate(extra_validators)
        self.quantity_milli = check_quantity(self.quantity, self.product_row())
        return valid and self.quantity_milli is not None


class WasteForm(ProductMoveForm):
    """Goods thrown away or eaten: which, where, how much, why, and from which lot."""

    location = SelectField(
        _l("Plaats"),
        choices=lambda: location_choices(_l("Kies een plaats")),
        validators=[DataRequired(message=_l("Kies een plaats."))],
    )
    reason = SelectField(
        _l("Reden"),
        choices=[choose(_l("Kies een reden"))]
        + [SelectChoice(reason, label) for reason, label in WASTE_LABELS.items()],
        validators=[DataRequired(message=_l("Kies een reden."))],
    )
    lot = SelectField(_l("Lot (leeg: wat het eerst vervalt)"), validate_choice=False)

    def validate(self, extra_validators: Any = None) -> bool:
        """Check the fields, the quantity and the lot."""
        valid = super().validate(extra_validators)
        self.lot_row()
        return valid and not self.lot.errors

    def offer_lots(self) -> None:
        """Offer the chosen product's lots on hand (at the chosen place), expiring first.

        Without a product no lot is offered: "what expires first" is then the only choice.
        """
        self.lot.choices = [choose(_l("Wat het eerst vervalt"))]
        if (product := self.product_row()) is None:
            return
        query = (
            select(StockBalance, Lot, Product, Location)
            .join(Lot, Lot.id == StockBalance.lot_id)
            .join(Product, Product.id == StockBalance.product_id)
            .join(Location, Location.id == StockBalance.location_id)
            .where(StockBalance.quantity_milli > 0, StockBalance.product_id == product.id)
            .order_by(Lot.best_before.is_(None), Lot.best_before, Location.name, Lot.id)
        )
        if (location := chosen(Location, self.location)) is not None:
            query = query.where(StockBalance.location_id == location.id)
        self.lot.choices += [
            SelectChoice(str(lot.id), lot_label(balance, lot, product, location))
            for balance, lot, product, location in db.session.execute(query).all()
        ]

    def lot_row(self) -> Lot | None:
        """Return the chosen lot, if any; put an error on the field if it does not fit."""
        if not self.lot.data:
            return None
        lot = chosen(Lot, self.lot)
        if lot is None or str(lot.id) not in {choice[0] for choice in self.lot.iter_choices()}:
            if not self.lot.errors:
                self.lot.errors.append(_("Dit lot ligt niet op deze plaats voor dit product."))
            return None
        return lot


def lot_label(balance: StockBalance, lot: Lot, product: Product, location: Location) -> str:
    """Name a lot in a select: product, code, best-before, place and what is left."""
    return _(
        "%(product)s, lot %(code)s, THT %(best_before)s, %(location)s: %(quantity)s",
        product=product.name,
        code=lot.code or "–",
        best_before=day_text(lot.best_before),
        location=location.name,
        quantity=unit_quantity_text(balance.quantity_milli, product.unit),
    )


class TransferForm(ProductMoveForm):
    """Goods moved from one place to another; their lots go with them."""

    source = SelectField(
        _l("Van"),
        choices=lambda: location_choices(_l("Kies een plaats")),
        validators=[DataRequired(message=_l("Kies een plaats."))],
    )
    target = SelectField(
        _l("Naar"),
        choices=lambda: location_choices(_l("Kies een plaats")),
        validators=[DataRequired(message=_l("Kies een plaats."))],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        """Refuse moving goods to where they already are."""
        valid = super().validate(extra_validators)
        if self.source.data and self.source.data == self.target.data:
            self.target.errors.append(_("Kies twee verschillende plaatsen."))
            return False
        return valid


class StockFilterForm(BackOfficeForm):
    """The stock overview's filter (a GET form: no CSRF token)."""

    class Meta:
        """A GET form: no CSRF token."""

        csrf = False

    location = SelectField(
        _l("Plaats"), choices=lambda: location_choices(_l("Alle plaatsen")), validators=[Optional()]
    )
    category = SelectField(_l("Categorie"), choices=category_choices, validators=[Optional()])


class MorningListForm(BackOfficeForm):
    """How far the morning list looks ahead and back (a GET form)."""

    class Meta:
        """A GET form: no CSRF token."""

        csrf = False

    days = IntegerField(
        _l("Vervalt binnen (dagen)"),
        default=3,
        validators=[
            Optional(),
            NumberRange(min=0, max=60, message=_l("Kies 0 tot 60 dagen.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    weeks = IntegerField(
        _l("Geen beweging sinds (weken)"),
        default=4,
        validators=[
            Optional(),
            NumberRange(min=1, max=52, message=_l("Kies 1 tot 52 weken.")),
        ],
        render_kw={"inputmode": "numeric"},
    )

"""What the stock forms share: row choices, a row form, quantities read per product, dates shown."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.i18n import translations
from sqlalchemy import ColumnElement, and_, or_, select
from wtforms import Field, Form, SelectChoice

from admin.blueprint import bp
from admin.fields import parse_quantity
from admin.forms import BackOfficeForm
from kiosk.database import get_row
from kiosk.decimal_text import unit_quantity_text
from kiosk.extensions import db
from kiosk.models import Category, Location, Producer, Product, StockBalance, User
from kiosk.models.types import Unit
from kiosk.periods import BRUSSELS, day_text

ROW_ID = re.compile(r"^[0-9]{1,10}$")


class LineForm(Form):
    """A form inside a form (a delivery's line): no CSRF token of its own, Dutch messages."""

    class Meta:
        """Bind fields as the back-office forms do."""

        bind_field = BackOfficeForm.Meta.bind_field

        def get_translations(self, form: Form) -> Any:
            """Answer in the page's language, as the back-office forms do."""
            return translations


def moment_text(moment: datetime | None) -> str:
    """Write a moment in Brussels time: 27-11-2026 08:30."""
    return moment.astimezone(BRUSSELS).strftime("%d-%m-%Y %H:%M") if moment else "–"


@bp.context_processor
def stock_text() -> dict[str, Any]:
    """Give the back-office templates the stock's ways of writing quantities and dates."""
    return {
        "stock_quantity": unit_quantity_text,
        "stock_day": day_text,
        "stock_moment": moment_text,
    }


def staff_member() -> User:
    """Return the logged-in staff member or manager (the row behind Flask-Login's proxy)."""
    return cast(User, current_user._get_current_object())  # type: ignore[attr-defined]


def row_id(text: object) -> int | None:
    """Return the row id a form or URL value names ("12"), or None for anything else."""
    return int(str(text)) if text is not None and ROW_ID.match(str(text)) else None


def chosen(model: type[Any], field: Field) -> Any:
    """Return the row a valid select field names by id, or None."""
    if field.errors or not field.data or not ROW_ID.match(str(field.data)):
        return None
    return get_row(model, int(field.data))


def choose(label: str | Any) -> SelectChoice:
    """Return the empty first choice of a select."""
    return SelectChoice("", str(label))


def product_choices(
    *,
    with_stock: bool = False,
    producer_id: int | None = None,
    search: str = "",
    keep: Collection[int] = (),
) -> list[SelectChoice]:
    """Offer the active products by name, each with its unit (and any others with stock left).

    A producer or a search (part of the name, or the EAN) narrows the choice; the products in
    `keep` (already chosen on a row) are offered whatever the filter.
    """
    with_goods = select(StockBalance.product_id).where(StockBalance.quantity_milli != 0)
    offered: ColumnElement[bool] = Product.active.is_(True)
    if producer_id is not None:
        offered = and_(offered, Product.producer_id == producer_id)
    if search:
        found = or_(Product.name.icontains(search, autoescape=True), Product.barcode == search)
        offered = and_(offered, found)
    shown = or_(offered, Product.id.in_(with_goods)) if with_stock else offered
    if keep:
        shown = or_(shown, Product.id.in_(list(keep)))
    query = select(Product).where(shown).order_by(Product.name, Product.id)
    return [choose(_l("Kies een product"))] + [
        SelectChoice(
            str(product.id),
            _("%(name)s (per kg)", name=product.name)
            if product.unit == Unit.KG
            else _("%(name)s (per stuk)", name=product.name),
        )
        for product in db.session.scalars(query)
    ]


def location_choices(first: str | Any) -> list[SelectChoice]:
    """Offer the locations by name, after a first empty choice."""
    locations = db.session.scalars(select(Location).order_by(Location.name, Location.id))
    return [choose(first)] + [
        SelectChoice(str(location.id), location.name) for location in locations
    ]


def category_choices() -> list[SelectChoice]:
    """Offer the categories in till order, after 'all'."""
    categories = db.session.scalars(select(Category).order_by(Category.position, Category.name))
    return [choose(_l("Alle categorieën"))] + [
        SelectChoice(str(category.id), category.name) for category in categories
    ]


def producer_choices() -> list[SelectChoice]:
    """Offer the producers by name, after 'none'."""
    producers = db.session.scalars(select(Producer).order_by(Producer.name))
    return [choose(_l("Geen producent"))] + [
        SelectChoice(str(producer.id), producer.name) for producer in producers
    ]


def check_quantity(
    field: Field, product: Product | None, *, allow_zero: bool = False
) -> int | None:
    """Read a quantity field for a product; put a Dutch error on the field when it is wrong."""
    text = (field.data or "").strip()
    if not text:
        if not field.errors:
            field.errors.append(_("Vul een aantal in."))
        return None
    try:
        return parse_quantity(text, product.unit if product else Unit.KG, allow_zero=allow_zero)
    except ValueError as error:
        field.errors.append(str(error))
        return None

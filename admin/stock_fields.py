"""Quantities, euro amounts and dates as staff type them (decimal comma), and as pages show them."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.i18n import translations
from sqlalchemy import or_, select
from wtforms import Field, Form, SelectChoice

from admin.blueprint import bp
from admin.forms import BackOfficeForm
from kiosk.database import get_row
from kiosk.extensions import db
from kiosk.models import Category, Location, Producer, Product, StockBalance, User
from kiosk.models.types import Unit
from kiosk.periods import BRUSSELS

ROW_ID = re.compile(r"^[0-9]{1,10}$")
NUMBER = re.compile(r"^[0-9]{1,9}([.,][0-9]+)?$")
#: more than this many pieces or kg in one line is a slip of the finger
MAX_UNITS = 99_999
MAX_EURO_CENTS = 10_000_000
ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
BELGIAN_DAY = re.compile(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$")

UNIT_LABELS = {Unit.PIECE: _l("st."), Unit.KG: _l("kg")}


class LineForm(Form):
    """A form inside a form (a delivery's line): no CSRF token of its own, Dutch messages."""

    class Meta:
        """Bind fields as the back-office forms do."""

        bind_field = BackOfficeForm.Meta.bind_field

        def get_translations(self, form: Form) -> Any:
            """Answer in the page's language, as the back-office forms do."""
            return translations


def parse_quantity(text: str, unit: str, *, allow_zero: bool = False) -> int:
    """Read a quantity typed with a decimal comma as thousandths; raise ValueError (Dutch)."""
    cleaned = text.strip().replace(" ", "")
    if not NUMBER.match(cleaned):
        raise ValueError(_("Typ een getal, bv. 3 of 1,250."))
    value = Decimal(cleaned.replace(",", "."))
    if value == 0 and not allow_zero:
        raise ValueError(_("Het aantal moet groter dan nul zijn."))
    if value > MAX_UNITS:
        raise ValueError(_("Dat is te veel: hoogstens %(most)s.", most="99.999"))
    if unit == Unit.PIECE and value != value.to_integral_value():
        raise ValueError(_("Geef een geheel aantal stuks."))
    if unit == Unit.KG and -int(value.as_tuple().exponent) > 3 and value != round(value, 3):
        raise ValueError(_("Geef het gewicht tot op de gram: hoogstens 3 cijfers na de komma."))
    return int(value * 1000)


def parse_euro(text: str) -> int:
    """Read an amount in euro typed with a decimal comma as cents; raise ValueError (Dutch)."""
    cleaned = text.strip().replace("€", "").replace(" ", "")
    if not NUMBER.match(cleaned):
        raise ValueError(_("Typ een bedrag in euro, bv. 3,80."))
    value = Decimal(cleaned.replace(",", ".")) * 100
    if value != value.to_integral_value():
        raise ValueError(_("Een bedrag heeft hoogstens 2 cijfers na de komma."))
    if value > MAX_EURO_CENTS:
        raise ValueError(_("Dat bedrag is te groot."))
    return int(value)


def parse_day(text: str) -> date:
    """Read a date as a date field sends it (2026-11-27) or as people type it (27-11-2026)."""
    cleaned = text.strip()
    try:
        if ISO_DAY.match(cleaned):
            return date.fromisoformat(cleaned)
        match = BELGIAN_DAY.match(cleaned)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise ValueError(_("Typ een datum als dd-mm-jjjj."))


def quantity_number(milli: int, unit: str) -> str:
    """Write thousandths as staff type them: '3' pieces, '1,250' kg."""
    if unit == Unit.KG:
        return f"{Decimal(milli) / 1000:.3f}".replace(".", ",")
    text = f"{Decimal(milli) / 1000:.3f}"
    return text.rstrip("0").rstrip(".").replace(".", ",")  # pieces are whole: no ",000"


def quantity_text(milli: int, unit: str) -> str:
    """Write a quantity with its unit: '3 st.', '1,250 kg'."""
    return f"{quantity_number(milli, unit)} {UNIT_LABELS.get(Unit(unit), unit)}"


def day_text(day: date | None) -> str:
    """Write a date as Belgians do: 27-11-2026."""
    return day.strftime("%d-%m-%Y") if day else "–"


def moment_text(moment: datetime | None) -> str:
    """Write a moment in Brussels time: 27-11-2026 08:30."""
    return moment.astimezone(BRUSSELS).strftime("%d-%m-%Y %H:%M") if moment else "–"


@bp.context_processor
def stock_text() -> dict[str, Any]:
    """Give the back-office templates the stock's ways of writing quantities and dates."""
    return {
        "stock_quantity": quantity_text,
        "stock_number": quantity_number,
        "stock_day": day_text,
        "stock_moment": moment_text,
    }


def staff_member() -> User:
    """Return the logged-in staff member or manager (the row behind Flask-Login's proxy)."""
    return cast(User, current_user._get_current_object())  # type: ignore[attr-defined]


def chosen(model: type[Any], field: Field) -> Any:
    """Return the row a valid select field names by id, or None."""
    if field.errors or not field.data or not ROW_ID.match(str(field.data)):
        return None
    return get_row(model, int(field.data))


def choose(label: str | Any) -> SelectChoice:
    """Return the empty first choice of a select."""
    return SelectChoice("", str(label))


def product_choices(*, with_stock: bool = False) -> list[SelectChoice]:
    """Offer the active products by name, each with its unit (and any others with stock left)."""
    with_goods = select(StockBalance.product_id).where(StockBalance.quantity_milli != 0)
    offered = Product.active.is_(True)
    query = select(Product).where(
        or_(offered, Product.id.in_(with_goods)) if with_stock else offered
    )
    query = query.order_by(Product.name, Product.id)
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

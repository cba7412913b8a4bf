"""Bulk edits of products (/admin/products/bulk): choose, describe the change, preview, apply."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import Length

from admin.blueprint import bp
from admin.fields import parse_euro, parse_quantity
from admin.forms import BackOfficeForm
from admin.product_form import UNIT_LABELS, VAT_CLASS_LABELS
from admin.products import product_filter
from admin.saving import save_form, show_refusal
from kiosk.audit.facts import field_label, value_text
from kiosk.catalog.bulk import BulkChange, ProductChange, apply_bulk_change, plan_bulk_change
from kiosk.catalog.overview import filter_products, producer_names, row_id
from kiosk.database import get_row
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Category, Producer, Product
from kiosk.models.types import Unit

#: the most products one bulk edit takes (a whole shop's catalogue)
MOST_PRODUCTS = 5000
#: how many of the chosen products the page names (the preview shows every one that changes)
NAMED_PRODUCTS = 50
PRICE_MODES = {
    "": _l("Prijs niet wijzigen"),
    "percent_up": _l("Verhogen met een percentage"),
    "percent_down": _l("Verlagen met een percentage"),
    "amount_up": _l("Verhogen met een bedrag"),
    "amount_down": _l("Verlagen met een bedrag"),
}
KEEP = _l("Niet wijzigen")


class BulkEditForm(BackOfficeForm):
    """What changes for every chosen product; a field left on "niet wijzigen" stays as it is."""

    price_mode = SelectField(
        _l("Prijs"), choices=[SelectChoice(key, label) for key, label in PRICE_MODES.items()]
    )
    price_value = StringField(
        _l("Percentage of bedrag (bv. 5 of 0,50)"),
        validators=[Length(max=20)],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    rounding = SelectField(
        _l("Afronden"),
        choices=[
            SelectChoice("1", _l("Op de cent")),
            SelectChoice("5", _l("Op 5 cent")),
            SelectChoice("10", _l("Op 10 cent")),
        ],
    )
    category = SelectField(_l("Categorie"), validate_choice=False)
    producer = SelectField(_l("Producent"), validate_choice=False)
    vat_class = SelectField(_l("Btw-klasse"), validate_choice=False)
    active = SelectField(
        _l("Op de kassa's"),
        choices=[
            SelectChoice("", KEEP),
            SelectChoice("yes", _l("Aanzetten")),
            SelectChoice("no", _l("Uitzetten")),
        ],
    )
    minimum_stock = StringField(
        _l("Minimumvoorraad (leeg: niet wijzigen)"),
        validators=[Length(max=20)],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    preview = SubmitField(_l("Voorbeeld tonen"))
    apply = SubmitField(_l("Wijzigingen toepassen"))

    def fill_choices(self) -> None:
        """Offer the categories, producers and VAT classes, after "niet wijzigen"."""
        categories = db.session.execute(select(Category.id, Category.name).order_by(Category.name))
        producers = db.session.execute(producer_names())
        self.category.choices = choices(categories, _l("Zonder categorie"))
        self.producer.choices = choices(producers, _l("Zonder producent"))
        self.vat_class.choices = [SelectChoice("", KEEP)] + [
            SelectChoice(key, label) for key, label in VAT_CLASS_LABELS.items()
        ]

    def change(self, products: list[Product]) -> BulkChange | None:
        """Return the change the fields describe; None, with messages by the fields, if wrong."""
        values = {**self.rows(), **self.set_values(products)}
        percent, amount = self.price_change()
        if any(field.errors for field in self):
            return None
        return BulkChange(percent, amount, int(self.rounding.data or 1), values)

    def rows(self) -> dict[str, Category | Producer | None]:
        """Return the category and producer to set ("none": none), each checked to exist."""
        values: dict[str, Category | Producer | None] = {}
        for name, model in (("category", Category), ("producer", Producer)):
            text = self[name].data or ""
            if text == "none":
                values[name] = None
            elif text:
                row = get_row(model, row_id(text) or 0)
                if row is None:
                    self[name].errors = [_("Kies uit de lijst.")]
                values[name] = cast(Category | Producer | None, row)
        return values

    def set_values(self, products: list[Product]) -> dict[str, Any]:
        """Return the VAT class, on or off and minimum stock to set, from the fields filled in."""
        values: dict[str, Any] = {}
        if self.vat_class.data:
            if self.vat_class.data not in VAT_CLASS_LABELS:
                self.vat_class.errors = [_("Kies uit de lijst.")]
            values["vat_class"] = self.vat_class.data
        if self.active.data:
            values["active"] = self.active.data == "yes"
        minimum = (self.minimum_stock.data or "").strip()
        if minimum:
            unit = Unit.PIECE if any(p.unit == Unit.PIECE for p in products) else Unit.KG
            values["minimum_stock_milli"] = read(self.minimum_stock, minimum, unit)
        return values

    def price_change(self) -> tuple[Decimal | None, int | None]:
        """Return the percentage or the amount in cents (negative to lower), from the fields."""
        mode, text = self.price_mode.data or "", (self.price_value.data or "").strip()
        if not mode:
            return None, None
        if not text:
            self.price_value.errors = [_("Vul het percentage of het bedrag in.")]
            return None, None
        sign = -1 if mode.endswith("_down") else 1
        if mode.startswith("percent"):
            milli = read(self.price_value, text, Unit.KG)
            return (None if milli is None else sign * Decimal(milli) / 1000), None
        try:
            return None, sign * parse_euro(text, example="0,50")
        except ValueError as error:
            self.price_value.errors = [str(error.args[0])]
            return None, None


def choices(rows: Iterable[Any], none: LazyString) -> list[SelectChoice]:
    """Return "niet wijzigen", the rows (id, name) and "none" as a select's choices."""
    offered = [SelectChoice(str(ident), name) for ident, name in rows]
    return [SelectChoice("", KEEP), *offered, SelectChoice("none", none)]


def read(field: StringField, text: str, unit: str) -> int | None:
    """Read a number as thousandths; on a mistake put the message by the field."""
    try:
        return parse_quantity(text, unit, allow_zero=True)
    except ValueError as error:
        field.errors = [str(error.args[0])]
        return None


def chosen_products() -> list[Product]:
    """Return the products ticked (`product` ids) or, with `by=filter`, the list's filter's."""
    query = select(Product).options(
        selectinload(Product.category),
        selectinload(Product.producer),
        selectinload(Product.points_of_sale),
    )
    # ticked boxes send `product` once each; the bulk form sends them back as one `products`
    texts = [*request.values.getlist("product"), *request.form.get("products", "").split(",")]
    ticked = [row_id(text.strip()) for text in texts[: MOST_PRODUCTS + 1] if text.strip()]
    if request.method == "POST" or ticked:
        ids = {ident for ident in ticked if ident is not None}
        query = query.where(Product.id.in_(sorted(ids)[:MOST_PRODUCTS]))
    elif request.args.get("by") == "filter":
        query = filter_products(query, product_filter())
    else:
        return []
    return list(db.session.scalars(query.order_by(Product.name, Product.id).limit(MOST_PRODUCTS)))


@bp.route("/products/bulk", methods=["GET", "POST"])
def product_bulk() -> ResponseReturnValue:
    """Change many products at once: show the change before → after, then apply it."""
    products = chosen_products()
    form = BulkEditForm()
    form.fill_choices()
    plans: list[ProductChange] | None = None
    change = form.change(products) if form.validate_on_submit() else None
    if change is not None and form.apply.data:
        applied = save_form(form, lambda: apply_bulk_change(products, change), show=show_refusal)
        if applied is not None:
            flash(_("%(count)s producten zijn gewijzigd.", count=len(applied)), "success")
            return redirect(url_for("admin.product_list"))
    elif change is not None:
        plans = preview(form, products, change)
    return render_template(
        "admin/product_bulk.html",
        form=form,
        products=products,
        named=products[:NAMED_PRODUCTS],
        plans=plans,
        unit_labels=UNIT_LABELS,
        field_label=field_label,
        value_text=value_text,
    )


def preview(
    form: BulkEditForm, products: list[Product], change: BulkChange
) -> list[ProductChange] | None:
    """Return each product's before → after, or None with the refusal on the form."""
    try:
        return plan_bulk_change(products, change)
    except OperationError as error:
        show_refusal(form, error)
        return None

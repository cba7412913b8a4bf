"""Points of sale: where the plus-plek sells (a till or a vending machine), how customers pay."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Regexp, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput

from admin.blueprint import bp, get_or_404, manager_required
from admin.forms import BackOfficeForm
from admin.saving import save_form, show_refusal
from kiosk.extensions import db
from kiosk.models import Location, PointOfSale
from kiosk.models.types import Consumption, PaymentMethod
from kiosk.payment_methods import TILL_METHODS
from kiosk.vending.machines import MACHINE_KIND, TILL_KIND, save_point_of_sale_of_kind

CONSUMPTION_LABELS = {Consumption.TAKEAWAY: _l("Meenemen"), Consumption.EAT_IN: _l("Ter plaatse")}
KIND_LABELS = {TILL_KIND: _l("Kassa"), MACHINE_KIND: _l("Automaat")}
#: the field a refusal is about, by its code
REFUSAL_FIELDS = {"machine_cash_only": "payment_methods", "kind_locked": "kind"}
METHOD_LABELS = {method.code: method.label for method in TILL_METHODS}
CODE_RULE = _l("Gebruik hoofdletters, cijfers en streepjes, bv. HW.")


def code_field(label: Any, max_length: int) -> StringField:
    """Return the field of a short code (HW, HW-REK): letters, digits and dashes."""
    return StringField(
        label,
        validators=[
            DataRequired(),
            Length(max=max_length),
            Regexp(r"^\s*[A-Za-z0-9][A-Za-z0-9-]*\s*$", message=CODE_RULE),
        ],
        render_kw={"autocapitalize": "characters", "autocomplete": "off"},
    )


def at_least_one_method(field: SelectMultipleField) -> None:
    """Refuse a point of sale without payment methods (not "required" on every checkbox)."""
    if not field.data:
        raise StopValidation(_("Kies minstens één betaalwijze."))


class PointOfSaleForm(BackOfficeForm):
    """A point of sale's code, name, default consumption and payment methods."""

    code = code_field(_l("Code (bv. HW)"), 10)
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=80)])
    kind = SelectField(
        _l("Soort"),
        choices=[SelectChoice(value, label) for value, label in KIND_LABELS.items()],
        default=TILL_KIND,
    )
    default_consumption = SelectField(
        _l("Meestal"),
        choices=[SelectChoice(value, label) for value, label in CONSUMPTION_LABELS.items()],
    )
    payment_methods = SelectMultipleField(
        _l("Betaalwijzen"),
        choices=[SelectChoice(value, label) for value, label in METHOD_LABELS.items()],
        validators=[lambda _form, field: at_least_one_method(field)],
        option_widget=CheckboxInput(),
    )

    #: the point of sale being changed (its own code is not "taken")
    editing_id: int | None = None

    def validate_code(self, field: StringField) -> None:
        """Refuse a code another point of sale has."""
        taken = db.session.scalar(
            select(PointOfSale.id).where(
                func.upper(PointOfSale.code) == field.data.strip().upper(),
                PointOfSale.id != (self.editing_id or -1),
            )
        )
        if taken is not None:
            raise ValidationError(_("Er is al een verkooppunt met deze code."))


@bp.get("/points-of-sale")
@manager_required
def point_of_sale_list() -> ResponseReturnValue:
    """List the points of sale with the location each sells from."""
    points = db.session.scalars(select(PointOfSale).order_by(PointOfSale.code)).all()
    locations = {
        location.sells_for_id: location
        for location in db.session.scalars(
            select(Location).where(Location.sells_for_id.is_not(None))
        )
    }
    return render_template(
        "admin/point_of_sale_list.html",
        points=points,
        locations=locations,
        consumption_labels=CONSUMPTION_LABELS,
        kind_labels=KIND_LABELS,
    )


@bp.route("/points-of-sale/new", methods=["GET", "POST"])
@manager_required
def point_of_sale_new() -> ResponseReturnValue:
    """Add a point of sale."""
    form = PointOfSaleForm(payment_methods=[PaymentMethod.CASH, PaymentMethod.CARD])
    if form.validate_on_submit() and save(form, None):
        flash(_("Het verkooppunt is toegevoegd."), "success")
        return redirect(url_for("admin.point_of_sale_list"))
    return render_template("admin/point_of_sale_form.html", form=form, point_of_sale=None)


@bp.route("/points-of-sale/<int:point_of_sale_id>", methods=["GET", "POST"])
@manager_required
def point_of_sale_edit(point_of_sale_id: int) -> ResponseReturnValue:
    """Change a point of sale."""
    point_of_sale = get_or_404(PointOfSale, point_of_sale_id)
    form = PointOfSaleForm(
        data={
            "code": point_of_sale.code,
            "name": point_of_sale.name,
            "kind": point_of_sale.kind,
            "default_consumption": point_of_sale.default_consumption,
            "payment_methods": point_of_sale.accepted_methods,
        }
    )
    form.editing_id = point_of_sale.id
    if form.validate_on_submit() and save(form, point_of_sale):
        flash(_("Het verkooppunt is bewaard."), "success")
        return redirect(url_for("admin.point_of_sale_list"))
    return render_template("admin/point_of_sale_form.html", form=form, point_of_sale=point_of_sale)


def save(form: PointOfSaleForm, point_of_sale: PointOfSale | None) -> PointOfSale | None:
    """Store the form and commit; on a refusal say why above the form and store nothing."""
    return save_form(
        form,
        lambda: save_point_of_sale_of_kind(
            point_of_sale,
            form.code.data,
            form.name.data,
            form.default_consumption.data,
            form.payment_methods.data,
            form.kind.data,
        ),
        show=lambda form, error, field: show_refusal(
            form, error, REFUSAL_FIELDS.get(error.code, field)
        ),
    )

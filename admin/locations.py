"""Stock locations: the shelf, the stock room, the bistro, a vending machine."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from admin.blueprint import bp, get_or_404, manager_required
from admin.forms import BackOfficeForm
from admin.points_of_sale import code_field
from admin.saving import save_form
from admin.stock_fields import chosen
from kiosk.extensions import db
from kiosk.models import Location, PointOfSale
from kiosk.organisation.places import LOCATION_KINDS, save_location

KIND_LABELS = dict(
    zip(
        LOCATION_KINDS,
        (_l("Winkelrek"), _l("Berging"), _l("Bistro"), _l("Automaat")),
        strict=True,
    )
)


def point_of_sale_choices() -> list[SelectChoice]:
    """Offer the points of sale by name, after 'none'."""
    points = db.session.scalars(select(PointOfSale).order_by(PointOfSale.name))
    return [SelectChoice("", _("Geen: hier wordt niet verkocht"))] + [
        SelectChoice(str(point.id), point.name) for point in points
    ]


class LocationForm(BackOfficeForm):
    """A location's code, name, kind and the point of sale that sells from it."""

    code = code_field(_l("Code (bv. HW-REK)"), 20)
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=80)])
    kind = SelectField(
        _l("Soort plaats"),
        choices=[SelectChoice(kind, label) for kind, label in KIND_LABELS.items()],
    )
    sells_for = SelectField(_l("Verkooppunt dat hieruit verkoopt"), choices=point_of_sale_choices)

    #: the location being changed (its own code is not "taken")
    editing_id: int | None = None

    def validate_code(self, field: StringField) -> None:
        """Refuse a code another location has."""
        taken = db.session.scalar(
            select(Location.id).where(
                func.upper(Location.code) == field.data.strip().upper(),
                Location.id != (self.editing_id or -1),
            )
        )
        if taken is not None:
            raise ValidationError(_("Er is al een plaats met deze code."))

    def validate_sells_for(self, field: SelectField) -> None:
        """Refuse a point of sale that already sells from another location."""
        point_of_sale = chosen(PointOfSale, field)
        if point_of_sale is None:
            return
        other = db.session.scalar(
            select(Location).where(
                Location.sells_for_id == point_of_sale.id, Location.id != (self.editing_id or -1)
            )
        )
        if other is not None:
            raise ValidationError(
                _(
                    "%(point_of_sale)s verkoopt al uit %(location)s.",
                    point_of_sale=point_of_sale.name,
                    location=other.name,
                )
            )


@bp.get("/locations")
@manager_required
def location_list() -> ResponseReturnValue:
    """List the stock locations."""
    locations = db.session.scalars(select(Location).order_by(Location.code)).all()
    return render_template("admin/location_list.html", locations=locations, kind_labels=KIND_LABELS)


@bp.route("/locations/new", methods=["GET", "POST"])
@manager_required
def location_new() -> ResponseReturnValue:
    """Add a stock location."""
    form = LocationForm()
    if form.validate_on_submit() and save(form, None):
        flash(_("De plaats is toegevoegd."), "success")
        return redirect(url_for("admin.location_list"))
    return render_template("admin/location_form.html", form=form, location=None)


@bp.route("/locations/<int:location_id>", methods=["GET", "POST"])
@manager_required
def location_edit(location_id: int) -> ResponseReturnValue:
    """Change a stock location."""
    location = get_or_404(Location, location_id)
    form = LocationForm(
        data={
            "code": location.code,
            "name": location.name,
            "kind": location.kind,
            "sells_for": str(location.sells_for_id or ""),
        }
    )
    form.editing_id = location.id
    if form.validate_on_submit() and save(form, location):
        flash(_("De plaats is bewaard."), "success")
        return redirect(url_for("admin.location_list"))
    return render_template("admin/location_form.html", form=form, location=location)


def save(form: LocationForm, location: Location | None) -> Location | None:
    """Store the form and commit; on a refusal say why above the form and store nothing."""
    return save_form(
        form,
        lambda: save_location(
            location,
            form.code.data,
            form.name.data,
            form.kind.data,
            chosen(PointOfSale, form.sells_for),
        ),
    )

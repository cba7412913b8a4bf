"""Tills: pair a new device (its token is shown once), renew or revoke a token.

A device is a till, or the screen of the kitchen or the bar (its role, chosen when pairing).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from admin.blueprint import bp, get_or_404, manager_required
from admin.forms import BackOfficeForm, ConfirmForm
from admin.saving import save_form
from kiosk.extensions import db
from kiosk.models import PointOfSale, Till
from kiosk.models.types import utcnow
from kiosk.organisation.people import add_till, renew_till_token, revoke_till


def point_of_sale_choices() -> list[SelectChoice]:
    """Return the points of sale a till can be paired with, by name."""
    points = db.session.scalars(select(PointOfSale).order_by(PointOfSale.name))
    return [SelectChoice(pos.code, pos.name) for pos in points]


class TillForm(BackOfficeForm):
    """A new till's name and point of sale."""

    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=80)])
    point_of_sale = SelectField(_l("Verkooppunt"), choices=point_of_sale_choices)
    role = SelectField(
        _l("Soort toestel"),
        choices=[
            SelectChoice("till", _l("Kassa")),
            SelectChoice("kitchen", _l("Keukenscherm")),
            SelectChoice("bar", _l("Barscherm")),
        ],
        default="till",
    )


@bp.get("/tills")
@manager_required
def till_list() -> ResponseReturnValue:
    """List the tills and their state."""
    tills = db.session.scalars(select(Till).order_by(Till.code)).all()
    return render_template("admin/tills.html", tills=tills, confirm=ConfirmForm())


@bp.route("/tills/new", methods=["GET", "POST"])
@manager_required
def till_new() -> ResponseReturnValue:
    """Pair a new till and show its token once."""
    form = TillForm()
    if form.validate_on_submit():
        paired = save_form(
            form, lambda: add_till(form.name.data, form.point_of_sale.data, role=form.role.data)
        )
        if paired is not None:
            till, token = paired
            return render_template("admin/till_token.html", till=till, token=token)
    return render_template("admin/till_form.html", form=form)


@bp.post("/tills/<int:till_id>/revoke")
@manager_required
def till_revoke(till_id: int) -> ResponseReturnValue:
    """Stop a till's token from working."""
    till = get_or_404(Till, till_id)
    if ConfirmForm().validate_on_submit():
        revoke_till(till, utcnow())
        db.session.commit()
        flash(_("Kassa %(code)s is ontkoppeld.", code=till.code), "success")
    return redirect(url_for("admin.till_list"))


@bp.post("/tills/<int:till_id>/renew")
@manager_required
def till_renew(till_id: int) -> ResponseReturnValue:
    """Give a till a new token and show it once."""
    till = get_or_404(Till, till_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("admin.till_list"))
    token = renew_till_token(till)
    db.session.commit()
    return render_template("admin/till_token.html", till=till, token=token)

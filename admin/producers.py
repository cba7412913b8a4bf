"""Producers: who delivers, on consignment or sold outright, and their commission."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from admin.blueprint import bp, get_or_404
from admin.fields import WholeNumberField
from admin.forms import BackOfficeForm
from admin.saving import save_form
from kiosk.catalog.operations import CatalogError, ProducerDetails, save_producer
from kiosk.extensions import db
from kiosk.models import Producer, Product

EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PHONE = r"^\+?[0-9 ()./-]{6,40}$"
PLAIN_FIELDS = (
    "name",
    "farm",
    "town",
    "contact",
    "phone",
    "email",
    "distance_km",
    "commission_percent",
    "vat_number",
)


class ProducerForm(BackOfficeForm):
    """A producer's name, farm, contact details and how the shop pays them."""

    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=80)])
    farm = StringField(_l("Bedrijf of hoeve"), validators=[Optional(), Length(max=120)])
    town = StringField(_l("Gemeente"), validators=[Optional(), Length(max=80)])
    contact = StringField(_l("Contactpersoon"), validators=[Optional(), Length(max=80)])
    phone = StringField(
        _l("Telefoon"),
        validators=[
            Optional(),
            Regexp(PHONE, message=_l("Schrijf een telefoonnummer, bv. +32 16 12 34 56.")),
        ],
        render_kw={"type": "tel", "autocomplete": "off"},
    )
    email = StringField(
        _l("E-mail"),
        validators=[
            Optional(),
            Length(max=120),
            Regexp(EMAIL, message=_l("Schrijf een e-mailadres, bv. naam@hoeve.be.")),
        ],
        render_kw={"type": "email", "autocomplete": "off"},
    )
    vat_number = StringField(
        _l("Btw-nummer (voor e-facturen)"),
        validators=[Optional(), Length(max=20)],
        render_kw={"autocomplete": "off"},
    )
    distance_km = WholeNumberField(
        _l("Afstand tot de winkel in km"),
        validators=[
            Optional(),
            NumberRange(0, 100_000, _l("Geef een afstand van 0 km of meer, in hele km.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    consignment = RadioField(
        _l("Hoe koopt de winkel?"),
        choices=[
            SelectChoice("purchase", _l("Aankoop: de winkel koopt de waren")),
            SelectChoice("consignment", _l("Consignatie: de producent krijgt wat verkocht is")),
        ],
        default="purchase",
    )
    commission_percent = WholeNumberField(
        _l("Commissie in procent (0 tot 100)"),
        default=0,
        validators=[
            InputRequired(_l("Geef een commissie, bv. 0 of 20.")),
            NumberRange(0, 100, _l("De commissie ligt tussen 0 en 100 procent.")),
        ],
        render_kw={"inputmode": "numeric"},
    )

    def details(self) -> ProducerDetails:
        """Return what the validated form describes."""
        return ProducerDetails(
            name=self.name.data,
            farm=self.farm.data,
            town=self.town.data,
            contact=self.contact.data,
            phone=self.phone.data,
            email=self.email.data,
            distance_km=self.distance_km.data,
            consignment=self.consignment.data == "consignment",
            commission_percent=self.commission_percent.data or 0,
            vat_number=self.vat_number.data,
        )


@bp.get("/producers")
def producer_list() -> ResponseReturnValue:
    """List the producers with how many products each delivers."""
    counts = dict(
        db.session.execute(
            select(Product.producer_id, func.count(Product.id)).group_by(Product.producer_id)
        ).all()
    )
    producers = db.session.scalars(select(Producer).order_by(Producer.name))
    return render_template("admin/producers.html", producers=producers.all(), counts=counts)


@bp.route("/producers/new", methods=["GET", "POST"])
def producer_new() -> ResponseReturnValue:
    """Add a producer."""
    form = ProducerForm()
    if form.validate_on_submit() and save(form, None):
        flash(_("%(name)s is toegevoegd.", name=form.name.data.strip()), "success")
        return redirect(url_for("admin.producer_list"))
    return render_template("admin/producer_form.html", form=form, producer=None)


@bp.route("/producers/<int:producer_id>", methods=["GET", "POST"])
def producer_edit(producer_id: int) -> ResponseReturnValue:
    """Change a producer."""
    producer = get_or_404(Producer, producer_id)
    form = ProducerForm(data=None if request.method == "POST" else producer_form_data(producer))
    if form.validate_on_submit() and save(form, producer):
        flash(_("De gegevens van %(name)s zijn bewaard.", name=producer.name), "success")
        return redirect(url_for("admin.producer_list"))
    return render_template("admin/producer_form.html", form=form, producer=producer)


def producer_form_data(producer: Producer) -> dict[str, Any]:
    """Return a stored producer as the form shows it."""
    data = {name: getattr(producer, name) for name in PLAIN_FIELDS}
    return {**data, "consignment": "consignment" if producer.consignment else "purchase"}


def save(form: ProducerForm, producer: Producer | None) -> Producer | None:
    """Store the producer the form describes; put a refusal next to its field."""
    return save_form(
        form,
        lambda: save_producer(producer, form.details()),
        field="name",
        # someone added the same name a moment ago
        conflict=lambda _clash: CatalogError(
            409, "name_taken", _("Er is al een producent %(name)s.", name=form.name.data.strip())
        ),
    )

"""The organisation's details that every receipt carries."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from admin.blueprint import bp, manager_required
from admin.forms import BackOfficeForm
from kiosk.extensions import db
from kiosk.identifiers import normalize_bic, normalize_iban, normalize_vat_number
from kiosk.models import Organisation
from kiosk.organisation.queries import points_of_sale_taking_qr


class OrganisationForm(BackOfficeForm):
    """Name, address, VAT number, receipt texts, and the bank account customers pay by QR."""

    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=120)])
    address = StringField(_l("Adres"), validators=[DataRequired(), Length(max=200)])
    vat_number = StringField(_l("Btw-nummer"), validators=[DataRequired(), Length(max=20)])
    receipt_header = TextAreaField(_l("Kop van het kasticket"), validators=[Length(max=500)])
    receipt_footer = TextAreaField(_l("Voet van het kasticket"), validators=[Length(max=500)])
    iban = StringField(
        _l("Rekeningnummer (IBAN) voor QR-betalingen"),
        filters=[lambda value: value or None],
    )
    beneficiary_name = StringField(
        _l("Naam van de rekeninghouder"),
        validators=[Length(max=70)],
        filters=[lambda value: value.strip() if value else None],
    )
    bic = StringField(
        _l("BIC (niet verplicht)"), filters=[lambda value: value.strip() if value else None]
    )

    def validate_iban(self, field: StringField) -> None:
        """Accept a Belgian IBAN (spaces allowed), kept compact; empty only while unused."""
        if not field.data or not field.data.strip():
            field.data = None
            if points_of_sale_taking_qr():
                raise ValidationError(
                    _("Een verkooppunt neemt QR-betalingen aan: zet QR daar eerst uit.")
                )
            return
        normalized = normalize_iban(field.data)
        if normalized is None:
            raise ValidationError(
                _("Dit is geen geldig Belgisch IBAN: BE en 14 cijfers, bv. BE68 5390 0754 7034.")
            )
        field.data = normalized

    def validate_bic(self, field: StringField) -> None:
        """Accept an empty BIC or one of 8 or 11 letters and digits, kept in capitals."""
        if field.data:
            normalized = normalize_bic(field.data)
            if normalized is None:
                raise ValidationError(_("Een BIC heeft 8 of 11 letters en cijfers, bv. GEBABEBB."))
            field.data = normalized

    def validate_vat_number(self, field: StringField) -> None:
        """Accept only a valid Belgian VAT number, and store it in its usual spelling."""
        normalized = normalize_vat_number(field.data or "")
        if normalized is None:
            raise ValidationError(_("Dit is geen geldig Belgisch btw-nummer (bv. BE0123.456.749)."))
        field.data = normalized


@bp.route("/organisation", methods=["GET", "POST"])
@manager_required
def organisation_edit() -> ResponseReturnValue:
    """Edit the organisation's details."""
    organisation = db.session.get(Organisation, 1) or Organisation(id=1, name="")
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        form.populate_obj(organisation)
        db.session.add(organisation)
        db.session.commit()
        flash(_("De gegevens zijn bewaard."), "success")
        return redirect(url_for("admin.organisation_edit"))
    return render_template("admin/organisation.html", form=form)

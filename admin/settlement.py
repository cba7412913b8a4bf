"""Consignment settlement per producer and period: statement, CSV and XLSX."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import ValidationError

from admin.blueprint import bp, get_or_404, manager_required
from admin.downloads import file_stem, spreadsheet_download
from admin.forms import BackOfficeForm
from kiosk.database import get_row
from kiosk.decimal_text import local_quantity_text, local_rate_text
from kiosk.exports.jobs import record_export
from kiosk.extensions import db
from kiosk.models import Organisation, Producer
from kiosk.models.types import utcnow
from kiosk.periods import business_day, parse_day
from kiosk.reports.settlement import (
    SETTLEMENT_COLUMNS,
    get_settlement,
    settlement_export_name,
    settlement_rows,
)


def month_of(day: date, months_back: int = 0) -> tuple[date, date]:
    """Return the first and last day of the month `months_back` months before `day`'s."""
    first = day.replace(day=1)
    for _step in range(months_back):
        first = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=31)).replace(day=1)
    return first, following - timedelta(days=1)


class SettlementForm(BackOfficeForm):
    """A producer and a period: this month, last month, or two dates."""

    class Meta:
        """A GET form: no CSRF token."""

        csrf = False  # a GET form that only reads: its answer is a link one may bookmark

    producer = SelectField(_l("Producent"), validate_choice=False)
    period = RadioField(
        _l("Periode"),
        choices=[
            SelectChoice("last_month", _l("Vorige maand")),
            SelectChoice("this_month", _l("Deze maand")),
            SelectChoice("dates", _l("Andere periode")),
        ],
        default="last_month",
        validate_choice=False,
    )
    first_day = StringField(_l("Van"), render_kw={"type": "date"})
    last_day = StringField(_l("Tot en met"), render_kw={"type": "date"})

    def fill_choices(self) -> None:
        """Offer the consignment producers first; the others show only what was sold."""
        producers = db.session.scalars(select(Producer).order_by(Producer.name)).all()
        consignment, purchase = _l("Consignatie"), _l("Aankoop (geen commissie)")
        self.producer.choices = [
            SelectChoice(str(p.id), p.name, optgroup=str(consignment))
            for p in producers
            if p.consignment
        ] + [
            SelectChoice(str(p.id), p.name, optgroup=str(purchase))
            for p in producers
            if not p.consignment
        ]

    def validate_producer(self, field: SelectField) -> None:
        """Accept only a known producer."""
        text = field.data or ""
        if not (text.isascii() and text.isdigit()) or get_row(Producer, int(text)) is None:
            raise ValidationError(_("Kies een producent uit de lijst."))

    def validate_period(self, field: RadioField) -> None:
        """Accept one of the offered periods."""
        if field.data not in ("this_month", "last_month", "dates"):
            raise ValidationError(_("Kies een periode."))

    def validate_first_day(self, field: StringField) -> None:
        """Need a real date when dates are chosen."""
        if self.period.data == "dates" and parse_day(field.data) is None:
            raise ValidationError(_("Geef een datum, bv. 2026-01-31."))

    def validate_last_day(self, field: StringField) -> None:
        """Need a real date, not before the first."""
        if self.period.data != "dates":
            return
        last, first = parse_day(field.data), parse_day(self.first_day.data)
        if last is None:
            raise ValidationError(_("Geef een datum, bv. 2026-01-31."))
        if first is not None and first > last:
            raise ValidationError(_("De einddatum ligt voor de begindatum."))

    def chosen_days(self, today: date) -> tuple[date, date]:
        """Return the first and last day of the chosen period (after validation)."""
        if self.period.data == "this_month":
            return month_of(today)
        if self.period.data == "last_month":
            return month_of(today, 1)
        first, last = parse_day(self.first_day.data), parse_day(self.last_day.data)
        assert first is not None and last is not None  # validated
        return first, last


def statement_form(producer: Producer) -> SettlementForm:
    """Read the statement's period from ?from=…&to=… (this month when absent) as the form would."""
    first, last = month_of(business_day(utcnow()))
    data = MultiDict(
        {
            "producer": str(producer.id),
            "period": "dates",
            "first_day": request.args.get("from", first.isoformat()),
            "last_day": request.args.get("to", last.isoformat()),
        }
    )
    form = SettlementForm(formdata=data)
    form.fill_choices()
    return form


@bp.get("/settlement")
@manager_required
def settlement_index() -> ResponseReturnValue:
    """Choose a producer and a period; a valid choice opens the statement."""
    form = SettlementForm(formdata=request.args or None)
    form.fill_choices()
    if request.args and form.validate():
        first, last = form.chosen_days(business_day(utcnow()))
        period: dict[str, Any] = {"from": first.isoformat(), "to": last.isoformat()}
        return redirect(
            url_for("admin.settlement_show", producer_id=int(form.producer.data), **period)
        )
    return render_template("admin/settlement_choose.html", form=form)


@bp.get("/settlement/<int:producer_id>")
@manager_required
def settlement_show(producer_id: int) -> ResponseReturnValue:
    """Show a producer's printable statement for a period."""
    producer = get_or_404(Producer, producer_id)
    form = statement_form(producer)
    if not form.validate():
        return render_template("admin/settlement_choose.html", form=form), 400
    today = business_day(utcnow())
    first, last = form.chosen_days(today)
    return render_template(
        "admin/settlement.html",
        settlement=get_settlement(producer, first, last),
        today=today,
        organisation=db.session.get(Organisation, 1),
        period={"from": first.isoformat(), "to": last.isoformat()},
        quantity=local_quantity_text,
        rate_text=local_rate_text,
    )


@bp.get("/settlement/<int:producer_id>/statement.<any(csv, xlsx):file_format>")
@manager_required
def settlement_export(producer_id: int, file_format: str) -> ResponseReturnValue:
    """Download a statement as CSV (?plain=1: ',' and '.') or XLSX."""
    producer = get_or_404(Producer, producer_id)
    form = statement_form(producer)
    if not form.validate():
        return render_template("admin/settlement_choose.html", form=form), 400
    first, last = form.chosen_days(business_day(utcnow()))
    record_export(settlement_export_name(producer), first, last, file_format=file_format)
    db.session.commit()
    return spreadsheet_download(
        SETTLEMENT_COLUMNS,
        settlement_rows(get_settlement(producer, first, last)),
        file_format,
        file_stem("afrekening", producer.name, first.isoformat(), last.isoformat()),
        plain=request.args.get("plain") == "1",
        sheet_title="Afrekening",
    )

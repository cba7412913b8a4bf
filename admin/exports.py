"""Exports for the accountant: choose what and which days, follow the progress, download."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectChoice, SelectField
from wtforms.validators import InputRequired, ValidationError

from admin.blueprint import bp, manager_required
from admin.forms import BackOfficeForm
from kiosk.exports.files import ExportRefused
from kiosk.exports.jobs import job_file, read_job, record_export, start_export
from kiosk.extensions import db
from kiosk.models.types import utcnow
from kiosk.periods import business_day

KIND_LABELS = {
    "verkopen": _l("Verkopen, één regel per verkochte lijn"),
    "dagontvangsten": _l("Dagontvangstenboek, per kassa en btw-tarief"),
    "journaal": _l("Journaal voor de boekhouder"),
}
#: a longer run is a typing slip, and would keep a thread busy for long
MAX_DAYS = 3 * 366


class ExportForm(BackOfficeForm):
    """What to export, for which business days, in which format."""

    kind = SelectField(
        _l("Wat"), choices=[SelectChoice(kind, label) for kind, label in KIND_LABELS.items()]
    )
    first_day = DateField(_l("Van"), validators=[InputRequired(_l("Kies een begindatum."))])
    last_day = DateField(_l("Tot en met"), validators=[InputRequired(_l("Kies een einddatum."))])
    file_format = SelectField(
        _l("Formaat"),
        choices=[SelectChoice("xlsx", "Excel (XLSX)"), SelectChoice("csv", "CSV")],
    )
    plain = BooleanField(_l("CSV met komma's en decimale punt (voor programma's)"))

    def validate_last_day(self, field: DateField) -> None:
        """Refuse a period that ends before it begins, or is longer than three years."""
        if self.first_day.data and field.data:
            if field.data < self.first_day.data:
                raise ValidationError(_l("De einddatum ligt voor de begindatum."))
            if field.data - self.first_day.data > timedelta(days=MAX_DAYS):
                raise ValidationError(_l("Kies hoogstens drie jaar."))


@bp.route("/exports", methods=["GET", "POST"])
@manager_required
def export_new() -> ResponseReturnValue:
    """Choose an export and start it."""
    yesterday = business_day(utcnow()) - timedelta(days=1)
    form = ExportForm(first_day=yesterday.replace(day=1), last_day=yesterday)
    if form.validate_on_submit():
        job_id = start_export(
            current_app._get_current_object(),  # type: ignore[attr-defined]
            form.kind.data,
            form.first_day.data,
            form.last_day.data,
            form.file_format.data,
            form.plain.data,
        )
        record_export(
            form.kind.data,
            form.first_day.data,
            form.last_day.data,
            file_format=form.file_format.data,
            where="back office",
        )
        db.session.commit()
        return redirect(url_for("admin.export_show", job_id=job_id))
    return render_template("admin/exports.html", form=form)


@bp.get("/exports/<job_id>")
@manager_required
def export_show(job_id: str) -> ResponseReturnValue:
    """Show how far an export is, and its download once it is ready."""
    state = job_state(job_id)
    return render_template(
        "admin/export_progress.html", job_id=job_id, state=state, kind_labels=KIND_LABELS
    )


@bp.get("/exports/<job_id>/download")
@manager_required
def export_download(job_id: str) -> ResponseReturnValue:
    """Send a finished export."""
    job_state(job_id)
    found = job_file(current_app._get_current_object(), job_id)  # type: ignore[attr-defined]
    if found is None:
        abort(404)
    path, name = found
    return send_file(path, as_attachment=True, download_name=name)


def job_state(job_id: str) -> dict[str, object]:
    """Return a job's state, or answer 404 for an unknown or malformed id."""
    try:
        state = read_job(current_app._get_current_object(), job_id)  # type: ignore[attr-defined]
    except ExportRefused:
        abort(404)
    if state is None:
        abort(404)
    return state

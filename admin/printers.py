"""Printers and the print queue: add and test printers, follow jobs, retry or cancel them."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from admin.blueprint import bp, get_or_404, manager_required
from admin.forms import BackOfficeForm, ConfirmForm
from kiosk.bistro.stations import get_station_warnings
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import PointOfSale, Printer, PrintJob
from kiosk.models.types import utcnow
from kiosk.printing.queue import add_printer, cancel_job, configure_printer, enqueue, retry_now
from kiosk.printing.worker import notify_print_worker
from printers import known_profiles

ROLE_LABELS = {"receipt": _l("Kasticket"), "kitchen": _l("Keuken"), "bar": _l("Bar")}
STATE_LABELS = {
    "pending": _l("wacht"),
    "printing": _l("wordt geprint"),
    "printed": _l("geprint"),
    "cancelled": _l("geannuleerd"),
}


class PrinterForm(BackOfficeForm):
    """A printer's name, URL, profile, paper, point of sale and role."""

    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=60)])
    url = StringField(
        _l(
            "Adres (tcp://192.168.1.50:9100, usb://04b8:0202, serial:///dev/ttyUSB0, file:///dev/usb/lp0)"
        ),
        validators=[DataRequired(), Length(max=200)],
    )
    profile = SelectField(_l("Printermodel (profiel)"))
    paper_width_mm = SelectField(
        _l("Papierbreedte"), choices=[SelectChoice("80", "80 mm"), SelectChoice("58", "58 mm")]
    )
    point_of_sale = SelectField(_l("Verkooppunt"))
    role = SelectField(
        _l("Rol"), choices=[SelectChoice(role, label) for role, label in ROLE_LABELS.items()]
    )
    active = BooleanField(_l("Actief"), default=True)

    def fill_choices(self) -> None:
        """Offer the known profiles and points of sale."""
        self.profile.choices = [SelectChoice(name, name) for name in known_profiles()]
        self.point_of_sale.choices = [
            SelectChoice(pos.code, pos.name)
            for pos in db.session.scalars(select(PointOfSale).order_by(PointOfSale.name))
        ]


@bp.get("/printers")
@manager_required
def printer_list() -> ResponseReturnValue:
    """List the printers and the latest print jobs."""
    printers = db.session.scalars(select(Printer).order_by(Printer.name)).all()
    jobs = db.session.scalars(select(PrintJob).order_by(PrintJob.id.desc()).limit(50)).all()
    return render_template(
        "admin/printers.html",
        printers=printers,
        jobs=jobs,
        confirm=ConfirmForm(),
        role_labels=ROLE_LABELS,
        state_labels=STATE_LABELS,
    )


@bp.route("/printers/new", methods=["GET", "POST"])
@manager_required
def printer_new() -> ResponseReturnValue:
    """Add a printer."""
    form = PrinterForm()
    form.fill_choices()
    if form.validate_on_submit():
        try:
            add_printer(
                form.name.data,
                form.url.data,
                profile=form.profile.data,
                point_of_sale_code=form.point_of_sale.data,
                role=form.role.data,
                paper_width_mm=int(form.paper_width_mm.data),
            )
            db.session.commit()
        except OperationError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("De printer is toegevoegd."), "success")
            return redirect(url_for("admin.printer_list"))
    return render_template("admin/printer_form.html", form=form, printer=None)


@bp.route("/printers/<int:printer_id>", methods=["GET", "POST"])
@manager_required
def printer_edit(printer_id: int) -> ResponseReturnValue:
    """Change a printer."""
    printer = get_or_404(Printer, printer_id)
    form = PrinterForm(
        obj=printer,
        paper_width_mm=str(printer.paper_width_mm),
        point_of_sale=printer.point_of_sale.code if printer.point_of_sale else None,
    )
    form.fill_choices()
    if form.validate_on_submit():
        try:
            printer.name = form.name.data.strip()
            printer.active = form.active.data
            configure_printer(
                printer,
                form.url.data,
                form.profile.data,
                form.point_of_sale.data,
                form.role.data,
                int(form.paper_width_mm.data),
            )
            db.session.commit()
        except OperationError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("De printer is bewaard."), "success")
            return redirect(url_for("admin.printer_list"))
    return render_template("admin/printer_form.html", form=form, printer=printer)


@bp.post("/printers/<int:printer_id>/test")
@manager_required
def printer_test(printer_id: int) -> ResponseReturnValue:
    """Queue a test page for the printer."""
    printer = get_or_404(Printer, printer_id)
    if ConfirmForm().validate_on_submit():
        enqueue(printer, "test", utcnow())
        db.session.commit()
        notify_print_worker()
        flash(_("De testpagina staat in de wachtrij."), "success")
    return redirect(url_for("admin.printer_list"))


@bp.post("/print-jobs/<int:job_id>/retry")
def print_job_retry(job_id: int) -> ResponseReturnValue:
    """Try a waiting print job again now."""
    job = get_or_404(PrintJob, job_id)
    if ConfirmForm().validate_on_submit():
        retry_now(job, utcnow())
        db.session.commit()
        notify_print_worker()
    return redirect(url_for("admin.print_job_list"))


@bp.post("/print-jobs/<int:job_id>/cancel")
def print_job_cancel(job_id: int) -> ResponseReturnValue:
    """Stop trying to print a job."""
    job = get_or_404(PrintJob, job_id)
    if ConfirmForm().validate_on_submit():
        cancel_job(job)
        db.session.commit()
    return redirect(url_for("admin.print_job_list"))


@bp.get("/print-jobs")
def print_job_list() -> ResponseReturnValue:
    """Show the print queue."""
    jobs = db.session.scalars(select(PrintJob).order_by(PrintJob.id.desc()).limit(100)).all()
    return render_template(
        "admin/print_jobs.html",
        jobs=jobs,
        confirm=ConfirmForm(),
        state_labels=STATE_LABELS,
        station_warnings=get_station_warnings(utcnow()),
    )

"""The cash drawer per till and business day: float, cash in and out, the count, X and Z reports."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response
from wtforms import Field

from admin.blueprint import bp, get_or_404, manager_required, permission_required
from admin.cash_forms import (
    ClosingForm,
    CountForm,
    MovementForm,
    OpeningForm,
    optional_euro,
    piece_picture,
)
from admin.fields import parse_day, parse_euro
from admin.forms import ConfirmForm
from kiosk.bistro.open_tabs import get_open_tab_summaries
from kiosk.cash.days import get_sales_after_close, get_sales_counts, get_till_days, get_z_reports
from kiosk.cash.drawer import (
    add_cash_movement,
    close_day,
    get_cash_session,
    get_drawer,
    get_next_day_float,
    get_z_report,
    open_cash_session,
    record_cash_count,
)
from kiosk.cash.reports import (
    cash_report,
    checksum_holds,
    report_payload,
    x_report_document,
    z_report_document,
)
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Till, User, ZReport
from kiosk.models.types import utcnow
from kiosk.money import format_euro
from kiosk.periods import business_day
from kiosk.printing.queue import enqueue, receipt_printers
from kiosk.printing.worker import notify_print_worker
from printers import TextReport, paper_format

Result = TypeVar("Result")


def till_and_day(till_id: int, day: str) -> tuple[Till, date]:
    """Return the till and the business day a URL names, or answer 404."""
    till = get_or_404(Till, till_id)
    try:
        return till, date.fromisoformat(day)
    except ValueError:
        abort(404)


def day_page(till: Till, day: date) -> Response:
    """Redirect to a till's day."""
    return redirect(url_for("admin.cash_day", till_id=till.id, day=day.isoformat()))


def commit_operation(operation: Callable[[], Result]) -> Result:
    """Run a drawer operation and commit; after a clash with a parallel request, try once more.

    The unique keys (one drawer and one Z per till and day, Z numbers per till) refuse the slower
    of two requests; run again, it sees what the faster one stored and refuses with the
    operation's own message ("already closed"), or succeeds (with the next Z number).
    """
    for attempt in range(2):
        try:
            result = operation()
            db.session.commit()
            return result
        except IntegrityError:
            db.session.rollback()
            if attempt:
                break
        except OperationError:
            db.session.rollback()
            raise
    raise OperationError(
        409, "conflict", _("Iemand anders wijzigde deze kassa net. Probeer opnieuw.")
    )


def refuse(error: OperationError, fields: dict[str, Field]) -> None:
    """Show an operation's refusal next to the field it is about, or at the top of the page."""
    field = fields.get(error.code)
    if field is None:
        flash(error.message, "error")
    else:
        field.errors = [*field.errors, error.message]


def may_count_cash(user: User) -> bool:
    """Return whether the user may count drawers: managers, and staff given the permission."""
    return user.can_count_cash


@bp.get("/cash")
@permission_required(may_count_cash)
def cash_overview() -> ResponseReturnValue:
    """List every till's drawer of a business day (today in Brussels unless another is chosen)."""
    typed = request.args.get("day", "").strip()
    day, error = business_day(utcnow()), None
    if typed:
        try:
            day = parse_day(typed)
        except ValueError as refusal:
            error = str(refusal.args[0])
    return render_template(
        "admin/cash.html",
        day=day,
        typed=typed or day.isoformat(),
        error=error,
        previous_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1),
        groups=[] if error else get_till_days(day),
    )


def render_day(till: Till, day: date, **forms: object) -> str:
    """Show a till's day: its state, the float and movement forms, the movements."""
    return render_template(
        "admin/cash_day.html",
        till=till,
        day=day,
        session=get_cash_session(till, day),
        z_report=get_z_report(till, day),
        sales_count=get_sales_counts(day, till.id).get(till.id, 0),
        **{
            "opening_form": OpeningForm(data=next_day_float(till, day)),
            "movement_form": MovementForm(),
            **forms,
        },
    )


def next_day_float(till: Till, day: date) -> dict[str, str]:
    """Fill the opening float with what the till's last close left in the drawer, if anything."""
    left = get_next_day_float(till, day)
    return {"opening_float": format_euro(left)} if left else {}


@bp.get("/cash/<int:till_id>/<day>")
@manager_required
def cash_day(till_id: int, day: str) -> ResponseReturnValue:
    """Show a till's drawer of one business day (a vending machine's till has none: its X)."""
    till, business = till_and_day(till_id, day)
    if not till.has_drawer:
        return redirect(url_for("admin.x_report", till_id=till.id, day=business.isoformat()))
    return render_day(till, business)


@bp.post("/cash/<int:till_id>/<day>/open")
@manager_required
def cash_open(till_id: int, day: str) -> ResponseReturnValue:
    """Start the till's day with the float in the drawer."""
    till, business = till_and_day(till_id, day)
    form = OpeningForm()
    if form.validate_on_submit():
        cents = parse_euro(form.opening_float.data)
        try:
            commit_operation(
                lambda: open_cash_session(till, business, cents, current_user, utcnow())
            )
        except OperationError as error:
            refuse(error, {"invalid_amount": form.opening_float})
        else:
            flash(_("De kassa is geopend."), "success")
            return day_page(till, business)
    return render_day(till, business, opening_form=form)


@bp.post("/cash/<int:till_id>/<day>/movements")
@manager_required
def cash_movement(till_id: int, day: str) -> ResponseReturnValue:
    """Book cash put into or taken out of the drawer, with the reason."""
    till, business = till_and_day(till_id, day)
    form = MovementForm()
    if form.validate_on_submit():
        cents, reason = form.amount_cents(), form.reason.data
        try:
            commit_operation(
                lambda: add_cash_movement(till, business, cents, reason, current_user, utcnow())
            )
        except OperationError as error:
            refuse(error, {"invalid_amount": form.amount, "reason_missing": form.reason})
        else:
            flash(_("Het bedrag is geboekt."), "success")
            return day_page(till, business)
    return render_day(till, business, movement_form=form)


@bp.route("/cash/<int:till_id>/<day>/count", methods=["GET", "POST"])
@permission_required(may_count_cash)
def cash_count(till_id: int, day: str) -> ResponseReturnValue:
    """Count the drawer per note and coin; then show expected, counted and the difference."""
    till, business = till_and_day(till_id, day)
    if not till.has_drawer:  # a machine's cash is counted when it is emptied
        return redirect(url_for("admin.vending_emptying", machine_id=till.point_of_sale_id))
    session = get_cash_session(till, business)
    stored = json.loads(session.counted_pieces or "{}") if session else {}
    form = CountForm(
        data={
            **{f"piece_{value}": str(count) for value, count in stored.items()},
            "difference_reason": session.difference_reason if session else "",
        }
    )
    if form.validate_on_submit():
        pieces, reason = form.pieces(), form.difference_reason.data or ""
        try:
            commit_operation(
                lambda: record_cash_count(till, business, pieces, current_user, utcnow(), reason)
            )
        except OperationError as error:
            flash(error.message, "error")
        else:
            flash(_("De telling is bewaard."), "success")
            return redirect(url_for("admin.cash_count", till_id=till.id, day=business.isoformat()))
    counted = session is not None and session.counted_cents is not None
    return render_template(
        "admin/cash_count.html",
        till=till,
        day=business,
        form=form,
        piece_picture=piece_picture,
        drawer=get_drawer(till, business) if counted else None,
        z_report=get_z_report(till, business),
    )


def render_close(till: Till, day: date, form: ClosingForm) -> str:
    """Show the close: the day's figures, open tabs, the next float and the cash to the bank."""
    report = cash_report(get_drawer(till, day).as_json())
    if request.method == "GET" and report.counted_cents is not None:
        # what was in the drawer this morning stays by default (no more than was counted)
        form.next_float.data = format_euro(min(report.opening_float_cents, report.counted_cents))
    return render_template(
        "admin/cash_close.html",
        till=till,
        day=day,
        form=form,
        report=report,
        z_report=get_z_report(till, day),
        open_tabs=[
            tab
            for tab in get_open_tab_summaries(utcnow(), till.point_of_sale_id)
            if tab.unpaid_cents > 0
        ],
    )


@bp.route("/cash/<int:till_id>/<day>/close", methods=["GET", "POST"])
@manager_required
def cash_close(till_id: int, day: str) -> ResponseReturnValue:
    """Ask what stays for tomorrow and what goes to the bank, then make the day's final Z."""
    till, business = till_and_day(till_id, day)
    form = ClosingForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_close(till, business, form)
    next_float, to_bank = optional_euro(form.next_float), optional_euro(form.to_bank)
    try:
        z_report = commit_operation(
            lambda: close_day(till, business, current_user, utcnow(), next_float, to_bank)
        )
    except OperationError as error:
        if error.code in ("invalid_next_float", "invalid_to_bank"):
            refuse(error, {"invalid_next_float": form.next_float, "invalid_to_bank": form.to_bank})
            return render_close(till, business, form)
        flash(error.message, "error")
        return day_page(till, business)
    flash(_("Z-rapport %(number)s is gemaakt.", number=z_report.number), "success")
    return redirect(url_for("admin.z_report_show", z_id=z_report.id))


@bp.get("/cash/<int:till_id>/<day>/x")
@manager_required
def x_report(till_id: int, day: str) -> ResponseReturnValue:
    """Show the till's day so far (X report), ready to print."""
    till, business = till_and_day(till_id, day)
    return render_template(
        "admin/cash_x_report.html",
        till=till,
        day=business,
        report=cash_report(get_drawer(till, business).as_json()),
        z_report=get_z_report(till, business),
        now=utcnow(),
        confirm=ConfirmForm(),
    )


def print_report(till: Till, document: Callable[[int], TextReport]) -> bool:
    """Queue a report on the till's point of sale's receipt printer; False when it has none."""
    return print_text_report(till.point_of_sale_id, document)


def print_text_report(point_of_sale_id: int, document: Callable[[int], TextReport]) -> bool:
    """Queue a report on the point of sale's receipt printer; False when it has none."""
    printers = receipt_printers(point_of_sale_id)
    if not printers:
        flash(_("Dit verkooppunt heeft geen bonprinter."), "error")
        return False
    printer = printers[0]
    columns = paper_format(printer.profile, printer.paper_width_mm).columns
    enqueue(printer, "report", utcnow(), report=report_payload(document(columns)))
    db.session.commit()
    notify_print_worker()
    flash(
        _("Het rapport staat in de printwachtrij van %(printer)s.", printer=printer.name), "success"
    )
    return True


@bp.post("/cash/<int:till_id>/<day>/x/print")
@manager_required
def x_report_print(till_id: int, day: str) -> ResponseReturnValue:
    """Print the X report on the receipt printer."""
    till, business = till_and_day(till_id, day)
    if ConfirmForm().validate_on_submit():
        report = cash_report(get_drawer(till, business).as_json())
        now = utcnow()
        print_report(till, lambda columns: x_report_document(report, till, now, columns))
    return redirect(url_for("admin.x_report", till_id=till.id, day=business.isoformat()))


@bp.get("/cash/<int:till_id>/z-reports")
@manager_required
def z_report_list(till_id: int) -> ResponseReturnValue:
    """List a till's Z reports."""
    till = get_or_404(Till, till_id)
    reports = [(z, cash_report(json.loads(z.figures))) for z in get_z_reports(till)]
    return render_template("admin/z_reports.html", till=till, reports=reports)


@bp.get("/z-reports/<int:z_id>")
@manager_required
def z_report_show(z_id: int) -> ResponseReturnValue:
    """Show a Z report exactly as it was frozen when the day was closed."""
    z_report = get_or_404(ZReport, z_id)
    return render_template(
        "admin/z_report.html",
        z_report=z_report,
        till=z_report.till,
        day=z_report.business_day,
        report=cash_report(json.loads(z_report.figures)),
        checksum_holds=checksum_holds(z_report),
        sales_after=get_sales_after_close(z_report),
        confirm=ConfirmForm(),
    )


@bp.post("/z-reports/<int:z_id>/print")
@manager_required
def z_report_print(z_id: int) -> ResponseReturnValue:
    """Print a Z report on the receipt printer."""
    z_report = get_or_404(ZReport, z_id)
    if ConfirmForm().validate_on_submit():
        print_report(z_report.till, lambda columns: z_report_document(z_report, columns))
    return redirect(url_for("admin.z_report_show", z_id=z_report.id))

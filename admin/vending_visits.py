"""A visit to the machines: the refill round and the count of what is left (−/+, pictures)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from admin.blueprint import bp
from admin.saving import save_form
from admin.stock_fields import chosen, staff_member
from admin.vending import get_machine_or_404
from admin.vending_forms import DexForm, RefillForm, VisitForm, default_source, read_pieces
from kiosk.models import Location, VendingCompartment, VendingCount
from kiosk.models.types import utcnow
from kiosk.money import euro_text
from kiosk.vending.dex import MAX_BYTES, book_dex_count
from kiosk.vending.queries import (
    get_compartments,
    get_machines,
    get_past_counts,
    get_refill_list,
)
from kiosk.vending.visits import Counted, Fill, book_count, book_refill


@bp.route("/vending/refill", methods=["GET", "POST"])
def vending_refill() -> ResponseReturnValue:
    """Show what to bring to fill every compartment (or one machine's) and book it."""
    only = request.args.get("machine", type=int)
    machines = get_machines() if only is None else [get_machine_or_404(only)]
    compartments = get_compartments([machine.id for machine in machines])
    source = default_source()
    form = RefillForm(source=str(source.id) if source else "")
    typed = MultiDict(request.form) if request.method == "POST" else MultiDict()
    errors: dict[str, str] = {}
    if form.validate_on_submit() and refilled(form, compartments, typed, errors):
        return redirect(url_for("admin.vending_list"))
    return render_template(
        "admin/vending/refill.html",
        form=form,
        machines=machines,
        compartments=compartments,
        to_bring=get_refill_list(compartments),
        typed=typed,
        errors=errors,
        only=only,
    )


def refilled(
    form: RefillForm,
    compartments: list[VendingCompartment],
    typed: MultiDict[str, str],
    errors: dict[str, str],
) -> bool:
    """Book the pieces typed per compartment and commit; say what was moved, or why not."""
    pieces = read_pieces(compartments, typed, "fill", errors)
    fills = [Fill(c, pieces[c.id]) for c in compartments if c.id in pieces]
    location = chosen(Location, form.source)
    if errors or location is None:
        return False
    moved = save_form(form, lambda: book_refill(location, fills, staff_member(), utcnow()))
    if moved is None:
        return False
    flash(_("Aangevuld: %(pieces)s stuks in de automaat.", pieces=moved), "success")
    return True


@bp.route("/vending/<int:machine_id>/count", methods=["GET", "POST"])
def vending_count(machine_id: int) -> ResponseReturnValue:
    """Count what is left per compartment and what is past its date; book sales and waste."""
    machine = get_machine_or_404(machine_id)
    compartments = get_compartments([machine.id])
    form = VisitForm()
    typed = MultiDict(request.form) if request.method == "POST" else MultiDict()
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        left = read_pieces(compartments, typed, "left", errors)
        expired = read_pieces(compartments, typed, "expired", errors)
        counts = [
            Counted(c, left[c.id], expired.get(c.id, 0)) for c in compartments if c.id in left
        ]
        if not errors:
            count = save_form(form, lambda: book_count(machine, counts, staff_member(), utcnow()))
            if count is not None:
                flash(counted_message(count), "success")
                return redirect(url_for("admin.vending_refill", machine=machine.id))
    return render_template(
        "admin/vending/count.html",
        form=form,
        dex_form=DexForm(formdata=None),
        machine=machine,
        compartments=compartments,
        typed=typed,
        errors=errors,
        past_counts=get_past_counts(machine),
    )


@bp.post("/vending/<int:machine_id>/dex")
def vending_dex_import(machine_id: int) -> ResponseReturnValue:
    """Book the sales a machine's EVA-DTS audit file shows, instead of counting."""
    machine = get_machine_or_404(machine_id)
    form = DexForm()
    if form.validate_on_submit():
        with form.audit_file.data.stream as stream:
            content = stream.read(MAX_BYTES + 1)
        booked = save_form(
            form,
            lambda: book_dex_count(machine, content, staff_member(), utcnow()),
            field="audit_file",
        )
        if booked is not None:
            flash_dex_count(*booked)
            return redirect(url_for("admin.vending_refill", machine=machine.id))
    return render_template(
        "admin/vending/count.html",
        form=VisitForm(formdata=None),
        dex_form=form,
        machine=machine,
        compartments=get_compartments([machine.id]),
        typed=MultiDict(),
        errors={},
        past_counts=get_past_counts(machine),
    ), 422


def counted_message(count: VendingCount) -> str:
    """Say what a count booked: pieces sold and their amount, pieces past date."""
    sold = sum(line.sold for line in count.lines)
    expired = sum(line.expired for line in count.lines)
    amount = sum(line.sold * line.price_cents for line in count.lines)
    return _(
        "De telling is geboekt: %(sold)s stuks verkocht (%(amount)s), %(expired)s over datum. "
        "Vul nu de automaat aan.",
        sold=sold,
        amount=euro_text(amount),
        expired=expired,
    )


def flash_dex_count(count: VendingCount, started: list[VendingCompartment]) -> None:
    """Say what an audit file booked, and which compartments it only gave a starting point."""
    flash(counted_message(count), "success")
    if started:
        numbers = ", ".join(str(compartment.number) for compartment in started)
        message = _(
            "Eerste bestand voor vak %(numbers)s: hun tellers zijn nu het vertrekpunt.",
            numbers=numbers,
        )
        flash(message, "success")

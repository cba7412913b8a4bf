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
from admin.vending_forms import RefillForm, VisitForm, default_source, read_pieces
from kiosk.models import Location, VendingCount
from kiosk.models.types import utcnow
from kiosk.money import euro_text
from kiosk.vending.queries import get_compartments, get_machines, get_refill_list
from kiosk.vending.visits import Counted, Fill, book_count, book_refill


@bp.route("/vending/refill", methods=["GET", "POST"])
def vending_refill() -> ResponseReturnValue:
    """Show what to bring to fill every compartment (or one machine's) and book it."""
    machines = get_machines()
    only = request.args.get("machine", type=int)
    if only is not None:
        machines = [get_machine_or_404(only)]
    compartments = get_compartments([machine.id for machine in machines])
    source = default_source()
    form = RefillForm(source=str(source.id) if source else "")
    typed = MultiDict(request.form) if request.method == "POST" else MultiDict()
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        pieces = read_pieces(compartments, typed, "fill", errors)
        fills = [Fill(c, pieces[c.id]) for c in compartments if c.id in pieces]
        location = chosen(Location, form.source)
        if not errors and location is not None:
            moved = save_form(form, lambda: book_refill(location, fills, staff_member(), utcnow()))
            if moved is not None:
                flash(_("Aangevuld: %(pieces)s stuks in de automaat.", pieces=moved), "success")
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
        machine=machine,
        compartments=compartments,
        typed=typed,
        errors=errors,
    )


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

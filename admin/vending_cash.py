"""A machine's cash: emptying it (counted per note and coin) and the emptyings of a period."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from admin.blueprint import bp
from admin.cash_forms import CountForm, piece_picture
from admin.fields import parse_day
from admin.saving import save_form
from admin.stock_fields import staff_member
from admin.vending import get_machine_or_404
from kiosk.models.types import utcnow
from kiosk.vending.emptying import book_emptying
from kiosk.vending.queries import (
    get_emptyings,
    get_expected_cash,
    get_last_emptying,
    get_machine_till,
    get_machines,
)


@bp.route("/vending/<int:machine_id>/empty", methods=["GET", "POST"])
def vending_emptying(machine_id: int) -> ResponseReturnValue:
    """Count the cash taken out of a machine against what its sales since the last time brought."""
    machine = get_machine_or_404(machine_id)
    form = CountForm()
    if form.validate_on_submit():
        pieces, note = form.pieces(), form.difference_reason.data or ""
        emptying = save_form(
            form, lambda: book_emptying(machine, pieces, staff_member(), utcnow(), note)
        )
        if emptying is not None:
            flash(_("Het geld uit de automaat is geteld en bewaard."), "success")
            return redirect(url_for("admin.vending_emptying_list", machine=machine.id))
    last = get_last_emptying(machine)
    till = get_machine_till(machine)
    since = last.created_at if last is not None else None
    return render_template(
        "admin/vending/emptying.html",
        form=form,
        machine=machine,
        last=last,
        expected_cents=get_expected_cash(till, since, utcnow()) if till is not None else 0,
        piece_picture=piece_picture,
    )


@bp.get("/vending/emptyings")
def vending_emptying_list() -> ResponseReturnValue:
    """List the emptyings with expected, counted and difference, per machine and period."""
    machines = get_machines()
    machine_id = request.args.get("machine", type=int)
    days, error = {}, None
    for name in ("from", "to"):
        typed = request.args.get(name, "").strip()
        if typed:
            try:
                days[name] = parse_day(typed)
            except ValueError as refusal:
                error = str(refusal)
    emptyings = get_emptyings(machine_id, days.get("from"), days.get("to"))
    return render_template(
        "admin/vending/emptyings.html",
        machines=machines,
        machine_id=machine_id,
        days=days,
        error=error,
        emptyings=emptyings,
        totals={
            "expected": sum(e.expected_cents for e in emptyings),
            "counted": sum(e.counted_cents for e in emptyings),
            "difference": sum(e.difference_cents for e in emptyings),
        },
    )

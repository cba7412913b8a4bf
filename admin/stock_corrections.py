"""Corrections of booked stock: a delivery changed or cancelled, waste or a count undone.

Each is a reversing entry with a reason (kiosk.stock.corrections); nothing booked is edited.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from admin.blueprint import bp, get_or_404
from admin.fields import parse_euro, parse_quantity
from admin.forms import BackOfficeForm
from admin.stock import commit_or_flash
from admin.stock_fields import staff_member
from kiosk.decimal_text import milli_text
from kiosk.extensions import db
from kiosk.models import Delivery, Product, StockMove
from kiosk.models.types import utcnow
from kiosk.money import format_euro
from kiosk.stock.corrections import (
    MAX_REASON,
    CorrectedLine,
    cancel_delivery,
    correct_delivery,
    reverse_count,
    reverse_waste,
)
from kiosk.stock.history import get_delivery_goods, get_moves_booked_together


class CorrectionForm(BackOfficeForm):
    """Why a booking is corrected (required; kept on the reversing entry)."""

    reason = TextAreaField(
        _l("Reden van de correctie"),
        validators=[
            DataRequired(message=_l("Vul een reden in voor de correctie.")),
            Length(max=MAX_REASON, message=_l("Een reden heeft hoogstens 200 tekens.")),
        ],
    )


def line_defaults(goods: list[StockMove]) -> MultiDict[str, str]:
    """Fill the correction form with the lines as they were booked."""
    values: MultiDict[str, str] = MultiDict()
    for entry in goods:
        assert entry.lot is not None  # a delivered line always made a lot
        values[f"quantity-{entry.id}"] = milli_text(entry.quantity_milli, entry.lot.product.unit)
        price = entry.lot.purchase_price_cents
        values[f"price-{entry.id}"] = format_euro(price) if price is not None else ""
    return values


def read_lines(
    goods: list[StockMove], typed: MultiDict[str, str], errors: dict[str, str]
) -> list[CorrectedLine]:
    """Read each line's corrected quantity and price; wrong ones get a Dutch message."""
    lines = []
    for entry in goods:
        assert entry.lot is not None
        quantity, price = f"quantity-{entry.id}", f"price-{entry.id}"
        milli, cents = 0, None
        try:
            milli = parse_quantity(typed.get(quantity, ""), entry.lot.product.unit, allow_zero=True)
        except ValueError as error:
            errors[quantity] = str(error)
        try:
            text = typed.get(price, "").strip()
            cents = parse_euro(text) if text else None  # an unknown price stays unknown
        except ValueError as error:
            errors[price] = str(error)
        if quantity not in errors and price not in errors:
            lines.append(CorrectedLine(entry.id, milli, cents))
    return lines


@bp.route("/deliveries/<int:delivery_id>/correct", methods=["GET", "POST"])
def delivery_correct(delivery_id: int) -> ResponseReturnValue:
    """Correct a delivery's quantities and prices, or cancel it, with a reason."""
    delivery = get_or_404(Delivery, delivery_id)
    goods = get_delivery_goods(delivery.id)
    form = CorrectionForm()
    typed = MultiDict(request.form) if request.method == "POST" else line_defaults(goods)
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        reason, user, now = form.reason.data or "", staff_member(), utcnow()
        lines = [] if "cancel" in request.form else read_lines(goods, typed, errors)
        if not errors and commit_or_flash(
            (lambda: cancel_delivery(delivery.id, reason, user, now))
            if "cancel" in request.form
            else (lambda: correct_delivery(delivery.id, lines, reason, user, now))
        ):
            flash(_("De correctie is geboekt."), "success")
            return redirect(url_for("admin.delivery_show", delivery_id=delivery.id))
    return render_template(
        "admin/delivery_correct.html",
        form=form,
        delivery=delivery,
        goods=goods,
        typed=typed,
        errors=errors,
    )


def reverse_page(
    moves: list[StockMove], operation: Callable[[str], object], title: str, done: str
) -> ResponseReturnValue:
    """Ask why a waste entry or count is undone, undo it, and go to `done`."""
    if not moves:
        abort(404)
    form = CorrectionForm()
    if form.validate_on_submit() and commit_or_flash(lambda: operation(form.reason.data or "")):
        flash(_("De correctie is geboekt."), "success")
        return redirect(done)
    products = {entry.product_id: db.session.get_one(Product, entry.product_id) for entry in moves}
    return render_template(
        "admin/stock_reverse.html", form=form, moves=moves, products=products, title=title
    )


@bp.route("/stock/waste/<int:move_id>/reverse", methods=["GET", "POST"])
def waste_reverse(move_id: int) -> ResponseReturnValue:
    """Undo a waste entry: its goods come back, with the reason."""
    moves = get_moves_booked_together(move_id, "waste")
    return reverse_page(
        moves,
        lambda reason: reverse_waste(move_id, reason, staff_member(), utcnow()),
        _("Afboeking ongedaan maken"),
        url_for("admin.stock_ledger", product_id=moves[0].product_id) if moves else "",
    )


@bp.route("/stock-counts/results/<int:move_id>/reverse", methods=["GET", "POST"])
def stock_count_reverse(move_id: int) -> ResponseReturnValue:
    """Undo what a count booked, with the reason."""
    return reverse_page(
        get_moves_booked_together(move_id, "count"),
        lambda reason: reverse_count(move_id, reason, staff_member(), utcnow()),
        _("Telling terugdraaien"),
        url_for("admin.stock_count_result", move_id=move_id),
    )

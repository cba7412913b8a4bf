"""Stock levels, a product's ledger, waste, transfers and the printable morning lists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin.blueprint import bp, get_or_404
from admin.listing import list_page, read_search
from admin.stock_fields import chosen, staff_member
from admin.stock_forms import (
    WASTE_LABELS,
    MorningListForm,
    StockFilterForm,
    TransferForm,
    WasteForm,
)
from kiosk.customer_orders.queries import get_orders_to_prepare
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Category, Location, Product
from kiosk.models.types import utcnow
from kiosk.periods import business_day
from kiosk.stock.history import get_moves, get_reversed
from kiosk.stock.operations import book_waste, transfer
from kiosk.stock.overview import STOCK_SORTS, stock_overview
from kiosk.stock.queries import (
    StockLine,
    get_below_minimum,
    get_expiring,
    get_lots_on_hand,
    get_negative_stock,
    get_reserved,
    get_stock_levels,
    get_without_movement,
)
from kiosk.vending.queries import get_expiring_compartments

KIND_LABELS = {
    "delivery": _l("levering"),
    "sale": _l("verkoop"),
    "refund": _l("terugbetaling"),
    "waste": _l("afgeboekt"),
    "transfer": _l("verplaatsing"),
    "count": _l("telling"),
    "correction": _l("correctie"),
}


@bp.get("/stock")
def stock_levels() -> ResponseReturnValue:
    """Show what is on hand per product and place, a page at a time, with the lots."""
    form = StockFilterForm(request.args)
    form.validate()
    location = chosen(Location, form.location)
    category = chosen(Category, form.category)
    location_id = location.id if location else None
    query = stock_overview(read_search(), location_id, category.id if category else None)
    page = list_page(query, STOCK_SORTS, "name", Product.id)
    reserved = get_reserved({product.id for product, _place, _total in page.rows})
    lines = [
        StockLine(product, place, int(total), None, reserved.get((product.id, place.id), 0))
        for product, place, total in page.rows
    ]
    return render_template(
        "admin/stock_levels.html",
        form=form,
        page=page,
        lines=lines,
        search=read_search(),
        lots=get_lots_on_hand(location_id, product_ids=[line.product.id for line in lines]),
    )


@bp.get("/stock/products/<int:product_id>")
def stock_ledger(product_id: int) -> ResponseReturnValue:
    """Show a product's moves, newest first, and what it has on hand where."""
    product = get_or_404(Product, product_id)
    moves = get_moves(product.id)
    return render_template(
        "admin/stock_ledger.html",
        product=product,
        levels=get_stock_levels(product_id=product.id),
        moves=moves,
        reversed=get_reversed([entry.id for entry in moves]),
        kind_labels=KIND_LABELS,
        reason_labels={**WASTE_LABELS, "telling": KIND_LABELS["count"]},
    )


@bp.route("/stock/waste", methods=["GET", "POST"])
def waste_new() -> ResponseReturnValue:
    """Book goods thrown away or eaten."""
    form = WasteForm(request.form if request.method == "POST" else request.args)
    form.offer_lots()
    product, location = form.product_row(), chosen(Location, form.location)
    if "lots" in request.form:  # "Loten tonen": re-show the form with the product's lots
        return render_template("admin/waste_form.html", form=form)
    if form.validate_on_submit() and product and location and form.quantity_milli:
        quantity, lot, reason = form.quantity_milli, form.lot_row(), form.reason.data
        if commit_or_flash(
            lambda: book_waste(product, location, quantity, reason, staff_member(), utcnow(), lot)
        ):
            flash(_("De afboeking is bewaard."), "success")
            return redirect(url_for("admin.stock_ledger", product_id=product.id))
    return render_template("admin/waste_form.html", form=form)


@bp.route("/stock/transfers", methods=["GET", "POST"])
def transfer_new() -> ResponseReturnValue:
    """Move goods from one place to another."""
    form = TransferForm(request.form if request.method == "POST" else request.args)
    product = form.product_row()
    source, target = chosen(Location, form.source), chosen(Location, form.target)
    if form.validate_on_submit() and product and source and target and form.quantity_milli:
        quantity = form.quantity_milli
        if commit_or_flash(
            lambda: transfer(product, source, target, quantity, staff_member(), utcnow())
        ):
            flash(_("De verplaatsing is bewaard."), "success")
            return redirect(url_for("admin.stock_ledger", product_id=product.id))
    return render_template("admin/transfer_form.html", form=form)


def commit_or_flash(operation: Callable[[], object]) -> bool:
    """Run a stock (or order) operation and commit; on a refusal roll back and say why."""
    try:
        operation()
        db.session.commit()
    except OperationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return False
    return True


@bp.get("/stock/morning-list")
def morning_list() -> ResponseReturnValue:
    """Show the lists to work through each morning, ready to print."""
    form = MorningListForm(request.args)
    form.validate()
    days = form.days.data if form.days.data is not None and not form.days.errors else 3
    weeks = form.weeks.data if form.weeks.data is not None and not form.weeks.errors else 4
    now = utcnow()
    today = business_day(now)
    return render_template(
        "admin/morning_list.html",
        form=form,
        today=today,
        days=days,
        weeks=weeks,
        below_minimum=get_below_minimum(),
        negative=get_negative_stock(),
        expiring=get_expiring(today + timedelta(days=days), since=today),
        expired=get_expiring(today - timedelta(days=1)),
        quiet=get_without_movement(now - timedelta(weeks=weeks)),
        orders=get_orders_to_prepare(today),
        in_machines=get_expiring_compartments(today + timedelta(days=days)),
    )

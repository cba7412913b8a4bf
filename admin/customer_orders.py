"""Customers' orders in the back office: a day's list, take, change, cancel, hand over, the round.

Staff and managers see the customer's full name, phone, address and note; the till does not.
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from admin.blueprint import bp
from admin.cash import print_text_report
from admin.customer_invoices import qr_picture
from admin.customer_order_forms import (
    FULFILMENT_LABELS,
    PAYMENT_LABELS,
    CustomerOrderForm,
    show_order_refusal,
)
from admin.forms import ConfirmForm
from admin.listing import Sorts, list_page, read_day_arg, read_search
from admin.saving import save_form
from admin.stock import commit_or_flash
from admin.stock_fields import staff_member
from kiosk.customer_orders.delivery_round import collect_sentence, get_round, round_slip
from kiosk.customer_orders.operations import cancel_order, change_order, create_order
from kiosk.customer_orders.payments import confirm_qr_payment, hand_over_on_invoice
from kiosk.customer_orders.queries import (
    awaits_qr_payment,
    get_customer_order,
    order_total_cents,
    priced_lines,
)
from kiosk.models import CustomerOrder
from kiosk.models.customer_orders import CustomerOrderStatus
from kiosk.models.types import utcnow
from kiosk.periods import business_day

STATUS_LABELS = {
    CustomerOrderStatus.OPEN: _l("open"),
    CustomerOrderStatus.PREPARED: _l("klaargemaakt"),
    CustomerOrderStatus.PAID: _l("betaald"),
    CustomerOrderStatus.CANCELLED: _l("geannuleerd"),
}
ORDER_SORTS: Sorts = {
    "slot": [CustomerOrder.slot],
    "name": [CustomerOrder.customer_name],
    "status": [CustomerOrder.status],
    "created": [CustomerOrder.created_at],
}


@bp.context_processor
def customer_order_words() -> dict[str, object]:
    """Give the templates a customer's order's status, fulfilment and payment way in words."""
    return {
        "customer_order_status_labels": STATUS_LABELS,
        "fulfilment_labels": FULFILMENT_LABELS,
        "order_payment_labels": PAYMENT_LABELS,
        "order_lines": priced_lines,
        "order_total": order_total_cents,
        "collect_sentence": collect_sentence,
        "awaits_qr_payment": awaits_qr_payment,
    }


def order_or_404(order_id: int) -> CustomerOrder:
    """Return the customer's order, or answer 404."""
    return get_customer_order(order_id) or abort(404)


def chosen_day() -> date:
    """Return the day a list shows (`day`, default today)."""
    return read_day_arg("day") or business_day(utcnow())


@bp.get("/customer-orders")
def customer_order_list() -> ResponseReturnValue:
    """List a day's orders, searched by customer and sorted by slot, 50 a page."""
    day, search = chosen_day(), read_search()
    query = select(CustomerOrder).where(CustomerOrder.day == day)
    if search:
        query = query.where(
            or_(
                CustomerOrder.customer_name.icontains(search, autoescape=True),
                CustomerOrder.customer_phone.icontains(search, autoescape=True),
            )
        )
    page = list_page(query, ORDER_SORTS, "slot", CustomerOrder.id)
    return render_template("admin/customer_orders/list.html", page=page, day=day, search=search)


@bp.route("/customer-orders/new", methods=["GET", "POST"])
def customer_order_new() -> ResponseReturnValue:
    """Take a customer's order."""
    form = CustomerOrderForm()
    form.offer_choices()
    wanted = form.wanted() if form.validate_on_submit() else None
    if wanted is not None:
        order = save_form(
            form,
            lambda: create_order(
                form.chosen_point_of_sale(), wanted, utcnow(), user=staff_member()
            )[0],
            show=show_order_refusal,
        )
        if order is not None:
            flash(_("De bestelling is bewaard."), "success")
            return redirect(url_for("admin.customer_order_show", order_id=order.id))
    return render_template("admin/customer_orders/form.html", form=form, order=None)


@bp.route("/customer-orders/<int:order_id>/edit", methods=["GET", "POST"])
def customer_order_edit(order_id: int) -> ResponseReturnValue:
    """Change an open order."""
    order = order_or_404(order_id)
    form = CustomerOrderForm()
    if request.method == "GET":
        form.fill_from(order)
    form.offer_choices()
    wanted = form.wanted() if form.validate_on_submit() else None
    if wanted is not None and (
        save_form(
            form,
            lambda: change_order(order.id, wanted, utcnow(), form.chosen_point_of_sale()),
            show=show_order_refusal,
        )
        is not None
    ):
        flash(_("De bestelling is bewaard."), "success")
        return redirect(url_for("admin.customer_order_show", order_id=order.id))
    return render_template("admin/customer_orders/form.html", form=form, order=order)


@bp.get("/customer-orders/<int:order_id>")
def customer_order_show(order_id: int) -> ResponseReturnValue:
    """Show an order: customer, lines, status and, once paid, its sale."""
    order = order_or_404(order_id)
    return render_template("admin/customer_orders/show.html", order=order, confirm=ConfirmForm())


@bp.post("/customer-orders/<int:order_id>/cancel")
def customer_order_cancel(order_id: int) -> ResponseReturnValue:
    """Cancel an open or prepared order."""
    order = order_or_404(order_id)
    if ConfirmForm().validate_on_submit() and commit_or_flash(
        lambda: cancel_order(order.id, utcnow())
    ):
        flash(_("De bestelling is geannuleerd."), "success")
    return redirect(url_for("admin.customer_order_show", order_id=order_id))


@bp.post("/customer-orders/<int:order_id>/hand-over")
def customer_order_hand_over(order_id: int) -> ResponseReturnValue:
    """Record that an order paid on the monthly invoice was picked up or delivered."""
    order = order_or_404(order_id)
    if ConfirmForm().validate_on_submit() and commit_or_flash(
        lambda: hand_over_on_invoice(order.id, staff_member(), utcnow())
    ):
        flash(_("Meegegeven: de bestelling staat op de maandfactuur."), "success")
    return redirect(url_for("admin.customer_order_show", order_id=order_id))


@bp.get("/customer-orders/round")
def customer_order_round() -> ResponseReturnValue:
    """Show a day's delivery round as a slip to print: stops by slot, items, money to collect."""
    day = chosen_day()
    return render_template(
        "admin/customer_orders/round.html", day=day, stops=get_round(day), confirm=ConfirmForm()
    )


@bp.post("/customer-orders/round/print")
def customer_order_round_print() -> ResponseReturnValue:
    """Send the day's round to the receipt printer of its point of sale, as a slip."""
    day, now = chosen_day(), utcnow()
    stops = get_round(day)
    if not stops:
        flash(_("Geen leveringen op deze dag."), "error")
    elif ConfirmForm().validate_on_submit():
        print_text_report(
            stops[0].point_of_sale_id, lambda columns: round_slip(day, stops, columns, now)
        )
    return redirect(url_for("admin.customer_order_round", day=day.isoformat()))


@bp.get("/customer-orders/<int:order_id>/qr.png")
def customer_order_qr(order_id: int) -> ResponseReturnValue:
    """Answer the EPC QR code that pays an order: its amount, its number as the reference."""
    order = order_or_404(order_id)
    if not awaits_qr_payment(order):
        abort(404)
    return qr_picture(order_total_cents(order), order.number)


@bp.post("/customer-orders/<int:order_id>/qr-received")
def customer_order_qr_received(order_id: int) -> ResponseReturnValue:
    """Record that an order's QR transfer arrived: its sale, paid by QR, once."""
    order = order_or_404(order_id)
    if ConfirmForm().validate_on_submit() and commit_or_flash(
        lambda: confirm_qr_payment(order.id, staff_member(), utcnow())
    ):
        flash(_("Betaling ontvangen: de bestelling is betaald."), "success")
    return redirect(url_for("admin.customer_order_show", order_id=order_id))

"""Deliveries from producers: products, quantities, purchase prices, lots, best-before."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin.blueprint import bp, get_or_404
from admin.delivery_forms import DeliveryForm
from admin.einvoices import einvoice_delivery_draft
from admin.listing import list_page, read_id_arg, read_period, read_search
from admin.stock_fields import chosen, row_id, staff_member
from kiosk.catalog.overview import producer_names
from kiosk.database import get_row
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Delivery, Location, OrderStatus, Producer, PurchaseOrder
from kiosk.models.types import utcnow
from kiosk.orders.operations import receive_purchase_order
from kiosk.orders.queries import get_delivery_draft
from kiosk.periods import business_day
from kiosk.stock.history import get_correction, get_delivered_lots, summarise_deliveries
from kiosk.stock.operations import receive_delivery
from kiosk.stock.overview import DELIVERY_SORTS, DeliveryFilter, delivery_overview


@bp.get("/deliveries")
def delivery_list() -> ResponseReturnValue:
    """List the deliveries a page at a time, newest first: search, producer, days."""
    chosen = DeliveryFilter(read_search(), read_id_arg("producer"), *read_period())
    page = list_page(delivery_overview(chosen), DELIVERY_SORTS, "-time", Delivery.id)
    return render_template(
        "admin/delivery_list.html",
        page=page,
        chosen=chosen,
        deliveries=summarise_deliveries(page.rows),
        producers=db.session.execute(producer_names()),
    )


@bp.route("/deliveries/new", methods=["GET", "POST"])
def delivery_new() -> ResponseReturnValue:
    """Book a delivery: every row is checked, and nothing is stored unless all are right.

    `?producer=` and `?q=` narrow the product choices; `?purchase_order=` pre-fills the rows
    from that order's delivery draft lines, `?einvoice=` from an imported e-invoice's.
    "Regel toevoegen" and "Zoeken" re-show the form.
    """
    form = DeliveryForm(
        delivered_on=business_day(utcnow()).isoformat(),
        producer=request.args.get("producer", ""),
        q=request.args.get("q", ""),
    )
    form.offer_products()
    if request.method == "GET" and "purchase_order" in request.args:
        order = received_order(request.args["purchase_order"])
        if order is None:
            return redirect(url_for("admin.purchase_order_list"))
        form.fill_from_draft(get_delivery_draft(order))
    if request.method == "GET" and "einvoice" in request.args:
        draft = einvoice_delivery_draft()
        if draft is None:
            return redirect(url_for("admin.einvoice_match", token=request.args["einvoice"]))
        form.fill_from_draft(draft)
    if request.method == "POST" and "more" in request.form:
        form.add_row()
    elif request.method == "POST" and "filter" in request.form:
        pass  # the choices above already follow the posted producer and search
    elif form.validate_on_submit():
        delivery = book(form)
        if delivery is not None:
            flash(_("De levering is geboekt."), "success")
            return redirect(url_for("admin.delivery_show", delivery_id=delivery.id))
    order_id = row_id(form.purchase_order.data)
    order = get_row(PurchaseOrder, order_id) if order_id is not None else None
    return render_template("admin/delivery_form.html", form=form, purchase_order=order)


def received_order(text: str) -> PurchaseOrder | None:
    """Return a sent purchase order to receive; flash why not (None) otherwise."""
    order = get_row(PurchaseOrder, order_id) if (order_id := row_id(text)) is not None else None
    if order is None:
        flash(_("Deze bestelling bestaat niet."), "error")
    elif order.status != OrderStatus.SENT:
        flash(_("Alleen een verstuurde bestelling kan ontvangen worden."), "error")
        return None
    return order


def book(form: DeliveryForm) -> Delivery | None:
    """Store the delivery the form describes and commit; None (nothing stored) if refused."""
    location = chosen(Location, form.location)
    if location is None:
        form.location.errors.append(_("Kies een plaats."))
        return None
    producer = chosen(Producer, form.producer)
    lines = [entry.form.line for entry in form.lines if entry.form.line is not None]
    try:
        delivery = receive_delivery(
            producer.id if producer else None,
            location,
            lines,
            staff_member(),
            form.moment(),
            (form.note.data or "").strip() or None,
        )
        if (order_id := row_id(form.purchase_order.data)) is not None:
            order = get_row(PurchaseOrder, order_id)
            if order is None:
                raise OperationError(404, "not_found", _l("Deze bestelling bestaat niet."))
            receive_purchase_order(order, delivery, staff_member(), form.moment())
        db.session.commit()
    except OperationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return None
    return delivery


@bp.get("/deliveries/<int:delivery_id>")
def delivery_show(delivery_id: int) -> ResponseReturnValue:
    """Show a delivery with its lots."""
    delivery = get_or_404(Delivery, delivery_id)
    lines = get_delivered_lots(delivery.id)
    return render_template(
        "admin/delivery.html",
        delivery=delivery,
        lines=lines,
        total_cents=sum(line.purchase_cents for line in lines),
        correction=get_correction(delivery.id),
        correctable=any(line.quantity_milli > 0 for line in lines),
    )

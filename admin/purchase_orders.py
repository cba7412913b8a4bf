"""Orders to producers: suggestions, drafts, sending, cancelling, print, CSV and mail text."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from admin.blueprint import bp
from admin.downloads import file_stem, spreadsheet_download
from admin.forms import BackOfficeForm, ConfirmForm
from admin.purchase_order_forms import PurchaseOrderForm, sheet_data
from admin.stock import commit_or_flash
from admin.stock_fields import chosen, producer_choices, staff_member
from kiosk.models import OrderStatus, Producer, PurchaseOrder
from kiosk.models.types import utcnow
from kiosk.orders.documents import ORDER_COLUMNS, mail_text, order_rows
from kiosk.orders.operations import (
    cancel_purchase_order,
    change_draft,
    create_purchase_order,
    send_purchase_order,
)
from kiosk.orders.queries import get_purchase_order, get_purchase_orders
from kiosk.orders.suggestions import get_suggestions

STATUS_LABELS = {
    OrderStatus.DRAFT: _l("ontwerp"),
    OrderStatus.SENT: _l("verstuurd"),
    OrderStatus.RECEIVED: _l("ontvangen"),
    OrderStatus.CANCELLED: _l("geannuleerd"),
}


class ProducerChoiceForm(BackOfficeForm):
    """Which producer a new order is for (a GET form)."""

    class Meta:
        """A GET form: no CSRF token."""

        csrf = False

    producer = SelectField(_l("Producent"), choices=producer_choices)


@bp.context_processor
def order_words() -> dict[str, object]:
    """Give the templates the order states in words."""
    return {"order_status_labels": STATUS_LABELS}


def order_or_404(order_id: int) -> PurchaseOrder:
    """Return the purchase order with its lines, or answer 404."""
    return get_purchase_order(order_id) or abort(404)


@bp.get("/purchase-orders")
def purchase_order_list() -> ResponseReturnValue:
    """List the latest purchase orders, with a choice of producer to start a new one."""
    status = request.args.get("status", "")
    orders = get_purchase_orders(status if status in STATUS_LABELS else None)
    return render_template(
        "admin/purchase_orders/list.html", orders=orders, form=ProducerChoiceForm(request.args)
    )


@bp.route("/purchase-orders/new", methods=["GET", "POST"])
def purchase_order_new() -> ResponseReturnValue:
    """Show a producer's reorder suggestions as a sheet; saving it makes a draft order."""
    choice = ProducerChoiceForm(request.args)
    producer = chosen(Producer, choice.producer) if choice.validate() else None
    if producer is None:
        flash(_("Kies eerst een producent."), "error")
        return redirect(url_for("admin.purchase_order_list"))
    suggestions = get_suggestions(producer, utcnow())
    form = PurchaseOrderForm(data=sheet_data(suggestions))
    products = {suggestion.product.id: suggestion.product for suggestion in suggestions}
    if form.validate_on_submit() and form.read_lines(products):
        note = (form.note.data or "").strip() or None
        made: list[PurchaseOrder] = []
        if commit_or_flash(
            lambda: made.append(
                create_purchase_order(producer, form.ordered, staff_member(), utcnow(), note)
            )
        ):
            flash(
                _("Bestelling %(number)s is klaar als ontwerp.", number=made[0].number), "success"
            )
            return redirect(url_for("admin.purchase_order_show", order_id=made[0].id))
    return render_template(
        "admin/purchase_orders/sheet.html",
        form=form,
        producer=producer,
        suggestions=suggestions,
        order=None,
    )


@bp.route("/purchase-orders/<int:order_id>", methods=["GET", "POST"])
def purchase_order_show(order_id: int) -> ResponseReturnValue:
    """Show an order; a draft's quantities and prices can still be changed here."""
    order = order_or_404(order_id)
    suggestions = get_suggestions(order.producer, utcnow())
    form = PurchaseOrderForm(data=sheet_data(suggestions, order))
    products = {suggestion.product.id: suggestion.product for suggestion in suggestions}
    if form.validate_on_submit() and form.read_lines(products):
        note = (form.note.data or "").strip() or None
        if commit_or_flash(lambda: change_draft(order, form.ordered, note)):
            flash(_("De bestelling is bewaard."), "success")
            return redirect(url_for("admin.purchase_order_show", order_id=order.id))
    return render_template(
        "admin/purchase_orders/sheet.html",
        form=form,
        producer=order.producer,
        suggestions=suggestions,
        order=order,
        confirm=ConfirmForm(),
    )


@bp.post("/purchase-orders/<int:order_id>/send")
def purchase_order_send(order_id: int) -> ResponseReturnValue:
    """Mark a draft as sent to the producer."""
    order = order_or_404(order_id)
    if commit_or_flash(lambda: send_purchase_order(order, staff_member(), utcnow())):
        flash(_("Bestelling %(number)s staat op verstuurd.", number=order.number), "success")
    return redirect(url_for("admin.purchase_order_show", order_id=order.id))


@bp.post("/purchase-orders/<int:order_id>/cancel")
def purchase_order_cancel(order_id: int) -> ResponseReturnValue:
    """Cancel a draft or sent order."""
    order = order_or_404(order_id)
    if commit_or_flash(lambda: cancel_purchase_order(order, staff_member(), utcnow())):
        flash(_("Bestelling %(number)s is geannuleerd.", number=order.number), "success")
    return redirect(url_for("admin.purchase_order_show", order_id=order.id))


@bp.get("/purchase-orders/<int:order_id>/print")
def purchase_order_print(order_id: int) -> ResponseReturnValue:
    """Show the order as a page to print for the producer."""
    return render_template("admin/purchase_orders/print.html", order=order_or_404(order_id))


@bp.get("/purchase-orders/<int:order_id>/csv")
def purchase_order_csv(order_id: int) -> ResponseReturnValue:
    """Download the order's lines as a CSV file (Belgian spreadsheet defaults)."""
    order = order_or_404(order_id)
    stem = file_stem("bestelling", str(order.number), order.producer.name)
    return spreadsheet_download(ORDER_COLUMNS, list(order_rows(order)), "csv", stem)


@bp.get("/purchase-orders/<int:order_id>/mail")
def purchase_order_mail(order_id: int) -> ResponseReturnValue:
    """Show the order as a mail text to copy into the shop's own mail program."""
    order = order_or_404(order_id)
    return render_template("admin/purchase_orders/mail.html", order=order, text=mail_text(order))

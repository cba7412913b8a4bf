"""The monthly invoices of customers' orders: per association and month, numbered, printable.

Staff make an association's invoice from the month's handed-over orders; once made it never
changes (kiosk.customer_orders.invoices); staff mark it paid when the transfer arrives.
"""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from admin.blueprint import bp
from admin.forms import ConfirmForm
from admin.stock import commit_or_flash
from admin.stock_fields import staff_member
from kiosk.customer_orders.invoices import (
    get_invoice,
    get_invoices_of_month,
    invoice_lines,
    invoice_vat,
    make_invoice,
    mark_invoice_paid,
    orders_by_association,
)
from kiosk.customer_orders.queries import get_orders_to_invoice, order_total_cents
from kiosk.errors import OperationError
from kiosk.models import CustomerInvoice
from kiosk.models.types import utcnow
from kiosk.periods import business_day
from kiosk.sales.qr_payment import qr_payment_png


def chosen_month() -> date:
    """Return the first day of the month asked for (`month=2026-12`, default this month)."""
    month = request.args.get("month", "")
    try:
        return date.fromisoformat(f"{month}-01") if len(month) == 7 else this_month()
    except ValueError:
        return this_month()


def this_month() -> date:
    """Return the first day of this month (Brussels)."""
    return business_day(utcnow()).replace(day=1)


def invoice_or_404(invoice_id: int) -> CustomerInvoice:
    """Return the invoice, or answer 404."""
    return get_invoice(invoice_id) or abort(404)


@bp.get("/customer-orders/invoice")
def customer_order_invoice() -> ResponseReturnValue:
    """List a month's orders on the monthly invoice per association, and its invoices."""
    first = chosen_month()
    orders = get_orders_to_invoice(first)
    return render_template(
        "admin/customer_orders/invoice.html",
        first=first,
        orders=orders,
        total=sum(order_total_cents(order) for order in orders),
        to_invoice=orders_by_association(first),
        invoices=get_invoices_of_month(first),
        confirm=ConfirmForm(),
    )


@bp.post("/customer-orders/invoice")
def customer_invoice_new() -> ResponseReturnValue:
    """Make an association's invoice of the month (`month`, form field `association`)."""
    first = chosen_month()
    association = request.form.get("association", "")
    made: list[CustomerInvoice] = []
    if ConfirmForm().validate_on_submit() and commit_or_flash(
        lambda: made.append(make_invoice(first, association, staff_member(), utcnow()))
    ):
        flash(_("Factuur %(number)s is gemaakt.", number=made[0].number), "success")
        return redirect(url_for("admin.customer_invoice_show", invoice_id=made[0].id))
    return redirect(url_for("admin.customer_order_invoice", month=first.strftime("%Y-%m")))


@bp.get("/customer-orders/invoices/<int:invoice_id>")
def customer_invoice_show(invoice_id: int) -> ResponseReturnValue:
    """Show an invoice as the document to print or send."""
    invoice = invoice_or_404(invoice_id)
    return render_template(
        "admin/customer_orders/invoice_document.html",
        invoice=invoice,
        lines=invoice_lines(invoice),
        vat=invoice_vat(invoice),
        confirm=ConfirmForm(),
    )


@bp.get("/customer-orders/invoices/<int:invoice_id>/qr.png")
def customer_invoice_qr(invoice_id: int) -> ResponseReturnValue:
    """Answer the EPC QR code that pays an invoice: its total, its number as the reference."""
    invoice = invoice_or_404(invoice_id)
    return qr_picture(invoice.total_cents, invoice.number)


def qr_picture(amount_cents: int, reference: str) -> Response:
    """Answer the PNG of a QR payment (kiosk.sales.qr_payment); 404 when none can be made."""
    try:
        png = qr_payment_png(amount_cents, reference, scale=6)
    except OperationError:
        abort(404)  # no IBAN, or nothing to pay: the page says so instead of showing a code
    return Response(png, mimetype="image/png", headers={"Cache-Control": "no-store"})


@bp.post("/customer-orders/invoices/<int:invoice_id>/paid")
def customer_invoice_paid(invoice_id: int) -> ResponseReturnValue:
    """Record that the invoice's transfer arrived."""
    invoice = invoice_or_404(invoice_id)
    if ConfirmForm().validate_on_submit() and commit_or_flash(
        lambda: mark_invoice_paid(invoice.id, staff_member(), utcnow())
    ):
        flash(_("De factuur is betaald."), "success")
    return redirect(url_for("admin.customer_invoice_show", invoice_id=invoice_id))

"""Recent sales, each with its receipt as the customer got it, and a reprint (DUPLICAAT)."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from admin.blueprint import bp, get_or_404
from admin.forms import ConfirmForm
from admin.listing import list_page, read_id_arg, read_period, read_search
from kiosk.catalog.overview import point_of_sale_names
from kiosk.extensions import db
from kiosk.models import Sale
from kiosk.models.types import utcnow
from kiosk.printing.queue import enqueue_receipt, receipt_printers
from kiosk.printing.worker import notify_print_worker
from kiosk.sales.overview import SALE_SORTS, SaleFilter, sales_overview
from kiosk.sales.receipts import build_receipt
from printers import paper_format, preview_receipt
from printers.preview import PREVIEW_CSS


@bp.get("/sales")
def sale_list() -> ResponseReturnValue:
    """List the sales a page at a time, newest first: search, point of sale, days, sort."""
    chosen = SaleFilter(read_search(), read_id_arg("point_of_sale"), *read_period())
    page = list_page(sales_overview(chosen), SALE_SORTS, "-time", Sale.id)
    return render_template(
        "admin/sales.html",
        page=page,
        chosen=chosen,
        points_of_sale=db.session.execute(point_of_sale_names()),
    )


@bp.get("/sales/<int:sale_id>")
def sale_show(sale_id: int) -> ResponseReturnValue:
    """Show a sale's receipt as it prints (a preview without a printer)."""
    sale = get_or_404(Sale, sale_id)
    printers = receipt_printers(sale.point_of_sale_id)
    paper = (
        paper_format(printers[0].profile, printers[0].paper_width_mm)
        if printers
        else paper_format("TM-T20II", 80)
    )
    preview = Markup(preview_receipt(build_receipt(sale), paper))
    refunds = db.session.scalars(select(Sale).where(Sale.refund_of_id == sale.id).order_by(Sale.id))
    return render_template(
        "admin/sale.html",
        sale=sale,
        refunds=list(refunds),
        preview=preview,
        confirm=ConfirmForm(),
        can_reprint=bool(printers),
    )


@bp.get("/receipt-preview.css")
def receipt_preview_css() -> ResponseReturnValue:
    """Serve the preview's style from the printers library that draws it."""
    return Response(PREVIEW_CSS, mimetype="text/css")


@bp.post("/sales/<int:sale_id>/reprint")
def sale_reprint(sale_id: int) -> ResponseReturnValue:
    """Print the receipt again, marked DUPLICAAT."""
    sale = get_or_404(Sale, sale_id)
    if ConfirmForm().validate_on_submit():
        jobs = enqueue_receipt(sale, utcnow(), duplicate=True)
        db.session.commit()
        notify_print_worker()
        if jobs:
            flash(_("Het duplicaat staat in de wachtrij."), "success")
        else:
            flash(_("Dit verkooppunt heeft geen bonprinter."), "error")
    return redirect(url_for("admin.sale_show", sale_id=sale.id))

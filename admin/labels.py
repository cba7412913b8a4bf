"""Barcodes and labels: A4 sticker sheets and single labels on the receipt printer."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from admin.blueprint import bp, get_or_404
from admin.label_forms import (
    LabelForm,
    LabelPrintForm,
    SheetForm,
    layout_choice,
    order_labels,
    parse_sheet_order,
    sheet_query,
)
from kiosk.catalog.label_sheets import place_labels
from kiosk.catalog.labels import (
    barcode_png,
    barcode_svg,
    label_problem,
    parse_weight,
    product_label,
    weight_label,
)
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.identifiers import is_valid_ean13
from kiosk.models import Lot, Printer, Product
from kiosk.models.types import Unit, utcnow
from kiosk.periods import business_day
from kiosk.printing.queue import enqueue_labels
from kiosk.printing.worker import notify_print_worker
from kiosk.stock.queries import get_lots_on_hand
from printers.labels import Label, label_texts

#: the single-label preview is drawn at full EAN-13 size (100 %)
PREVIEW_MODULE_MM = 0.33
PREVIEW_BAR_MM = 18.0

AnyLabelForm = TypeVar("AnyLabelForm", bound=LabelForm)


@bp.route("/labels", methods=["GET", "POST"])
def label_list() -> ResponseReturnValue:
    """Choose products, counts and a sheet layout for a page of A4 stickers."""
    products = db.session.scalars(
        select(Product).where(Product.active.is_(True)).order_by(Product.name, Product.id)
    ).all()
    printable = [p for p in products if p.barcode and is_valid_ean13(p.barcode)]
    form = SheetForm.for_products(printable)
    if form.validate_on_submit():
        return redirect(url_for("admin.label_sheet", **sheet_query(form)))
    return render_template(
        "admin/labels.html",
        form=form,
        printable=printable,
        skipped=[product for product in products if product not in printable],
    )


@bp.get("/labels/sheet")
def label_sheet() -> ResponseReturnValue:
    """Show a printable A4 page of stickers, placed to the millimetre."""
    try:
        order = parse_sheet_order(request.args)
        labels = order_labels(order)
    except OperationError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.label_list"))
    layout = order.layout
    svgs = {
        code: Markup(
            barcode_svg(
                code,
                module_width_mm=float(layout.module_width_mm),
                bar_height_mm=float(layout.bar_height_mm),
            )
        )
        for code in {label.ean13 for label in labels}
    }
    return render_template(
        "admin/label_sheet.html",
        layout=layout,
        layout_name=layout_choice(layout).label,
        sheets=place_labels(labels, layout, skip=order.start - 1),
        count=len(labels),
        svgs=svgs,
        texts=label_texts,
    )


@bp.get("/labels/products/<int:product_id>")
def product_label_show(product_id: int) -> ResponseReturnValue:
    """Show one product's label; a weighed product's once its weight is given."""
    product = get_or_404(Product, product_id)
    form = label_form(LabelForm, product, formdata=request.args, meta={"csrf": False})
    label = None
    if (request.args or product.unit != Unit.KG) and form.validate():
        label = build_label(product, form)
    print_form = label_form(LabelPrintForm, product, formdata=None, data=form.data)
    return label_page(product, form, print_form, label)


@bp.post("/labels/products/<int:product_id>/print")
def product_label_print(product_id: int) -> ResponseReturnValue:
    """Queue copies of a product's label on a receipt printer."""
    product = get_or_404(Product, product_id)
    form = label_form(LabelPrintForm, product)
    form.fill_choices()
    valid = form.validate_on_submit()
    label_fields = [form[name] for name in ("weight", "best_before") if name in form]
    label = None if any(field.errors for field in label_fields) else build_label(product, form)
    if valid and label is not None and queue_labels(product, label, form):
        return redirect(url_for("admin.product_label_show", product_id=product.id, **shown(form)))
    shown_form = label_form(LabelForm, product, formdata=None, data=form.data, meta={"csrf": False})
    for field in label_fields:
        shown_form[field.name].errors = field.errors
    return label_page(product, shown_form, form, label)


@bp.get("/labels/ean13/<code>.png")
def label_barcode_png(code: str) -> ResponseReturnValue:
    """Draw an EAN-13 as a PNG image at full size, to download or preview."""
    if not is_valid_ean13(code):
        abort(404)
    response = Response(barcode_png(code), mimetype="image/png")
    response.headers["Content-Disposition"] = f'inline; filename="ean13-{code}.png"'
    return response


def label_form(form_class: type[AnyLabelForm], product: Product, **kwargs: Any) -> AnyLabelForm:
    """Make a label form; only a weighed product's has a weight."""
    form = form_class(**kwargs)
    if product.unit != Unit.KG:
        del form.weight
    return form


def queue_labels(product: Product, label: Label, form: LabelPrintForm) -> bool:
    """Queue the copies on the chosen printer and say so; put a refusal on the form."""
    printer = get_or_404(Printer, form.printer.data)
    try:
        enqueue_labels(printer, label, form.copies.data, utcnow(), product_id=product.id)
        db.session.commit()
    except OperationError as error:
        db.session.rollback()
        field = form.copies if error.code == "invalid_copies" else form.printer
        field.errors = [*field.errors, error.message]
        return False
    notify_print_worker()
    message = _("De etiketten staan in de wachtrij van %(printer)s.", printer=printer.name)
    flash(message, "success")
    return True


def build_label(product: Product, form: LabelForm) -> Label | None:
    """Make the product's label from the form's valid values; put a refusal on the form."""
    best_before = form.best_before.data
    field = form.weight if "weight" in form else form.best_before
    try:
        if product.unit == Unit.KG:
            return weight_label(product, parse_weight(form.weight.data or ""), best_before)
        return product_label(product, best_before)
    except OperationError as error:
        field.errors = [*field.errors, error.message]
        return None


def shown(form: LabelForm) -> dict[str, Any]:
    """Return the query that shows the label this form describes again."""
    query: dict[str, Any] = {}
    if "weight" in form:
        query["weight"] = form.weight.data
    if form.best_before.data:
        query["best_before"] = form.best_before.data.isoformat()
    return query


def label_page(
    product: Product, form: LabelForm, print_form: LabelPrintForm, label: Label | None
) -> ResponseReturnValue:
    """Render a product's label page: the label form, the label and the print form."""
    print_form.fill_choices()
    svg = None
    if label is not None:
        svg = Markup(
            barcode_svg(
                label.ean13, module_width_mm=PREVIEW_MODULE_MM, bar_height_mm=PREVIEW_BAR_MM
            )
        )
    return render_template(
        "admin/label_product.html",
        product=product,
        problem=label_problem(product),
        form=form,
        print_form=print_form,
        label=label,
        texts=label_texts(label) if label else None,
        svg=svg,
        lots=lots_to_label(product),
        weight=form.weight.data if "weight" in form else None,
    )


def lots_to_label(product: Product) -> list[Lot]:
    """Return the product's lots in stock whose best-before is still to come, first expiry first."""
    today = business_day(utcnow())
    lots: dict[int, Lot] = {}
    for entries in get_lots_on_hand(product_id=product.id).values():
        for entry in entries:
            lot = entry.lot
            if lot and lot.best_before and lot.best_before >= today and entry.quantity_milli > 0:
                lots[lot.id] = lot
    return sorted(lots.values(), key=lambda lot: (lot.best_before, lot.id))

"""E-invoices in: a producer's Peppol invoice read into the delivery form's draft lines."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from admin.blueprint import bp
from admin.forms import BackOfficeForm
from admin.stock_fields import staff_member
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.stock.delivery_drafts import DeliveryDraft
from kiosk.stock.einvoice_drafts import (
    ImportedInvoice,
    einvoice_draft,
    import_einvoice,
    keep_einvoice,
    kept_einvoice,
    order_differences,
    record_einvoice_import,
    remember_item_codes,
    unit_mismatches,
)
from kiosk.stock.einvoices import MAX_BYTES


class EInvoiceForm(BackOfficeForm):
    """A producer's e-invoice file (UBL XML) to read."""

    invoice = FileField(
        _l("E-factuur (UBL XML, Peppol)"),
        validators=[FileRequired(_l("Kies een bestand."))],
        render_kw={"accept": ".xml,application/xml,text/xml"},
    )


class MatchForm(BackOfficeForm):
    """The matching page's products chosen per line (read from `line-N`), with CSRF."""


@bp.route("/deliveries/einvoice", methods=["GET", "POST"])
def einvoice_upload() -> ResponseReturnValue:
    """Read an e-invoice; nothing is kept unless it is an invoice of a known producer."""
    form = EInvoiceForm()
    if form.validate_on_submit():
        with form.invoice.data.stream as stream:  # a large upload is a temporary file
            content = stream.read(MAX_BYTES + 1)
        try:
            imported = import_einvoice(content)
            record_einvoice_import(imported, staff_member())
            token = keep_einvoice(content)
            db.session.commit()
        except OperationError as error:
            db.session.rollback()
            form.invoice.errors = [*form.invoice.errors, error.message]
            return render_template("admin/einvoice_upload.html", form=form), error.status
        return redirect(url_for("admin.einvoice_match", token=token))
    return render_template("admin/einvoice_upload.html", form=form)


@bp.route("/deliveries/einvoice/<token>", methods=["GET", "POST"])
def einvoice_match(token: str) -> ResponseReturnValue:
    """Show the invoice's lines, choose a product for the unmatched ones, then fill the form."""
    form = MatchForm()
    imported = imported_invoice(token, chosen_products(request.form))
    if form.validate_on_submit():
        if not imported.unmatched:
            remember_item_codes(imported)
            db.session.commit()
            choices: dict[str, Any] = {
                f"line-{m.line.position}": m.product.id for m in imported.matches if m.product
            }
            return redirect(url_for("admin.delivery_new", einvoice=token, **choices))
        flash(_("Kies een product voor elke regel."), "error")
    return render_template(
        "admin/einvoice_match.html",
        form=form,
        imported=imported,
        differences=order_differences(imported),
        mismatches=unit_mismatches(imported),
        products=sorted(
            (p for p in imported.producer_products if p.active), key=lambda p: p.name.lower()
        ),
    )


def chosen_products(values: dict[str, str]) -> dict[int, int]:
    """Return the products chosen per invoice line from `line-N` fields (N: the line's place)."""
    chosen = {}
    for name, value in values.items():
        position, product_id = name.removeprefix("line-"), value.strip()
        if name.startswith("line-") and position.isdigit() and product_id.isdigit():
            chosen[int(position)] = int(product_id)
    return chosen


def imported_invoice(token: str, chosen: dict[int, int]) -> ImportedInvoice:
    """Return a kept e-invoice read and matched again; 404 when the token keeps none."""
    content = kept_einvoice(token)
    if content is None:
        abort(404)
    try:
        return import_einvoice(content, chosen)
    except OperationError:
        abort(404)  # its producer's VAT number was changed since the upload


def einvoice_delivery_draft() -> DeliveryDraft | None:
    """Return the draft of `?einvoice=` with its `line-N` choices; flash why not (None)."""
    imported = imported_invoice(request.args["einvoice"], chosen_products(request.args))
    if imported.unmatched:
        flash(_("Kies eerst een product voor elke regel van de e-factuur."), "error")
        return None
    return einvoice_draft(imported)

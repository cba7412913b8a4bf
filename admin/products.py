"""Products: list, create, edit, deactivate; pictogram picker and photo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from admin.blueprint import bp, get_or_404
from admin.catalog_fields import wants_pictogram_search
from admin.forms import ConfirmForm
from admin.listing import page_rows, query_url, read_list_request, read_search
from admin.product_form import (
    PREPARATION_LABELS,
    UNIT_LABELS,
    VAT_CLASS_LABELS,
    ProductForm,
    product_form_data,
)
from admin.saving import save_form
from admin.saving import show_refusal as show_form_refusal
from admin.valuation import percent_text
from kiosk.catalog.operations import (
    CatalogError,
    add_product,
    set_product_active,
    update_product,
    version_conflict_message,
)
from kiosk.catalog.overview import (
    PRODUCT_SORTS,
    ProductFilter,
    count_products,
    point_of_sale_names,
    producer_names,
    product_figures,
    product_overview,
)
from kiosk.catalog.pictograms import pictogram_label, search_pictograms
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Category, Product
from kiosk.models.types import utcnow
from kiosk.periods import business_day
from kiosk.photos import save_photo


@bp.get("/products")
def product_list() -> ResponseReturnValue:
    """List the products a page at a time: search, filters, sort; stock, cost, margin, last sale."""
    chosen = product_filter()
    wanted = read_list_request(PRODUCT_SORTS, "name")
    query = product_overview(chosen, wanted.sort)
    page = page_rows(query, wanted, PRODUCT_SORTS, Product.id, count=count_products(chosen))
    return render_template(
        "admin/products.html",
        page=page,
        figures=product_figures(page.rows, business_day(utcnow())),
        categories=db.session.execute(
            select(Category.id, Category.name).order_by(Category.position, Category.name)
        ),
        producers=db.session.execute(producer_names()),
        points_of_sale=db.session.execute(point_of_sale_names()),
        chosen=chosen,
        unit_labels=UNIT_LABELS,
        vat_class_labels=VAT_CLASS_LABELS,
        confirm=ConfirmForm(),
        percent_text=percent_text,
        bulk_url=query_url("admin.product_bulk", by="filter", page=None, sort=None),
    )


def product_filter() -> ProductFilter:
    """Read the products list's search and filters from the query string."""
    return ProductFilter(
        search=read_search(),
        category=request.args.get("category", ""),
        producer=request.args.get("producer", ""),
        point_of_sale=request.args.get("point_of_sale", ""),
        active=request.args.get("active", "yes"),
    )


@bp.route("/products/new", methods=["GET", "POST"])
def product_new() -> ResponseReturnValue:
    """Add a product."""
    form = ProductForm()
    form.fill_choices()
    if not wants_pictogram_search() and form.validate_on_submit():
        product = save_product(form, None)
        if product is not None:
            flash(_("%(name)s is toegevoegd.", name=product.name), "success")
            flash_made_barcode(form, product)
            return redirect(url_for("admin.product_list"))
    return render_product_form(form, None)


@bp.route("/products/<int:product_id>", methods=["GET", "POST"])
def product_edit(product_id: int) -> ResponseReturnValue:
    """Change a product; refuse to save over someone else's newer change."""
    product = get_or_404(Product, product_id)
    # a post brings every field itself: nothing stored fills in what it left out
    form = ProductForm(data=None if request.method == "POST" else product_form_data(product))
    form.fill_choices()
    saved = (
        not wants_pictogram_search() and form.validate_on_submit() and save_product(form, product)
    )
    if saved:
        flash(_("%(name)s is bewaard.", name=product.name), "success")
        flash_made_barcode(form, product)
        return redirect(url_for("admin.product_list"))
    return render_product_form(form, product)


def flash_made_barcode(form: ProductForm, product: Product) -> None:
    """Tell which barcode the shop's own numbering gave the product."""
    if form.make_barcode.data and product.barcode:
        flash(
            _(
                "Eigen streepjescode van %(name)s: %(code)s",
                name=product.name,
                code=product.barcode,
            ),
            "success",
        )


@bp.post("/products/<int:product_id>/deactivate")
def product_deactivate(product_id: int) -> ResponseReturnValue:
    """Take a product off the tills; its sales keep referring to it."""
    return change_active(product_id, False)


@bp.post("/products/<int:product_id>/reactivate")
def product_reactivate(product_id: int) -> ResponseReturnValue:
    """Put a deactivated product back on the tills."""
    return change_active(product_id, True)


def change_active(product_id: int, active: bool) -> ResponseReturnValue:
    """Switch a product on or off and go back to the list."""
    product = get_or_404(Product, product_id)
    if ConfirmForm().validate_on_submit():
        set_product_active(product, active)
        db.session.commit()
        if active:
            flash(_("%(name)s staat weer op de kassa's.", name=product.name), "success")
        else:
            flash(
                _("%(name)s is uitgezet: de kassa's tonen het niet meer.", name=product.name),
                "success",
            )
    if request.form.get("back") == "edit":
        return redirect(url_for("admin.product_edit", product_id=product.id))
    return redirect(url_for("admin.product_list"))


def save_product(form: ProductForm, product: Product | None) -> Product | None:
    """Add or change the product the form describes and commit; None when it was refused."""
    if form.needs_price_confirmation(product):
        return None

    def store() -> Product:
        details = form.details(product_photo(form, product))
        if product is None:
            return add_product(details, make_barcode=form.make_barcode.data)
        update_product(
            product,
            details,
            seen_version=int(form.version.data or 0),
            make_barcode=form.make_barcode.data,
        )
        return product

    return save_form(form, store, conflict=conflict_error, show=show_refusal)


def conflict_error(error: Exception) -> CatalogError:
    """Explain a change the database refused because someone else was quicker."""
    if isinstance(error, StaleDataError):
        return CatalogError(409, "version_conflict", version_conflict_message())
    message = _("Deze streepjescode hoort intussen bij een ander product.")
    return CatalogError(409, "barcode_taken", message, "barcode")


def show_refusal(form: ProductForm, error: OperationError, field: str | None = None) -> None:
    """Put a refusal next to its field (a photo's by the photo), or above the form."""
    show_form_refusal(form, error, "photo" if error.code.startswith("photo") else field)
    form.conflict = error.code == "version_conflict"


def product_photo(form: ProductForm, product: Product | None) -> str | None:
    """Return the product's photo after this form: a new upload, none, or the one it had."""
    upload = form.photo.data
    if upload and getattr(upload, "filename", ""):
        folder = Path(current_app.instance_path) / "media"
        return save_photo(upload.stream, folder, current_app.config["PHOTO_MAX_BYTES"])
    if form.remove_photo.data or product is None:
        return None
    return product.photo


def render_product_form(form: ProductForm, product: Product | None) -> ResponseReturnValue:
    """Show the product form with the pictogram picker's results and any conflict."""
    query = (form.pictogram_query.data or "").strip()
    context: dict[str, Any] = {
        "form": form,
        "product": product,
        "pictograms": search_pictograms(query or form.name.data or "", limit=48 if query else 12),
        "pictogram_query": query,
        "language": str(get_locale() or "nl"),
        "pictogram_label": pictogram_label,
        "confirm": ConfirmForm(),
        "conflict": form.conflict,
        "vat_class_labels": VAT_CLASS_LABELS,
        "unit_labels": UNIT_LABELS,
        "preparation_labels": PREPARATION_LABELS,
    }
    if form.conflict and product is not None:
        db.session.refresh(product)  # show what is stored now, and save over it only on purpose
        form.version.data = str(product.version)
    return render_template("admin/product_form.html", **context)

"""Products: list, create, edit, deactivate; pictogram picker and photo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from admin.blueprint import bp, get_or_404
from admin.catalog_fields import wants_pictogram_search
from admin.forms import ConfirmForm
from admin.product_form import (
    PREPARATION_LABELS,
    UNIT_LABELS,
    VAT_CLASS_LABELS,
    ProductForm,
    product_form_data,
)
from admin.saving import save_form
from admin.saving import show_refusal as show_form_refusal
from kiosk.catalog.operations import (
    CatalogError,
    add_product,
    set_product_active,
    update_product,
    version_conflict_message,
)
from kiosk.catalog.pictograms import pictogram_label, search_pictograms
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Category, Product
from kiosk.photos import save_photo

LIST_LIMIT = 500


@bp.get("/products")
def product_list() -> ResponseReturnValue:
    """List the products: search by name, filter by category and active."""
    search = request.args.get("q", "").strip()[:80]
    category = request.args.get("category", "")
    active = request.args.get("active", "yes")
    products = db.session.scalars(filtered_products(search, category, active).limit(LIST_LIMIT))
    categories = db.session.scalars(select(Category).order_by(Category.position, Category.name))
    return render_template(
        "admin/products.html",
        products=products.all(),
        categories=categories.all(),
        search=search,
        category=category,
        active=active,
        limit=LIST_LIMIT,
        unit_labels=UNIT_LABELS,
        vat_class_labels=VAT_CLASS_LABELS,
        confirm=ConfirmForm(),
    )


def filtered_products(search: str, category: str, active: str) -> Select[Product]:
    """Return the query for the products the list's filters let through, by name."""
    query = (
        select(Product)
        .options(selectinload(Product.category), selectinload(Product.producer))
        .order_by(Product.name)
    )
    if search:
        query = query.where(Product.name.icontains(search, autoescape=True))
    if category == "none":
        query = query.where(Product.category_id.is_(None))
    elif category.isdigit() and len(category) < 10:
        query = query.where(Product.category_id == int(category))
    if active in ("yes", "no"):
        query = query.where(Product.active.is_(active == "yes"))
    return query


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

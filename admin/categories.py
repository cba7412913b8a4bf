"""Categories: the big tiles that group products on the till."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from wtforms import StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from admin.blueprint import bp, get_or_404
from admin.catalog_fields import PictogramMixin, wants_pictogram_search
from admin.fields import WholeNumberField
from admin.forms import BackOfficeForm
from admin.saving import save_form
from kiosk.catalog.operations import CatalogError, save_category
from kiosk.catalog.pictograms import pictogram_label, search_pictograms
from kiosk.extensions import db
from kiosk.models import Category, Product


class CategoryForm(PictogramMixin, BackOfficeForm):
    """A category's name, pictogram and place on the till."""

    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=60)])
    position = WholeNumberField(
        _l("Plaats op de kassa (kleinste eerst)"),
        default=0,
        validators=[
            InputRequired(_l("Geef een plaats, bv. 3.")),
            NumberRange(0, 9999, _l("Geef een plaats van 0 tot 9999.")),
        ],
        render_kw={"inputmode": "numeric"},
    )


@bp.get("/categories")
def category_list() -> ResponseReturnValue:
    """List the categories in till order, with how many products each has."""
    counts = dict(
        db.session.execute(
            select(Product.category_id, func.count(Product.id)).group_by(Product.category_id)
        ).all()
    )
    categories = db.session.scalars(select(Category).order_by(Category.position, Category.name))
    return render_template("admin/categories.html", categories=categories.all(), counts=counts)


@bp.route("/categories/new", methods=["GET", "POST"])
def category_new() -> ResponseReturnValue:
    """Add a category."""
    form = CategoryForm()
    if not wants_pictogram_search() and form.validate_on_submit() and save(form, None):
        flash(_("Categorie %(name)s is toegevoegd.", name=form.name.data.strip()), "success")
        return redirect(url_for("admin.category_list"))
    return render_category_form(form, None)


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
def category_edit(category_id: int) -> ResponseReturnValue:
    """Change a category's name, pictogram or place."""
    category = get_or_404(Category, category_id)
    form = CategoryForm(obj=None if request.method == "POST" else category)
    if not wants_pictogram_search() and form.validate_on_submit() and save(form, category):
        flash(_("Categorie %(name)s is bewaard.", name=category.name), "success")
        return redirect(url_for("admin.category_list"))
    return render_category_form(form, category)


def save(form: CategoryForm, category: Category | None) -> Category | None:
    """Store the category the form describes; put a refusal next to its field."""
    return save_form(
        form,
        lambda: save_category(
            category,
            form.name.data,
            pictogram=form.pictogram.data,
            position=form.position.data or 0,
        ),
        field="name",
        # someone added the same name a moment ago
        conflict=lambda _clash: CatalogError(
            409, "name_taken", _("Er is al een categorie %(name)s.", name=form.name.data.strip())
        ),
    )


def render_category_form(form: CategoryForm, category: Category | None) -> ResponseReturnValue:
    """Show the category form with the pictogram picker."""
    query = (form.pictogram_query.data or "").strip()
    return render_template(
        "admin/category_form.html",
        form=form,
        category=category,
        pictograms=search_pictograms(query or form.name.data or "", limit=48 if query else 12),
        pictogram_query=query,
        pictogram_label=pictogram_label,
        language=str(get_locale() or "nl"),
    )

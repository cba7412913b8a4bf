"""Stock counts on a tablet: count a location's products, book the differences as corrections."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import SelectField
from wtforms.validators import DataRequired

from admin.blueprint import bp, get_or_404
from admin.fields import parse_quantity
from admin.forms import BackOfficeForm
from admin.stock_fields import (
    category_choices,
    chosen,
    location_choices,
    staff_member,
)
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Category, Location, Product, StockMove
from kiosk.models.types import utcnow
from kiosk.stock.history import get_count_differences, get_count_moves, get_reversed
from kiosk.stock.operations import record_count
from kiosk.stock.queries import get_products_to_count


class CountStartForm(BackOfficeForm):
    """Where to count, and optionally only one category (a GET form)."""

    class Meta:
        """A GET form: no CSRF token."""

        csrf = False

    location = SelectField(
        _l("Plaats"),
        choices=lambda: location_choices(_l("Kies een plaats")),
        validators=[DataRequired(message=_l("Kies een plaats."))],
    )
    category = SelectField(_l("Categorie"), choices=category_choices)


class CountForm(BackOfficeForm):
    """The CSRF token of a count sheet; its quantities are read per product."""


@bp.get("/stock-counts")
def stock_count_start() -> ResponseReturnValue:
    """Choose the location (and category) to count."""
    form = CountStartForm(request.args)
    if request.args and form.validate():
        category = chosen(Category, form.category)
        return redirect(
            url_for(
                "admin.stock_count_sheet",
                location_id=int(form.location.data),
                category=category.id if category else None,
            )
        )
    return render_template("admin/stock_count_start.html", form=form)


@bp.route("/stock-counts/<int:location_id>", methods=["GET", "POST"])
def stock_count_sheet(location_id: int) -> ResponseReturnValue:
    """List the products to count; book what was filled in (blank is not counted, not zero)."""
    location = get_or_404(Location, location_id)
    category = None
    if request.args.get("category"):
        category = get_or_404(Category, request.args.get("category", type=int) or 0)
    products = get_products_to_count(location, category.id if category else None)
    form = CountForm()
    typed = MultiDict(request.form) if request.method == "POST" else MultiDict()
    errors: dict[int, str] = {}
    if form.validate_on_submit():
        counts = read_counts(products, typed, errors)
        if not errors and not counts:
            form.form_errors.append(_("Vul minstens één product in."))
        elif not errors:
            return book_counts(location, counts)
    return render_template(
        "admin/stock_count_sheet.html",
        form=form,
        location=location,
        category=category,
        products=products,
        typed=typed,
        errors=errors,
    )


def read_counts(
    products: list[Product], typed: MultiDict[str, str], errors: dict[int, str]
) -> list[tuple[Product, int]]:
    """Read the counted quantities; blank fields are left out, wrong ones get a message."""
    counts = []
    for product in products:
        text = typed.get(f"count-{product.id}", "").strip()
        if not text:
            continue
        try:
            counts.append((product, parse_quantity(text, product.unit, allow_zero=True)))
        except ValueError as error:
            errors[product.id] = str(error)
    return counts


def book_counts(location: Location, counts: list[tuple[Product, int]]) -> ResponseReturnValue:
    """Book every count's difference in one transaction, then show the differences."""
    now = utcnow()
    moves: list[StockMove] = []
    try:
        for product, counted in counts:
            moves += record_count(product, location, counted, staff_member(), now)
        db.session.commit()
    except OperationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("admin.stock_count_sheet", location_id=location.id))
    changed = len({entry.product_id for entry in moves})
    message = _(
        "De telling is bewaard: %(counted)s geteld, %(changed)s met een verschil.",
        counted=len(counts),
        changed=changed,
    )
    flash(message, "success")
    if not moves:
        return redirect(url_for("admin.stock_count_start"))
    return redirect(url_for("admin.stock_count_result", move_id=min(m.id for m in moves)))


@bp.get("/stock-counts/results/<int:move_id>")
def stock_count_result(move_id: int) -> ResponseReturnValue:
    """Show what a count changed: per product the ledger's figure, the count and the difference."""
    moves = get_count_moves(move_id)
    if not moves:
        abort(404)
    return render_template(
        "admin/stock_count_result.html",
        location=moves[0].location,
        moment=moves[0].created_at,
        differences=get_count_differences(moves),
        move_id=move_id,
        reversed=bool(get_reversed([entry.id for entry in moves])),
    )

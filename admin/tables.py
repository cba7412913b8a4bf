"""The bistro's floor: managers set up the tables per point of sale; staff see the open tabs."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from admin.blueprint import bp, get_or_404, manager_required
from admin.fields import WholeNumberField
from admin.forms import BackOfficeForm, ConfirmForm
from admin.saving import save_form
from kiosk.bistro.open_tabs import get_open_tab_summaries
from kiosk.bistro.tables import (
    MAX_POSITION,
    MAX_TABLE_NUMBER,
    TABLE_COLOURS,
    TableError,
    has_open_tab,
    number_taken_error,
    save_table,
    set_table_active,
)
from kiosk.decimal_text import milli_text
from kiosk.extensions import db
from kiosk.models import DiningTable, PointOfSale, Tab
from kiosk.models.types import utcnow
from kiosk.periods import BRUSSELS

COLOUR_NAMES = dict(
    zip(
        TABLE_COLOURS,
        (
            _l("Groen"),
            _l("Blauw"),
            _l("Blauwgroen"),
            _l("Paars"),
            _l("Framboos"),
            _l("Rood"),
            _l("Oranjebruin"),
            _l("Olijf"),
            _l("Grijs"),
        ),
        strict=True,
    )
)


class TableForm(BackOfficeForm):
    """A table's point of sale (when it is added), number, name, colour and place."""

    point_of_sale = SelectField(_l("Verkooppunt"))
    number = WholeNumberField(
        _l("Nummer"),
        validators=[
            InputRequired(_l("Geef het nummer van de tafel, bv. 4.")),
            NumberRange(1, MAX_TABLE_NUMBER, _l("Geef een tafelnummer van 1 tot 999.")),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    name = StringField(
        _l("Naam (leeg: Tafel en het nummer)"), validators=[Optional(), Length(max=40)]
    )
    colour = RadioField(
        _l("Kleur"),
        choices=[SelectChoice(colour, name) for colour, name in COLOUR_NAMES.items()],
        default=TABLE_COLOURS[0],
        validate_choice=False,  # the operation refuses other colours, with a Dutch message
    )
    position = WholeNumberField(
        _l("Plaats op de kassa (kleinste eerst; leeg: het nummer)"),
        validators=[
            Optional(),
            NumberRange(0, MAX_POSITION, _l("Geef een plaats van 0 tot 9999.")),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )

    def fill_choices(self) -> None:
        """Offer the points of sale."""
        self.point_of_sale.choices = [
            SelectChoice(str(pos.id), pos.name)
            for pos in db.session.scalars(select(PointOfSale).order_by(PointOfSale.name))
        ]


@bp.get("/tables")
@manager_required
def table_list() -> ResponseReturnValue:
    """List the tables of every point of sale, in the order the till shows them."""
    tables = db.session.scalars(
        select(DiningTable).order_by(DiningTable.position, DiningTable.number)
    ).all()
    points = db.session.scalars(select(PointOfSale).order_by(PointOfSale.name)).all()
    floors = [(pos, [t for t in tables if t.point_of_sale_id == pos.id]) for pos in points]
    open_tables = set(db.session.scalars(select(Tab.table_id).where(Tab.state == "open")))
    return render_template(
        "admin/tables.html",
        floors=[(pos, floor) for pos, floor in floors if floor],
        points=points,
        open_tables=open_tables,
        colour_names=COLOUR_NAMES,
        confirm=ConfirmForm(),
    )


@bp.route("/tables/new", methods=["GET", "POST"])
@manager_required
def table_new() -> ResponseReturnValue:
    """Add a table to a point of sale."""
    form = TableForm(point_of_sale=request.args.get("point_of_sale", "")[:10])
    form.fill_choices()
    if form.validate_on_submit():
        point_of_sale = get_or_404(PointOfSale, int(form.point_of_sale.data))
        table = save(form, None, point_of_sale)
        if table is not None:
            flash(_("%(name)s is toegevoegd.", name=table.name), "success")
            return redirect(url_for("admin.table_list"))
    return render_template("admin/table_form.html", form=form, table=None, has_open_tab=False)


@bp.route("/tables/<int:table_id>", methods=["GET", "POST"])
@manager_required
def table_edit(table_id: int) -> ResponseReturnValue:
    """Change a table's number, name, colour or place."""
    table = get_or_404(DiningTable, table_id)
    form = TableForm(obj=None if request.method == "POST" else table)
    del form.point_of_sale  # a table stays at its point of sale: its tabs were opened there
    if form.validate_on_submit() and save(form, table, table.point_of_sale) is not None:
        flash(_("%(name)s is bewaard.", name=table.name), "success")
        return redirect(url_for("admin.table_list"))
    return render_template(
        "admin/table_form.html",
        form=form,
        table=table,
        has_open_tab=has_open_tab(table),
        confirm=ConfirmForm(),
    )


def save(form: TableForm, table: DiningTable | None, pos: PointOfSale) -> DiningTable | None:
    """Store the table the form describes and commit; on a refusal say why next to its field."""
    number = form.number.data or 0  # validated: a whole number from 1
    return save_form(
        form,
        lambda: save_table(
            table,
            pos,
            number,
            name=form.name.data,
            colour=form.colour.data,
            position=form.position.data,
        ),
        # someone gave another table this number a moment ago
        conflict=lambda _clash: number_taken_error(pos, number),
    )


@bp.post("/tables/<int:table_id>/deactivate")
@manager_required
def table_deactivate(table_id: int) -> ResponseReturnValue:
    """Take a table off the till's floor (not while it has an open tab)."""
    return change_active(table_id, False)


@bp.post("/tables/<int:table_id>/reactivate")
@manager_required
def table_reactivate(table_id: int) -> ResponseReturnValue:
    """Put a switched-off table back on the till's floor."""
    return change_active(table_id, True)


def change_active(table_id: int, active: bool) -> ResponseReturnValue:
    """Switch a table on or off, commit, and go back to where the button was."""
    table = get_or_404(DiningTable, table_id)
    if ConfirmForm().validate_on_submit():
        try:
            set_table_active(table, active)
            db.session.commit()
        except TableError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            if active:
                flash(_("%(name)s staat weer op de kassa.", name=table.name), "success")
            else:
                flash(_("%(name)s is uitgezet.", name=table.name), "success")
    if request.form.get("back") == "edit":
        return redirect(url_for("admin.table_edit", table_id=table.id))
    return redirect(url_for("admin.table_list"))


@bp.get("/tabs")
def open_tab_list() -> ResponseReturnValue:
    """Show the open tabs: which table, since when, how much, what, opened by whom."""
    now = utcnow()
    return render_template(
        "admin/table_tabs.html",
        tabs=get_open_tab_summaries(now),
        opened_text=lambda moment: opened_text(moment, now),
        duration_text=duration_text,
        quantity_text=milli_text,
    )


def opened_text(moment: datetime, now: datetime) -> str:
    """Return when a tab was opened in Brussels time: the hour today, else the day as well."""
    local = moment.astimezone(BRUSSELS)
    if local.date() == now.astimezone(BRUSSELS).date():
        return local.strftime("%H:%M")
    return local.strftime("%d-%m-%Y %H:%M")


def duration_text(minutes: int) -> str:
    """Return how long a tab has been open: "25 min" or "1 u 05 min"."""
    if minutes < 60:
        return _("%(minutes)s min", minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    return _("%(hours)s u %(minutes)s min", hours=hours, minutes=str(minutes).zfill(2))

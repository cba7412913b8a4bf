"""The audit log for managers (/admin/audit): filter by when, who, what; nothing can be changed."""

from __future__ import annotations

from collections.abc import Iterator

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import DateField, SearchField, SelectChoice, SelectField
from wtforms.validators import Length, Optional, ValidationError

from admin.blueprint import bp, manager_required
from admin.downloads import file_stem, spreadsheet_download
from admin.forms import BackOfficeForm
from admin.listing import query_args, read_search
from kiosk.audit.queries import (
    AuditFilter,
    get_audit_actions,
    get_audit_page,
    iter_audit_entries,
)
from kiosk.audit.sentences import GROUPS, action_label, describe
from kiosk.exports.jobs import record_export
from kiosk.exports.spreadsheets import Column, Kind, Row
from kiosk.extensions import db
from kiosk.models import AuditEntry, User


class AuditFilterForm(BackOfficeForm):
    """The filters above the log; a GET form, so a filtered list can be bookmarked."""

    class Meta:
        """A GET form: no CSRF token."""

        csrf = False

    first_day = DateField(_l("Van"), validators=[Optional()])
    last_day = DateField(_l("Tot en met"), validators=[Optional()])
    user = SelectField(_l("Wie"), validate_choice=False)
    action = SelectField(_l("Wat"), validate_choice=False)
    group = SelectField(_l("Soort"), validate_choice=False)
    text = SearchField(_l("Zoek in onderwerp of beschrijving"), validators=[Length(max=120)])

    def fill_choices(self) -> None:
        """Offer everyone who ever had an account, and every action the log holds."""
        people = db.session.execute(select(User.id, User.name).order_by(User.name))
        self.user.choices = [SelectChoice("", _l("Iedereen"))] + [
            SelectChoice(str(user_id), name) for user_id, name in people
        ]
        self.action.choices = [SelectChoice("", _l("Alles"))] + [
            SelectChoice(action, action_label(action)) for action in get_audit_actions()
        ]
        self.group.choices = [SelectChoice("", _l("Alles"))] + [
            SelectChoice(group, label) for group, label in GROUPS.items()
        ]

    def validate_last_day(self, field: DateField) -> None:
        """Refuse a period that ends before it begins."""
        if self.first_day.data and field.data and field.data < self.first_day.data:
            raise ValidationError(_l("De einddatum ligt voor de begindatum."))

    def validate_user(self, field: SelectField) -> None:
        """Accept everyone, or one user from the list."""
        if field.data and not (field.data.isascii() and field.data.isdigit()):
            raise ValidationError(_l("Kies iemand uit de lijst."))

    def scope(self) -> AuditFilter:
        """Return the filter the valid fields describe."""
        user = self.user.data
        return AuditFilter(
            first_day=self.first_day.data,
            last_day=self.last_day.data,
            user_id=int(user) if user and not self.user.errors and len(user) < 10 else None,
            action=(self.action.data or None),
            group=(self.group.data if self.group.data in GROUPS else None),
            text=(self.text.data or "").strip() if not self.text.errors else "",
        )


def filter_form() -> AuditFilterForm:
    """Read the filters from the query string; a bad field is ignored and shows its message."""
    form = AuditFilterForm(request.args)
    if not form.text.data and read_search():  # `q`, the search every long list takes
        form.text.data = read_search()
    form.fill_choices()
    if request.args:
        form.validate()
    return form


@bp.get("/audit")
@manager_required
def audit_list() -> ResponseReturnValue:
    """Show the log, newest first, a page at a time, with the filters."""
    form = filter_form()
    older = request.args.get("older_than", "")
    older_than = int(older) if older.isascii() and older.isdigit() and len(older) < 10 else None
    entries, following = get_audit_page(form.scope(), older_than)
    query = query_args(older_than=None)
    return render_template(
        "admin/audit.html",
        form=form,
        entries=entries,
        label=action_label,
        describe=describe,
        when=when_text,
        following=following,
        first_page=older_than is not None,
        query=query,
    )


CSV_COLUMNS = [
    Column("wanneer", Kind.DATETIME),
    Column("wie"),
    Column("kassa"),
    Column("adres"),
    Column("actie"),
    Column("onderwerp"),
    Column("beschrijving"),
    Column("voor"),
    Column("na"),
]


@bp.get("/audit.csv")
@manager_required
def audit_csv() -> ResponseReturnValue:
    """Download the filtered log as CSV (an export, so it is logged too)."""
    scope = filter_form().scope()
    record_export("audit", scope.first_day, scope.last_day, file_format="csv", where="back office")
    db.session.commit()
    return spreadsheet_download(CSV_COLUMNS, csv_rows(scope), "csv", file_stem("auditlogboek"))


def csv_rows(scope: AuditFilter) -> Iterator[Row]:
    """Yield the log's rows for the CSV file."""
    for entry in iter_audit_entries(scope):
        yield [
            entry.created_at,
            entry.user_name,
            entry.till.code if entry.till else "",
            entry.remote_addr,
            entry.action,
            entry.subject,
            describe(entry),
            entry.before or "",
            entry.after or "",
        ]


def when_text(entry: AuditEntry) -> str:
    """Return when an entry was written, in Brussels time."""
    return format_datetime(entry.created_at, "dd-MM-yyyy HH:mm:ss")

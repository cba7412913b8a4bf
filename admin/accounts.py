"""Ledger accounts (/admin/accounts): the account each kind of journal posting is booked on."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from admin.blueprint import bp, manager_required
from admin.forms import BackOfficeForm
from kiosk.errors import OperationError
from kiosk.exports.ledger import Account, get_account_list, set_account
from kiosk.extensions import db


class AccountForm(BackOfficeForm):
    """A posting's account number and the account's name."""

    number = StringField(
        _l("Rekeningnummer"),
        validators=[
            DataRequired(_l("Vul een rekeningnummer in.")),
            Regexp(
                r"^[0-9]{3,10}$",
                message=_l("Een rekeningnummer heeft 3 tot 10 cijfers, bv. 700006."),
            ),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    label = StringField(
        _l("Naam van de rekening"),
        validators=[DataRequired(_l("Vul een naam in.")), Length(max=120)],
    )


def posting_or_404(posting: str) -> Account:
    """Return the account of a posting the page lists, or answer 404."""
    for account in get_account_list():
        if account.posting == posting:
            return account
    abort(404)


@bp.get("/accounts")
@manager_required
def account_list() -> ResponseReturnValue:
    """List every kind of journal posting with its ledger account."""
    return render_template("admin/accounts.html", accounts=get_account_list())


@bp.route("/accounts/<posting>", methods=["GET", "POST"])
@manager_required
def account_edit(posting: str) -> ResponseReturnValue:
    """Change the ledger account of one kind of posting."""
    account = posting_or_404(posting)
    # filled in from the account only to show it: a post names both fields itself
    shown = {"number": account.number, "label": account.label}
    form = AccountForm(data=shown if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            set_account(posting, form.number.data, form.label.data)
            db.session.commit()
        except OperationError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("De rekening is bewaard."), "success")
            return redirect(url_for("admin.account_list"))
    return render_template("admin/account_form.html", form=form, account=account)

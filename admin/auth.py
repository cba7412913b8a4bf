"""Log in and out of the back office."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from sqlalchemy import func, select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from admin.blueprint import bp
from admin.forms import BackOfficeForm
from kiosk.extensions import db, login_manager
from kiosk.models import User


class LoginForm(BackOfficeForm):
    """Name and password."""

    name = StringField(
        _l("Naam"),
        validators=[DataRequired(), Length(max=80)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the logged-in user, if still there."""
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


login_manager.login_view = "admin.login"
login_manager.login_message = None


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Show the login form and log staff and managers in."""
    form = LoginForm()
    if form.validate_on_submit():
        user = back_office_user(form.name.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        flash(_("Naam of wachtwoord klopt niet."), "error")
    return render_template("admin/login.html", form=form)


def back_office_user(name: str, password: str) -> User | None:
    """Return the active staff member or manager with this name and password, if any."""
    user = db.session.scalar(select(User).where(func.lower(User.name) == name.strip().lower()))
    if user and user.active and user.can_use_back_office and user.check_password(password):
        return user
    return None


def safe_next(target: str | None) -> str:
    """Return a local page to go to after login, never another site."""
    # Browsers read a backslash as a slash, so "/\\evil.example" would leave the site.
    if target and target.startswith("/") and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("admin.index")


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Log out."""
    logout_user()
    return redirect(url_for("admin.login"))

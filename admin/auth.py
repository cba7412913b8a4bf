"""Log in and out of the back office; limit password guessing; end idle and old sessions."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from admin.blueprint import PUBLIC_ENDPOINTS, bp
from admin.forms import BackOfficeForm
from kiosk.audit import log as audit
from kiosk.extensions import db, login_manager
from kiosk.models import User
from kiosk.models.types import utcnow
from kiosk.organisation.login_limits import (
    count_failure,
    forget,
    locked_until,
    minutes_left,
    password_limits,
)
from kiosk.organisation.login_limits import user_key as guess_key

#: session keys: when the user logged in, and when the last page was asked (Unix seconds)
LOGIN_AT, SEEN_AT = "login_at", "seen_at"


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
    """Show the login form and log staff and managers in, unless guessing is locked."""
    form = LoginForm()
    if form.validate_on_submit():
        user, refusal = checked_login(form.name.data, form.password.data)
        db.session.commit()  # failures are counted and logged even though the login fails
        if user is not None:
            login_user(user)
            start_session()
            return redirect(safe_next(request.args.get("next")))
        flash(refusal, "error")
    return render_template("admin/login.html", form=form)


def checked_login(name: str, password: str) -> tuple[User | None, str]:
    """Return the user these details log in, or None and the Dutch reason; count and log it."""
    now = utcnow()
    named = db.session.scalar(select(User).where(func.lower(User.name) == name.strip().lower()))
    limits = password_limits(named, request.remote_addr or "")
    until = locked_until(list(limits), now)
    if until is None:
        user = back_office_user(named, password)
        if user is not None:
            forget([guess_key(user.id, "password")])
            audit.record("login", user=user, subject=f"user:{user.id}", summary=_login_text(user))
            return user, ""
        until = count_failure(limits, now)
    audit.record(
        "login_failed",
        user_name=name.strip(),
        subject=f"user:{named.id}" if named is not None else "",
        summary=f"Mislukte aanmelding als {name.strip()[:80]}"
        + (" (geblokkeerd)." if until is not None else "."),
    )
    if until is None:
        return None, _("Naam of wachtwoord klopt niet.")
    return None, _(
        "Te veel mislukte pogingen. Probeer opnieuw over %(minutes)s minuten, "
        "of vraag een medewerker of verantwoordelijke om je te ontgrendelen.",
        minutes=minutes_left(until, now),
    )


def _login_text(user: User) -> str:
    return f"{user.name} heeft zich aangemeld in de back office."


def back_office_user(user: User | None, password: str) -> User | None:
    """Return the user if active, allowed in the back office and the password is theirs."""
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
    session.pop(LOGIN_AT, None)
    session.pop(SEEN_AT, None)
    return redirect(url_for("admin.login"))


def start_session() -> None:
    """Mark the session as just logged in; its cookie expires when it has been idle too long."""
    session.permanent = True
    session[LOGIN_AT] = session[SEEN_AT] = time.time()


@bp.before_request
def end_expired_session() -> ResponseReturnValue | None:
    """Log out a session idle too long or logged in too long ago, back to the login page."""
    if request.endpoint in PUBLIC_ENDPOINTS or not current_user.is_authenticated:
        return None
    now = time.time()
    idle = float(current_app.config["ADMIN_IDLE_MINUTES"]) * 60
    longest = float(current_app.config["ADMIN_SESSION_MAX_HOURS"]) * 3600
    seen, started = session.get(SEEN_AT), session.get(LOGIN_AT)
    if (
        isinstance(seen, int | float)
        and isinstance(started, int | float)
        and now - seen <= idle
        and now - started <= longest
    ):
        session[SEEN_AT] = now
        return None
    logout_user()
    session.pop(LOGIN_AT, None)
    session.pop(SEEN_AT, None)
    flash(_("Je sessie is verlopen. Meld je opnieuw aan."), "error")
    back = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else None
    return redirect(url_for("admin.login", next=back))

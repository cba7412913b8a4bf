"""Log in and out of the back office; limit password guessing; end idle and old sessions.

A login starts a fresh session (nothing of the anonymous one, its CSRF token included, carries
over) tied to a BackOfficeSession row; logout and expiry delete that row, so a copy of the cookie
stops working too.
"""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.security import check_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from admin.blueprint import PUBLIC_ENDPOINTS, bp
from admin.forms import BackOfficeForm
from kiosk.audit import log as audit
from kiosk.customer_orders.privacy import forget_customers, privacy_days
from kiosk.extensions import db, login_manager
from kiosk.models import User
from kiosk.models.types import utcnow
from kiosk.organisation.back_office_sessions import end_session, get_session_user, open_session
from kiosk.organisation.login_limits import (
    count_failure,
    decoy_password_hash,
    forget,
    locked_until,
    minutes_left,
    password_key,
    password_limits,
)

#: session keys: when the user logged in, when the last page was asked (Unix seconds), and the
#: token of the session's BackOfficeSession row
LOGIN_AT, SEEN_AT, SESSION_TOKEN = "login_at", "seen_at", "session_token"
#: what logging in or out keeps of a session: the language chosen
KEPT_ACROSS_LOGIN = ("language",)


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
    """Return the logged-in user while their session lives on the server (not after logout)."""
    if not user_id.isdigit():
        return None
    return get_session_user(int(user_id), session.get(SESSION_TOKEN), utcnow(), longest_session())


def longest_session() -> timedelta:
    """Return how long after logging in a session ends, however busy (ADMIN_SESSION_MAX_HOURS)."""
    return timedelta(hours=float(current_app.config["ADMIN_SESSION_MAX_HOURS"]))


login_manager.login_view = "admin.login"
login_manager.login_message = None


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Show the login form and log staff and managers in, unless guessing is locked."""
    form = LoginForm()
    if form.validate_on_submit():
        user, refusal = checked_login(form.name.data, form.password.data)
        token = replace_session(user) if user is not None else ""
        if user is not None:  # the day's erasure of customers' data rides on a login
            forget_customers(utcnow(), privacy_days(), user)
        db.session.commit()  # failures are counted and logged even though the login fails
        if user is not None:
            start_session(user, token)
            return redirect(safe_next(request.args.get("next")))
        flash(refusal, "error")
    return render_template("admin/login.html", form=form)


def checked_login(name: str, password: str) -> tuple[User | None, str]:
    """Return the user these details log in, or None and the Dutch reason; count and log it."""
    now = utcnow()
    named = db.session.scalar(select(User).where(func.lower(User.name) == name.strip().lower()))
    address = request.remote_addr or ""
    limits = password_limits(named, name, address)
    until = locked_until(list(limits), now)
    if until is None:
        user = back_office_user(named, password)
        if user is not None:
            forget([password_key(user, name, address)])
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
    if user is None or not user.password_hash:
        # a name without a password costs a hash check all the same: the time tells nothing
        check_password_hash(decoy_password_hash(), password)
        return None
    if user.check_password(password) and user.active and user.can_use_back_office:
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
    """Log out: end the session on the server, so no copy of its cookie works any more."""
    end_session(session.get(SESSION_TOKEN))
    db.session.commit()
    logout_user()
    fresh_session()
    return redirect(url_for("admin.login"))


def replace_session(user: User) -> str:
    """End this browser's session, if any, and open one for the user; return its token."""
    end_session(session.get(SESSION_TOKEN))
    return open_session(user, utcnow(), longest_session())


def start_session(user: User, token: str) -> None:
    """Log the user in on a fresh session; its cookie expires when it has been idle too long."""
    fresh_session()
    login_user(user)
    session.permanent = True
    session[SESSION_TOKEN] = token
    session[LOGIN_AT] = session[SEEN_AT] = time.time()


def fresh_session() -> None:
    """Empty the session but for the language: a new CSRF token, no trace of the one before."""
    kept = {key: session[key] for key in KEPT_ACROSS_LOGIN if key in session}
    session.clear()
    session.update(kept)
    g.pop("csrf_token", None)  # Flask-WTF keeps this request's token here


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
    end_session(session.get(SESSION_TOKEN))
    db.session.commit()  # the expired session is gone on the server too, for every copy
    logout_user()
    fresh_session()
    flash(_("Je sessie is verlopen. Meld je opnieuw aan."), "error")
    back = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else None
    return redirect(url_for("admin.login", next=back))

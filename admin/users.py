"""Users: care users with their photo or pictogram, staff and managers with a password."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from sqlalchemy import func, select
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from admin.blueprint import bp, get_or_404, manager_required
from admin.forms import BackOfficeForm
from admin.locks import ReleaseForm, locked_users
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import User
from kiosk.models.types import Role
from kiosk.organisation.people import (
    add_user,
    checked_password,
    checked_pin,
    record_user_change,
    user_audit_fields,
)
from kiosk.organisation.till_settings import TillSettings, apply_till_settings
from kiosk.photos import save_photo

ROLE_LABELS = {
    Role.CARE: _l("Zorggebruiker"),
    Role.STAFF: _l("Medewerker"),
    Role.MANAGER: _l("Verantwoordelijke"),
}


class UserForm(BackOfficeForm):
    """A user's name, role, secrets and picture."""

    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=80)])
    role = SelectField(
        _l("Rol"), choices=[SelectChoice(role, label) for role, label in ROLE_LABELS.items()]
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[Optional(), Length(min=8, max=200)],
        render_kw={"autocomplete": "new-password"},
    )
    pin = StringField(
        _l("Pincode (4 tot 6 cijfers, leeg = geen)"),
        validators=[
            Optional(),
            Regexp(r"^\d{4,6}$", message=_l("Een pincode heeft 4 tot 6 cijfers.")),
        ],
        render_kw={"autocomplete": "off", "inputmode": "numeric"},
    )
    pictogram = StringField(
        _l("Pictogram (OpenMoji-code, bv. 1F9D1)"),
        validators=[
            Optional(),
            Regexp(
                r"^[0-9A-F]{2,6}(-[0-9A-F]{2,6}){0,7}$", message=_l("Geen geldige OpenMoji-code.")
            ),
        ],
    )
    photo = FileField(_l("Foto"), render_kw={"accept": "image/jpeg,image/png,image/webp"})
    active = BooleanField(_l("Actief"), default=True)
    speech = BooleanField(_l("Spreken: de kassa zegt producten en bedragen"), default=False)
    sound = BooleanField(_l("Geluid bij elke tik"), default=True)
    tile_size = SelectField(
        _l("Tegelgrootte aan de kassa"),
        choices=[
            SelectChoice(120, _l("Klein (120 px)")),
            SelectChoice(160, _l("Normaal (160 px)")),
            SelectChoice(200, _l("Groot (200 px)")),
        ],
        coerce=int,
        default=160,
    )
    large_digits = BooleanField(_l("Grote cijfers (voor wie slecht ziet)"), default=False)
    may_count_cash = BooleanField(
        _l("Mag de kassa tellen (medewerker; een verantwoordelijke mag het altijd)"), default=False
    )

    def till_settings(self) -> TillSettings:
        """Return the till settings the form holds."""
        return TillSettings(
            speech=self.speech.data,
            sound=self.sound.data,
            tile_size=self.tile_size.data,
            large_digits=self.large_digits.data,
        )


@bp.get("/users")
@manager_required
def user_list() -> ResponseReturnValue:
    """List everyone."""
    users = db.session.scalars(select(User).order_by(User.role, User.name)).all()
    return render_template(
        "admin/users.html",
        users=users,
        role_labels=ROLE_LABELS,
        locked=locked_users(),
        release=ReleaseForm(back="users"),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@manager_required
def user_new() -> ResponseReturnValue:
    """Add a user."""
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = create_user(form)
            db.session.commit()
        except OperationError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("%(name)s is toegevoegd.", name=user.name), "success")
            return redirect(url_for("admin.user_list"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@manager_required
def user_edit(user_id: int) -> ResponseReturnValue:
    """Change a user's details, secrets or picture."""
    user = get_or_404(User, user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        try:
            update_user(user, form)
            db.session.commit()
        except OperationError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            flash(_("De gegevens van %(name)s zijn bewaard.", name=user.name), "success")
            return redirect(url_for("admin.user_list"))
    return render_template("admin/user_form.html", form=form, user=user)


def create_user(form: UserForm) -> User:
    """Add the user the form describes."""
    user = add_user(
        form.name.data,
        form.role.data,
        password=form.password.data or None,
        pin=form.pin.data or None,
        pictogram=form.pictogram.data or None,
        active=form.active.data,
        settings=form.till_settings(),
        may_count_cash=form.may_count_cash.data,
    )
    apply_photo(user, form)
    return user


def update_user(user: User, form: UserForm) -> None:
    """Copy the form onto the user; a blank password or PIN keeps the old one."""
    refuse_conflicts(user, form)
    before = user_audit_fields(user)
    user.name = form.name.data.strip()
    user.role = form.role.data
    user.pictogram = form.pictogram.data or None
    user.active = form.active.data
    apply_till_settings(user, form.till_settings())
    user.may_count_cash = form.may_count_cash.data
    if form.password.data:
        user.set_password(checked_password(form.password.data))
    if form.pin.data:
        user.set_pin(checked_pin(form.pin.data))
    if user.role != Role.CARE and not user.password_hash:
        raise OperationError(
            422,
            "weak_password",
            _("Medewerkers en verantwoordelijken hebben een wachtwoord nodig."),
        )
    apply_photo(user, form)
    record_user_change(
        user, before, [secret for secret in ("password", "pin") if getattr(form, secret).data]
    )


def refuse_conflicts(user: User, form: UserForm) -> None:
    """Refuse a name someone else has, and locking every manager out of the back office."""
    name = form.name.data.strip()
    if name_taken(name, user):
        raise OperationError(
            409, "name_taken", _("Er is al iemand met de naam %(name)s.", name=name)
        )
    if is_last_manager(user) and not (form.role.data == Role.MANAGER and form.active.data):
        raise OperationError(
            409, "last_manager", _("Er moet minstens één actieve verantwoordelijke blijven.")
        )


def name_taken(name: str, user: User) -> bool:
    """Return whether someone else already has this name (names are unique, case aside)."""
    other = db.session.scalar(
        select(User.id).where(func.lower(User.name) == name.lower(), User.id != user.id)
    )
    return other is not None


def is_last_manager(user: User) -> bool:
    """Return whether the user is the only active manager, who keeps the back office open."""
    if user.role != Role.MANAGER or not user.active:
        return False
    others = db.session.scalar(
        select(func.count(User.id)).where(
            User.role == Role.MANAGER, User.active.is_(True), User.id != user.id
        )
    )
    return not others


def apply_photo(user: User, form: UserForm) -> None:
    """Store an uploaded photo for the user."""
    upload = form.photo.data
    if upload and getattr(upload, "filename", ""):
        folder = Path(current_app.instance_path) / "media"
        user.photo = save_photo(upload.stream, folder, current_app.config["PHOTO_MAX_BYTES"])

"""Saving what a back-office form describes: one operation, one commit, a refusal on the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import Form

from kiosk.errors import OperationError
from kiosk.extensions import db

Result = TypeVar("Result")
AnyForm = TypeVar("AnyForm", bound=Form)
#: how a refusal is shown: on the form, next to the field it names or a chosen one
Show = Callable[[AnyForm, OperationError, "str | None"], None]


def show_refusal(form: Form, error: OperationError, field: str | None = None) -> None:
    """Put a refusal next to the field it names (or `field`), or above the form."""
    name = getattr(error, "field", None) or field
    if name and name in form:
        form[name].errors = [*form[name].errors, error.message]
    else:
        flash(error.message, "error")


def save_form(
    form: AnyForm,
    operation: Callable[[], Result],
    *,
    field: str | None = None,
    conflict: Callable[[Exception], OperationError] | None = None,
    show: Show[AnyForm] = show_refusal,
) -> Result | None:
    """Run a form's operation and commit once; on a refusal roll back, show it and return None.

    `field` takes a refusal that names no field of the form; `conflict` explains a change the
    database refused because someone else was quicker (without it, that is a server error).
    """
    try:
        result = operation()
        db.session.commit()
    except OperationError as error:
        refusal = error
    except (IntegrityError, StaleDataError) as error:
        if conflict is None:
            raise
        refusal = conflict(error)
    else:
        return result
    db.session.rollback()
    show(form, refusal, field)
    return None

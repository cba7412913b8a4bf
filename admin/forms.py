"""The base of every back-office form (CSRF, no invisible control characters), and a button."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, Form, FormField
from wtforms.fields.core import UnboundField

# C0 control characters and DEL, except tab and line breaks. PostgreSQL refuses NUL in text, and an
# ESC in a receipt text would reach the receipt printer as a command.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_control_characters(value: Any) -> Any:
    """Refuse text with control characters that nobody types on purpose."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValueError(_l("Dit veld bevat een onzichtbaar stuurteken. Typ het opnieuw."))
    return value


class BackOfficeForm(FlaskForm):
    """A FlaskForm whose fields all refuse control characters."""

    class Meta:
        """Bind every field with the control-character check added."""

        def bind_field(
            self, form: Form, unbound_field: UnboundField, options: dict[str, Any]
        ) -> Field:
            """Bind the field with the control-character check before its own filters."""
            if unbound_field.field_class in (FieldList, FormField):
                # wtforms gives these no filters; the fields inside them get the check instead
                return unbound_field.bind(form=form, **options)
            filters = [refuse_control_characters, *unbound_field.kwargs.get("filters", ())]
            return unbound_field.bind(form=form, **{**options, "filters": filters})


class ConfirmForm(BackOfficeForm):
    """An empty form: a button (delete, revoke, close) with CSRF protection."""

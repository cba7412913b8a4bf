"""The cash drawer's forms: the float, cash in and out, the count per note and coin, a day."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import Field, Form, SelectChoice, SelectField, StringField, ValidationError
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import NumberInput

from admin.fields import EuroAmount, parse_euro
from admin.forms import BackOfficeForm
from kiosk.cash.drawer import MAX_PIECES_OF_ONE_KIND
from kiosk.money import EURO_PIECES

WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")


def whole_count(form: Form, field: Field) -> None:
    """Refuse a count that is not a whole number of pieces in the drawer's range."""
    typed = (field.data or "").strip()
    if not WHOLE_NUMBER.fullmatch(typed) or int(typed) > MAX_PIECES_OF_ONE_KIND:
        raise ValidationError(
            _l("Typ een heel aantal van 0 tot %(most)s.", most=MAX_PIECES_OF_ONE_KIND)
        )


def piece_label(value_cents: int) -> LazyString:
    """Name a note or coin, in the page's language: 'Biljet van 50 euro', 'Munt van 20 cent'."""
    if value_cents >= 500:
        return _l("Biljet van %(euros)s euro", euros=value_cents // 100)
    if value_cents >= 100:
        return _l("Munt van %(euros)s euro", euros=value_cents // 100)
    return _l("Munt van %(cents)s cent", cents=value_cents)


def piece_picture(value_cents: int) -> str:
    """Return the name of a note's or coin's stylised picture in till/money/pieces.svg."""
    if value_cents >= 500:
        return f"note-{value_cents // 100}"
    return f"coin-{value_cents}"


class OpeningForm(BackOfficeForm):
    """The float put in the drawer when the day starts."""

    opening_float = StringField(
        _l("Wisselkas (euro)"),
        validators=[InputRequired(_l("Vul een bedrag in, bv. 150,00.")), EuroAmount("150,00")],
        render_kw={"inputmode": "decimal", "placeholder": "150,00", "autocomplete": "off"},
    )


class MovementForm(BackOfficeForm):
    """Cash put into or taken out of the drawer, with the reason."""

    direction = SelectField(
        _l("Soort"),
        choices=[
            SelectChoice("out", _l("Geld uit de kassa")),
            SelectChoice("in", _l("Geld in de kassa")),
        ],
    )
    amount = StringField(
        _l("Bedrag (euro)"),
        validators=[InputRequired(_l("Vul een bedrag in, bv. 20,00.")), EuroAmount("20,00")],
        render_kw={"inputmode": "decimal", "placeholder": "20,00", "autocomplete": "off"},
    )
    reason = StringField(
        _l("Reden"),
        validators=[
            InputRequired(_l("Zeg waarom er geld in of uit de kassa gaat.")),
            Length(max=200),
        ],
        render_kw={"placeholder": _l("bv. naar de bank, wisselgeld bijgelegd")},
    )

    def amount_cents(self) -> int:
        """Return the amount with its sign: negative for cash taken out."""
        cents = parse_euro(self.amount.data)
        return -cents if self.direction.data == "out" else cents


class CountForm(BackOfficeForm):
    """How many of each note and coin are in the drawer; a field per piece, `piece_<cents>`."""

    difference_reason = StringField(
        _l("Reden van het verschil"),
        validators=[Optional(), Length(max=200)],
        render_kw={"placeholder": _l("bv. wisselgeld fout teruggegeven"), "autocomplete": "off"},
    )

    def piece_fields(self) -> list[tuple[int, Field]]:
        """Return each piece's value in cents with its field, largest first."""
        return [(value, self[f"piece_{value}"]) for value in EURO_PIECES]

    def pieces(self) -> dict[int, int]:
        """Return the count per piece in cents."""
        return {value: int(field.data.strip()) for value, field in self.piece_fields()}


for _value in EURO_PIECES:
    setattr(
        CountForm,
        f"piece_{_value}",
        StringField(
            piece_label(_value),
            validators=[InputRequired(_l("Vul een aantal in (0 als er geen zijn).")), whole_count],
            default="0",
            widget=NumberInput(min=0, max=MAX_PIECES_OF_ONE_KIND),
            render_kw={"data-cents": str(_value), "inputmode": "numeric"},
        ),
    )


def optional_euro(field: Field) -> int | None:
    """Return a typed euro amount in cents, or None when the field was left empty."""
    typed = (field.data or "").strip()
    return parse_euro(typed) if typed else None


class ClosingForm(BackOfficeForm):
    """What stays in the drawer for the next day and what goes to the bank, at the close."""

    next_float = StringField(
        _l("Wisselkas voor morgen (euro)"),
        validators=[Optional(), EuroAmount("150,00")],
        render_kw={"inputmode": "decimal", "placeholder": "150,00", "autocomplete": "off"},
    )
    to_bank = StringField(
        _l("Naar de bank (euro, leeg = de rest)"),
        validators=[Optional(), EuroAmount("250,00")],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )

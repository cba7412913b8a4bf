"""How the till looks and sounds for one person: speech, sound, tile size and large digits.

Speech reads products and amounts aloud in Dutch (silent on a tablet without a Dutch voice),
sound clicks on every tap, the tile size (120, 160 or 200 px) sets how big the tiles are, and
large digits ("grote cijfers", for poor sight) make amounts and PIN digits bigger.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from kiosk.errors import OperationError
from kiosk.models import User

#: the tile sizes the till offers, in CSS pixels (160 is everyone's start)
TILE_SIZES = (120, 160, 200)


@dataclass(frozen=True)
class TillSettings:
    """The settings to change; None keeps what the person has."""

    speech: bool | None = None
    sound: bool | None = None
    tile_size: int | None = None
    large_digits: bool | None = None


def apply_till_settings(user: User, settings: TillSettings) -> None:
    """Give the person these till settings (the ones given), refusing a tile size not offered."""
    if settings.tile_size is not None and settings.tile_size not in TILE_SIZES:
        raise OperationError(
            422,
            "invalid_tile_size",
            _l("Kies een tegelgrootte van 120, 160 of 200 pixels."),
        )
    for field in ("speech", "sound", "tile_size", "large_digits"):
        value = getattr(settings, field)
        if value is not None:
            setattr(user, field, value)


def till_settings_fields(user: User) -> dict[str, object]:
    """Return the person's till settings, as the audit log keeps them."""
    return {
        "speech": bool(user.speech),
        "sound": bool(user.sound),
        "tile_size": user.tile_size,
        "large_digits": bool(user.large_digits),
    }

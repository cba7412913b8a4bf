"""Prices that are allowed but look like a typing mistake: staff confirm them before they save.

A price of 0,00 gives the goods away; more than three times the previous price is usually a
misplaced comma (38,00 for 3,80). Both save only with an explicit "Toch opslaan".
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from kiosk.errors import Message
from kiosk.money import euro_text

#: a new price above this many times the previous one asks for a confirmation
SUSPICIOUS_RISE = 3


def unusual_price(price_cents: int, previous_cents: int | None) -> Message | None:
    """Say why a price needs a confirmation (0, or more than 3 × the previous), or None."""
    if price_cents == 0:
        return _l("De prijs is 0,00 €: het product wordt gratis meegegeven. Is dat de bedoeling?")
    if previous_cents and price_cents > SUSPICIOUS_RISE * previous_cents:
        return _l(
            "De prijs gaat van %(before)s naar %(after)s, meer dan drie keer zoveel. "
            "Staat de komma juist?",
            before=euro_text(previous_cents),
            after=euro_text(price_cents),
        )
    return None

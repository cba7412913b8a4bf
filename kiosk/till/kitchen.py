"""The kitchen screen: a tablet paired with the role kitchen or bar shows that station's orders.

It is paired on /till/pair like a till (the back office sets the role); /till sends it here.
"""

from __future__ import annotations

from flask import current_app, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from kiosk.http_cache import revalidated
from kiosk.till.assets import till_asset
from kiosk.till.blueprint import bp


def kitchen_texts() -> dict[str, str]:
    """Return the sentences the kitchen screen's script shows."""
    return {
        "kitchen": _("Keuken"),
        "bar": _("Bar"),
        "ready": _("Klaar"),
        "no_orders": _("Geen open bestellingen."),
        "offline": _("Geen verbinding met de server. Je ziet de laatste bestellingen."),
        "waiting_one": _("1 Klaar wacht op de server"),
        "waiting_many": _("%(count)s keer Klaar wacht op de server"),
        "sent_at": _("om %(time)s"),
        "cancel": _("Annuleer: niet maken"),
    }


@bp.get("/till/kitchen")
def kitchen() -> ResponseReturnValue:
    """Show the open orders of the kitchen or bar this tablet is paired with."""
    pictures = {
        "cook": url_for("till.pictogram", code="1F9D1-200D-1F373"),
        "bar": url_for("till.pictogram", code="1F37A"),
        "note": url_for("till.pictogram", code="1F4DD"),
        "ready": url_for("till.pictogram", code="2705"),
        "attention": till_asset("icons/attention.svg"),
    }
    page = render_template("till/kitchen.html", texts=kitchen_texts(), pictures=pictures)
    return revalidated(current_app.make_response(page))  # the service worker asks with its ETag

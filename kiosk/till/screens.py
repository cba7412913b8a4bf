"""The till's own pages: the touch screens, pairing, the web app manifest and service worker."""

from __future__ import annotations

from flask import Response, current_app, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from kiosk.http_cache import revalidated
from kiosk.till.assets import till_asset
from kiosk.till.blueprint import bp


def till_texts() -> dict[str, str]:
    """Return the sentences the till's scripts show or speak, in the chosen language."""
    return {
        "total": _("Totaal"),
        "due": _("Te betalen"),
        "not_enough": _("Nog %(amount)s nodig. Vraag de klant meer geld."),
        "enough": _("Genoeg"),
        "give_back": _("Geef terug: %(amount)s"),
        "no_change": _("Geen wisselgeld. Gepast betaald."),
        "card_instruction": _("Zet %(amount)s op de kaartlezer."),
        "card_done": _("Betaald met de kaart"),
        "qr_done": _("Betaald met QR-code"),
        "qr_reference": _("Mededeling: %(reference)s"),
        "qr_pin": _("Code van %(name)s"),
        "qr_offline": _(
            "Geen verbinding met de server. Betalen met QR kan nu niet: kies Contant of Kaart."
        ),
        "qr_waiting": _(
            "Er wachten nog verkopen op de server. Betalen met QR kan pas als ze verstuurd zijn: "
            "kies Contant of Kaart."
        ),
        "qr_no_staff": _("Er is geen begeleider met een pincode. Kies Contant of Kaart."),
        "sale_saved": _("De verkoop is bewaard."),
        "sale_queued": _("De verkoop wacht op de server. Je mag verder verkopen."),
        "sale_refused": _("De server weigerde een verkoop. Roep een begeleider."),
        "waiting_one": _("1 verkoop wacht"),
        "waiting_many": _("%(count)s verkopen wachten"),
        "refused_one": _("1 verkoop niet aanvaard. Vraag een verantwoordelijke."),
        "refused_many": _("%(count)s verkopen niet aanvaard. Vraag een verantwoordelijke."),
        "refused_order": _("Bestelling van %(name)s voor %(day)s"),
        "wrong_pin": _("Die code klopt niet. Probeer opnieuw."),
        "pin_offline": _("Geen verbinding om je code na te kijken."),
        "not_paired": _("Deze tablet is geen kassa meer. Vraag een verantwoordelijke."),
        "unknown_barcode": _("Deze streepjescode ken ik niet."),
        "pair_failed": _("Dit token werkt niet. Kijk het na in de back office."),
        "pair_offline": _("De server antwoordt niet. Probeer opnieuw."),
        "empty_basket": _("Kies eerst iets."),
        "grams": _("gram"),
        "euro": _("euro"),
        "cent": _("cent"),
        "piece_euro": _("%(value)s euro"),
        "piece_cent": _("%(value)s cent"),
        "remove_one": _("Eén %(name)s minder"),
        "add_one": _("Eén %(name)s meer"),
        "delete_digit": _("Wis"),
        "received": _("Gekregen"),
        "category": _("Categorie"),
        "receipt_failed": _("Bon niet geprint"),
        "receipt_printed": _("De bon is geprint."),
        "all_categories": _("Alle soorten"),
    }


def bistro_texts() -> dict[str, str]:
    """Return the sentences the bistro's scripts show: tables, tabs, notes, split bills."""
    return {
        "free": _("Vrij"),
        "busy": _("Bezet"),
        "minutes": _("%(count)s min"),
        "hours_minutes": _("%(hours)s u %(minutes)s min"),
        "eat_in": _("Hier opeten"),
        "takeaway": _("Meenemen"),
        "note": _("Notitie"),
        "note_for": _("Notitie bij %(name)s"),
        "note_no_onion": _("zonder ui"),
        "note_extra_hot": _("extra warm"),
        "note_no_ice": _("zonder ijs"),
        "note_small": _("klein"),
        "sent": _("Verstuurd"),
        "kitchen_sending": _("De bestelling gaat naar de keuken…"),
        "kitchen_sent_printed": _("%(station)s heeft de bestelling: de bon is geprint."),
        "kitchen_sent_screen": _("%(station)s heeft de bestelling: ze staat op het scherm."),
        "kitchen_sent_both": _("%(station)s heeft de bestelling: geprint en op het scherm."),
        "kitchen_down": _(
            "%(station)s krijgt de bestelling niet: de printer of het scherm werkt niet. "
            "Zeg het aan een begeleider."
        ),
        "kitchen_missing": _(
            "%(station)s krijgt de bestelling niet: er is geen printer of scherm. "
            "Zeg het aan een begeleider."
        ),
        "kitchen_no_station_items": _("✔ Bewaard. Hiervan moet niets naar de keuken of de bar."),
        "station_kitchen": _("De keuken"),
        "station_bar": _("De bar"),
        "ready": _("Klaar"),
        "kitchen_queued": _("De bestelling wacht op de server. Ze gaat vanzelf naar de keuken."),
        "kitchen_nothing": _("Alles is al naar de keuken."),
        "tab_waiting_one": _("1 bestelling wacht"),
        "tab_waiting_many": _("%(count)s bestellingen wachten"),
        "tab_refused": _("De server weigerde een bestelling. Roep een begeleider."),
        "moved": _("De rekening staat nu op %(table)s."),
        "rest": _("Nog te betalen: %(amount)s"),
        "all_paid": _("%(table)s is helemaal betaald."),
        "person_total": _("Deze persoon: %(amount)s"),
        "choose_items": _("Tik eerst aan wat deze persoon nam."),
        "people": _("%(count)s personen"),
        "choose_people": _("Kies eerst met hoeveel ze zijn."),
        "part_of": _("Deel %(part)s van %(parts)s: %(amount)s"),
        "part_short": _("Deel %(part)s van %(parts)s"),
    }


def refund_texts() -> dict[str, str]:
    """Return the sentences of the refund and void screens (kiosk/static/till/js/refunds.js)."""
    return {
        "refund_offline": _("Geen verbinding met de server. Terugbetalen kan nu niet."),
        "refund_choose_lines": _("Tik eerst aan wat terugkomt."),
        "refund_ticket": _("ticket %(receipt)s"),
        "refund_already": _("al terugbetaald"),
        "refund_of": _("Ticket %(receipt)s"),
        "refund_total": _("Terug: %(amount)s"),
        "refund_pin": _("Code van %(name)s"),
        "refund_done": _("Terugbetaald"),
        "void_done": _("Vergissing: de verkoop is ongedaan gemaakt"),
        "refund_card": _("Terug op de kaart: %(amount)s"),
        "refund_transfer": _(
            "Terug per overschrijving: %(amount)s. Een begeleider schrijft het terug naar de "
            "rekening waarvan het kwam."
        ),
        "refund_receipt": _("Ticket %(receipt)s, terugbetaling van %(original)s"),
    }


def order_texts() -> dict[str, str]:
    """Return the sentences of customer orders and the delivery round (till/js/orders.js)."""
    return {
        "order_pickup": _("Afhalen"),
        "order_delivery": _("Leveren"),
        "order_prepared": _("Klaar"),
        "order_paid": _("Betaald"),
        "order_paid_qr": _("Betaald met QR"),
        "order_ticked": _("afgevinkt"),
        "order_weigh": _("wegen"),
        "order_tick_all": _("Vink eerst alles af."),
        "order_collect": _("Te innen: %(amount)s"),
        "order_nothing_to_collect": _("Niets te innen: de klant betaalt op een andere manier."),
        "order_not_prepared": _("Nog niet klaargemaakt. Vraag een begeleider."),
        "orders_offline": _("Geen verbinding met de server. Probeer zo opnieuw."),
        "order_today": _("Vandaag"),
        "order_tomorrow": _("Morgen"),
        "order_no_slot": _("Geen uur"),
        "order_pay_on_collection": _("Bij afhalen of levering"),
        "order_pay_qr": _("QR-overschrijving"),
        "order_empty_basket": _(
            "Het mandje is leeg. Kies eerst de producten, dan Bestellingen en Nieuwe bestelling."
        ),
        "order_queued": _(
            "Bestelling bewaard op de tablet: ze gaat naar de server zodra die antwoordt."
        ),
        "round_offline": _(
            "Geen verbinding met de server. Je ziet de ronde zoals ze laatst geladen is."
        ),
    }


# The pictures of orders and the round: one OpenMoji pictogram for each.
ORDER_PICTOGRAMS = {
    "orders": "1F4CB",
    "pickup": "1F6CD",
    "delivery": "1F6B2",
    "clock": "1F552",
    "scale": "2696",
    "house": "1F3E0",
}


# The bistro's pictures: one OpenMoji pictogram for each, the same on every screen.
BISTRO_PICTOGRAMS = {
    "plate": "1F37D",
    "bag": "1F961",
    "time": "23F3",
    "note": "1F4DD",
    "onion": "1F9C5",
    "hot": "1F525",
    "ice": "1F9CA",
    "small": "1F90F",
    "no": "1F6AB",
    "move": "2194",
    "cook": "1F9D1-200D-1F373",
    "receipt": "1F9FE",
    "person": "1F9D1",
    "divide": "2797",
    "ready": "1F6CE",
}


@bp.get("/till")
def start() -> ResponseReturnValue:
    """Show the till's touch screens (the script sends an unpaired tablet to pairing)."""
    pictures = {
        name: url_for("till.pictogram", code=code) for name, code in BISTRO_PICTOGRAMS.items()
    } | {"attention": till_asset("icons/attention.svg")}
    order_pictures = {
        name: url_for("till.pictogram", code=code) for name, code in ORDER_PICTOGRAMS.items()
    }
    page = render_template(
        "till/till.html",
        texts=till_texts() | bistro_texts() | refund_texts() | order_texts(),
        bistro_pictures=pictures,
        order_pictures=order_pictures,
    )
    return revalidated(current_app.make_response(page))  # the service worker asks with its ETag


@bp.get("/till/pair")
def pair() -> ResponseReturnValue:
    """Show the pairing page where a manager enters the till's token."""
    return render_template("till/pair.html", texts=till_texts())


@bp.get("/till/manifest.webmanifest")
def manifest() -> ResponseReturnValue:
    """Describe the till as an installable, fullscreen web app."""
    icon = till_asset("icons/icon.svg")
    document = {
        "name": "PlusKassa",
        "short_name": "Kassa",
        "lang": "nl-BE",
        "start_url": url_for("till.start"),
        "scope": url_for("till.start"),
        "display": "fullscreen",
        "orientation": "any",
        "background_color": "#fffdf7",
        "theme_color": "#1f6f3f",
        "icons": [{"src": icon, "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }
    response = current_app.response_class(
        current_app.json.dumps(document), mimetype="application/manifest+json"
    )
    return response


@bp.get("/till/sw.js")
def service_worker() -> ResponseReturnValue:
    """Serve the service worker from /till/ so that it controls the till's pages."""
    response: Response = current_app.send_static_file("till/js/sw.js")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    for needless in ("Last-Modified", "Content-Disposition"):  # its ETag revalidates it
        response.headers.pop(needless, None)
    return response

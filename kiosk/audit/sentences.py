"""The audit log in plain words: one sentence per entry, in the reader's language.

The one place an entry becomes text, for the page, its CSV and the stored summary. `EVENTS` maps
each action to its label, its group and a writer (kiosk.audit.writers) that reads the entry's
stored fields; values are written by kiosk.audit.facts.value_text (money by kiosk.money,
quantities by kiosk.decimal_text, days by kiosk.periods). An entry its writer cannot read (a row
from before its fields were kept, an action nobody knows) falls back to its stored summary, else
to "field: before → after" with the field names translated where known: an old row never fails.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from kiosk.audit.facts import Facts, Writer, changes_text, field_changes, stored_fields
from kiosk.audit.writers import (
    about_till,
    about_user,
    cash_count,
    cash_float,
    cash_movement,
    cash_z,
    count_reversed,
    delivery_cancelled,
    delivery_corrected,
    delivery_received,
    einvoice_imported,
    export,
    ledger_account_changed,
    product_added,
    product_changed,
    products_bulk_changed,
    purchase_order_event,
    refund,
    stock_change,
    unlocked,
    user_added,
    user_changed,
    vending_event,
    wiped_sale,
)
from kiosk.models import AuditEntry


@dataclass(frozen=True)
class Event:
    """A kind of entry: what it is called, the group it is filtered by, how it reads."""

    label: LazyString
    group: str
    write: Writer | None = None


GROUPS: dict[str, LazyString] = {
    "access": _l("Aanmelden en toegang"),
    "catalog": _l("Producten en prijzen"),
    "stock": _l("Voorraad en leveringen"),
    "sales": _l("Terugbetalingen en annulaties"),
    "cash": _l("Kassa en geld"),
    "people": _l("Gebruikers en kassa's"),
    "files": _l("Exports en back-ups"),
}
#: the group of an action this table does not know, by the start of its name ("cash.reason")
GROUP_PREFIXES = {
    "cash": "cash",
    "stock": "stock",
    "delivery": "stock",
    "product": "catalog",
    "vending": "stock",
}

EVENTS: dict[str, Event] = {
    "login": Event(_l("Aangemeld"), "access", about_user(_l("%(name)s meldde zich aan"))),
    "login_failed": Event(
        _l("Aanmelden mislukt"),
        "access",
        lambda facts: _("Mislukte aanmelding als %(name)s", name=facts.entry.user_name),
    ),
    "pin_failed": Event(
        _l("Verkeerde pincode"),
        "access",
        lambda facts: _(
            "Verkeerde pincode voor %(name)s op kassa %(till)s",
            name=facts.user_name(),
            till=facts.till_name(),
        ),
    ),
    "unlock": Event(_l("Ontgrendeld"), "access", unlocked),
    "product_added": Event(_l("Product toegevoegd"), "catalog", product_added),
    "product_changed": Event(_l("Product gewijzigd"), "catalog", product_changed),
    "products_bulk_changed": Event(
        _l("Producten tegelijk gewijzigd"), "catalog", products_bulk_changed
    ),
    "stock_count": Event(
        _l("Telling (correctie)"),
        "stock",
        stock_change(_l("Voorraad van %(product)s in %(location)s geteld: %(old)s → %(new)s")),
    ),
    "stock_waste": Event(
        _l("Verlies"),
        "stock",
        stock_change(_l("Verlies van %(product)s in %(location)s: %(old)s → %(new)s")),
    ),
    "delivery.received": Event(_l("Levering ontvangen"), "stock", delivery_received),
    "delivery.corrected": Event(_l("Levering gecorrigeerd"), "stock", delivery_corrected),
    "delivery.cancelled": Event(_l("Levering geannuleerd"), "stock", delivery_cancelled),
    "stock_waste.reversed": Event(
        _l("Verlies ongedaan gemaakt"),
        "stock",
        stock_change(
            _l(
                "Verlies van %(product)s in %(location)s ongedaan gemaakt: %(old)s → %(new)s "
                "(reden: %(reason)s)"
            )
        ),
    ),
    "stock_count.reversed": Event(_l("Telling teruggedraaid"), "stock", count_reversed),
    "purchase_order.created": Event(
        _l("Bestelling gemaakt"),
        "stock",
        purchase_order_event(
            _l("Bestelling %(number)s bij %(producer)s gemaakt met %(lines)s regel(s)")
        ),
    ),
    "purchase_order.sent": Event(
        _l("Bestelling verstuurd"),
        "stock",
        purchase_order_event(_l("Bestelling %(number)s bij %(producer)s verstuurd")),
    ),
    "purchase_order.received": Event(
        _l("Bestelling ontvangen"),
        "stock",
        purchase_order_event(_l("Bestelling %(number)s van %(producer)s ontvangen")),
    ),
    "purchase_order.cancelled": Event(
        _l("Bestelling geannuleerd"),
        "stock",
        purchase_order_event(_l("Bestelling %(number)s bij %(producer)s geannuleerd")),
    ),
    "einvoice.imported": Event(_l("E-factuur ingelezen"), "stock", einvoice_imported),
    "vending.compartment": Event(
        _l("Vak van een automaat"),
        "stock",
        vending_event(
            _l("%(machine)s, vak %(number)s: %(product)s, %(capacity)s stuks, %(price_cents)s")
        ),
    ),
    "vending.compartment_removed": Event(
        _l("Vak van een automaat weg"),
        "stock",
        vending_event(_l("%(machine)s, vak %(number)s (%(product)s) weggenomen")),
    ),
    "vending.refilled": Event(
        _l("Automaat aangevuld"),
        "stock",
        vending_event(_l("%(machine)s aangevuld uit %(location)s: %(pieces)s stuks")),
    ),
    "vending.counted": Event(
        _l("Automaat geteld"),
        "stock",
        vending_event(
            _l(
                "%(machine)s geteld: %(sold)s stuks verkocht (%(total_cents)s), "
                "%(expired)s over datum"
            )
        ),
    ),
    "vending.emptied": Event(
        _l("Automaat geleegd"),
        "cash",
        vending_event(
            _l(
                "Geld uit %(machine)s: %(counted_cents)s geteld (verwacht %(expected_cents)s, "
                "verschil %(difference_cents)s)"
            )
        ),
    ),
    "till_paired": Event(
        _l("Kassa gekoppeld"), "people", about_till(_l("Kassa %(till)s gekoppeld"))
    ),
    "till_token_renewed": Event(
        _l("Nieuw kassatoken"), "people", about_till(_l("Kassa %(till)s kreeg een nieuw token"))
    ),
    "till_revoked": Event(
        _l("Kassa ontkoppeld"), "people", about_till(_l("Kassa %(till)s ontkoppeld"))
    ),
    "user_added": Event(_l("Gebruiker toegevoegd"), "people", user_added),
    "user_changed": Event(_l("Gebruiker gewijzigd"), "people", user_changed),
    "export": Event(_l("Export"), "files", export),
    "refund": Event(
        _l("Terugbetaling"), "sales", refund(_l("Terugbetaling bon %(receipt)s: %(payments)s"))
    ),
    "void": Event(
        _l("Vergissing geannuleerd"),
        "sales",
        refund(_l("Vergissing op bon %(receipt)s geannuleerd: %(payments)s")),
    ),
    "refused_sale.wiped": Event(_l("Niet aanvaarde verkoop gewist"), "sales", wiped_sale),
    "backup": Event(
        _l("Back-up"),
        "files",
        lambda facts: _("Back-up gemaakt: %(file)s", file=facts.after["file"]),
    ),
    "restore": Event(
        _l("Back-up teruggezet"),
        "files",
        lambda facts: _("Back-up %(file)s teruggezet", file=facts.subject_id),
    ),
    "cash.float": Event(_l("Wisselgeld"), "cash", cash_float),
    "cash.movement": Event(_l("Geld in of uit de kassa"), "cash", cash_movement),
    "cash.count": Event(_l("Kassa geteld"), "cash", cash_count),
    "cash.z": Event(_l("Z-rapport"), "cash", cash_z),
    "ledger_account_changed": Event(_l("Rekening gewijzigd"), "cash", ledger_account_changed),
    "customer_order.taken": Event(
        _l("Klantenbestelling genomen"),
        "sales",
        vending_event(_l("Bestelling %(order)s genomen voor %(day)s: %(total_cents)s")),
    ),
    "customer_order.changed": Event(
        _l("Klantenbestelling gewijzigd"),
        "sales",
        vending_event(_l("Bestelling %(order)s gewijzigd, voor %(day)s: %(total_cents)s")),
    ),
    "customer_order.cancelled": Event(
        _l("Klantenbestelling geannuleerd"),
        "sales",
        vending_event(_l("Bestelling %(order)s voor %(day)s geannuleerd")),
    ),
    "customer_order.prepared": Event(
        _l("Klantenbestelling klaargemaakt"),
        "sales",
        vending_event(_l("Bestelling %(order)s klaargemaakt: %(total_cents)s")),
    ),
    "customer_order.paid": Event(
        _l("Klantenbestelling betaald"),
        "sales",
        vending_event(_l("Bestelling %(order)s betaald met bon %(receipt)s: %(total_cents)s")),
    ),
    "customer_order.handed_over": Event(
        _l("Klantenbestelling meegegeven op factuur"),
        "sales",
        vending_event(
            _l(
                "Bestelling %(order)s meegegeven op factuur aan %(association)s, bon "
                "%(receipt)s: %(total_cents)s"
            )
        ),
    ),
    "customer_invoice.made": Event(
        _l("Maandfactuur gemaakt"),
        "sales",
        vending_event(
            _l(
                "Factuur %(invoice)s aan %(customer)s voor %(month)s: %(orders)s "
                "bestelling(en), %(total_cents)s"
            )
        ),
    ),
    "customer_invoice.paid": Event(
        _l("Maandfactuur betaald"),
        "sales",
        vending_event(_l("Factuur %(invoice)s aan %(customer)s betaald: %(total_cents)s")),
    ),
    "customer_orders.forgotten": Event(
        _l("Klantgegevens gewist"),
        "people",
        lambda facts: _(
            "Naam, telefoon, adres en opmerking gewist van %(orders)s klantenbestelling(en), "
            "%(days)s dagen na betaling, afgifte of annulering",
            orders=int(facts.after["orders"]),
            days=int(facts.after["days"]),
        ),
    ),
}


def action_label(action: str) -> str:
    """Name an action in the reader's language, or as stored when it has no name."""
    event = EVENTS.get(action)
    return str(event.label) if event is not None else action


def action_group(action: str) -> str:
    """Return the group an action is filtered by ("" when none fits)."""
    event = EVENTS.get(action)
    if event is not None:
        return event.group
    for prefix in (action.partition(".")[0], action.partition("_")[0]):
        if prefix in GROUP_PREFIXES:
            return GROUP_PREFIXES[prefix]
    return ""


def describe(entry: AuditEntry) -> str:
    """Write an entry as one sentence in the reader's language; never fail on an old row."""
    facts = Facts(entry, stored_fields(entry.before), stored_fields(entry.after))
    event = EVENTS.get(entry.action)
    if event is not None and event.write is not None:
        try:
            return period(event.write(facts))
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # written before these fields were kept: read it as the old rows are read
    if entry.summary:
        return entry.summary
    rows = field_changes(facts)
    return (
        period(f"{action_label(entry.action)}: {changes_text(rows)}")
        if rows
        else action_label(entry.action)
    )


def period(sentence: str) -> str:
    """End a sentence with a full stop, unless it ends with one (an abbreviation: "st.")."""
    return sentence if sentence.endswith(".") else sentence + "."

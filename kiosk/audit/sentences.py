"""The audit log in plain words: one sentence per entry, in the reader's language.

The one place an entry becomes text, for the page, its CSV and the stored summary. `EVENTS` maps
each action to its label, its group and a writer that reads the entry's stored fields; values are
written by `value_text` (money by kiosk.money, quantities by kiosk.decimal_text, days by
kiosk.periods). An entry its writer cannot read (a row from before its fields were kept, an action
nobody knows) falls back to its stored summary, else to "field: before → after" with the field
names translated where known: an old row never fails.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select

from kiosk.decimal_text import unit_quantity_text
from kiosk.extensions import db
from kiosk.models import AuditEntry, Location, Product, User
from kiosk.money import euro_text
from kiosk.periods import day_text


@dataclass(frozen=True)
class Facts:
    """What one entry holds, read safely: its fields before and after, and what it is about."""

    entry: AuditEntry
    before: dict[str, Any]
    after: dict[str, Any]

    @property
    def subject_id(self) -> str:
        """Return what follows the subject's kind: "12" of "product:12"."""
        return self.entry.subject.partition(":")[2]

    def subject_row(self, kind: str) -> int | None:
        """Return the row id of a subject of this kind ("product:12" → 12), else None."""
        named, _colon, ident = self.entry.subject.partition(":")
        fits = named == kind and ident.isascii() and ident.isdigit() and len(ident) < 10
        return int(ident) if fits else None

    def product(self) -> Product | None:
        """Return the product the entry is about, if it still exists."""
        ident = self.subject_row("product")
        return db.session.get(Product, ident) if ident is not None else None

    def product_name(self) -> str:
        """Return the product's name as the entry kept it, else as it is now."""
        product = self.product()
        named = self.after.get("name") or self.before.get("name")
        return str(named or (product.name if product else self.entry.subject))

    def user_name(self) -> str:
        """Return the name of the user the entry is about (its subject), else who acted."""
        ident = self.subject_row("user")
        user = db.session.get(User, ident) if ident is not None else None
        return user.name if user is not None else self.entry.user_name

    def location_name(self) -> str:
        """Return the name of the stock location the entry names by code, else the code."""
        code = self.after.get("location") or self.before.get("location")
        if not code:
            return "—"
        location = db.session.scalar(select(Location).where(Location.code == str(code)))
        return location.name if location is not None else str(code)

    def till_name(self) -> str:
        """Return the till the entry names, else the one it was written at."""
        if self.after.get("till_name") or self.after.get("till"):
            return str(self.after.get("till_name") or self.after["till"])
        till = self.entry.till
        return till.name or till.code if till is not None else "—"


Writer = Callable[[Facts], str]


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
GROUP_PREFIXES = {"cash": "cash", "stock": "stock", "delivery": "stock", "product": "catalog"}

FIELD_LABELS: dict[str, LazyString] = {
    "name": _l("Naam"),
    "price_cents": _l("Prijs"),
    "vat_class": _l("Btw-klasse"),
    "unit": _l("Eenheid"),
    "purchase_price_cents": _l("Aankoopprijs"),
    "barcode": _l("Streepjescode"),
    "active": _l("Actief"),
    "stock_tracked": _l("Voorraad bijhouden"),
    "minimum_stock_milli": _l("Minimumvoorraad"),
    "preparation": _l("Bereiding"),
    "category": _l("Categorie"),
    "producer": _l("Producent"),
    "points_of_sale": _l("Verkooppunten"),
    "on_hand_milli": _l("Voorraad"),
    "location": _l("Plaats"),
    "role": _l("Rol"),
    "has_password": _l("Wachtwoord"),
    "has_pin": _l("Pincode"),
    "password": _l("Wachtwoord"),
    "pin": _l("Pincode"),
    "revoked": _l("Ontkoppeld"),
    "total_cents": _l("Totaal"),
    "payments": _l("Betalingen"),
    "reason": _l("Reden"),
    "amount_cents": _l("Bedrag"),
    "opening_float_cents": _l("Wisselgeld"),
    "counted_cents": _l("Geteld"),
    "expected_cents": _l("Verwacht"),
    "difference_cents": _l("Verschil"),
}
VALUE_WORDS: dict[str, LazyString] = {
    "cash": _l("contant"),
    "card": _l("kaart"),
    "care": _l("zorggebruiker"),
    "staff": _l("medewerker"),
    "manager": _l("verantwoordelijke"),
    "gewijzigd": _l("gewijzigd"),  # a new password or PIN, never its value
}


def value_text(field: str, value: Any, unit: str | None = None) -> str:
    """Write one stored value for people: amounts in euro, quantities with their unit, yes/no."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if field.endswith("_cents") and isinstance(value, int):
        return euro_text(value)
    if field.endswith("_milli") and isinstance(value, int):
        return unit_quantity_text(value, unit or "piece")
    if field == "payments" and isinstance(value, dict):
        return ", ".join(
            f"{word(key)} {value_text('_cents', cents)}" for key, cents in value.items()
        )
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return word(str(value))


def word(value: str) -> str:
    """Translate a stored word people read (a payment method, a role); others stay as they are."""
    return str(VALUE_WORDS[value]) if value in VALUE_WORDS else value


def field_label(field: str) -> str:
    """Name a stored field in the reader's language, or as stored when it has no name."""
    return str(FIELD_LABELS.get(field, field))


def field_changes(facts: Facts, unit: str | None = None) -> list[tuple[str, str, str]]:
    """Return (label, before, after) of every field the entry names."""
    names = list(dict.fromkeys([*facts.before, *facts.after]))
    return [
        (
            field_label(name),
            value_text(name, facts.before.get(name), unit),
            value_text(name, facts.after.get(name), unit),
        )
        for name in names
    ]


def changes_text(rows: list[tuple[str, str, str]]) -> str:
    """Join changes as "Prijs: 3,80 € → 3,95 €; Actief: ja → nee"."""
    return "; ".join(f"{label}: {old} → {new}" for label, old, new in rows)


def product_changed(facts: Facts) -> str:
    """Write each changed field of a product: "Prijs van Boerenbrood: 3,80 € → 3,95 €"."""
    if not facts.after:
        raise KeyError("after")
    product = facts.product()
    name = facts.product_name()
    return "; ".join(
        _(
            "%(field)s van %(product)s: %(old)s → %(new)s",
            field=label,
            product=name,
            old=old,
            new=new,
        )
        for label, old, new in field_changes(facts, product.unit if product else None)
    )


def stock_change(template: LazyString) -> Writer:
    """Write a stock correction from the stock before and after it, in the product's unit."""

    def write(facts: Facts) -> str:
        product = facts.product()
        unit = product.unit if product else None
        return str(template) % {
            "product": facts.product_name(),
            "location": facts.location_name(),
            "old": value_text("_milli", facts.before["on_hand_milli"], unit),
            "new": value_text("_milli", facts.after["on_hand_milli"], unit),
        }

    return write


def refund(template: LazyString) -> Writer:
    """Write a refund or void with its receipt and the amounts paid back per method."""

    def write(facts: Facts) -> str:
        return str(template) % {
            "receipt": facts.subject_id,
            "payments": value_text("payments", facts.after["payments"]),
        }

    return write


def about_user(template: LazyString) -> Writer:
    """Write an entry about a user by name."""
    return lambda facts: str(template) % {"name": facts.user_name()}


def about_till(template: LazyString) -> Writer:
    """Write an entry about a till by name."""
    return lambda facts: str(template) % {"till": facts.till_name()}


def user_added(facts: Facts) -> str:
    """Write a new user with the role given."""
    return _(
        "Gebruiker %(name)s toegevoegd als %(role)s",
        name=facts.after["name"],
        role=word(facts.after["role"]),
    )


def user_changed(facts: Facts) -> str:
    """Write what changed about a user (a secret only as the fact that it changed)."""
    if not facts.after:
        raise KeyError("after")
    return _(
        "Gegevens van %(name)s gewijzigd: %(changes)s",
        name=facts.user_name(),
        changes=changes_text(field_changes(facts)),
    )


def product_added(facts: Facts) -> str:
    """Write a new product with its price."""
    return _(
        "Product %(name)s toegevoegd aan %(price)s",
        name=facts.after["name"],
        price=value_text("price_cents", facts.after["price_cents"]),
    )


def export(facts: Facts) -> str:
    """Write an export: what, which business days, which format."""
    what, file_format = facts.after["what"], facts.after.get("format") or "—"
    if facts.after.get("first_day") and facts.after.get("last_day"):
        return _(
            "Export %(what)s van %(first)s tot en met %(last)s (%(format)s)",
            what=what,
            first=day_text(date.fromisoformat(facts.after["first_day"])),
            last=day_text(date.fromisoformat(facts.after["last_day"])),
            format=file_format,
        )
    return _("Export %(what)s (%(format)s)", what=what, format=file_format)


def day_of(facts: Facts) -> str:
    """Return the business day an entry names, as Belgians write it."""
    return day_text(date.fromisoformat(facts.after["business_day"]))


def cash_float(facts: Facts) -> str:
    """Write the float a till's day was opened with."""
    return _(
        "Wisselgeld bij opening kassa %(till)s op %(day)s: %(amount)s",
        till=facts.till_name(),
        day=day_of(facts),
        amount=euro_text(facts.after["opening_float_cents"]),
    )


def cash_movement(facts: Facts) -> str:
    """Write cash put into or taken out of a drawer, with the reason."""
    amount = int(facts.after["amount_cents"])
    template = (
        _l("Geld in kassa %(till)s op %(day)s: %(amount)s (%(reason)s)")
        if amount > 0
        else _l("Geld uit kassa %(till)s op %(day)s: %(amount)s (%(reason)s)")
    )
    return str(template) % {
        "till": facts.till_name(),
        "day": day_of(facts),
        "amount": euro_text(abs(amount)),
        "reason": facts.after["reason"],
    }


def cash_count(facts: Facts) -> str:
    """Write a count of the drawer beside what was expected."""
    return _(
        "Kassa %(till)s geteld op %(day)s: %(counted)s (verwacht %(expected)s, "
        "verschil %(difference)s)",
        till=facts.till_name(),
        day=day_of(facts),
        counted=euro_text(facts.after["counted_cents"]),
        expected=euro_text(facts.after["expected_cents"]),
        difference=euro_text(facts.after["difference_cents"]),
    )


def cash_z(facts: Facts) -> str:
    """Write the Z report made for a till's day."""
    return _(
        "Z-rapport %(number)s van kassa %(till)s gemaakt voor %(day)s",
        number=facts.after["number"],
        till=facts.till_name(),
        day=day_of(facts),
    )


def delivery_received(facts: Facts) -> str:
    """Write a delivery booked in: from whom, where, how many lines."""
    lines = int(facts.after["lines"])
    producer = facts.after.get("producer") or _("onbekende producent")
    template = (
        _l("Levering van %(producer)s ontvangen in %(location)s: 1 lijn")
        if lines == 1
        else _l("Levering van %(producer)s ontvangen in %(location)s: %(lines)s lijnen")
    )
    return str(template) % {
        "producer": producer,
        "location": facts.location_name(),
        "lines": lines,
    }


UNLOCKED = {
    "user": _l("Gebruiker %(name)s ontgrendeld"),
    "name": _l("Naam %(name)s ontgrendeld"),
    "till": _l("Kassa %(name)s ontgrendeld"),
}


def unlocked(facts: Facts) -> str:
    """Write whose or what lock was lifted: a user by name, a typed name, a till, an address."""
    from kiosk.organisation.unlocking import parse_key  # it writes through this package itself

    key = parse_key(facts.entry.subject)
    user = db.session.get(User, key.user_id) if key.user_id is not None else None
    till = facts.entry.till
    name = user.name if user else till.code if till and key.kind == "till" else key.ident
    template = UNLOCKED.get(key.kind, _l("Adres %(name)s ontgrendeld"))
    return str(template) % {"name": name}


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


def stored_fields(text: str | None) -> dict[str, Any]:
    """Read a before or after column; anything but a JSON object reads as nothing."""
    try:
        values = json.loads(text) if text else {}
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}


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

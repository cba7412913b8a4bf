"""An audit entry's stored fields, read safely and written for people.

`Facts` reads an entry's before and after (broken JSON reads as nothing) and finds what it is
about; `value_text` writes each stored value once: money by kiosk.money, quantities by
kiosk.decimal_text, days by kiosk.periods, yes/no and known words in the reader's language.
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
from kiosk.payment_methods import METHODS
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
    "net_quantity": _l("Netto-inhoud"),
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
    **{method.code: method.word for method in METHODS},
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


def stored_fields(text: str | None) -> dict[str, Any]:
    """Read a before or after column; anything but a JSON object reads as nothing."""
    try:
        values = json.loads(text) if text else {}
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}


def day_of(facts: Facts) -> str:
    """Return the business day an entry names, as Belgians write it."""
    return day_text(date.fromisoformat(facts.after["business_day"]))

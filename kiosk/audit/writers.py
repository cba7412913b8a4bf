"""How each kind of audit entry reads: one writer per action, over the entry's `Facts`.

A writer raises KeyError, TypeError or ValueError when the entry lacks what it reads (an old
row); kiosk.audit.sentences then falls back to the stored summary.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from kiosk.audit.facts import (
    Facts,
    Writer,
    changes_text,
    day_of,
    field_changes,
    field_label,
    value_text,
    word,
)
from kiosk.extensions import db
from kiosk.models import User
from kiosk.money import euro_text
from kiosk.periods import BRUSSELS, day_text


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


#: how many products a bulk change's sentence names; the entry's fields keep them all
BULK_NAMED = 10


def products_bulk_changed(facts: Facts) -> str:
    """Write a bulk change: how many products, and each one's fields before → after."""
    before, after = facts.before["products"], facts.after["products"]
    parts = []
    for ident in list(after)[:BULK_NAMED]:
        old, new = before[ident], after[ident]
        fields = [key for key in new if key not in ("name", "unit")]
        rows = [
            (
                field_label(key),
                value_text(key, old.get(key), new.get("unit")),
                value_text(key, new[key], new.get("unit")),
            )
            for key in fields
        ]
        parts.append(f"{new['name']} ({changes_text(rows)})")
    others = len(after) - BULK_NAMED
    text = _(
        "%(count)s producten tegelijk gewijzigd: %(changes)s",
        count=len(after),
        changes="; ".join(parts),
    )
    return text + (" " + _("en %(count)s andere", count=others) if others > 0 else "")


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
            "reason": facts.after.get("reason") or "—",
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
    """Write a count of the drawer beside what was expected, with the reason for a difference."""
    return _(
        "Kassa %(till)s geteld op %(day)s: %(counted)s (verwacht %(expected)s, "
        "verschil %(difference)s)",
        till=facts.till_name(),
        day=day_of(facts),
        counted=euro_text(facts.after["counted_cents"]),
        expected=euro_text(facts.after["expected_cents"]),
        difference=euro_text(facts.after["difference_cents"]),
    ) + reason_of(facts)


def reason_of(facts: Facts) -> str:
    """Write the reason given for a count's difference, if one was given."""
    reason = facts.after.get("difference_reason")
    return _("; reden: %(reason)s", reason=reason) if reason else ""


def ledger_account_changed(facts: Facts) -> str:
    """Write a changed ledger account: "Rekening voor Kas: 570000 → 570100 (Kas winkel)"."""
    return _(
        "Rekening voor %(label)s: %(old)s → %(new)s (%(new_label)s)",
        label=facts.before["label"],
        old=facts.before["number"],
        new=facts.after["number"],
        new_label=facts.after["label"],
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


def delivery_named(facts: Facts) -> dict[str, object]:
    """Return the delivery's number, producer and the correction's reason, for its sentence."""
    return {
        "delivery": facts.subject_id,
        "producer": facts.after.get("producer") or _("onbekende producent"),
        "reason": facts.after["reason"],
    }


def line_change(old: dict, new: dict) -> str:
    """Write how one delivered line changed: "Boerenbrood: 10 stuks → 7 stuks"."""
    unit = new.get("unit")
    changes = [
        f"{value_text('_milli', old[name], unit)} → {value_text('_milli', new[name], unit)}"
        if name == "quantity_milli"
        else f"{field_label(name).lower()} {value_text(name, old[name])} → "
        f"{value_text(name, new[name])}"
        for name in ("quantity_milli", "purchase_price_cents")
        if old[name] != new[name]
    ]
    return f"{new['product']}: {', '.join(changes)}"


def delivery_corrected(facts: Facts) -> str:
    """Write a delivery's corrected lines, before → after, and the reason."""
    changes = "; ".join(
        line_change(old, new)
        for old, new in zip(facts.before["lines"], facts.after["lines"], strict=True)
    )
    return _(
        "Levering %(delivery)s van %(producer)s gecorrigeerd: %(changes)s (reden: %(reason)s)",
        changes=changes,
        **delivery_named(facts),
    )


def delivery_cancelled(facts: Facts) -> str:
    """Write a delivery reversed as a whole, and the reason."""
    return _(
        "Levering %(delivery)s van %(producer)s geannuleerd, alle lijnen teruggeboekt "
        "(reden: %(reason)s)",
        **delivery_named(facts),
    )


def count_reversed(facts: Facts) -> str:
    """Write a count undone: where, for which products, and the reason."""
    return _(
        "Telling in %(location)s teruggedraaid voor %(products)s (reden: %(reason)s)",
        location=facts.location_name(),
        products=", ".join(facts.after["products"]),
        reason=facts.after["reason"],
    )


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


def purchase_order_event(template: LazyString) -> Writer:
    """Write a step of a purchase order: its number and producer (and lines when made)."""

    def write(facts: Facts) -> str:
        return str(template) % {
            "number": int(facts.after["number"]),
            "producer": facts.after["producer"],
            "lines": int(facts.after["lines"]),
        }

    return write


def einvoice_imported(facts: Facts) -> str:
    """Write an imported e-invoice: its number, producer and how many lines were matched."""
    return _(
        "E-factuur %(invoice)s van %(producer)s ingelezen: %(matched)s van %(lines)s regel(s) "
        "herkend",
        invoice=facts.after["invoice"],
        producer=facts.after["producer"],
        matched=int(facts.after["matched"]),
        lines=int(facts.after["lines"]),
    )


def vending_event(template: LazyString) -> Writer:
    """Write a vending machine's compartment, refill, count or emptying from its stored fields."""

    def write(facts: Facts) -> str:
        stored = {**facts.before, **facts.after}
        return str(template) % {
            key: euro_text(value) if key.endswith("_cents") else value
            for key, value in stored.items()
        }

    return write


def wiped_sale(facts: Facts) -> str:
    """Write a refused sale staff wiped at a till: when, what, how paid, and why refused."""
    rung_up_at = datetime.fromisoformat(facts.after["rung_up_at"]).astimezone(BRUSSELS)
    lines = [
        f"{quantity} × {name}" if "." not in quantity else f"{quantity.replace('.', ',')} kg {name}"
        for name, quantity in facts.after["lines"]
    ]
    return _(
        "Niet aanvaarde verkoop van %(day)s om %(time)s gewist aan kassa %(till)s door %(name)s: "
        "%(lines)s; totaal %(total)s; betaald: %(payments)s. Geweigerd: %(message)s",
        day=day_text(rung_up_at.date()),
        time=rung_up_at.strftime("%H:%M"),
        till=facts.till_name(),
        name=facts.entry.user_name,
        lines=", ".join(lines) or "—",
        total=euro_text(int(facts.after["total_cents"])),
        payments=value_text("payments", facts.after["payments"]) or "—",
        message=facts.after["message"],
    ) + wiped_earlier(facts)


def wiped_earlier(facts: Facts) -> str:
    """Say when a wiped sale was wiped, if that was another day than its report arrived."""
    if "wiped_at" not in facts.after:
        return ""
    wiped_at = datetime.fromisoformat(facts.after["wiped_at"]).astimezone(BRUSSELS)
    if wiped_at.date() == facts.entry.created_at.astimezone(BRUSSELS).date():
        return ""
    return " " + _(
        "Gewist op %(day)s om %(time)s, zonder verbinding; het verslag kwam later aan.",
        day=day_text(wiped_at.date()),
        time=wiped_at.strftime("%H:%M"),
    )

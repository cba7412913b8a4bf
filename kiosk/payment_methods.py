"""The payment methods a customer can pay with: one home for their codes, names and postings.

Receipts, X and Z reports, the turnover page, the back office, the audit log, the journal and
its ledger accounts, and the API's enumerations all read this table. A method's `name` is the
fixed Dutch word printed on receipts and written to the accountant's files (never translated);
its `label` is the same word for screens, in the chosen language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from kiosk.models.types import PaymentMethod


@dataclass(frozen=True)
class Method:
    """One way to pay: its code, its names and the ledger account its receipts go to."""

    code: str
    #: on receipts, X and Z reports on paper (the receipt is Dutch)
    name: str
    #: on screens, in the chosen language
    label: LazyString
    #: inside a sentence of the audit log
    word: LazyString
    #: how a sentence on screen says it was paid: "met de kaart"
    paid_with: LazyString
    #: the journal's description of this method's receipts (a fixed text in the file)
    journal_text: str
    posting: str
    account: str
    account_label: str
    #: rounded to 5 cents, gives change, counted in the drawer
    cash: bool = False
    #: a till may take it (a point of sale offers it, POST /api/v1/sales accepts it)
    at_till: bool = True


METHODS: tuple[Method, ...] = (
    Method(
        PaymentMethod.CASH,
        "Contant",
        _l("Contant"),
        _l("contant"),
        _l("contant"),
        "Ontvangsten contant",
        "kas",
        "570000",
        "Kas",
        cash=True,
    ),
    Method(
        PaymentMethod.CARD,
        "Kaart",
        _l("Kaart"),
        _l("kaart"),
        _l("met de kaart"),
        "Ontvangsten kaart",
        "kaart",
        "580000",
        "Interne overboekingen: kaartbetalingen onderweg",
    ),
    # a transfer the customer's bank app makes from the EPC QR code; it reaches the shop's bank
    # account on its own, so it is in transit (580000) until the bank statement books it
    Method(
        PaymentMethod.QR,
        "QR-overschrijving",
        _l("QR-overschrijving"),
        _l("QR-overschrijving"),
        _l("met QR-overschrijving"),
        "Ontvangsten QR-overschrijving",
        "qr",
        "580000",
        "Interne overboekingen: QR-overschrijvingen onderweg",
    ),
    # an order handed over on an association's monthly invoice: the customer owes it (trade
    # debtors, 400000) until the transfer arrives; only the hand-over makes it, never a till
    Method(
        PaymentMethod.INVOICE,
        "Op factuur",
        _l("Op factuur"),
        _l("op factuur"),
        _l("op factuur"),
        "Verkopen op factuur",
        "factuur",
        "400000",
        "Handelsdebiteuren",
        at_till=False,
    ),
)
BY_CODE: dict[str, Method] = {method.code: method for method in METHODS}
CODES: tuple[str, ...] = tuple(BY_CODE)
CASH_METHODS: frozenset[str] = frozenset(method.code for method in METHODS if method.cash)
#: the methods a till may take: what a point of sale offers and POST /api/v1/sales accepts
TILL_METHODS: tuple[Method, ...] = tuple(method for method in METHODS if method.at_till)
TILL_CODES: tuple[str, ...] = tuple(method.code for method in TILL_METHODS)


def method_name(code: str) -> str:
    """Return the fixed Dutch name of a method for receipts and reports: `Contant`, `Kaart`."""
    method = BY_CODE.get(code)
    return method.name if method else code


def paid_with(codes: Iterable[str], *, either: bool = False) -> LazyString:
    """Say how these methods paid, in the chosen language: "met de kaart en met …".

    With `either`, how one of them may pay: "met de kaart of met QR-overschrijving".
    """
    named = set(codes)
    words = [BY_CODE[code].paid_with for code in CODES if code in named]
    if not words:  # codes no method has (refused before a sale is settled)
        return LazyString(lambda: ", ".join(sorted(named)))
    phrase = words[0]
    for word in words[1:]:
        phrase = (
            _l("%(first)s of %(then)s", first=phrase, then=word)
            if either
            else _l("%(first)s en %(then)s", first=phrase, then=word)
        )
    return phrase


def method_label(code: str) -> str:
    """Return a method's name on screen, in the chosen language."""
    method = BY_CODE.get(code)
    return str(method.label) if method else code


def journal_text(code: str) -> str:
    """Return the journal's description of the receipts of a method: `Ontvangsten kaart`."""
    method = BY_CODE.get(code)
    return method.journal_text if method else f"Ontvangsten {code}"

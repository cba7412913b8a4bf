"""Ledger accounts for the journal: each kind of posting, its MAR default and a manager's own.

The defaults follow the Belgian minimum chart of accounts (MAR/PCMN): turnover 700000-700199
per VAT rate and consumption, VAT payable 451000-451099 per rate, cash 570000, card receipts
and cash on its way to the bank on 580000 (internal transfers, cleared by the bank statement
against 550000), cash put in or taken out for another reason on 499000 (suspense account, the
accountant books it on), cash differences and cash rounding on 657000 (loss) and 757000 (gain).
A manager changes any of them on /admin/accounts; a changed account is a row of `ledger_account`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk.audit.log import record
from kiosk.decimal_text import rate_text
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import LedgerAccount, VatRate
from kiosk.models.rules import basis_points_to_rate
from kiosk.models.types import Consumption
from kiosk.payment_methods import BY_CODE, METHODS

#: the journal's words for where a customer consumes
CONSUMPTION_WORDS: dict[str, str] = {
    Consumption.TAKEAWAY.value: "meenemen",
    Consumption.EAT_IN.value: "ter plaatse",
}
#: an account number: digits only, 3 to 10 of them
MIN_DIGITS, MAX_DIGITS = 3, 10


@dataclass(frozen=True)
class Account:
    """The ledger account one kind of posting goes to."""

    posting: str
    number: str
    label: str
    changed: bool = False


#: postings that do not depend on a VAT rate: (key, MAR number, label)
FIXED_POSTINGS = (
    *((method.posting, method.account, method.account_label) for method in METHODS),
    ("naar_bank", "580000", "Interne overboekingen: kas naar de bank"),
    ("kas_in_uit", "499000", "Wachtrekening: geld in of uit de kas"),
    ("kasverschil_tekort", "657000", "Kasverschillen: tekort"),
    ("kasverschil_overschot", "757000", "Kasverschillen: overschot"),
    ("afronding_verlies", "657000", "Afrondingsverschillen contant: verlies"),
    ("afronding_winst", "757000", "Afrondingsverschillen contant: winst"),
)


def turnover_posting(rate_basis_points: int, consumption: str) -> str:
    """Return the posting key of turnover at a rate and consumption: `omzet_600_takeaway`."""
    return f"omzet_{rate_basis_points}_{consumption}"


def vat_posting(rate_basis_points: int) -> str:
    """Return the posting key of VAT payable at a rate: `btw_600`."""
    return f"btw_{rate_basis_points}"


def method_posting(method: str) -> str:
    """Return the posting key of receipts paid by a method: each known method has its own."""
    known = BY_CODE.get(method)
    return known.posting if known else f"betaling_{method}"


def default_account(posting: str) -> Account:
    """Return the MAR default for a posting key (a rate's accounts end in the rate: 700006)."""
    for key, number, label in FIXED_POSTINGS:
        if key == posting:
            return Account(posting, number, label)
    kind, _, rest = posting.partition("_")
    points, _, consumption = rest.partition("_")
    if not points.isdigit():  # another payment method: the suspense account
        return Account(posting, "499000", f"Wachtrekening: {rest}")
    rate = rate_text(basis_points_to_rate(int(points)))
    digits = f"{int(points) // 100:02d}"[-2:]
    if kind == "btw":
        return Account(posting, f"4510{digits}", f"Te betalen btw {rate}%")
    word = CONSUMPTION_WORDS.get(consumption, consumption)
    eat_in = consumption == Consumption.EAT_IN
    return Account(posting, f"700{1 if eat_in else 0}{digits}", f"Omzet {rate}% {word}")


def known_postings() -> list[str]:
    """Return every posting key the page lists: the fixed ones, then per rate in the rules."""
    rates = db.session.execute(
        select(VatRate.rate_basis_points, VatRate.consumption).distinct()
    ).all()
    turnover = sorted({(int(points), str(consumption)) for points, consumption in rates})
    return [
        *(turnover_posting(points, consumption) for points, consumption in turnover),
        *(vat_posting(points) for points in sorted({points for points, _ in turnover})),
        *(key for key, _, _ in FIXED_POSTINGS),
    ]


def get_accounts() -> dict[str, Account]:
    """Return the accounts a manager changed, by posting key."""
    return {
        row.posting: Account(row.posting, row.number, row.label, changed=True)
        for row in db.session.scalars(select(LedgerAccount))
    }


def account_for(posting: str, changed: dict[str, Account]) -> Account:
    """Return the account of a posting: the manager's, else the MAR default."""
    return changed.get(posting) or default_account(posting)


def get_account_list() -> list[Account]:
    """Return every posting the page lists with its account, the changed ones marked."""
    changed = get_accounts()
    postings = known_postings()
    return [
        account_for(posting, changed)
        for posting in [*postings, *sorted(set(changed) - set(postings))]
    ]


def set_account(posting: str, number: str, label: str) -> Account:
    """Give a posting another account number and label (audited); refuse a malformed number."""
    number, label = number.strip(), " ".join(label.split())
    if not (number.isascii() and number.isdigit() and MIN_DIGITS <= len(number) <= MAX_DIGITS):
        raise OperationError(
            422,
            "invalid_account",
            _l("Een rekeningnummer heeft 3 tot 10 cijfers, bv. 700006."),
        )
    if not label or len(label) > 120:
        raise OperationError(
            422, "invalid_label", _l("Geef de rekening een naam van 1 tot 120 tekens.")
        )
    before = account_for(posting, get_accounts())
    row = db.session.scalar(select(LedgerAccount).filter_by(posting=posting))
    if row is None:
        row = LedgerAccount(posting=posting)
        db.session.add(row)
    row.number, row.label = number, label
    if (before.number, before.label) != (number, label):
        record(
            "ledger_account_changed",
            subject=f"ledger:{posting}",
            summary=f"Rekening voor {before.label}: {before.number} → {number} ({label}).",
            before={"number": before.number, "label": before.label},
            after={"number": number, "label": label},
        )
    return Account(posting, number, label, changed=True)

"""Belgian money rules as pure functions over integer cents.

Nothing here touches the database or needs a Flask app: every rule a receipt, a report or the
till depends on lives in one place, typed, and is covered by property tests
(tests/kiosk/test_money.py). A refusal's text is lazy: it is translated when it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from kiosk import payment_methods
from kiosk.errors import Message, OperationError

#: Euro notes and coins, largest first, in cents. Change is given in these.
EURO_PIECES: tuple[int, ...] = (
    50000,
    20000,
    10000,
    5000,
    2000,
    1000,
    500,  # notes
    200,
    100,
    50,
    20,
    10,
    5,
    2,
    1,  # coins
)

#: Payment methods whose part of the total is rounded to 5 cents (kiosk/payment_methods.py).
CASH_METHODS = payment_methods.CASH_METHODS


class PaymentError(OperationError, ValueError):
    """A payment that cannot settle a sale; `code` is the API's error code."""

    def __init__(self, code: str, message: Message) -> None:
        super().__init__(422, code, message)


def round_half_up(value: Decimal) -> int:
    """Round a decimal amount of cents to whole cents, halves away from zero."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def line_amount_cents(unit_price_cents: int, quantity: Decimal) -> int:
    """Price a line: unit price × quantity (pieces or kg), rounded half-up to the cent."""
    return round_half_up(Decimal(unit_price_cents) * quantity)


def vat_included_cents(gross_cents: int, rate: Decimal) -> int:
    """Return the VAT contained in a VAT-inclusive amount at `rate` percent."""
    return round_half_up(Decimal(gross_cents) * rate / (Decimal(100) + rate))


@dataclass(frozen=True)
class VatSummary:
    """The base, VAT and total of one VAT rate on a receipt."""

    rate: Decimal
    base_cents: int
    vat_cents: int
    total_cents: int


def vat_breakdown(lines: Iterable[tuple[Decimal, int]]) -> list[VatSummary]:
    """Sum VAT-inclusive line amounts per rate and split each sum into base and VAT.

    VAT is computed once per rate over that rate's gross (README, "Money rules"), never per line,
    so the receipt's per-rate figures are what the law asks for. Rates come out lowest first.
    """
    gross: dict[Decimal, int] = {}
    for rate, amount_cents in lines:
        gross[rate] = gross.get(rate, 0) + amount_cents
    summaries = []
    for rate in sorted(gross):
        vat = vat_included_cents(gross[rate], rate)
        summaries.append(VatSummary(rate, gross[rate] - vat, vat, gross[rate]))
    return summaries


def share_out(total: int, weights: Sequence[int]) -> list[int]:
    """Share whole cents out in proportion to integer weights, adding up to `total` exactly.

    The one rounding rule of every breakdown (README, "Money rules"): each share is its exact
    part rounded down, and the cents left over go to the largest remainders, earliest first on
    a tie, in exact integers: reports, commissions and split bills all call this.
    Weights may be negative (refund lines); weights that cancel out share the total equally.
    """
    if len(weights) == 1:
        return [total]
    if not weights:
        if total:
            raise ValueError(f"{total} cannot be shared over nothing")
        return []
    whole = sum(weights)
    if whole == 0:
        weights, whole = [1] * len(weights), len(weights)
    sign = 1 if whole > 0 else -1
    numerators = [total * weight * sign for weight in weights]
    divisor = whole * sign
    shares = [numerator // divisor for numerator in numerators]
    left = total - sum(shares)
    by_remainder = sorted(
        range(len(weights)), key=lambda i: (shares[i] * divisor - numerators[i], i)
    )
    for index in by_remainder[:left]:
        shares[index] += 1
    return shares


def cash_round(cents: int) -> int:
    """Round an amount to the nearest 5 cents (Belgian cash rounding; 1,2,6,7 down, 3,4,8,9 up)."""
    sign = -1 if cents < 0 else 1
    magnitude = abs(cents)
    return sign * ((magnitude + 2) // 5 * 5)


def change_pieces(cents: int, pieces: Sequence[int] = EURO_PIECES) -> list[tuple[int, int]]:
    """Split change into the fewest notes and coins, largest first, as (value_cents, count)."""
    if cents < 0:
        raise ValueError("change cannot be negative")
    result = []
    for value in pieces:
        count, cents = divmod(cents, value)
        if count:
            result.append((value, count))
    return result


@dataclass(frozen=True)
class Settlement:
    """How a sale's payments settle its total."""

    total_cents: int
    rounding_cents: int
    change_cents: int
    cash_received_cents: int
    cash_kept_cents: int

    @property
    def payable_cents(self) -> int:
        """Return what the customer pays after cash rounding."""
        return self.total_cents + self.rounding_cents


def cash_limit_message(cash_limit_cents: int, other_methods: Iterable[str]) -> Message:
    """Say how much may be paid in cash, and how the rest may be paid here, if at all."""
    limit = format_euro(cash_limit_cents)
    others = [code for code in other_methods if code not in CASH_METHODS]
    if not others:
        return _l(
            "Contant betalen kan tot %(limit)s euro, en deze kassa neemt geen andere betaalwijze "
            "aan. Vraag een verantwoordelijke.",
            limit=limit,
        )
    return _l(
        "Contant betalen kan tot %(limit)s euro. Betaal de rest %(rest)s.",
        limit=limit,
        rest=payment_methods.paid_with(others, either=True),
    )


def settle(
    total_cents: int,
    payments: Mapping[str, int],
    *,
    cash_limit_cents: int | None = None,
    other_methods: Iterable[str] = (payment_methods.PaymentMethod.CARD,),
) -> Settlement:
    """Settle a total with payments per method; raise PaymentError if they cannot.

    Above the cash limit the refusal names `other_methods`, the ways the rest may be paid (the
    point of sale's methods but cash), or says there are none.

    Our reading of the Belgian rule for mixed payments: non-cash payments are applied first and
    are never rounded; only the part left to pay in cash is rounded to 5 cents. Change comes
    only out of cash. Correct the rule here, in one place, if the reading changes.
    """
    if total_cents < 0:
        raise ValueError("settle() is for sales; refunds are settled separately")
    cash_received = sum(amount for method, amount in payments.items() if method in CASH_METHODS)
    other = sum(amount for method, amount in payments.items() if method not in CASH_METHODS)
    if other > total_cents:
        paid_with = payment_methods.paid_with(m for m in payments if m not in CASH_METHODS)
        raise PaymentError(
            "overpayment",
            _l(
                "Er is meer %(paid_with)s betaald dan het totaal. Pas het bedrag aan.",
                paid_with=paid_with,
            ),
        )
    cash_due = total_cents - other
    rounded_due = cash_round(cash_due) if cash_received else cash_due
    if cash_received < rounded_due:
        raise PaymentError("insufficient_payment", _l("Er is te weinig betaald."))
    if cash_limit_cents is not None and rounded_due > cash_limit_cents:
        message = cash_limit_message(cash_limit_cents, other_methods)
        raise PaymentError("cash_limit_exceeded", message)
    return Settlement(
        total_cents=total_cents,
        rounding_cents=rounded_due - cash_due,
        change_cents=cash_received - rounded_due,
        cash_received_cents=cash_received,
        cash_kept_cents=rounded_due,
    )


def format_euro(cents: int) -> str:
    """Format cents as a Belgian amount string, e.g. 125050 → '1.250,50'."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros:,}".replace(",", ".") + f",{rest:02d}"


def euro_text(cents: int) -> str:
    """Write cents as an amount people read, with its sign: '1.250,50 €'."""
    return f"{format_euro(cents)} €"

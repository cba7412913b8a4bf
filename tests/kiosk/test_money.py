"""Property tests for the Belgian money rules in kiosk/money.py, against integer-only oracles."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from flask import Flask
from flask_babel import force_locale
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from kiosk import money
from kiosk.errors import OperationError
from kiosk.money import EURO_PIECES, PaymentError
from kiosk.sales import operations as sale_operations

settings.register_profile("money", deadline=None)  # never fail on a slow machine
settings.load_profile("money")

RATES_BP = [0, 550, 600, 1200, 2100]  # basis points, as the vat_rate table stores them
cents = st.integers(min_value=0, max_value=10_000_000)
signed_cents = st.integers(min_value=-10_000_000, max_value=10_000_000)
rates_bp = st.sampled_from(RATES_BP)


def rate(basis_points: int) -> Decimal:
    """Turn basis points into the percentage money.py works with."""
    return Decimal(basis_points) / 100


def is_cents(value: object) -> bool:
    """Return whether a value is a plain int (not a bool, not a float, not a Decimal)."""
    return type(value) is int


def half_up_division(numerator: int, denominator: int) -> int:
    """Divide integers rounding halves away from zero, without Decimal or float."""
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    numerator, denominator = abs(numerator), abs(denominator)
    return sign * ((2 * numerator + denominator) // (2 * denominator))


def oracle_vat(gross: int, basis_points: int) -> int:
    """VAT in a VAT-inclusive amount: gross × r / (100 + r), half-up, in integers."""
    return half_up_division(gross * basis_points, 10_000 + basis_points)


def fewest_pieces_table(limit: int) -> list[int]:
    """Return the minimum number of euro pieces for every amount up to `limit` (DP)."""
    best = [0] + [limit + 1] * limit
    for amount in range(1, limit + 1):
        best[amount] = 1 + min(best[amount - p] for p in EURO_PIECES if p <= amount)
    return best


FEWEST = fewest_pieces_table(5_000)


# round_half_up, line_amount_cents, vat_included_cents


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2.5", 3), ("-2.5", -3), ("2.49", 2), ("864.03", 864), ("0.5", 1), ("-0.4", 0)],
)
def test_round_half_up_examples(value: str, expected: int) -> None:
    assert money.round_half_up(Decimal(value)) == expected
    assert is_cents(money.round_half_up(Decimal(value)))


@given(st.integers(-(10**9), 10**9), st.integers(1, 10_000))
def test_round_half_up_matches_integer_division(numerator: int, denominator: int) -> None:
    result = money.round_half_up(Decimal(numerator) / Decimal(denominator))
    assert result == half_up_division(numerator, denominator)
    assert is_cents(result)


@pytest.mark.parametrize(
    ("price", "quantity", "expected"),
    [(2490, "0.347", 864), (380, "2", 760), (1999, "0.125", 250), (1, "0.500", 1), (1, "0.499", 0)],
)
def test_line_amount_examples(price: int, quantity: str, expected: int) -> None:
    assert money.line_amount_cents(price, Decimal(quantity)) == expected


@given(st.integers(0, 100_000), st.integers(1, 500_000))
def test_weighed_line_is_price_per_kg_times_kg_half_up(price_per_kg: int, grams: int) -> None:
    result = money.line_amount_cents(price_per_kg, Decimal(grams) / 1000)
    assert result == half_up_division(price_per_kg * grams, 1000)
    assert is_cents(result)


@given(st.integers(0, 100_000), st.integers(1, 999))
def test_piece_line_is_exact(price: int, pieces: int) -> None:
    result = money.line_amount_cents(price, Decimal(pieces))
    assert result == price * pieces
    assert is_cents(result)


@given(signed_cents, rates_bp)
def test_vat_included_matches_formula(gross: int, basis_points: int) -> None:
    vat = money.vat_included_cents(gross, rate(basis_points))
    assert vat == oracle_vat(gross, basis_points)
    assert is_cents(vat)
    assert money.vat_included_cents(-gross, rate(basis_points)) == -vat


# vat_breakdown

line_lists = st.lists(st.tuples(rates_bp, signed_cents), max_size=30)


@given(line_lists)
def test_vat_breakdown_per_rate(lines: list[tuple[int, int]]) -> None:
    summaries = money.vat_breakdown((rate(bp), amount) for bp, amount in lines)
    gross: dict[int, int] = {}
    for bp, amount in lines:
        gross[bp] = gross.get(bp, 0) + amount
    assert [s.rate for s in summaries] == [rate(bp) for bp in sorted(gross)]
    for summary in summaries:
        bp = int(summary.rate * 100)
        assert summary.total_cents == gross[bp]
        assert summary.vat_cents == oracle_vat(gross[bp], bp)
        assert summary.base_cents + summary.vat_cents == summary.total_cents
        assert all(map(is_cents, (summary.base_cents, summary.vat_cents, summary.total_cents)))


def test_vat_breakdown_known_examples() -> None:
    (six,) = money.vat_breakdown([(Decimal(6), 1000)])
    assert (six.rate, six.base_cents, six.vat_cents, six.total_cents) == (6, 943, 57, 1000)
    summaries = money.vat_breakdown(
        [(Decimal(21), 1250), (Decimal(6), 380), (Decimal(21), 250), (Decimal(6), 380)]
    )
    assert [(s.rate, s.base_cents, s.vat_cents, s.total_cents) for s in summaries] == [
        (6, 717, 43, 760),
        (21, 1240, 260, 1500),
    ]


def test_vat_is_computed_once_per_rate_not_per_line() -> None:
    # ten lines of 10 cents at 6 %: 1 cent each per line, but 6 cents over the rate's gross
    (summary,) = money.vat_breakdown([(Decimal(6), 10)] * 10)
    assert (summary.vat_cents, summary.base_cents) == (6, 94)
    assert money.vat_breakdown([]) == []


# cash_round


@given(st.integers(-(10**9), 10**9))
def test_cash_round_properties(amount: int) -> None:
    rounded = money.cash_round(amount)
    assert is_cents(rounded)
    assert rounded % 5 == 0
    assert abs(rounded - amount) <= 2
    assert money.cash_round(-amount) == -rounded
    assert money.cash_round(rounded) == rounded


@pytest.mark.parametrize(
    ("ending", "offset"),
    [(0, 0), (1, -1), (2, -2), (3, 2), (4, 1), (5, 0), (6, -1), (7, -2), (8, 2), (9, 1)],
)
@given(tens=st.integers(0, 10**7))
def test_cash_round_by_last_digit(ending: int, offset: int, tens: int) -> None:
    amount = tens * 10 + ending
    assert money.cash_round(amount) == amount + offset
    assert money.cash_round(-amount) == -(amount + offset)


# change_pieces


@given(st.integers(0, 5_000))
def test_change_pieces_are_fewest(amount: int) -> None:
    pieces = money.change_pieces(amount)
    assert sum(value * count for value, count in pieces) == amount
    assert sum(count for _, count in pieces) == FEWEST[amount]


@given(cents)
def test_change_pieces_largest_first_without_zero_counts(amount: int) -> None:
    pieces = money.change_pieces(amount)
    assert sum(value * count for value, count in pieces) == amount
    values = [value for value, _ in pieces]
    assert values == sorted(set(values), reverse=True)
    assert set(values) <= set(EURO_PIECES)
    assert all(is_cents(count) and count >= 1 for _, count in pieces)
    # below the largest note, a fewest split never uses a piece twice as often as it could
    assert all(count * value < next_larger for (value, count), next_larger in large_pairs(pieces))


def large_pairs(pieces: list[tuple[int, int]]) -> list[tuple[tuple[int, int], int]]:
    """Pair each used piece below €500 with the next larger euro piece."""
    ordered = list(EURO_PIECES)
    return [((v, c), ordered[ordered.index(v) - 1]) for v, c in pieces if v != ordered[0]]


def test_change_pieces_examples() -> None:
    assert money.change_pieces(0) == []
    assert money.change_pieces(240) == [(200, 1), (20, 2)]
    every_piece_once = [(v, 1) for v in (5000, 2000, 1000, 500, 200, 100, 50, 20, 10)]
    assert money.change_pieces(8880) == every_piece_once
    with pytest.raises(ValueError):
        money.change_pieces(-5)


# settle


def check_invariants(settlement: money.Settlement, payments: dict[str, int]) -> None:
    """Assert what holds for every settlement: money adds up, change never negative, ints."""
    card = sum(a for m, a in payments.items() if m != "cash")
    cash = payments.get("cash", 0)
    assert (
        settlement.total_cents + settlement.rounding_cents == card + cash - settlement.change_cents
    )
    assert settlement.change_cents >= 0
    assert abs(settlement.rounding_cents) <= 2
    assert settlement.payable_cents == settlement.total_cents + settlement.rounding_cents
    assert settlement.cash_received_cents == cash
    assert settlement.cash_kept_cents == cash - settlement.change_cents
    for field in ("total_cents", "rounding_cents", "change_cents", "cash_kept_cents"):
        assert is_cents(getattr(settlement, field))


def refusal(total: int, payments: dict[str, int], limit: int | None = None) -> str:
    """Return the code settle() refuses with."""
    with pytest.raises(PaymentError) as caught:
        money.settle(total, payments, cash_limit_cents=limit)
    assert caught.value.message == str(caught.value) and caught.value.message
    return caught.value.code


@given(cents, st.integers(0, 100_000))
def test_cash_only_rounds_the_total(total: int, extra: int) -> None:
    handed = money.cash_round(total) + extra
    assume(handed > 0)
    settlement = money.settle(total, {"cash": handed})
    assert settlement.rounding_cents == money.cash_round(total) - total
    assert settlement.change_cents == extra
    check_invariants(settlement, {"cash": handed})


@given(st.integers(1, 10_000_000), st.integers(1, 1000))
def test_cash_too_little(total: int, short: int) -> None:
    handed = money.cash_round(total) - short
    assume(handed > 0)
    assert refusal(total, {"cash": handed}) == "insufficient_payment"
    assert refusal(total, {}) == "insufficient_payment"


@given(st.integers(1, 10_000_000))
def test_card_only_is_never_rounded(total: int) -> None:
    settlement = money.settle(total, {"card": total})
    assert (settlement.rounding_cents, settlement.change_cents) == (0, 0)
    check_invariants(settlement, {"card": total})
    assert refusal(total, {"card": total + 1}) == "overpayment"
    assert refusal(total, {"card": total - 1}) == "insufficient_payment"


@given(st.integers(1, 10_000_000), st.data())
def test_mixed_rounds_only_the_cash_part(total: int, data: st.DataObject) -> None:
    card = data.draw(st.integers(0, total - 1), label="card")
    cash_due = total - card
    handed = data.draw(st.integers(max(1, money.cash_round(cash_due)), cash_due + 10_000))
    payments = {"card": card, "cash": handed}
    settlement = money.settle(total, payments)
    assert settlement.rounding_cents == money.cash_round(cash_due) - cash_due
    assert settlement.change_cents == handed - money.cash_round(cash_due)
    check_invariants(settlement, payments)
    if money.cash_round(cash_due) > 1:
        short = {"card": card, "cash": money.cash_round(cash_due) - 1}
        assert refusal(total, short) == "insufficient_payment"


def test_mixed_example() -> None:
    # €12.37: €10 by card, €2.37 in cash rounds to €2.35
    settlement = money.settle(1237, {"card": 1000, "cash": 500})
    assert (settlement.rounding_cents, settlement.change_cents) == (-2, 265)


@given(st.integers(0, 1_000_000), st.integers(0, 1_000_000), st.integers(0, 5_000))
def test_cash_limit_counts_cash_kept(total: int, limit: int, extra: int) -> None:
    due = money.cash_round(total)
    assume(due + extra > 0)
    payments = {"cash": due + extra}
    if due > limit:
        assert refusal(total, payments, limit) == "cash_limit_exceeded"
    else:
        check_invariants(money.settle(total, payments, cash_limit_cents=limit), payments)


def test_cash_limit_examples() -> None:
    assert refusal(300_005, {"cash": 310_000}, 300_000) == "cash_limit_exceeded"
    assert (
        money.settle(300_002, {"cash": 400_000}, cash_limit_cents=300_000).change_cents == 100_000
    )
    # the card part does not count towards the cash limit
    mixed = money.settle(400_000, {"card": 100_000, "cash": 300_000}, cash_limit_cents=300_000)
    assert (mixed.cash_kept_cents, mixed.change_cents) == (300_000, 0)
    assert refusal(400_000, {"card": 99_000, "cash": 301_000}, 300_000) == "cash_limit_exceeded"


def test_settle_refuses_negative_totals() -> None:
    with pytest.raises(ValueError):
        money.settle(-100, {"cash": 100})


# format_euro


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (125050, "1.250,50"),
        (5, "0,05"),
        (0, "0,00"),
        (-125050, "-1.250,50"),
        (10**8, "1.000.000,00"),
    ],
)
def test_format_euro_examples(amount: int, text: str) -> None:
    assert money.format_euro(amount) == text


@given(signed_cents)
def test_format_euro_reads_back(amount: int) -> None:
    text = money.format_euro(amount)
    assert int(text.replace(".", "").replace(",", "")) == amount
    assert text.split(",")[1].isdigit() and len(text.split(",")[1]) == 2


@given(st.lists(st.integers(-50_000, 50_000), min_size=1, max_size=10), st.sampled_from(RATES_BP))
def test_share_out_gives_each_line_its_part_of_the_receipts_vat(
    amounts: list[int], rate_bp: int
) -> None:
    rate = Decimal(rate_bp) / 100
    vat = money.vat_included_cents(sum(amounts), rate)
    shares = money.share_out(vat, amounts)
    assert sum(shares) == vat
    if sum(amounts):
        for share, amount in zip(shares, amounts, strict=True):
            assert abs(share - Decimal(vat) * amount / sum(amounts)) < 1


def test_share_out_gives_the_cents_left_to_the_largest_remainders_first() -> None:
    assert money.share_out(32, [1050, 1050, 1050]) == [11, 11, 10]  # rounding each makes 33
    assert money.share_out(5, [12, 38]) == [1, 4]


def test_share_out_shares_a_total_over_weights_that_cancel_out_equally() -> None:
    assert money.share_out(0, [500, -500]) == [0, 0]
    assert money.share_out(3, [500, -500]) == [2, 1]
    assert money.share_out(0, []) == []


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Share out by the rule as written, over exact fractions.

    Floors first, then the cents left to the largest remainders, earliest first on a tie
    (Decimal shares would round 1/3 and break such ties the wrong way).
    """
    exact = [Fraction(total * weight, sum(weights)) for weight in weights]
    shares = [math.floor(share) for share in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (shares[i] - exact[i], i))
    for index in by_remainder[: total - sum(shares)]:
        shares[index] += 1
    return shares


@given(st.integers(-100_000, 100_000), st.lists(st.integers(-5_000, 5_000), min_size=2, max_size=8))
@example(-1, [-1, 4997, -4999]).via("a tie Decimal's 28 digits broke the wrong way")
def test_share_out_is_largest_remainder_over_exact_fractions(
    total: int, weights: list[int]
) -> None:
    assume(sum(weights) != 0)
    shares = money.share_out(total, weights)
    assert shares == largest_remainder(total, weights)
    assert sum(shares) == total


def test_an_overpayment_names_the_method_that_paid_too_much(app: Flask) -> None:
    def message(payments: dict[str, int]) -> str:
        with pytest.raises(PaymentError) as refusal:
            money.settle(100, payments)
        assert refusal.value.code == "overpayment"
        return refusal.value.message

    with app.test_request_context():
        assert message({"card": 200}).startswith("Er is meer met de kaart betaald dan het totaal.")
        assert message({"qr": 200}).startswith("Er is meer met QR-overschrijving betaald dan")
        assert message({"qr": 150, "card": 50, "cash": 5}).startswith(
            "Er is meer met de kaart en met QR-overschrijving betaald"
        )
        with force_locale("en"):
            assert message({"qr": 200}).startswith("More was paid by QR transfer than the total.")


@pytest.mark.parametrize(
    ("accepted", "dutch", "english"),
    [
        (
            ["cash", "card"],
            "Betaal de rest met de kaart.",
            "Pay the rest by card.",
        ),
        (
            ["cash", "card", "qr"],
            "Betaal de rest met de kaart of met QR-overschrijving.",
            "Pay the rest by card or by QR transfer.",
        ),
        (
            ["cash"],
            "en deze kassa neemt geen andere betaalwijze aan. Vraag een verantwoordelijke.",
            "and this till takes no other way to pay. Ask a manager.",
        ),
    ],
)
def test_the_cash_limit_names_the_ways_this_till_takes_for_the_rest(
    app: Flask, accepted: list[str], dutch: str, english: str
) -> None:
    """Above €3,000 in cash the till is told how else it may be paid here, in both languages."""

    def message() -> str:
        with pytest.raises(OperationError) as caught:
            sale_operations.settle(400_000, {"card": 99_000, "cash": 301_000}, 300_000, accepted)
        assert caught.value.code == "cash_limit_exceeded"
        return str(caught.value.message)

    with app.test_request_context():
        assert message().endswith(dutch), message()
        with force_locale("en"):
            assert message().endswith(english), message()

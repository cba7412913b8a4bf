"""Belgian amounts, quantities, rates, VAT letters and paper-safe text."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from printers.formatting import (
    columns_row,
    format_amount,
    format_quantity,
    format_rate,
    format_time,
    paper_text,
    vat_codes,
)


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (0, "0,00"),
        (5, "0,05"),
        (160, "1,60"),
        (123456, "1.234,56"),
        (123456789, "1.234.567,89"),
        (-160, "-1,60"),
        (-123456, "-1.234,56"),
    ],
)
def test_amounts_are_belgian(cents: int, text: str) -> None:
    assert format_amount(cents) == text
    assert format_amount(cents, euro=True) == f"€ {text}"


@given(st.integers(-(10**12), 10**12))
def test_amount_text_gives_back_the_exact_cents(cents: int) -> None:
    text = format_amount(cents)
    assert int(text.replace(".", "").replace(",", "")) == cents


@pytest.mark.parametrize(
    ("quantity", "text"),
    [("2", "2"), ("2.000", "2"), ("0.745", "0,745"), ("1.500", "1,500"), ("-1", "-1"), ("-0", "0")],
)
def test_quantities_use_a_decimal_comma(quantity: str, text: str) -> None:
    assert format_quantity(quantity) == text


@pytest.mark.parametrize(
    ("rate", "text"),
    [("6", "6%"), ("6.00", "6%"), ("12", "12%"), ("21", "21%"), ("20", "20%"), ("5.5", "5,5%")],
)
def test_rates_are_percentages(rate: str, text: str) -> None:
    assert format_rate(rate) == text


def test_time_is_brussels_local_time() -> None:
    assert format_time(datetime(2026, 3, 3, 13, 5, tzinfo=UTC)) == "03-03-2026 14:05"
    assert format_time(datetime(2026, 7, 1, 13, 5, tzinfo=UTC)) == "01-07-2026 15:05"


def test_vat_letters_follow_the_sorted_distinct_rates() -> None:
    codes = vat_codes(["21", "6", "12.00", "6.0"])
    assert codes == {Decimal("6"): "A", Decimal("12"): "B", Decimal("21"): "C"}


def test_given_vat_letters_win_and_the_rest_are_filled_in() -> None:
    codes = vat_codes(["21", "12", "6", "0"], given=[("21", "A"), ("6", "c")])
    assert codes == {Decimal("21"): "A", Decimal("6"): "C", Decimal("0"): "B", Decimal("12"): "D"}


def test_a_rate_with_two_letters_is_refused() -> None:
    with pytest.raises(ValueError, match="two codes"):
        vat_codes(["6"], given=[("6", "A"), ("6.0", "B")])


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        (
            "Crème brûlée, çava, Noël, naïef, à la carte, rôti",
            "Crème brûlée, çava, Noël, naïef, à la carte, rôti",
        ),
        ("Cre\u0300me bru\u0302le\u0301e", "Crème brûlée"),  # decomposed accents compose
        ("Jef’s “beste” confituur – 250 g…", 'Jef\'s "beste" confituur - 250 g...'),
        ("Łódź-worst", "Lódz-worst"),  # ó is in CP858; others fold to their base letter
        ("Bœuf bourguignon", "Boeuf bourguignon"),
        ("Ελιές", "?????"),
        ("Tomaat 🍅", "Tomaat ?"),
        ("Duim 👍🏽 op", "Duim ? op"),  # skin tone modifier dropped, emoji becomes one "?"
        ("Familie 👨\u200d👩\u200d👧", "Familie ???"),  # zero-width joiners dropped
        ("twee\nregels\ten con\x00trole", "twee regels en controle"),
        ("€ 5", "€ 5"),
        ("日本茶", "???"),
    ],
)
def test_paper_text_keeps_what_cp858_prints(text: str, printed: str) -> None:
    assert paper_text(text) == printed
    paper_text(text).encode("cp858")


@given(st.text())
def test_paper_text_always_encodes_in_cp858(text: str) -> None:
    printed = paper_text(text)
    printed.encode("cp858")
    assert all(char >= " " for char in printed)


@given(st.text(max_size=300), st.integers(-(10**9), 10**9), st.integers(16, 64))
def test_a_row_fits_and_never_cuts_the_amount(left: str, cents: int, width: int) -> None:
    amount = format_amount(cents, euro=True)
    rows = columns_row(paper_text(left), amount, width)
    assert all(len(row) <= width for row in rows)
    assert any(row.endswith(amount) for row in rows)

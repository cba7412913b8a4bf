"""The shop's own barcodes: EAN-13 with prefix 2 that the till reads as a product's scale labels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.catalog.operations import ProductDetails, add_product, next_internal_barcode
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.identifiers import (
    MAX_ITEM_NUMBER,
    ean13_check_digit,
    internal_ean13,
    internal_item_number,
    is_valid_ean13,
    scale_label_key,
)
from kiosk.models import Product
from tests.conftest import present

item_numbers = st.integers(min_value=1, max_value=MAX_ITEM_NUMBER)


@given(item_numbers)
def test_an_own_code_is_a_valid_ean13_with_prefix_2_and_no_price(number: int) -> None:
    code = internal_ean13(number)
    assert is_valid_ean13(code)
    assert code[0] == "2" and code[7:12] == "00000"
    assert internal_item_number(code) == number
    assert scale_label_key(code) == code[:7]


@given(item_numbers, item_numbers)
def test_different_item_numbers_give_different_label_keys(first: int, second: int) -> None:
    assert (scale_label_key(internal_ean13(first)) == scale_label_key(internal_ean13(second))) is (
        first == second
    )


@given(item_numbers, st.integers(min_value=0, max_value=99_999))
def test_a_scale_label_for_the_item_carries_the_same_key(number: int, price_cents: int) -> None:
    # what the scale prints: the item's first seven digits, the price, a fresh check digit
    first_twelve = internal_ean13(number)[:7] + f"{price_cents:05d}"
    label = first_twelve + str(ean13_check_digit(first_twelve))
    assert is_valid_ean13(label)
    assert scale_label_key(label) == internal_ean13(number)[:7]
    assert internal_item_number(label) == number


@pytest.mark.parametrize("number", [0, -1, MAX_ITEM_NUMBER + 1])
def test_item_numbers_out_of_range_are_refused(number: int) -> None:
    with pytest.raises(ValueError):
        internal_ean13(number)


@pytest.mark.parametrize("code", ["5412718100371", "2000001000006", "200000100000", "abc"])
def test_other_codes_have_no_item_number(code: str) -> None:
    assert internal_item_number(code) is None
    assert scale_label_key(code) is None


def own_product(name: str, *, barcode: str | None = None, make: bool = False) -> Product:
    """Add a product with a given barcode, or with the shop's next own one."""
    return add_product(
        ProductDetails(name=name, price_cents=100, barcode=barcode), make_barcode=make
    )


def test_the_first_own_code_is_item_1(ctx: None) -> None:
    assert next_internal_barcode() == internal_ean13(1)


def test_the_next_code_follows_the_highest_item_number_in_use(ctx: None) -> None:
    own_product("EAN van een fabrikant", barcode="5412718100371")
    own_product("Gehakt", barcode=internal_ean13(41))
    # a scale label code stored as a barcode takes its item number too
    first_twelve = "200007201234"
    own_product(
        "Kaas van de weegschaal", barcode=first_twelve + str(ean13_check_digit(first_twelve))
    )
    assert next_internal_barcode() == internal_ean13(73)


def test_made_codes_are_unique_and_never_share_a_label_key(ctx: None) -> None:
    own_product("Bestaand", barcode=internal_ean13(5))
    made = [present(own_product(f"Product {i}", make=True).barcode) for i in range(5)]
    db.session.flush()
    keys = [scale_label_key(code) for code in [internal_ean13(5), *made]]
    assert len(set(keys)) == 6
    assert all(is_valid_ean13(code) for code in made)
    assert made == [internal_ean13(n) for n in range(6, 11)]


def test_when_the_numbers_run_out_the_gaps_are_used(ctx: None) -> None:
    own_product("Laatste", barcode=internal_ean13(MAX_ITEM_NUMBER))
    own_product("Eerste", barcode=internal_ean13(1))
    assert next_internal_barcode() == internal_ean13(2)


def test_a_code_that_reads_as_another_products_label_is_refused(ctx: None) -> None:
    own_product("Gehakt", barcode=internal_ean13(41))
    first_twelve = "200004101234"
    label = first_twelve + str(ean13_check_digit(first_twelve))
    with pytest.raises(OperationError) as refused:
        own_product("Worst", barcode=label)
    assert refused.value.code == "barcode_taken"
    assert refused.value.message == f"Streepjescode {label} hoort al bij Gehakt."

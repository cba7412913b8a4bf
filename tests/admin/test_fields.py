"""Typed euro amounts under hypothesis: every form that takes one gives the same answer.

The catalogue's price and purchase price, a delivery row's purchase price, and the cash drawer's
float and movements each read what was typed through their own form; one input is accepted by all
of them with the same cents, or refused by all of them (admin/fields.py has the grammar).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import Form

from admin.cash_forms import MovementForm, OpeningForm
from admin.delivery_forms import DeliveryLineForm, read
from admin.fields import MAX_AMOUNT_CENTS, parse_euro
from admin.product_form import ProductForm

FIELDS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    derandomize=True,  # the same inputs on every run, so CI never fails by luck
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
Reader = Callable[[str], int | None]


def filled(form_class: type[Form], **data: str) -> Form:
    """Return a form of the class filled in with `data`, without a CSRF token."""
    return form_class(formdata=MultiDict(data), meta={"csrf": False})


def product_price(text: str) -> int | None:
    """Read a product's price as the product form does."""
    form = filled(ProductForm, price=text)
    return parse_euro(form.price.data) if form.price.validate(form) else None


def product_purchase_price(text: str) -> int | None:
    """Read a product's purchase price as the product form does."""
    form = filled(ProductForm, purchase_price=text)
    valid = form.purchase_price.validate(form)
    return parse_euro(form.purchase_price.data) if valid else None


def delivered_purchase_price(text: str) -> int | None:
    """Read a delivery row's purchase price as the delivery form does."""
    form = filled(DeliveryLineForm, purchase_price=text)
    if not form.purchase_price.validate(form):
        return None
    cents: int | None = read(form.purchase_price, parse_euro)
    return cents


def opening_float(text: str) -> int | None:
    """Read the float put in the drawer as the opening form does."""
    form = filled(OpeningForm, opening_float=text)
    return parse_euro(form.opening_float.data) if form.opening_float.validate(form) else None


def cash_movement(text: str) -> int | None:
    """Read cash put into the drawer as the movement form does."""
    form = filled(MovementForm, direction="in", amount=text)
    assert isinstance(form, MovementForm)
    return form.amount_cents() if form.amount.validate(form) else None


READERS: dict[str, Reader] = {
    "product price": product_price,
    "product purchase price": product_purchase_price,
    "delivery purchase price": delivered_purchase_price,
    "cash float": opening_float,
    "cash in or out": cash_movement,
}


@pytest.fixture
def page(app: Flask) -> Iterator[None]:
    """Push a request context: forms and their messages need one."""
    with app.test_request_context("/admin/", method="POST"):
        yield


def answers(text: str) -> dict[str, int | None]:
    """Return what every amount field makes of the text."""
    return {name: reader(text) for name, reader in READERS.items()}


def written(cents: int, style: int) -> str:
    """Write cents in one of the ways the grammar accepts."""
    euros, rest = divmod(cents, 100)
    grouped = f"{euros:,}".replace(",", ".")
    return [
        f"{euros},{rest:02d}",
        f"{euros}.{rest:02d}",
        f"{grouped},{rest:02d}",
        f"€ {euros},{rest:02d}",
        f"{grouped},{rest:02d} €",
        f"{euros},{rest // 10}" if rest % 10 == 0 else f"{euros},{rest:02d}",
        f"{euros}" if rest == 0 else f" {euros},{rest:02d} ",
    ][style]


#: text that is nearly an amount: digits, separators, signs, spaces and the euro sign mixed
near_amounts = st.text(alphabet="0123456789.,€ -+e", min_size=1, max_size=14)
anything = st.one_of(near_amounts, st.text(min_size=1, max_size=20))


@FIELDS
@given(cents=st.integers(min_value=0, max_value=MAX_AMOUNT_CENTS), style=st.integers(0, 6))
def test_every_amount_field_reads_an_amount_as_the_same_cents(
    page: None, cents: int, style: int
) -> None:
    assert set(answers(written(cents, style)).values()) == {cents}


@FIELDS
@given(text=anything.filter(lambda text: text.strip() != ""))
def test_every_amount_field_accepts_and_refuses_the_same_text(page: None, text: str) -> None:
    assert len(set(answers(text).values())) == 1, answers(text)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("3,80", 380),
        ("3.80", 380),
        ("3,8", 380),
        ("3", 300),
        ("1.250,50", 125050),
        ("1250,50", 125050),
        ("€ 3,80", 380),
        ("3,80 €", 380),
        ("99.999,99", 9_999_999),
        ("1.250", None),  # a lone dot is a decimal point: three decimals
        ("3,805", None),
        ("-3,80", None),
        ("1,250.50", None),
        ("1e3", None),
        ("3,", None),
        ("100.000,00", None),
        ("٣", None),
    ],
)
def test_the_grammar_of_typed_amounts(page: None, text: str, cents: int | None) -> None:
    assert set(answers(text).values()) == {cents}

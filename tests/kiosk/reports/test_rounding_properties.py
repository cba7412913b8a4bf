"""Generated days of sales: every breakdown adds up to the receipts, every report agrees.

Each example rings up a day of its own (farm-shop sales over every VAT rate, pieces and kg,
cash and card, refunds of some lines and voids of whole sales, bistro tabs paid in equal
parts) and reads it back from every report (rounding_support.assert_every_report_agrees).
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Shop
from tests.kiosk.reports.rounding_support import (
    FARM_GOODS,
    assert_every_report_agrees,
    day_reports,
    farm_sale,
    refund,
    rounding_world,
    split_tab,
)

FIRST_DAY = date(2026, 4, 1)
BISTRO_GOODS = ["soup", "pasta", "beer", "juice", "cake", "sandwich", "wine"]


def quantity(key: str) -> st.SearchStrategy[str]:
    """Draw a quantity a till would sell of a product: pieces, or grams as kg."""
    if FARM_GOODS[key][2] == "kg":
        return st.integers(5, 2500).map(lambda grams: f"{grams / 1000:.3f}")
    return st.integers(1, 5).map(str)


def line(keys: list[str]) -> st.SearchStrategy[tuple[str, str]]:
    """Draw a product and its quantity."""
    return st.sampled_from(keys).flatmap(lambda key: st.tuples(st.just(key), quantity(key)))


FARM_SALE = st.tuples(
    st.just("farm"),
    st.lists(line(list(FARM_GOODS)), min_size=1, max_size=5),
    st.sampled_from(["cash", "card"]),
    st.sampled_from(["keep", "void", "refund"]),
)
BISTRO_GOODS_QUANTITY = st.tuples(st.sampled_from(BISTRO_GOODS), st.integers(1, 4).map(str))
TAB = st.tuples(
    st.just("tab"),
    st.lists(BISTRO_GOODS_QUANTITY, min_size=1, max_size=4),
    st.integers(1, 4),
    st.just(""),
)
HISTORY = st.lists(st.one_of(FARM_SALE, TAB), min_size=1, max_size=6)


@pytest.fixture
def w(app: Flask, shop: Shop) -> dict[str, Any]:
    """The farm shop and bistro at every VAT rate."""
    return rounding_world(app, shop)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=HISTORY)
def test_every_breakdown_adds_up_and_every_report_agrees(
    app: Flask, w: dict[str, Any], history: list[tuple[str, list[tuple[str, str]], Any, str]]
) -> None:
    # a day of its own per example: the database keeps the examples before it
    day = FIRST_DAY + timedelta(days=next(DAYS))
    moment = datetime.combine(day, time(10, 0), UTC)
    with app.app_context():
        for kind, lines, how, after in history:
            if kind == "tab":
                split_tab(w, lines, how, moment)
                continue
            sale = farm_sale(w, lines, how, moment)
            if after == "void":
                refund(w, sale, None, moment)
            elif after == "refund":
                refund(w, sale, list(range(0, len(sale.lines), 2)), moment)
        assert_every_report_agrees(day_reports(w, day))


DAYS = itertools.count()

"""Bulk price changes: percentages and amounts, rounded half up to 1, 5 or 10 cents, exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiosk.catalog.bulk import BulkChange, new_price


@pytest.mark.parametrize(
    ("old", "change", "expected"),
    [
        (380, BulkChange(price_percent=Decimal(5)), 399),  # 399,00
        (380, BulkChange(price_percent=Decimal(5), round_to_cents=5), 400),
        (380, BulkChange(price_percent=Decimal(5), round_to_cents=10), 400),
        (295, BulkChange(price_percent=Decimal(5)), 310),  # 309,75 → 310
        (295, BulkChange(price_percent=Decimal(5), round_to_cents=5), 310),
        (1250, BulkChange(price_percent=Decimal(-10), round_to_cents=10), 1130),  # 1125 half up
        (1250, BulkChange(price_percent=Decimal(-10), round_to_cents=5), 1125),
        (385, BulkChange(price_percent=Decimal("2.5"), round_to_cents=5), 395),  # 394,625
        (2490, BulkChange(price_percent=Decimal("33.333")), 3320),  # 3319,9917
        (380, BulkChange(price_amount_cents=-50), 330),
        (382, BulkChange(price_amount_cents=10, round_to_cents=5), 390),  # 392 → 390
        (383, BulkChange(price_amount_cents=10, round_to_cents=5), 395),  # 393 → 395
        (99, BulkChange(price_amount_cents=-96, round_to_cents=5), 5),  # 3 → 5
        (99, BulkChange(price_amount_cents=-97, round_to_cents=5), 0),  # 2 → 0: refused later
    ],
)
def test_a_new_price_is_exact_in_cents(old: int, change: BulkChange, expected: int) -> None:
    assert new_price(old, change) == expected
    assert isinstance(new_price(old, change), int)

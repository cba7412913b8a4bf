"""Report periods: days, ISO weeks, months and years, and the same period a year earlier."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.periods import KINDS, following, period_containing, previous, year_earlier

days = st.dates(min_value=date(2001, 1, 1), max_value=date(2090, 12, 31))


@given(day=days, kind=st.sampled_from(KINDS))
def test_a_period_holds_its_day_and_its_neighbours_touch_it(day: date, kind: str) -> None:
    period = period_containing(kind, day)
    assert period.first_day <= day <= period.last_day
    assert previous(period).last_day == period.first_day - timedelta(days=1)
    assert following(period).first_day == period.last_day + timedelta(days=1)


@given(day=days, kind=st.sampled_from(KINDS))
def test_a_year_earlier_is_the_same_kind_of_period_about_a_year_back(day: date, kind: str) -> None:
    period = period_containing(kind, day)
    earlier = year_earlier(period)
    assert earlier.kind == kind
    assert 358 <= (period.first_day - earlier.first_day).days <= 371
    if kind in ("day", "week"):
        assert earlier.first_day.weekday() == period.first_day.weekday()
        assert earlier.days == period.days
    else:
        assert earlier.first_day == period.first_day.replace(year=period.first_day.year - 1)


@pytest.mark.parametrize(
    ("kind", "day", "first", "last"),
    [
        ("week", date(2026, 11, 27), date(2026, 11, 23), date(2026, 11, 29)),
        ("month", date(2028, 2, 10), date(2028, 2, 1), date(2028, 2, 29)),
        ("month", date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
        ("year", date(2026, 6, 1), date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_known_periods(kind: str, day: date, first: date, last: date) -> None:
    period = period_containing(kind, day)
    assert (period.first_day, period.last_day) == (first, last)


def test_week_53_compares_with_week_52() -> None:
    week_53 = period_containing("week", date(2026, 12, 31))  # 2026 has an ISO week 53
    assert week_53.first_day.isocalendar()[1] == 53
    assert year_earlier(week_53).first_day == date.fromisocalendar(2025, 52, 1)

"""Periods of business days for reports (day, ISO week, month, year) and a year earlier."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

KINDS = ("day", "week", "month", "year")
BRUSSELS = ZoneInfo("Europe/Brussels")
#: the years a report or a settlement may cover; further off is a slip of the finger
FIRST_YEAR, LAST_YEAR = 2000, 2100
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
BELGIAN_DAY = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})")


@dataclass(frozen=True)
class Period:
    """A run of business days, first to last, of one kind."""

    kind: str
    first_day: date
    last_day: date

    @property
    def days(self) -> int:
        """Return how many business days the period has."""
        return (self.last_day - self.first_day).days + 1


def day_text(day: date | None) -> str:
    """Write a date as Belgians do: 27-11-2026."""
    return day.strftime("%d-%m-%Y") if day else "–"


def read_day(text: str | None, *, belgian: bool = False) -> date | None:
    """Read a day written 2026-11-27 (or 27-11-2026, 27/11/2026 when `belgian`); None if none."""
    typed = (text or "").strip()
    try:
        if ISO_DAY.fullmatch(typed):
            return date.fromisoformat(typed)
        match = BELGIAN_DAY.fullmatch(typed) if belgian else None
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError:  # 2026-02-30
        return None
    return None


def in_report_years(day: date) -> bool:
    """Return whether a day lies in the years a report may cover."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def parse_day(text: str | None) -> date | None:
    """Read a day written yyyy-mm-dd that a report may cover; None when it is not one."""
    day = read_day(text)
    return day if day is not None and in_report_years(day) else None


def period_containing(kind: str, day: date) -> Period:
    """Return the day, ISO week (Monday to Sunday), month or year that holds `day`."""
    if kind == "day":
        return Period(kind, day, day)
    if kind == "week":
        monday = day - timedelta(days=day.weekday())
        return Period(kind, monday, monday + timedelta(days=6))
    if kind == "month":
        first = day.replace(day=1)
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return Period(kind, first, following - timedelta(days=1))
    if kind == "year":
        return Period(kind, date(day.year, 1, 1), date(day.year, 12, 31))
    raise ValueError(f"unknown period kind {kind!r}")


def year_earlier(period: Period) -> Period:
    """Return the period to compare with, a year earlier.

    A day compares with the same weekday 52 weeks earlier (a Saturday with a Saturday), a week
    with the same ISO week number (week 53 with week 52 where the year had none), a month or a
    year with the same month or the year before.
    """
    if period.kind == "day":
        earlier = period.first_day - timedelta(weeks=52)
        return Period("day", earlier, earlier)
    if period.kind == "week":
        year, week, _weekday = period.first_day.isocalendar()
        weeks_then = date(year - 1, 12, 28).isocalendar()[
            1
        ]  # 28 December is always in the last week
        monday = date.fromisocalendar(year - 1, min(week, weeks_then), 1)
        return Period("week", monday, monday + timedelta(days=6))
    if period.kind == "month":
        first = period.first_day
        return period_containing("month", first.replace(year=first.year - 1))
    return period_containing("year", date(period.first_day.year - 1, 1, 1))


def previous(period: Period) -> Period:
    """Return the period of the same kind just before."""
    return period_containing(period.kind, period.first_day - timedelta(days=1))


def following(period: Period) -> Period:
    """Return the period of the same kind just after."""
    return period_containing(period.kind, period.last_day + timedelta(days=1))


def business_day(moment: datetime) -> date:
    """Return the Brussels calendar day a moment falls on."""
    return moment.astimezone(BRUSSELS).date()

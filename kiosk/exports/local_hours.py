"""Brussels local time for exports, worked out once per hour instead of once per row.

Converting a UTC moment to Europe/Brussels through zoneinfo costs about a microsecond, and a
year's export converts every line's moment twice (its business day and its time). Brussels
changes its offset only on whole UTC hours (the last Sundays of March and October at 01:00 UTC),
so every moment of one UTC hour has the same local hour: it is looked up once and the minutes
and seconds are carried over. An hour whose offset is not a whole number of hours (local mean
time, before 1892) is converted the slow way, so the answer is always zoneinfo's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import NamedTuple

from kiosk.periods import BRUSSELS

#: "mm:ss" for each second of an hour
MINUTES_SECONDS = tuple(f"{second // 60:02d}:{second % 60:02d}" for second in range(3600))
#: UTC hours remembered before the memory is emptied (a year holds about 8,800)
KEPT_HOURS = 20_000


class LocalHour(NamedTuple):
    """One UTC hour as Brussels shows it."""

    start: datetime  # naive local time at the start of the hour
    text: str  # "yyyy-mm-dd hh:" of that local hour
    day: date  # its Brussels calendar day


def local_time(moment: datetime) -> datetime:
    """Return an aware moment as naive Brussels time (spreadsheets know no time zones)."""
    return moment.astimezone(BRUSSELS).replace(tzinfo=None)


class LocalHours:
    """Brussels time of UTC moments, remembered per UTC hour."""

    def __init__(self) -> None:
        self.hours: dict[int, LocalHour | None] = {}

    def hour(self, moment: datetime) -> LocalHour | None:
        """Return the local hour of an aware UTC moment, or None where it cannot be shared."""
        key = moment.toordinal() * 24 + moment.hour
        if key in self.hours:
            return self.hours[key]
        if len(self.hours) >= KEPT_HOURS:
            self.hours.clear()
        start = moment.replace(minute=0, second=0, microsecond=0).astimezone(BRUSSELS)
        offset = start.utcoffset()
        whole = offset is not None and offset.total_seconds() % 3600 == 0
        local = start.replace(tzinfo=None)
        hour = LocalHour(local, f"{local:%Y-%m-%d %H}:", local.date()) if whole else None
        self.hours[key] = hour
        return hour

    def in_utc(self, moment: datetime) -> datetime | None:
        """Return the moment in UTC, or None for a naive one (read as the machine's time)."""
        if moment.tzinfo is UTC:
            return moment
        return None if moment.tzinfo is None else moment.astimezone(UTC)

    def text(self, moment: datetime) -> str:
        """Return the moment as Brussels "yyyy-mm-dd hh:mm:ss" (no fraction of a second)."""
        utc = self.in_utc(moment)
        hour = None if utc is None else self.hour(utc)
        if utc is None or hour is None:
            return local_time(moment).strftime("%Y-%m-%d %H:%M:%S")
        return hour.text + MINUTES_SECONDS[utc.minute * 60 + utc.second]

    def naive(self, moment: datetime) -> datetime:
        """Return the moment as naive Brussels time."""
        utc = self.in_utc(moment)
        hour = None if utc is None else self.hour(utc)
        if utc is None or hour is None:
            return local_time(moment)
        return hour.start.replace(minute=utc.minute, second=utc.second, microsecond=utc.microsecond)

    def day(self, moment: datetime) -> date:
        """Return the Brussels calendar day of the moment (its business day)."""
        utc = self.in_utc(moment)
        hour = None if utc is None else self.hour(utc)
        if utc is None or hour is None:
            return moment.astimezone(BRUSSELS).date()
        return hour.day

"""Days in China per year from entry and exit records (pure functions, no database).

A day of entry and a day of exit both count as days in China (the person was in China on that
day). Before the first record the person is taken to be where that record says they were not:
abroad before a first entry, in China before a first exit.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

ENTRY, EXIT = "entry", "exit"


def days_in_china_by_year(
    crossings: Iterable[tuple[dt.date, str]], *, start: dt.date, end: dt.date
) -> dict[int, int]:
    """Days in China in each calendar year between ``start`` and ``end`` (both included)."""
    # On one day, an exit sorts before an entry: a day trip out and back leaves the person in China.
    ordered = sorted(crossings, key=lambda c: (c[0], 0 if c[1] == EXIT else 1))
    result = dict.fromkeys(range(start.year, end.year + 1), 0)
    if end < start:
        return result
    # No crossing on record: the holder never left. Otherwise the first record says where they were.
    present = ordered[0][1] == EXIT if ordered else True
    cursor = start  # the first day not yet counted
    for day, direction in ordered:
        if day < start:
            present = direction == ENTRY
            continue
        if day > end:
            break
        if direction == ENTRY and not present:
            present = True
            cursor = max(cursor, day)
        elif direction == EXIT and present:
            _count(result, cursor, day)
            present = False
            cursor = day + dt.timedelta(days=1)
    if present:
        _count(result, cursor, end)
    return result


def _count(result: dict[int, int], first: dt.date, last: dt.date) -> None:
    while first <= last:
        year_end = dt.date(first.year, 12, 31)
        stop = min(year_end, last)
        result[first.year] = result.get(first.year, 0) + (stop - first).days + 1
        first = stop + dt.timedelta(days=1)


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


@dataclass(frozen=True)
class YearStanding:
    """Where a holder stands in one calendar year of their card.

    A year the card covers only in part (the first one) owes the rule in proportion to the days it
    covers (``days_counted``), and so does the warning margin: a card issued in December owes a
    week, not 90 days, and is warned when its last days abroad run short, not from its first day.
    """

    year: int
    days_in_china: int
    min_days: int
    days_abroad_allowed: int
    days_abroad_so_far: int
    days_abroad_left: int
    complete: bool  # the year is over (or the window ends before it does)
    days_counted: int = 0  # the days of the year the card covers
    days_to_come: int = 0  # the days of the year after today (counted days only)
    warning_margin: int = 0  # the holder's warning margin, before prorating

    @property
    def broken(self) -> bool:
        return self.days_abroad_left < 0 or (self.complete and self.days_in_china < self.min_days)

    @property
    def can_fail(self) -> bool:
        """Whether the rest of the year still holds more days than the holder may spend abroad:
        only then can the year still go wrong."""
        return not self.complete and not self.broken and self.days_to_come > self.days_abroad_left

    def prorated_margin(self, margin: int) -> int:
        if not self.days_counted:
            return margin
        return round(margin * self.days_counted / days_in_year(self.year))

    def warn(self, margin: int | None = None) -> bool:
        """Few days abroad left: within the (prorated) margin, in a year that can still fail."""
        margin = self.warning_margin if margin is None else margin
        return self.can_fail and self.days_abroad_left <= self.prorated_margin(margin)

    @property
    def warning(self) -> bool:
        return self.warn()


def standing(
    *,
    year: int,
    days_in_china: int,
    min_days: int,
    counted_from: dt.date,
    today: dt.date,
    warning_margin: int = 0,
) -> YearStanding:
    """Where a holder stands in ``year``: the days abroad the rule still allows."""
    first = max(dt.date(year, 1, 1), counted_from)
    last = min(dt.date(year, 12, 31), today)
    elapsed = max((last - first).days + 1, 0)
    span = (dt.date(year, 12, 31) - first).days + 1
    # A holder whose card started mid-year owes the rule in proportion to the part of the year.
    required = (
        min_days if first.month == 1 and first.day == 1 else round(min_days * span / days_in_year(year))
    )
    allowed = span - required
    abroad = max(elapsed - days_in_china, 0)
    return YearStanding(
        year=year,
        days_in_china=days_in_china,
        min_days=required,
        days_abroad_allowed=allowed,
        days_abroad_so_far=abroad,
        days_abroad_left=allowed - abroad,
        complete=today >= dt.date(year, 12, 31),
        days_counted=span,
        days_to_come=max(span - elapsed, 0),
        warning_margin=warning_margin,
    )

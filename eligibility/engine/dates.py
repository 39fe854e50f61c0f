"""Whole-year arithmetic on dates, with the Civil Code rule for 29 February."""

from __future__ import annotations

from calendar import isleap
from datetime import date


def anniversary(start: date, years: int) -> date:
    """The date `years` whole years after (or before, if negative) `start`.

    A period counted in years ends on the corresponding day; when that day does not exist
    (29 February in a common year) it ends on the last day of the month, 28 February
    (Civil Code of the PRC, art. 202).
    """
    year = start.year + years
    if start.month == 2 and start.day == 29 and not isleap(year):
        return date(year, 2, 28)
    return start.replace(year=year)


def whole_years(start: date, end: date) -> int:
    """Completed years from `start` to `end`; the anniversary itself counts as completed."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        # A 29 February start completes its year on 28 February of a common year.
        leap_day_anniversary = (
            start.month == 2 and start.day == 29 and end.month == 2 and end.day == 28 and not isleap(end.year)
        )
        if not leap_day_anniversary:
            years -= 1
    return years


def latest_start_for(years: int, *, as_of: date) -> date:
    """The latest start date that has completed `years` whole years by `as_of`."""
    start_year = as_of.year - years
    if as_of.month == 2 and as_of.day == 28 and not isleap(as_of.year) and isleap(start_year):
        # Someone born on 29 February completes the year on 28 February of a common year.
        return date(start_year, 2, 29)
    return anniversary(as_of, -years)

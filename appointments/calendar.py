"""Which days an office is open: its weekly hours, China's public holidays and make-up working days
(调休) from the maintained ``chinesecalendar`` library, and the administrators' overrides.

Order of precedence for a date: the office's own override, then a national override, then the
library. The library only knows the years the State Council has published; for a later date with no
override we say the calendar is not published yet instead of guessing from the weekday.
A working day is open when the office has hours for it; a make-up working day falls on a weekend,
so it uses the office's hours of the first weekday it has hours for (Monday, usually).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import CalendarOverride, OpeningHours


class CalendarUnknown(Exception):
    """The date is past the years the holiday library knows and no override settles it."""


@dataclass(frozen=True)
class Day:
    date: dt.date
    open: bool
    opens: dt.time | None = None
    closes: dt.time | None = None
    # Why it is closed (a holiday's name, an override's reason) or why a weekend day is open.
    note: str = ""
    makeup: bool = False


def library_years() -> tuple[int, int]:
    """The first and last years the installed library knows."""
    from chinese_calendar.constants import holidays

    years = {day.year for day in holidays}
    return min(years), max(years)


def unknown_message(date: dt.date) -> str:
    return _(
        "The official holiday calendar for %(year)s is not published yet (known up to %(last)s), "
        "so appointments on %(date)s cannot be offered until it is or the office sets its days."
    ) % {"year": date.year, "last": library_years()[1], "date": date.isoformat()}


def _holiday_name(date: dt.date) -> str:
    names = {
        "New Year's Day": _("New Year's Day"),
        "Spring Festival": _("Spring Festival"),
        "Tomb-sweeping Day": _("Qingming Festival"),
        "Labour Day": _("Labour Day"),
        "Dragon Boat Festival": _("Dragon Boat Festival"),
        "National Day": _("National Day"),
        "Mid-autumn Festival": _("Mid-Autumn Festival"),
    }
    _is_holiday, name = chinese_calendar.get_holiday_detail(date)
    return str(names.get(name, name)) if name else ""


def office_day(office, date: dt.date, *, hours: dict | None = None, overrides: dict | None = None) -> Day:
    """The office's day. Raises CalendarUnknown past the library's years without an override.

    ``hours`` (weekday -> OpeningHours) and ``overrides`` ((office_id or None, date) -> override) may be
    passed in by callers that look at many days, to read them once.
    """
    if hours is None:
        hours = {h.weekday: h for h in OpeningHours.objects.filter(office=office)}
    if overrides is None:
        overrides = {
            (o.office_id, o.date): o
            for o in CalendarOverride.objects.filter(Q(office=office) | Q(office__isnull=True), date=date)
        }
    override = overrides.get((office.pk, date)) or overrides.get((None, date))
    weekday_hours = hours.get(date.weekday())
    fallback = weekday_hours or next((hours[d] for d in range(5) if d in hours), None)
    if override is not None:
        if override.kind == CalendarOverride.Kind.CLOSED:
            return Day(date, False, note=override.reason)
        if fallback is None:
            return Day(date, False, note=_("The office has no opening hours."))
        return Day(
            date, True, fallback.opens, fallback.closes, note=override.reason, makeup=weekday_hours is None
        )
    try:
        workday = chinese_calendar.is_workday(date)
    except NotImplementedError:
        raise CalendarUnknown(unknown_message(date)) from None
    if not workday:
        # A weekend day inside a holiday period carries the holiday's name too; an ordinary one none.
        return Day(date, False, note=_holiday_name(date))
    if date.weekday() >= 5:
        # A make-up working day (调休): the library marks the weekend day as a working day.
        if fallback is None:
            return Day(date, False)
        return Day(date, True, fallback.opens, fallback.closes, note=_("Make-up working day"), makeup=True)
    if weekday_hours is None:
        return Day(date, False)
    return Day(date, True, weekday_hours.opens, weekday_hours.closes)


def office_days(office, start: dt.date, days: int) -> list[Day | str]:
    """Each day from ``start`` for ``days`` days: a Day, or the message of a day the calendar does not know."""
    hours = {h.weekday: h for h in OpeningHours.objects.filter(office=office)}
    end = start + dt.timedelta(days=days)
    overrides = {
        (o.office_id, o.date): o
        for o in CalendarOverride.objects.filter(
            Q(office=office) | Q(office__isnull=True), date__gte=start, date__lt=end
        )
    }
    result: list[Day | str] = []
    for offset in range(days):
        date = start + dt.timedelta(days=offset)
        try:
            result.append(office_day(office, date, hours=hours, overrides=overrides))
        except CalendarUnknown as unknown:
            result.append(str(unknown))
    return result

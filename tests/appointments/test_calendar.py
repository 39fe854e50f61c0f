"""Open days from the holiday library (real 2026 dates), the overrides, and dates the library does not know."""

from __future__ import annotations

import datetime as dt

import pytest

from appointments import calendar
from appointments.models import CalendarOverride

from .conftest import set_up_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(office_tree):
    office = office_tree["gd-gz"]
    set_up_office(office)
    return office


def test_spring_festival_2026_is_closed_and_its_make_up_saturdays_are_open(office):
    # The State Council's 2026 notice: Spring Festival 15-23 February, worked Saturdays 14 and 28 February.
    for day in (16, 17, 18, 19, 20, 23):
        closed = calendar.office_day(office, dt.date(2026, 2, day))
        assert not closed.open and closed.note == "Spring Festival"
    for day in (14, 28):
        makeup = calendar.office_day(office, dt.date(2026, 2, day))
        assert makeup.open and makeup.makeup
        assert (makeup.opens, makeup.closes) == (dt.time(9), dt.time(12))  # Monday's hours
    assert calendar.office_day(office, dt.date(2026, 2, 13)).open  # an ordinary Friday
    assert not calendar.office_day(office, dt.date(2026, 2, 7)).open  # an ordinary Saturday


def test_national_day_2026_and_an_ordinary_weekday(office):
    assert not calendar.office_day(office, dt.date(2026, 10, 1)).open
    assert calendar.office_day(office, dt.date(2026, 10, 10)).open  # the make-up Saturday
    assert calendar.office_day(office, dt.date(2026, 12, 8)).open


def test_a_date_past_the_library_says_so_instead_of_guessing(office):
    first, last = calendar.library_years()
    assert last == 2026
    with pytest.raises(calendar.CalendarUnknown) as unknown:
        calendar.office_day(office, dt.date(2027, 3, 1))
    assert "2027 is not published yet" in str(unknown.value)


def test_overrides_office_wins_over_national_and_both_over_the_library(office, office_tree):
    CalendarOverride.objects.create(
        office=None, date=dt.date(2027, 3, 1), kind="open", reason="Published late"
    )
    assert calendar.office_day(office, dt.date(2027, 3, 1)).open
    CalendarOverride.objects.create(office=office, date=dt.date(2027, 3, 1), kind="closed", reason="Move")
    day = calendar.office_day(office, dt.date(2027, 3, 1))
    assert not day.open and day.note == "Move"
    # Another office still follows the national override.
    other = office_tree["gd"]
    set_up_office(other)
    assert calendar.office_day(other, dt.date(2027, 3, 1)).open
    # An extra working day on an ordinary Sunday uses the Monday hours.
    CalendarOverride.objects.create(office=None, date=dt.date(2026, 12, 13), kind="open", reason="Extra")
    sunday = calendar.office_day(office, dt.date(2026, 12, 13))
    assert sunday.open and sunday.makeup and sunday.opens == dt.time(9)


def test_office_days_lists_unknown_days_as_messages(office):
    days = calendar.office_days(office, dt.date(2026, 12, 30), 4)
    assert [d.date for d in days[:2]] == [dt.date(2026, 12, 30), dt.date(2026, 12, 31)]
    assert all(isinstance(d, str) for d in days[2:])

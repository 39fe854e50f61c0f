"""A Guangzhou office with hours and capacity, and a submitted case of the Guangdong applicant there."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone

from appointments import calendar
from appointments.models import CalendarOverride, OpeningHours, ServiceCapacity


def set_up_office(office, *, seats: int = 2, slot_minutes: int = 30):
    for weekday in range(5):
        OpeningHours.objects.get_or_create(
            office=office, weekday=weekday, defaults={"opens": dt.time(9, 0), "closes": dt.time(12, 0)}
        )
    for service in ("intake", "card_collection"):
        ServiceCapacity.objects.update_or_create(
            office=office, service=service, defaults={"seats_per_slot": seats, "slot_minutes": slot_minutes}
        )


def bookable_day(office, *, after: int = 2) -> dt.date:
    """The first open day from ``after`` days ahead; past the library's years, a national working
    day is added (as an administrator would) so the tests do not depend on the date they run."""
    for day in calendar.office_days(office, timezone.localdate() + dt.timedelta(days=after), 30):
        if isinstance(day, str):
            break
        if day.open:
            return day.date
    date = timezone.localdate() + dt.timedelta(days=after)
    CalendarOverride.objects.get_or_create(
        office=None, date=date, defaults={"kind": "open", "reason": "test"}
    )
    return date


def at(date: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour, minute)))


@pytest.fixture
def gz_office(office_tree):
    office = office_tree["gd-gz"]
    set_up_office(office)
    return office


@pytest.fixture
def case(gz_office, alice):
    from applications.models import Application
    from tests.applications.factories import ProfileFactory, submitted

    profile = ProfileFactory(owner=alice, province="CN-GD", city_code="440100")
    application = submitted(profile)
    Application.objects.filter(pk=application.pk).update(office=gz_office)
    return Application.objects.get(pk=application.pk)


def wait(seconds: float) -> None:
    time.sleep(seconds)

"""Reads, limited to what the user may see: the applicant side's own cases, officers their area."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from applications.access import jurisdiction_q, office_for_residence
from applications.models import Application
from applications.selectors import applications_for_applicant, applications_visible_to
from residence.accounts.jurisdiction import office_covers
from residence.accounts.models import Office, is_officer

from . import calendar
from .models import Booking, Service, ServiceCapacity, Slot


@dataclass(frozen=True)
class SlotChoice:
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    free: int


def office_for(application: Application) -> Office | None:
    """Where the case's appointments are: its office, else the office of its place of residence."""
    return application.office or office_for_residence(
        province=application.province, city_code=application.city_code
    )


def application_for_booking(*, user, pk: int) -> Application:
    """A case the user may book for: their own (or client's), or a submitted case in an officer's area."""
    try:
        return applications_visible_to(user=user).select_related("applicant__owner").get(pk=pk)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _bookings() -> QuerySet[Booking]:
    return Booking.objects.select_related("slot__office", "application__applicant__owner", "booked_by")


def booking_get(*, user, pk: int) -> Booking:
    """A booking of a case the user may see (applicant side or an officer of the area), else 404."""
    try:
        return _bookings().get(pk=pk, application__in=applications_visible_to(user=user))
    except (Booking.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def booking_get_for_owner(*, user, pk: int) -> Booking:
    """The applicant side only (the calendar file): officers and everyone else get a 404."""
    try:
        return _bookings().get(pk=pk, application__in=applications_for_applicant(user=user))
    except (Booking.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def bookings_of_application(*, application: Application) -> QuerySet[Booking]:
    return _bookings().filter(application=application).order_by("-slot__starts_at", "-id")


def no_show_count(*, application: Application) -> int:
    return Booking.objects.filter(application=application, state=Booking.State.NO_SHOW).count()


def offices_for_officer(*, user) -> QuerySet[Office]:
    """The offices whose counters an officer oversees: the offices in their office's area."""
    if not (user.is_authenticated and (user.is_superuser or is_officer(user))):
        return Office.objects.none()
    if user.is_superuser:
        return Office.objects.all()
    own = user.office
    if own is None:
        return Office.objects.none()
    ids = [
        office.pk
        for office in Office.objects.all()
        if office.pk == own.pk
        or (office.province and office_covers(own, province=office.province, city_code=office.city_code))
    ]
    return Office.objects.filter(pk__in=ids)


def office_for_officer(*, user, code: str) -> Office:
    try:
        return offices_for_officer(user=user).get(code=code)
    except Office.DoesNotExist:
        raise Http404 from None


def booked_on(*, user, office: Office, date: dt.date) -> QuerySet[Booking]:
    """Who is booked at the office on the day (every state, so the counter sees who came)."""
    start = timezone.make_aware(dt.datetime.combine(date, dt.time.min))
    return (
        _bookings()
        .filter(
            slot__office=office,
            slot__starts_at__gte=start,
            slot__starts_at__lt=start + dt.timedelta(days=1),
        )
        .exclude(state=Booking.State.CANCELLED)
        .filter(jurisdiction_q(user, "application__"))
        .order_by("slot__starts_at", "id")
    )


def bookings_today_for_case(*, application: Application) -> QuerySet[Booking]:
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return _bookings().filter(
        application=application,
        state=Booking.State.BOOKED,
        slot__starts_at__gte=start,
        slot__starts_at__lt=start + dt.timedelta(days=1),
    )


def capacity_for(*, office: Office, service: str) -> ServiceCapacity | None:
    return ServiceCapacity.objects.filter(office=office, service=service).first()


def horizon_end(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) + dt.timedelta(days=settings.APPOINTMENTS_HORIZON_DAYS)


def slot_times(*, day: calendar.Day, capacity: ServiceCapacity) -> list[tuple[dt.datetime, dt.datetime]]:
    """The slots of an open day: from opening, one every slot length, the last ending by closing."""
    if not day.open:
        return []
    step = dt.timedelta(minutes=capacity.slot_minutes)
    start = timezone.make_aware(dt.datetime.combine(day.date, day.opens))
    close = timezone.make_aware(dt.datetime.combine(day.date, day.closes))
    times = []
    while start + step <= close:
        times.append((start, start + step))
        start += step
    return times


def available_slots(
    *, office: Office, service: str, day: calendar.Day, now: dt.datetime | None = None
) -> list[SlotChoice]:
    """The day's slots that have not started, with their free seats (full ones too, shown as full)."""
    capacity = capacity_for(office=office, service=service)
    if capacity is None:
        return []
    now = now or timezone.now()
    times = [(s, e) for s, e in slot_times(day=day, capacity=capacity) if s > now]
    if not times:
        return []
    made = {
        slot.starts_at: slot
        for slot in Slot.objects.filter(
            office=office, service=service, starts_at__gte=times[0][0], starts_at__lte=times[-1][0]
        )
    }
    result = []
    for start, end in times:
        slot = made.get(start)
        total = slot.capacity if slot else capacity.seats_per_slot
        result.append(SlotChoice(start, end, total, max(total - (slot.booked if slot else 0), 0)))
    return result


def open_days(*, office: Office, service: str, count: int = 8) -> list[tuple[calendar.Day, int]]:
    """The next open days with free seats (up to ``count``), from today to the booking horizon."""
    today = timezone.localdate()
    result = []
    for day in calendar.office_days(office, today, settings.APPOINTMENTS_HORIZON_DAYS + 1):
        if isinstance(day, str) or not day.open:
            continue
        free = sum(choice.free for choice in available_slots(office=office, service=service, day=day))
        if free:
            result.append((day, free))
        if len(result) >= count:
            break
    return result


def services_for(application: Application) -> list[str]:
    """The services this case may book now."""
    from .services import SERVICE_STATUSES

    return [service for service in Service.values if application.status in SERVICE_STATUSES[service]]

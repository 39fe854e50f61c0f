"""Booking rules, moving, cancelling, marking, reminders and the calendar file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from icalendar import Calendar

from applications.models import Notification
from appointments import services
from appointments.ics import booking_ics
from appointments.models import Booking, CalendarOverride, Slot
from residence.audit.models import AuditEntry
from tests.factories import UserFactory

from .conftest import at, bookable_day

pytestmark = pytest.mark.django_db


def book(actor, case, date, hour=9, minute=0, service="intake"):
    return services.booking_create(
        actor=actor, application=case, service=service, starts_at=at(date, hour, minute)
    )


def test_book_takes_a_seat_and_is_audited(case, alice):
    day = bookable_day(case.office)
    booking = book(alice, case, day)
    assert booking.state == "booked" and booking.slot.booked == 1 and booking.slot.capacity == 2
    assert AuditEntry.objects.filter(action="appointments.book", object_id=str(booking.pk)).exists()


def test_one_active_booking_per_case_and_service(case, alice):
    day = bookable_day(case.office)
    book(alice, case, day)
    with pytest.raises(ValidationError, match="already has an appointment"):
        book(alice, case, day, 10)


def test_refused_times(case, alice):
    day = bookable_day(case.office)
    with pytest.raises(ValidationError, match="not one of the office's appointment times"):
        book(alice, case, day, 9, 10)
    with pytest.raises(ValidationError, match="not one of"):
        book(alice, case, day, 12)  # closing time
    with pytest.raises(ValidationError, match="has passed"):
        services.booking_create(
            actor=alice, application=case, service="intake", starts_at=timezone.now() - dt.timedelta(hours=1)
        )
    far = timezone.localdate() + dt.timedelta(days=200)
    with pytest.raises(ValidationError, match="can be booked up to"):
        book(alice, case, far)
    CalendarOverride.objects.create(office=case.office, date=day, kind="closed", reason="Staff training")
    with pytest.raises(ValidationError, match=r"closed on .*Staff training"):
        book(alice, case, day)
    with pytest.raises(ValidationError, match="at its present stage"):
        book(alice, case, day, service="card_collection")  # not approved yet
    assert not Booking.objects.exists()


def test_full_slot_gives_a_clear_message(case, alice, office_tree):
    from tests.applications.factories import ProfileFactory, submitted

    day = bookable_day(case.office)
    book(alice, case, day)
    others = []
    for n in range(2):
        user = UserFactory(email=f"other{n}@example.org", roles=["applicant"])
        other = submitted(ProfileFactory(owner=user, province="CN-GD", city_code="440100"))
        other.office = case.office
        other.save(update_fields=["office"])
        others.append((user, other))
    book(others[0][0], others[0][1], day)
    with pytest.raises(ValidationError, match="fully booked"):
        book(others[1][0], others[1][1], day)
    assert Slot.objects.get().booked == 2


def test_someone_else_and_officers_of_another_province(case, alice, office_tree):
    from tests.applications.factories import officer

    day = bookable_day(case.office)
    stranger = UserFactory(email="eve@example.org", roles=["applicant"])
    with pytest.raises(Http404):
        book(stranger, case, day)
    sichuan = officer("intake_officer", office_tree["sc"], email="sc-intake@example.org")
    with pytest.raises(Http404):
        book(sichuan, case, day)
    counter = officer("intake_officer", office_tree["gd-gz"], email="gz-intake@example.org")
    booking = book(counter, case, day)  # counter staff book for the applicant; the applicant is told
    assert Notification.objects.filter(recipient=alice, status="appointment_booked").exists()
    with pytest.raises(Http404):
        services.booking_cancel(actor=stranger, booking=booking)


def test_move_frees_the_old_seat_and_cancel_frees_the_new(case, alice):
    day = bookable_day(case.office)
    booking = book(alice, case, day)
    old_slot = booking.slot
    moved = services.booking_move(actor=alice, booking=booking, starts_at=at(day, 10, 30))
    old_slot.refresh_from_db()
    assert old_slot.booked == 0 and moved.slot.booked == 1 and moved.moves == 1
    with pytest.raises(ValidationError, match="already booked"):
        services.booking_move(actor=alice, booking=moved, starts_at=at(day, 10, 30))
    cancelled = services.booking_cancel(actor=alice, booking=moved)
    assert cancelled.state == "cancelled" and Slot.objects.get(pk=moved.slot_id).booked == 0
    with pytest.raises(ValidationError, match="no longer active"):
        services.booking_cancel(actor=alice, booking=cancelled)
    actions = list(
        AuditEntry.objects.filter(action__startswith="appointments.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["appointments.book", "appointments.move", "appointments.cancel"]
    book(alice, case, day)  # a cancelled booking does not count against the case


def _past_booking(case, alice):
    """A booking whose slot has passed (made by moving the slot's times back, as time would)."""
    day = bookable_day(case.office)
    booking = book(alice, case, day)
    Slot.objects.filter(pk=booking.slot_id).update(
        starts_at=timezone.now() - dt.timedelta(hours=2),
        ends_at=timezone.now() - dt.timedelta(hours=1, minutes=30),
    )
    return Booking.objects.get(pk=booking.pk)


def test_no_show_is_recorded_counted_and_lets_the_applicant_book_again(case, alice, office_tree):
    from appointments.selectors import no_show_count
    from tests.applications.factories import officer

    booking = _past_booking(case, alice)
    with pytest.raises(PermissionDenied):
        services.booking_mark(actor=alice, booking=booking, outcome="no_show")
    counter = officer("intake_officer", office_tree["gd-gz"], email="gz-intake@example.org")
    marked = services.booking_mark(actor=counter, booking=booking, outcome="no_show")
    assert marked.state == "no_show" and no_show_count(application=case) == 1
    assert AuditEntry.objects.filter(action="appointments.no_show", object_id=str(booking.pk)).exists()
    assert Notification.objects.filter(recipient=alice, status="appointment_no_show").exists()
    assert Slot.objects.get(pk=booking.slot_id).booked == 1  # the past slot keeps its count
    book(alice, case, bookable_day(case.office, after=3))


def test_no_show_waits_for_the_slot_to_pass_and_attended_is_recorded(case, alice, office_tree):
    from tests.applications.factories import officer

    counter = officer("intake_officer", office_tree["gd-gz"], email="gz-intake@example.org")
    upcoming = book(alice, case, bookable_day(case.office))
    with pytest.raises(ValidationError, match="only after"):
        services.booking_mark(actor=counter, booking=upcoming, outcome="no_show")
    with pytest.raises(ValidationError, match="once it has begun"):
        services.booking_mark(actor=counter, booking=upcoming, outcome="attended")
    Slot.objects.filter(pk=upcoming.slot_id).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    attended = services.booking_mark(actor=counter, booking=upcoming, outcome="attended")
    assert attended.state == "attended"
    assert AuditEntry.objects.filter(action="appointments.attended").exists()


def test_reminder_the_day_before_in_the_inbox_and_by_e_mail_with_a_calendar_file(
    case, alice, django_capture_on_commit_callbacks
):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    CalendarOverride.objects.create(office=case.office, date=tomorrow, kind="open", reason="test")
    booking = book(alice, case, tomorrow, 11, 30)
    mail.outbox.clear()
    from appointments.tasks import reminders_send_task

    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send_task.delay().get() == 1  # what beat sends hourly
    assert services.reminders_send() == 0  # once only
    (notice,) = Notification.objects.filter(recipient=alice, status="appointment_reminder")
    assert "is tomorrow" in notice.message and notice.link == f"/appointments/{booking.pk}/"
    (message,) = [m for m in mail.outbox if alice.email in m.to]
    assert "tomorrow" in message.subject
    ((name, content, mimetype),) = message.attachments
    assert name == "appointment.ics" and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == at(tomorrow, 11, 30)
    assert AuditEntry.objects.filter(action="appointments.remind", object_id=str(booking.pk)).exists()


def test_ics_parses_back_with_the_office_time_zone(case, alice):
    day = bookable_day(case.office)
    booking = book(alice, case, day, 10)
    calendar = Calendar.from_ical(booking_ics(booking, language="zh-hans"))
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == at(day, 10) and event.decoded("dtend") == at(day, 10, 30)
    assert str(event["uid"]).startswith(f"appointment-{booking.pk}@")
    assert str(event["location"]) == "广州"  # in the language asked for
    assert event["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert calendar.walk("VTIMEZONE")
    assert case.reference in str(event["summary"])


def test_bad_input_on_the_booking_page_is_a_message_not_a_500(case, alice, client, settings):
    from appointments.calendar import library_years

    settings.APPOINTMENTS_HORIZON_DAYS = 3650
    unknown = f"{library_years()[1] + 1}-01-15"
    client.force_login(alice)
    url = f"/appointments/cases/{case.pk}/book/"
    day = bookable_day(case.office)
    for data in (
        {"service": "intake", "slot": "not-a-time"},
        {"service": "intake", "slot": f"{day.isoformat()}T09:00"},  # no offset: office time
        {"service": "nonsense", "slot": at(day, 9).isoformat()},
    ):
        response = client.post(url, data)
        assert response.status_code == 302
    assert Booking.objects.count() == 1  # only the one without an offset, read as 09:00 office time
    page = client.get(url + f"?service=intake&date={unknown}")
    assert page.status_code == 200 and "not published yet" in page.content.decode()


def test_case_page_and_status_page_show_the_appointments(case, alice, client, office_tree):
    from tests.applications.factories import officer

    booking = book(alice, case, bookable_day(case.office))
    client.force_login(alice)
    status_page = client.get(f"/applications/{case.pk}/").content.decode()
    assert (
        f"/appointments/cases/{case.pk}/book/" in status_page
        and f"/appointments/{booking.pk}/" in status_page
    )
    counter = officer("intake_officer", office_tree["gd-gz"], email="gz-intake@example.org")
    client.force_login(counter)
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert (
        "Book an appointment for the applicant" in case_page and f"/appointments/{booking.pk}/" in case_page
    )
    assert client.get(f"/appointments/{booking.pk}/ics").status_code == 404  # the applicant's file only
    client.force_login(alice)
    response = client.get(f"/appointments/{booking.pk}/ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert Calendar.from_ical(response.content).walk("VEVENT")


def test_beat_runs_the_reminder_sweep_hourly(settings):
    from appointments.tasks import reminders_send_task

    entry = settings.CELERY_BEAT_SCHEDULE["appointments-reminders"]
    assert entry["task"] == reminders_send_task.name and entry["schedule"] == 3600

"""The appointment as an iCalendar file, made with the maintained ``icalendar`` library (RFC 5545),
never by hand: escaping, folding and the time zone component are the library's job."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def booking_ics(booking, *, language: str) -> bytes:
    with translation.override(language):
        calendar = Calendar()
        calendar.add("prodid", "-//NIA//Permanent residence portal//EN")
        calendar.add("version", "2.0")
        calendar.add("method", "PUBLISH")
        event = Event()
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        # The same UID whenever the file is made again, so a moved appointment replaces the old one
        # in the calendar that imported it; SEQUENCE counts the moves.
        event.add("uid", f"appointment-{booking.pk}@{domain}")
        event.add("sequence", booking.moves)
        event.add("dtstamp", timezone.now())
        event.add("dtstart", timezone.localtime(booking.slot.starts_at))
        event.add("dtend", timezone.localtime(booking.slot.ends_at))
        reference = booking.application.reference or str(booking.application)
        event.add(
            "summary",
            _("%(service)s: application %(ref)s")
            % {"service": booking.get_service_display(), "ref": reference},
        )
        event.add("location", str(booking.slot.office))
        event.add(
            "description",
            _("Bring your passport and this application's reference. To move or cancel: %(url)s")
            % {"url": settings.SITE_URL.rstrip("/") + f"/appointments/{booking.pk}/"},
        )
        event.add("status", "CANCELLED" if booking.state == booking.State.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
        # The VTIMEZONE of Asia/Shanghai, so every client shows the office's local time.
        calendar.add_missing_timezones()
        return calendar.to_ical()

"""Thin tasks: the hourly reminder sweep, and one reminder e-mail with its calendar file."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage

from residence.core import outbox


@shared_task(acks_late=True, ignore_result=True)
def reminders_send_task() -> int:
    from .services import reminders_send

    return reminders_send()


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=6,
)
def reminder_email_task(self, *, booking_id: int) -> None:
    """Sent from the outbox after the reminder commits; the .ics is made here from the booking."""
    from .ics import booking_ics
    from .models import Booking
    from .notifications import reminder_email

    booking = (
        Booking.objects.select_related("application__applicant__owner", "slot__office")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or booking.state != Booking.State.BOOKED:
        return
    owner = booking.application.applicant.owner
    language = owner.preferred_language or settings.LANGUAGE_CODE
    subject, body = reminder_email(booking, language=language)
    headers = {}
    message_id = outbox.current_message.get()
    if message_id is not None:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        headers["Message-ID"] = f"<outbox-{message_id}@{domain}>"
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email], headers=headers)
    message.attach(
        "appointment.ics", booking_ics(booking, language=language), "text/calendar; method=PUBLISH"
    )
    message.send()

"""Booking, moving and cancelling appointments, marking who came; every write atomic and audited.

A slot is never overbooked: a seat is taken by one conditional UPDATE
(``booked = booked + 1 WHERE booked < capacity``), which on PostgreSQL waits for a concurrent
transaction on the same row and then re-reads it, so of N simultaneous bookings of a slot with
capacity C exactly C succeed; the CHECK constraint ``booked <= capacity`` backs it in the database.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Notification, Status
from applications.services import acts_for
from residence.accounts.jurisdiction import user_covers
from residence.accounts.models import is_officer
from residence.audit.services import audit_record
from residence.core.tasks import publish_after_commit

from . import calendar, notifications, selectors
from .models import Booking, Service, Slot

# Which cases may book which service: intake while the case is at intake or being examined (the
# applicant brings originals, is photographed and fingerprinted); card collection once approved.
SERVICE_STATUSES = {
    Service.INTAKE: {
        Status.SUBMITTED,
        Status.RETURNED,
        Status.ACCEPTED,
        Status.VERIFYING,
        Status.IN_REVIEW,
        Status.EVIDENCE_REQUESTED,
        Status.EVIDENCE_SUBMITTED,
    },
    Service.CARD_COLLECTION: {Status.APPROVED, Status.CARD_ISSUED},
}


def _is_officer_for(actor, application: Application) -> bool:
    return is_officer(actor) and user_covers(
        actor, province=application.province, city_code=application.city_code
    )


def _require_may_book(actor, application: Application) -> None:
    """The applicant side (owner or authorised intermediary), or an officer of the case's area."""
    if acts_for(actor, application.applicant.owner_id) or _is_officer_for(actor, application):
        return
    raise Http404


def _fully_booked() -> ValidationError:
    return ValidationError(
        {"slot": _("That time is fully booked. Please choose another time.")}, code="fully_booked"
    )


def _check_time(*, application: Application, service: str, starts_at: dt.datetime) -> tuple:
    """The office, the capacity and the slot's end for a wanted start; or a ValidationError saying why not."""
    office = selectors.office_for(application)
    if office is None:
        raise ValidationError(_("No office takes appointments for this case."))
    capacity = selectors.capacity_for(office=office, service=service)
    if capacity is None:
        raise ValidationError(_("This office does not take appointments for this service."))
    now = timezone.now()
    if starts_at <= now:
        raise ValidationError({"slot": _("That time has passed. Please choose a later one.")})
    date = timezone.localdate(starts_at)
    if date > selectors.horizon_end():
        raise ValidationError(
            {
                "date": _("Appointments can be booked up to %(date)s.")
                % {"date": selectors.horizon_end().isoformat()}
            }
        )
    try:
        day = calendar.office_day(office, date)
    except calendar.CalendarUnknown as unknown:
        raise ValidationError({"date": str(unknown)}) from None
    if not day.open:
        reason = f" ({day.note})" if day.note else ""
        raise ValidationError(
            {
                "date": _("The office is closed on %(date)s%(reason)s.")
                % {"date": date.isoformat(), "reason": reason}
            }
        )
    for start, end in selectors.slot_times(day=day, capacity=capacity):
        if start == starts_at:
            return office, capacity, end
    raise ValidationError({"slot": _("That is not one of the office's appointment times.")})


def _take_seat(*, office, service: str, starts_at, ends_at, seats: int) -> Slot:
    slot, _created = Slot.objects.get_or_create(
        office=office, service=service, starts_at=starts_at, defaults={"ends_at": ends_at, "capacity": seats}
    )
    taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not taken:
        raise _fully_booked()
    slot.refresh_from_db(fields=["booked"])
    return slot


def _free_seat(slot: Slot) -> None:
    # Only a seat still to come is given back; a past slot keeps its count (it was used, or missed).
    if slot.starts_at > timezone.now():
        Slot.objects.filter(pk=slot.pk, booked__gt=0).update(booked=F("booked") - 1)


def _require_service(application: Application, service: str) -> None:
    if service not in Service.values:
        raise ValidationError({"service": _("Choose a service.")})
    if application.status not in SERVICE_STATUSES[service]:
        raise ValidationError(
            {
                "service": _("This case cannot book “%(service)s” at its present stage.")
                % {"service": Service(service).label}
            }
        )


def _tell_owner_if_staff(actor, application: Application, booking: Booking) -> None:
    """When staff book, move or cancel for the applicant, the applicant's inbox says so."""
    if acts_for(actor, application.applicant.owner_id):
        return
    Notification.objects.create(
        recipient=application.applicant.owner,
        application=application,
        status=notifications.BOOKED_FOR_YOU,
        link_path=reverse("appointments:detail", args=[booking.pk]),
    )


def _snapshot(booking: Booking) -> dict:
    return {
        "state": booking.state,
        "service": booking.service,
        "slot": booking.slot_id,
        "starts_at": booking.slot.starts_at.isoformat(),
        "office": booking.slot.office_id,
    }


@transaction.atomic
def booking_create(*, actor, application: Application, service: str, starts_at: dt.datetime) -> Booking:
    _require_may_book(actor, application)
    _require_service(application, service)
    if Booking.objects.filter(application=application, service=service, state=Booking.State.BOOKED).exists():
        raise ValidationError(
            _("This case already has an appointment for this service. Move or cancel it instead.")
        )
    office, capacity, ends_at = _check_time(application=application, service=service, starts_at=starts_at)
    slot = _take_seat(
        office=office, service=service, starts_at=starts_at, ends_at=ends_at, seats=capacity.seats_per_slot
    )
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                application=application, service=service, slot=slot, booked_by=actor
            )
    except IntegrityError:
        # Booked for the same case a moment ago in another request.
        raise ValidationError(
            _("This case already has an appointment for this service. Move or cancel it instead.")
        ) from None
    audit_record(actor=actor, action="appointments.book", obj=booking, after=_snapshot(booking))
    _tell_owner_if_staff(actor, application, booking)
    return booking


def _lock(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update()
        .select_related("slot__office", "application__applicant")
        .get(pk=booking.pk)
    )


def _require_active_and_upcoming(booking: Booking) -> None:
    if booking.state != Booking.State.BOOKED:
        raise ValidationError(_("This appointment is no longer active."))
    if booking.slot.starts_at <= timezone.now():
        raise ValidationError(
            _("This appointment has already begun; it can no longer be moved or cancelled.")
        )


@transaction.atomic
def booking_move(*, actor, booking: Booking, starts_at: dt.datetime) -> Booking:
    booking = _lock(booking)
    _require_may_book(actor, booking.application)
    _require_active_and_upcoming(booking)
    if starts_at == booking.slot.starts_at:
        raise ValidationError({"slot": _("That is the time already booked.")})
    before = _snapshot(booking)
    office, capacity, ends_at = _check_time(
        application=booking.application, service=booking.service, starts_at=starts_at
    )
    old_slot = booking.slot
    booking.slot = _take_seat(
        office=office,
        service=booking.service,
        starts_at=starts_at,
        ends_at=ends_at,
        seats=capacity.seats_per_slot,
    )
    _free_seat(old_slot)
    booking.moves += 1
    booking.reminded_at = None  # the reminder goes again for the new day
    booking.save(update_fields=["slot", "moves", "reminded_at"])
    audit_record(
        actor=actor, action="appointments.move", obj=booking, before=before, after=_snapshot(booking)
    )
    _tell_owner_if_staff(actor, booking.application, booking)
    return booking


@transaction.atomic
def booking_cancel(*, actor, booking: Booking) -> Booking:
    booking = _lock(booking)
    _require_may_book(actor, booking.application)
    _require_active_and_upcoming(booking)
    before = _snapshot(booking)
    _free_seat(booking.slot)
    booking.state = Booking.State.CANCELLED
    booking.closed_at, booking.closed_by = timezone.now(), actor
    booking.save(update_fields=["state", "closed_at", "closed_by"])
    audit_record(
        actor=actor, action="appointments.cancel", obj=booking, before=before, after=_snapshot(booking)
    )
    _tell_owner_if_staff(actor, booking.application, booking)
    return booking


@transaction.atomic
def booking_mark(*, actor, booking: Booking, outcome: str) -> Booking:
    """An officer of the area records that the applicant came, or (after the slot) did not.

    A no-show keeps the past slot's count (the seat cannot be used any more) and ends the booking,
    so the applicant may book again; it is counted on the case.
    """
    booking = _lock(booking)
    if not _is_officer_for(actor, booking.application):
        if acts_for(actor, booking.application.applicant.owner_id):
            raise PermissionDenied(_("Only officers may do this."))
        raise Http404
    if booking.state != Booking.State.BOOKED:
        raise ValidationError(_("This appointment is no longer active."))
    now = timezone.now()
    if outcome == Booking.State.ATTENDED:
        if booking.slot.starts_at > now:
            raise ValidationError(_("An appointment can be marked attended once it has begun."))
    elif outcome == Booking.State.NO_SHOW:
        if booking.slot.ends_at > now:
            raise ValidationError(
                _("A no-show can be recorded only after the appointment's time has passed.")
            )
    else:
        raise ValidationError(_("Choose attended or did not come."))
    before = _snapshot(booking)
    booking.state = outcome
    booking.closed_at, booking.closed_by = now, actor
    booking.save(update_fields=["state", "closed_at", "closed_by"])
    audit_record(
        actor=actor,
        action="appointments.attended" if outcome == Booking.State.ATTENDED else "appointments.no_show",
        obj=booking,
        before=before,
        after=_snapshot(booking),
    )
    if outcome == Booking.State.NO_SHOW:
        Notification.objects.create(
            recipient=booking.application.applicant.owner,
            application=booking.application,
            status=notifications.NO_SHOW,
            link_path=reverse("appointments:book", args=[booking.application_id]),
        )
    return booking


# --- reminders: beat runs this hourly; each booking is reminded once, the day before ---------------------
def reminders_due(now: dt.datetime | None = None):
    tomorrow = timezone.localdate(now or timezone.now()) + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
    return Booking.objects.filter(
        state=Booking.State.BOOKED,
        reminded_at__isnull=True,
        slot__starts_at__gte=start,
        slot__starts_at__lt=start + dt.timedelta(days=1),
    )


@transaction.atomic
def booking_remind(*, booking_id: int) -> bool:
    """The inbox line now and the e-mail (with its calendar file) after commit; once per booking and day."""
    booking = (
        Booking.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk=booking_id, state=Booking.State.BOOKED, reminded_at__isnull=True)
        .select_related("application__applicant__owner", "slot")
        .first()
    )
    if booking is None:
        return False
    booking.reminded_at = timezone.now()
    booking.save(update_fields=["reminded_at"])
    owner = booking.application.applicant.owner
    Notification.objects.create(
        recipient=owner,
        application=booking.application,
        status=notifications.REMINDER,
        link_path=reverse("appointments:detail", args=[booking.pk]),
    )
    audit_record(
        actor=None,
        action="appointments.remind",
        obj=booking,
        after={"starts_at": booking.slot.starts_at.isoformat()},
    )
    if owner.email:
        from .tasks import reminder_email_task

        publish_after_commit(reminder_email_task, booking_id=booking.pk)
    return True


def reminders_send(now: dt.datetime | None = None) -> int:
    """Remind every booking of tomorrow not yet reminded (each in its own transaction)."""
    sent = 0
    for booking_id in list(reminders_due(now).values_list("pk", flat=True)):
        sent += booking_remind(booking_id=booking_id)
    return sent

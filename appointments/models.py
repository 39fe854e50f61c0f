"""Appointments at offices: opening hours, capacity per service, calendar overrides, slots, bookings.

The dependency runs one way: this app reads applications and offices; neither imports it. A slot row
is made the first time someone books it (its capacity copied from the office's capacity then), and
its ``booked`` count can never pass ``capacity``: the booking service raises it with one conditional
UPDATE, and a CHECK constraint refuses any write that would overbook, whatever the code does.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Service(models.TextChoices):
    INTAKE = "intake", pgettext_lazy("appointment service", "Intake (handing in the application)")
    CARD_COLLECTION = "card_collection", _("Card collection")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """When an office's counters are open on a weekday (no row: closed that weekday)."""

    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["office", "weekday"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.UniqueConstraint(fields=["office", "weekday"], name="appointments_hours_one_per_weekday"),
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="appointments_hours_open_before_close"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class ServiceCapacity(models.Model):
    """How an office serves one service: the length of a slot and how many people each slot takes.

    The day's capacity is the number of slots in the opening hours times the seats per slot.
    """

    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        related_name="service_capacities",
    )
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    seats_per_slot = models.PositiveSmallIntegerField(_("people per slot"), default=2)

    class Meta:
        ordering = ["office", "service"]
        verbose_name = _("service capacity")
        verbose_name_plural = _("service capacities")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "service"], name="appointments_capacity_one_per_service"
            ),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="appointments_capacity_slot_min_5"),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.get_service_display()}"


class CalendarOverride(models.Model):
    """A closure or an extra working day that the holiday library does not know.

    For one office, or national (no office) for every office. An office's own override wins over a
    national one; either wins over the library. Dates past the library's published years need one
    to be bookable at all.
    """

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Closed")
        OPEN = "open", _("Extra working day")

    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        help_text=_("Leave empty for a national closure or working day."),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["date", "office"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "date"], name="appointments_override_one_per_office_day"
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(office__isnull=True),
                name="appointments_override_one_national_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} ({self.office or _('national')})"


class Slot(models.Model):
    """One bookable time at an office for a service; made at its first booking."""

    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "service", "starts_at"], name="appointments_slot_unique"
            ),
            # The database itself refuses an overbooked slot.
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="appointments_slot_not_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.service} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class Booking(models.Model):
    class State(models.TextChoices):
        BOOKED = "booked", pgettext_lazy("appointment state", "Booked")
        CANCELLED = "cancelled", pgettext_lazy("appointment state", "Cancelled")
        ATTENDED = "attended", pgettext_lazy("appointment state", "Attended")
        NO_SHOW = "no_show", pgettext_lazy("appointment state", "Did not come")

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    slot = models.ForeignKey(Slot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="bookings")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.BOOKED)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("booked by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    moves = models.PositiveSmallIntegerField(_("times moved"), default=0)
    closed_at = models.DateTimeField(_("cancelled or marked at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled or marked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            # One active booking per case and service; cancelled and past ones do not count.
            models.UniqueConstraint(
                fields=["application", "service"],
                condition=Q(state="booked"),
                name="appointments_one_active_per_case_service",
            )
        ]
        indexes = [models.Index(fields=["state", "reminded_at"], name="appointments_remind_idx")]

    def __str__(self) -> str:
        return f"{self.application} {self.get_service_display()} {self.slot}"

    @property
    def is_active(self) -> bool:
        return self.state == self.State.BOOKED

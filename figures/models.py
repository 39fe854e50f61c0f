"""Published figures, computed on a schedule from the portal's own decided cases (R13)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProcessingTime(models.Model):
    """How long decided applications took, over a rolling window, per route and office.

    ``office`` empty is the figure for the whole country. With fewer decided cases than the
    published minimum, ``p50_days`` and ``p80_days`` stay empty: the page says there are too few.
    """

    channel = models.CharField(_("channel"), max_length=20)
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    computed_on = models.DateField(_("computed on"))
    window_start = models.DateField(_("decided from"))
    window_end = models.DateField(_("decided until"))
    cases = models.PositiveIntegerField(_("decided cases"))
    p50_days = models.PositiveIntegerField(_("days for half of the cases"), null=True, blank=True)
    p80_days = models.PositiveIntegerField(_("days for most cases (80 %)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("processing time")
        verbose_name_plural = _("processing times")
        ordering = ["-computed_on", "channel", "office_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "office", "computed_on"],
                condition=Q(office__isnull=False),
                name="processing_time_office_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["channel", "computed_on"],
                condition=Q(office__isnull=True),
                name="processing_time_country_once_a_day",
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "office", "-computed_on"], name="processing_time_latest_idx")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.office_id or '*'} {self.computed_on}"

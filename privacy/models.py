"""Personal information (PIPL): consents, correction requests, who looked at a case, retention and holds."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    APPLICATION = "application", _("Examination of an application")
    INTERMEDIARY = "intermediary", _("An intermediary acting for you")
    COUNTER = "counter", _("A service window filing for you")


class Consent(models.Model):
    """One consent given by a person, to one version of a text, for one purpose; withdrawable."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    text_version = models.CharField(_("text version"), max_length=40)
    language = models.CharField(_("language shown"), max_length=10, default="en")
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    # The person themselves, or the intermediary who submitted for them.
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("given by"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consents",
    )
    authorisation = models.OneToOneField(
        "applications.Authorisation",
        verbose_name=_("authorisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consent",
    )
    # Who was given access by a counter consent (the window's staff member), when there is one.
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("given to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["person", "-given_at"], name="consent_person_idx")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.text_version}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class CorrectionRequest(models.Model):
    """A person asks for their information to be corrected (PIPL art. 46); an officer of the area answers."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        CORRECTED = "corrected", _("Corrected")
        REFUSED = "refused", _("Not corrected")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="correction_requests",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="correction_requests",
    )
    # Where the request is answered: the area of the case (or of the person's profile).
    province = models.CharField(_("province"), max_length=8, db_index=True)
    city_code = models.CharField(_("city code"), max_length=6)
    what = models.CharField(_("what is wrong"), max_length=300)
    correction = models.TextField(_("what it should say"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True, max_length=2000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")

    def __str__(self) -> str:
        return f"#{self.pk} {self.what[:40]}"


class CaseAccess(models.Model):
    """A member of staff read a case's personal data (its page, documents or checks) in this hour.

    One row per staff user per case per hour, whatever the number of reads: enough to answer "who
    looked, and when" and cheap enough to keep (see privacy/middleware.py). The office is kept as
    it was then, so the person is told which office looked even if the officer moves.
    """

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="staff_accesses"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hour = models.DateTimeField(_("hour"))
    first_view = models.CharField(_("first page read"), max_length=80)

    class Meta:
        ordering = ["-hour", "-id"]
        verbose_name = _("staff access to a case")
        verbose_name_plural = _("staff accesses to cases")
        constraints = [
            models.UniqueConstraint(fields=["application", "user", "hour"], name="one_access_row_per_hour")
        ]
        indexes = [models.Index(fields=["hour"], name="case_access_hour_idx")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.hour:%Y-%m-%d %H}:00"


class LegalHold(models.Model):
    """While a hold is in place nothing of the case is purged (litigation, an investigation, an inquiry)."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("placed by"), on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    release_reason = models.TextField(_("reason for release"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(released_at__isnull=True), name="one_active_hold_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.placed_at:%Y-%m-%d}"


class RetentionCategory(models.TextChoices):
    ABANDONED_DRAFTS = "abandoned_drafts", _("Drafts never submitted (after the last change)")
    REFUSED_DOCUMENTS = "refused_documents", _("Documents of refused cases (after the decision)")
    WITHDRAWN_DOCUMENTS = "withdrawn_documents", _("Documents of withdrawn cases (after the withdrawal)")
    VERIFICATION_ANSWERS = "verification_answers", _("Agencies' answers to checks of closed cases")
    VERIFICATION_LOGS = "verification_logs", _("Logs of the queries sent to agencies")
    ACCESS_LOGS = "access_logs", _("Logs of staff reading cases")


class RetentionPeriod(models.Model):
    """How long one kind of record is kept: policy data, changed by the policy administrators."""

    category = models.CharField(_("records"), max_length=30, choices=RetentionCategory.choices, unique=True)
    days = models.PositiveIntegerField(_("kept for (days)"))
    basis = models.TextField(_("why this period"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["category"]
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.days}"

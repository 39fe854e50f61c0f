"""Checks of stated facts with the agencies that hold them, their attempts, and management cases.

A ``VerificationCheck`` row is the outbox: it is written in the same transaction as the state
change that needs it, and its Celery task is sent only after commit. The row, not the message,
is the truth: a lost message, a killed worker or a restarted Redis only delays a check, because
the sweeper re-sends any request still unfinished past its ``deadline``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from .checks import AGENCY_NAMES, AGENCY_OF_KIND, CheckKind


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_FLIGHT = "in_flight", _("In flight")
    VERIFIED = "verified", _("Verified")
    MISMATCH = "mismatch", _("Mismatch")
    NOT_FOUND = "not_found", _("Not found")
    ERROR = "error", _("Error")
    TIMED_OUT = "timed_out", _("Timed out")


UNFINISHED = (CheckStatus.PENDING, CheckStatus.IN_FLIGHT)
ANSWERED = (CheckStatus.VERIFIED, CheckStatus.MISMATCH, CheckStatus.NOT_FOUND)
FAILED = (CheckStatus.ERROR, CheckStatus.TIMED_OUT)
FLAGGED = (CheckStatus.MISMATCH, CheckStatus.NOT_FOUND, CheckStatus.ERROR, CheckStatus.TIMED_OUT)


KIND_LABELS, STATUS_LABELS = dict(CheckKind.choices), dict(CheckStatus.choices)


class Purpose(models.TextChoices):
    APPLICATION = "application", _("Application")
    MANAGEMENT = "management", _("Daily management")


class HolderReview(models.Model):
    """One round of daily-management re-checks of a permanent resident (R21)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        CLEAR = "clear", _("Nothing found")
        FINDING = "finding", _("Finding")
        UNVERIFIED = "unverified", _("Not verified: an agency did not answer")

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="holder_reviews",
    )
    min_days_per_year = models.PositiveSmallIntegerField(_("minimum days in China per year"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("holder review")
        verbose_name_plural = _("holder reviews")
        indexes = [models.Index(fields=["application", "-started_at"], name="holder_review_latest_idx")]

    def __str__(self) -> str:
        return f"{self.application} {self.started_at:%Y-%m-%d}"


class VerificationCheck(FSMModelMixin, models.Model):
    # The status changes only through the transitions below (protected FSMField). Writers lock
    # the row first (select_for_update) and batches are written with one UPDATE (rows_update),
    # so the row lock, not ConcurrentTransitionMixin's conditional save, keeps two writers apart.
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="verification_checks",
    )
    holder_review = models.ForeignKey(
        HolderReview,
        verbose_name=_("holder review"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checks",
    )
    purpose = models.CharField(
        _("purpose"), max_length=12, choices=Purpose.choices, default=Purpose.APPLICATION
    )
    kind = models.CharField(_("check"), max_length=20, choices=CheckKind.choices)
    agency = models.CharField(_("agency"), max_length=20)
    status = FSMField(
        _("status"), max_length=10, choices=CheckStatus.choices, default=CheckStatus.PENDING, protected=True
    )
    # What was asked, about whom and why.
    subject = models.JSONField(_("person asked about"), default=dict)
    stated = models.JSONField(_("facts asked about"), default=dict)
    reason_asked = models.CharField(_("why it was asked"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    correlation_id = models.UUIDField(_("correlation id"), default=uuid.uuid4, unique=True)
    # An officer's re-run starts a new run; a task names its run, so an old message does nothing.
    run = models.PositiveIntegerField(_("run"), default=1)
    auto_reruns = models.PositiveSmallIntegerField(_("automatic re-runs"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sends = models.PositiveIntegerField(_("times sent"), default=0)
    # The attempt that holds the check while in flight; a result from any other is discarded.
    lease_token = models.UUIDField(_("lease"), null=True, blank=True)
    deadline = models.DateTimeField(_("re-send after"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), null=True, blank=True)
    # What was answered: a digest of the answer and the fields that matter, not the raw answer.
    answer_digest = models.CharField(_("answer digest"), max_length=64, blank=True)
    answer_fields = models.JSONField(_("fields compared"), default=dict, blank=True)
    failure_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["application_id", "kind", "id"]
        verbose_name = _("verification check")
        verbose_name_plural = _("verification checks")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=Q(purpose="application"),
                name="one_application_check_per_kind",
            ),
            models.UniqueConstraint(
                fields=["holder_review", "kind"],
                condition=Q(holder_review__isnull=False),
                name="one_check_per_kind_per_review",
            ),
        ]
        indexes = [
            # The sweeper: unfinished requests past their deadline.
            models.Index(
                fields=["deadline"],
                condition=Q(status__in=["pending", "in_flight"]),
                name="check_unfinished_idx",
            ),
            models.Index(fields=["agency", "completed_at"], name="check_agency_completed_idx"),
            models.Index(fields=["status", "completed_at"], name="check_status_completed_idx"),
        ]

    def __str__(self) -> str:
        # Labels looked up by value: get_FOO_display() hashes every choice on each call, and every
        # recorded result is labelled in the audit log.
        kind, status = KIND_LABELS.get(self.kind, self.kind), STATUS_LABELS.get(self.status, self.status)
        return f"{kind} — {self.agency_name}: {status}"

    @property
    def agency_name(self) -> str:
        return str(AGENCY_NAMES.get(self.agency, self.agency))

    @property
    def is_finished(self) -> bool:
        return self.status not in UNFINISHED

    @property
    def is_flagged(self) -> bool:
        return self.status in FLAGGED

    @property
    def service(self) -> str:
        return AGENCY_OF_KIND[self.kind].service

    # -- transitions (in-memory only; services lock the row, save and audit) ----------------------
    # Claiming a batch for a worker (pending -> in flight) is one UPDATE of the locked rows in
    # verification.services.checks_claim, not a per-row transition.
    @transition(field=status, source=CheckStatus.IN_FLIGHT, target=RETURN_VALUE(*ANSWERED))
    def record_answer(self, status: str) -> str:
        return status

    @transition(field=status, source=CheckStatus.IN_FLIGHT, target=CheckStatus.PENDING)
    def retry(self) -> None:
        """A retriable failure with attempts left: asked again after a backoff."""

    @transition(field=status, source=CheckStatus.IN_FLIGHT, target=RETURN_VALUE(*FAILED))
    def fail(self, *, timed_out: bool) -> str:
        return CheckStatus.TIMED_OUT if timed_out else CheckStatus.ERROR

    @transition(field=status, source=UNFINISHED, target=CheckStatus.PENDING)
    def resend(self) -> None:
        """Sent again in the same run: lost, still queued, or its worker's lease ran out."""

    @transition(field=status, source=[*ANSWERED, *FAILED], target=CheckStatus.PENDING)
    def rerun(self) -> None:
        """A finished check asked again as a new run (an officer's, or automatic after a failure)."""


class VerificationAttempt(models.Model):
    """One query sent to an agency (or one that was lost): the unit of tracing across systems."""

    class Outcome(models.TextChoices):
        IN_FLIGHT = "in_flight", _("In flight")
        ANSWERED = "answered", _("Answered")
        AGENCY_ERROR = "agency_error", _("Agency or network error")
        TIMEOUT = "timeout", _("No answer in time")
        REFUSED = "refused", _("Refused by the agency")
        SUPERSEDED = "superseded", _("Superseded (answer discarded)")

    verification_check = models.ForeignKey(
        VerificationCheck, verbose_name=_("check"), on_delete=models.CASCADE, related_name="attempt_rows"
    )
    run = models.PositiveIntegerField(_("run"))
    number = models.PositiveSmallIntegerField(_("attempt"))
    query_id = models.UUIDField(_("query id"), unique=True)
    asked_by = models.CharField(_("asked by"), max_length=200)
    outcome = models.CharField(
        _("outcome"), max_length=15, choices=Outcome.choices, default=Outcome.IN_FLIGHT
    )
    result_status = models.CharField(_("result"), max_length=10, choices=CheckStatus.choices, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    answer_digest = models.CharField(_("answer digest"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), null=True, blank=True)

    class Meta:
        ordering = ["verification_check_id", "run", "number", "id"]
        verbose_name = _("verification attempt")
        verbose_name_plural = _("verification attempts")

    def __str__(self) -> str:
        return f"{self.verification_check_id}/{self.run}/{self.number}"


class ManagementCase(models.Model):
    """A finding of daily management about a permanent resident, for a management officer."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("permanent resident's application"),
        on_delete=models.PROTECT,
        related_name="management_cases",
    )
    review = models.ForeignKey(
        HolderReview, verbose_name=_("holder review"), on_delete=models.PROTECT, related_name="cases"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # The evidence: per finding, the check, the agency, what was stated and what the record says.
    findings = models.JSONField(_("findings"), default=list)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.TextField(_("resolution"), blank=True)
    # A finding taken to revocation in one step (R21 -> R22): the case it opened, and which finding.
    revocation = models.ForeignKey(
        "cards.RevocationCase",
        verbose_name=_("revocation case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="management_cases",
    )
    revocation_finding = models.PositiveSmallIntegerField(
        _("finding taken to revocation"), null=True, blank=True
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("management case")
        verbose_name_plural = _("management cases")
        indexes = [models.Index(fields=["status", "-opened_at", "-id"], name="mgmt_case_queue_idx")]

    def __str__(self) -> str:
        return f"{self.application} ({self.opened_at:%Y-%m-%d})"

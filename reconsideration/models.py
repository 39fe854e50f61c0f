"""Administrative reconsideration (行政复议) of a refusal or a revocation.

The dependency runs one way: this app reads and changes applications and cards through their
models; neither of them imports it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition


def letter_path(instance, filename: str) -> str:
    # Never a guessable name; the folder says what it is.
    return f"reconsideration/letters/{uuid.uuid4().hex}"


class Reconsideration(ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        LODGED = "lodged", _("Lodged")
        UPHELD = "upheld", _("Decision upheld")
        OVERTURNED = "overturned", _("Decision overturned")
        VARIED = "varied", _("Decision varied")
        REMITTED = "remitted", _("Remitted for a new decision")

    # Exactly one of the two: the refused application or the revocation decision.
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation = models.ForeignKey(
        "cards.RevocationCase",
        verbose_name=_("revocation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = FSMField(_("state"), default=State.LODGED, choices=State.choices, protected=True)
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lodged by"), on_delete=models.PROTECT, related_name="+"
    )
    # The person whose decision it is (the lodger may be their intermediary).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person concerned"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    grounds = models.TextField(_("grounds"), max_length=8000)
    lodged_at = models.DateTimeField(_("lodged"), default=timezone.now)
    # The office one level above the one that decided, and the decision's own deadline.
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("deciding office"), on_delete=models.PROTECT, related_name="+"
    )
    first_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first decision by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline = models.DateTimeField(_("deadline"))
    # While an evidence request is open the clock stops, as an application's stage clock does:
    # the time that was left is kept here and the deadline is pushed out of reach.
    paused_remaining = models.DurationField(_("time left when paused"), null=True, blank=True)
    suspends_revocation = models.BooleanField(_("revocation suspended"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    # The outcome letter (PDF, Chinese and English), rendered after the decision commits.
    letter = models.FileField(_("decision letter"), upload_to=letter_path, max_length=200, blank=True)
    letter_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("reconsideration")
        verbose_name_plural = _("reconsiderations")
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=False, revocation__isnull=True)
                | Q(application__isnull=True, revocation__isnull=False),
                name="reconsideration_of_one_decision",
            ),
            # One reconsideration per decision, ever (a remitted case gets a new decision).
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(application__isnull=False) & ~Q(state="remitted"),
                name="one_reconsideration_per_refusal",
            ),
            models.UniqueConstraint(
                fields=["revocation"],
                condition=Q(revocation__isnull=False),
                name="one_reconsideration_per_revocation",
            ),
        ]

    def __str__(self) -> str:
        return f"RC-{self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.state == self.State.LODGED and self.deadline < timezone.now()

    @transition(field=state, source=State.LODGED, target=State.UPHELD)
    def uphold(self) -> None:
        pass

    @transition(field=state, source=State.LODGED, target=State.OVERTURNED)
    def overturn(self) -> None:
        pass

    @transition(field=state, source=State.LODGED, target=State.VARIED)
    def vary(self) -> None:
        pass

    @transition(field=state, source=State.LODGED, target=State.REMITTED)
    def remit(self) -> None:
        pass


class ReconsiderationEscalation(models.Model):
    """An overdue reconsideration told to the deciding office's supervisors: once per level."""

    class Level(models.IntegerChoices):
        DEADLINE = 1, _("Deadline passed")
        MARGIN = 2, _("Still overdue past the margin")

    reconsideration = models.ForeignKey(Reconsideration, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    deadline = models.DateTimeField(_("deadline"))
    # The office whose supervisors were told (the deciding office, or the first above it with any).
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("supervisors told"), related_name="+", blank=True
    )
    created_at = models.DateTimeField(_("escalated"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reconsideration escalation")
        verbose_name_plural = _("reconsideration escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["reconsideration", "level"], name="one_reconsideration_escalation_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reconsideration} {self.level}"


def document_path(instance, filename: str) -> str:
    return f"reconsideration/{instance.reconsideration_id}/{uuid.uuid4().hex}"


class ReconsiderationEvidenceRequest(models.Model):
    """The deciding office asks the person for evidence; the deadline clock stops until they answer."""

    reconsideration = models.ForeignKey(
        Reconsideration, on_delete=models.CASCADE, related_name="evidence_requests"
    )
    message = models.TextField(_("what is needed"), max_length=4000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
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
        ordering = ["requested_at", "id"]
        verbose_name = _("reconsideration evidence request")
        verbose_name_plural = _("reconsideration evidence requests")
        constraints = [
            models.UniqueConstraint(
                fields=["reconsideration"],
                condition=Q(answered_at__isnull=True),
                name="one_open_reconsideration_evidence_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reconsideration} {self.requested_at:%Y-%m-%d}"


class ReconsiderationDocument(models.Model):
    """A checked upload: with the lodging, or with an answer to an evidence request."""

    reconsideration = models.ForeignKey(Reconsideration, on_delete=models.CASCADE, related_name="documents")
    evidence_request = models.ForeignKey(
        ReconsiderationEvidenceRequest,
        verbose_name=_("evidence request"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("reconsideration document")
        verbose_name_plural = _("reconsideration documents")

    def __str__(self) -> str:
        return f"{self.reconsideration} {self.original_name}"

    # What serve_document names the download by.
    @property
    def document_type(self) -> str:
        return "reconsideration"

    @property
    def version(self) -> int:
        return self.pk

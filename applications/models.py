"""Applicant profiles, applications in five channels with typed facts, documents and their history.

The state lives in one protected FSMField on `Application`; transitions are model methods that
change in-memory fields only. Services (`applications/services.py`) run them under a row lock,
save, write the audit row and the `StatusChange` history, and send notifications after commit.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from eligibility.engine.dates import whole_years
from eligibility.registers import validate_address_code, validate_industry_code
from residence.channels import CHANNEL_NAMES
from residence.cities import validate_city_code
from residence.core.validators import validate_birth_date_plausible, validate_visible_text
from residence.regions import PROVINCE_CHOICES, PROVINCES_BY_CODE

from .countries import COUNTRIES, country_choices

# Rows that wait for no deadline sort last in the queue, and the keyset needs a non-null value.
FAR_FUTURE = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


# --- validators -------------------------------------------------------------------------------
def validate_nationality(value: str) -> None:
    if value not in COUNTRIES:
        raise ValidationError(_("Choose a nationality from the list (ISO 3166-1 alpha-3 code)."))


passport_number_validator = RegexValidator(
    r"^[A-Z0-9]{6,12}$",
    _("A passport number has 6 to 12 capital letters and digits, without spaces."),
)
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 \-]{5,19}$", _("Enter a phone number of digits, spaces or dashes, with an optional +.")
)
credit_code_validator = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$",
    _("A unified social credit code has 18 characters (digits and capital letters, no I, O, S, V, Z)."),
)
citizen_or_card_validator = RegexValidator(
    r"^([0-9]{17}[0-9X]|[A-Z0-9]{9,18})$",
    _("Enter the sponsor's 18-character citizen ID number or permanent residence card number."),
)


def validate_not_future(value: dt.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("This date cannot be in the future."))


def validate_future(value: dt.date) -> None:
    if value <= timezone.localdate():
        raise ValidationError(_("This date must be in the future."))


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        **kwargs,
    )


# --- choices ----------------------------------------------------------------------------------
class Channel(models.TextChoices):
    # One name per channel everywhere: residence/channels.py.
    TALENT = "talent", CHANNEL_NAMES["talent"]
    WORK = "work", CHANNEL_NAMES["work"]
    INVESTMENT = "investment", CHANNEL_NAMES["investment"]
    CONTRIBUTION = "contribution", CHANNEL_NAMES["contribution"]
    FAMILY = "family", CHANNEL_NAMES["family"]


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", pgettext_lazy("application status", "Submitted")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")
    VERIFYING = "verifying", pgettext_lazy("application status", "Verification")
    IN_REVIEW = "in_review", _("In review")
    EVIDENCE_REQUESTED = "evidence_requested", _("Evidence requested")
    EVIDENCE_SUBMITTED = "evidence_submitted", _("Evidence submitted")
    RECOMMENDED_APPROVAL = "recommended_approval", _("Recommended for approval")
    RECOMMENDED_REFUSAL = "recommended_refusal", _("Recommended for refusal")
    AWAITING_QUOTA = "awaiting_quota", _("Waiting for a quota place")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CARD_ISSUED = "card_issued", _("Card issued")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Stage(models.TextChoices):
    """The queue a status belongs to; stored beside the status so one index serves each queue."""

    DRAFT = "draft", _("Draft")
    INTAKE = "intake", _("Intake")
    VERIFICATION = "verification", _("Verification")
    REVIEW = "review", _("Review")
    EVIDENCE = "evidence", _("Waiting for evidence")
    APPROVAL = "approval", _("Approval")
    QUOTA = "quota", _("Waiting for a quota place")
    CLOSED = "closed", _("Closed")


STAGE_OF_STATUS: dict[str, str] = {
    Status.DRAFT: Stage.DRAFT,
    Status.RETURNED: Stage.DRAFT,
    Status.SUBMITTED: Stage.INTAKE,
    Status.ACCEPTED: Stage.VERIFICATION,
    Status.VERIFYING: Stage.VERIFICATION,
    Status.IN_REVIEW: Stage.REVIEW,
    Status.EVIDENCE_SUBMITTED: Stage.REVIEW,
    Status.EVIDENCE_REQUESTED: Stage.EVIDENCE,
    Status.RECOMMENDED_APPROVAL: Stage.APPROVAL,
    Status.RECOMMENDED_REFUSAL: Stage.APPROVAL,
    Status.AWAITING_QUOTA: Stage.QUOTA,
    Status.APPROVED: Stage.CLOSED,
    Status.REFUSED: Stage.CLOSED,
    Status.CARD_ISSUED: Stage.CLOSED,
    Status.WITHDRAWN: Stage.CLOSED,
}
# The policy's deadline key (ChannelRules.stage_deadline_days) and office-level key per stage.
STAGE_POLICY_KEY: dict[str, str] = {
    Stage.INTAKE: "intake",
    Stage.VERIFICATION: "verification",
    Stage.REVIEW: "review",
    Stage.APPROVAL: "approval",
}
STAGE_OFFICE_KEY: dict[str, str] = {
    Stage.INTAKE: "intake",
    Stage.VERIFICATION: "review",
    Stage.REVIEW: "review",
    Stage.EVIDENCE: "review",
    Stage.APPROVAL: "approval",
    Stage.QUOTA: "approval",
}
# The applicant may withdraw up to a decision.
WITHDRAWABLE = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.ACCEPTED,
    Status.VERIFYING,
    Status.IN_REVIEW,
    Status.EVIDENCE_REQUESTED,
    Status.EVIDENCE_SUBMITTED,
    Status.RECOMMENDED_APPROVAL,
    Status.RECOMMENDED_REFUSAL,
    Status.AWAITING_QUOTA,
]
FINAL_STATUSES = frozenset({Status.APPROVED, Status.REFUSED, Status.CARD_ISSUED, Status.WITHDRAWN})


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNSPECIFIED = "X", _("Unspecified")


class ResidencePermitType(models.TextChoices):
    NONE = "none", _("None")
    WORK = "work", _("Work")
    FAMILY = "family", _("Family reunion")
    STUDY = "study", _("Study")
    PRIVATE = "private", _("Private affairs")
    OTHER = "other", _("Other")


class Education(models.TextChoices):
    NONE = "none", _("None")
    SECONDARY = "secondary", _("Secondary school")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")


# --- people -----------------------------------------------------------------------------------
class ApplicantProfile(models.Model):
    """A person as in their passport; managed by the account that owns it (or their intermediary)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="applicant_profiles",
    )
    family_name = models.CharField(
        _("family name (as in passport)"), max_length=100, validators=[validate_visible_text]
    )
    given_names = models.CharField(
        _("given names (as in passport)"), max_length=150, blank=True, validators=[validate_visible_text]
    )
    chinese_name = models.CharField(_("Chinese name"), max_length=50, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(
        _("date of birth"), validators=[validate_not_future, validate_birth_date_plausible]
    )
    nationality = models.CharField(
        _("nationality"), max_length=3, choices=country_choices, validators=[validate_nationality]
    )
    passport_number = models.CharField(
        _("passport number"), max_length=12, validators=[passport_number_validator]
    )
    passport_expiry = models.DateField(_("passport expiry date"), validators=[validate_future])
    email = models.EmailField(_("contact e-mail"))
    phone = models.CharField(_("contact phone"), max_length=20, blank=True, validators=[phone_validator])
    address = models.CharField(_("address in China"), max_length=300)
    province = models.CharField(_("province of residence"), max_length=8, choices=PROVINCE_CHOICES)
    # Chosen by name (residence/cities.py), stored as the GB/T 2260 code.
    city_code = models.CharField(_("city"), max_length=6, validators=[validate_city_code])
    residence_permit_type = models.CharField(
        _("current residence permit"),
        max_length=10,
        choices=ResidencePermitType.choices,
        default=ResidencePermitType.NONE,
    )
    residence_permit_number = models.CharField(_("residence permit number"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        verbose_name = _("applicant profile")
        verbose_name_plural = _("applicant profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["passport_number", "nationality"],
                condition=Q(is_active=True),
                name="one_active_profile_per_passport",
                violation_error_message=_("An active profile with this passport number already exists."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.family_name.upper()} {self.given_names}".strip()

    @property
    def full_name(self) -> str:
        return str(self)

    def clean(self) -> None:
        self.passport_number = (self.passport_number or "").replace(" ", "").upper()
        province = PROVINCES_BY_CODE.get(self.province)
        if province and self.city_code and not self.city_code.startswith(province.gb_prefix):
            raise ValidationError(
                {
                    "city_code": _(
                        "This city code is not in the province chosen (it must start with %(prefix)s)."
                    )
                    % {"prefix": province.gb_prefix}
                }
            )

    def age_on(self, day: dt.date) -> int:
        """Completed years on ``day``, by the Civil Code rule the eligibility engine counts with."""
        return whole_years(self.birth_date, day)


class Authorisation(models.Model):
    """An applicant lets an intermediary act for them (R20); revocable, with the moment of consent."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="authorisations_given",
    )
    intermediary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("intermediary"),
        on_delete=models.PROTECT,
        related_name="authorisations_received",
    )
    consented_at = models.DateTimeField(_("consent given"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-consented_at", "id"]
        verbose_name = _("authorisation")
        verbose_name_plural = _("authorisations")
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "intermediary"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_authorisation_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.intermediary}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# --- the application --------------------------------------------------------------------------
class Application(ConcurrentTransitionMixin, models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = FSMField(_("status"), default=Status.DRAFT, choices=Status.choices, protected=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.DRAFT)
    applicant = models.ForeignKey(
        ApplicantProfile,
        verbose_name=_("principal applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Where the case is handled, fixed at submission from the applicant's residence.
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    province = models.CharField(_("province"), max_length=8, blank=True, db_index=True)
    city_code = models.CharField(_("city code"), max_length=6, blank=True)
    nationality = models.CharField(_("nationality"), max_length=3, blank=True)
    green_channel = models.BooleanField(_("green channel"), default=False)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=1, help_text="0 green channel, 1 normal"
    )
    stage_entered_at = models.DateTimeField(_("stage entered"), null=True, blank=True)
    stage_deadline = models.DateTimeField(_("stage deadline"), default=FAR_FUTURE)
    # While the applicant owes evidence the clock stops; the time left is kept here.
    paused_remaining = models.DurationField(_("time left when paused"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_applications",
    )
    claimed_until = models.DateTimeField(_("held until"), null=True, blank=True)
    # 0 once the escalation sweep found the stage's deadline passed, 1 otherwise: queues sort by it
    # first, so overdue cases come first while pages still follow one index (keyset).
    queue_band = models.PositiveSmallIntegerField(_("queue band"), default=1)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recommended by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recommendation_reason = models.TextField(_("recommendation"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    applicant_statement = models.TextField(_("statement by the applicant"), blank=True, max_length=4000)
    declaration_accepted_at = models.DateTimeField(_("declaration accepted"), null=True, blank=True)
    # The policy in force and the engine's result at submission; never recomputed (R6).
    policy_version = models.ForeignKey(
        "eligibility.PolicyVersion",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    eligibility_snapshot = models.JSONField(_("eligibility result at submission"), null=True, blank=True)
    # From the policy at submission: office level and deadline (days) per stage.
    office_levels = models.JSONField(_("office level per stage"), default=dict, blank=True)
    stage_deadline_days = models.JSONField(_("deadline per stage (days)"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["priority", "stage_deadline", "id"]
        indexes = [
            # The queue: WHERE stage = %s ORDER BY priority, stage_deadline, id, with a row-value
            # keyset over the same columns.
            models.Index(
                fields=["stage", "queue_band", "priority", "stage_deadline", "id"], name="app_queue_band_idx"
            ),
            models.Index(
                fields=["status", "queue_band", "priority", "stage_deadline", "id"],
                name="app_status_queue_band_idx",
            ),
        ]
        permissions = [("assign_application", "Can assign cases to officers")]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    # -- derived --------------------------------------------------------------------------------
    @property
    def facts(self) -> ChannelFacts | None:
        from .channels import CHANNELS

        spec = CHANNELS.get(self.channel)
        if spec is None:
            return None
        try:
            return getattr(self, spec.related_name)
        except spec.model.DoesNotExist:
            return None

    @property
    def is_overdue(self) -> bool:
        return (
            self.stage_deadline != FAR_FUTURE
            and self.paused_remaining is None
            and self.stage_deadline < timezone.now()
        )

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    # -- transitions (in-memory only; services save, audit and notify) ----------------------------
    # The bodies are empty on purpose: the service's transition helper sets `stage` from
    # STAGE_OF_STATUS once for every transition, so a new transition cannot forget it.
    @transition(field=status, source=[Status.DRAFT, Status.RETURNED], target=Status.SUBMITTED)
    def submit(self) -> None:
        pass

    @transition(field=status, source=Status.SUBMITTED, target=Status.ACCEPTED)
    def accept(self) -> None:
        pass

    @transition(field=status, source=Status.SUBMITTED, target=Status.RETURNED)
    def return_to_applicant(self) -> None:
        pass

    @transition(field=status, source=Status.ACCEPTED, target=Status.VERIFYING)
    def start_verification(self) -> None:
        pass

    @transition(field=status, source=Status.VERIFYING, target=Status.IN_REVIEW)
    def complete_verification(self) -> None:
        pass

    @transition(
        field=status, source=[Status.IN_REVIEW, Status.EVIDENCE_SUBMITTED], target=Status.EVIDENCE_REQUESTED
    )
    def request_evidence(self) -> None:
        pass

    @transition(field=status, source=Status.EVIDENCE_REQUESTED, target=Status.EVIDENCE_SUBMITTED)
    def submit_evidence(self) -> None:
        pass

    @transition(
        field=status, source=[Status.IN_REVIEW, Status.EVIDENCE_SUBMITTED], target=Status.RECOMMENDED_APPROVAL
    )
    def recommend_approval(self) -> None:
        pass

    @transition(
        field=status, source=[Status.IN_REVIEW, Status.EVIDENCE_SUBMITTED], target=Status.RECOMMENDED_REFUSAL
    )
    def recommend_refusal(self) -> None:
        pass

    @transition(
        field=status, source=[Status.RECOMMENDED_APPROVAL, Status.RECOMMENDED_REFUSAL], target=Status.APPROVED
    )
    def approve(self) -> None:
        pass

    @transition(
        field=status,
        source=[Status.RECOMMENDED_APPROVAL, Status.RECOMMENDED_REFUSAL],
        target=Status.AWAITING_QUOTA,
    )
    def wait_for_quota(self) -> None:
        pass

    @transition(field=status, source=Status.AWAITING_QUOTA, target=Status.APPROVED)
    def grant_quota_place(self) -> None:
        pass

    @transition(
        field=status, source=[Status.RECOMMENDED_APPROVAL, Status.RECOMMENDED_REFUSAL], target=Status.REFUSED
    )
    def refuse(self) -> None:
        pass

    # After an administrative reconsideration (the reconsideration app calls these).
    @transition(field=status, source=Status.REFUSED, target=Status.IN_REVIEW)
    def reopen_for_review(self) -> None:
        pass

    @transition(field=status, source=Status.REFUSED, target=Status.RECOMMENDED_APPROVAL)
    def reopen_for_approval(self) -> None:
        pass

    @transition(field=status, source=Status.APPROVED, target=Status.CARD_ISSUED)
    def issue_card(self) -> None:
        pass

    @transition(field=status, source=WITHDRAWABLE, target=Status.WITHDRAWN)
    def withdraw(self) -> None:
        pass


class StatusChange(models.Model):
    """One row per transition: the case's timeline and the source of time-per-stage figures."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=30, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=30, choices=Status.choices)
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    # The structured reasons of a decision (R6, applications.reasons): policy version, criteria
    # relied on, grounds and the officer's text; empty for transitions that decide nothing.
    reasons = models.JSONField(_("structured reasons"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["to_status", "at"], name="app_statuschange_to_at")]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Escalation(models.Model):
    """An overdue case told to its office's supervisors: once per visit of a stage and level."""

    class Level(models.IntegerChoices):
        DEADLINE = 1, _("Deadline passed")
        MARGIN = 2, _("Still overdue past the margin")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="escalations")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    # When the case entered the stage: a later visit of the same stage escalates again.
    stage_started = models.DateTimeField(_("stage entered"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    deadline = models.DateTimeField(_("deadline"))
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("supervisors told"), related_name="+", blank=True
    )
    created_at = models.DateTimeField(_("escalated"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "stage", "stage_started", "level"], name="one_escalation_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.stage} {self.level}"


class Dependant(models.Model):
    """A spouse or unmarried child under 18 who follows the principal's case, with their own decision."""

    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child under 18")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="dependants")
    profile = models.ForeignKey(
        ApplicantProfile, verbose_name=_("dependant"), on_delete=models.PROTECT, related_name="dependant_of"
    )
    relationship = models.CharField(_("relationship"), max_length=10, choices=Relationship.choices)
    unmarried = models.BooleanField(_("unmarried"), default=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("dependant")
        verbose_name_plural = _("dependants")
        constraints = [
            models.UniqueConstraint(fields=["application", "profile"], name="one_row_per_dependant")
        ]

    def __str__(self) -> str:
        return str(self.profile)


def document_path(instance: ApplicationDocument, filename: str) -> str:
    # The stored name never carries the uploader's file name (it may hold anything).
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}"


class ApplicationDocument(models.Model):
    """One uploaded version of a required document; a re-upload supersedes, never deletes."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    dependant = models.ForeignKey(
        Dependant,
        verbose_name=_("dependant"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    document_type = models.CharField(_("document type"), max_length=60)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    version = models.PositiveIntegerField(_("version"), default=1)
    superseded = models.BooleanField(_("superseded"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["document_type", "-version", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "document_type", "version"],
                condition=Q(dependant__isnull=True),
                name="one_document_version",
            ),
            models.UniqueConstraint(
                fields=["application", "dependant", "document_type", "version"],
                condition=Q(dependant__isnull=False),
                name="one_dependant_document_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_type} v{self.version}"


class EvidenceRequest(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence_requests")
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
        verbose_name = _("evidence request")
        verbose_name_plural = _("evidence requests")

    def __str__(self) -> str:
        return f"{self.application} {self.requested_at:%Y-%m-%d}"


class Notification(models.Model):
    """The in-portal inbox; the text is rendered in the reader's language from the stored codes."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    status = models.CharField(_("status"), max_length=30, choices=Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    # A notice about something other than an application (another app's record, e.g. an overdue
    # reconsideration): its reference and the page it links to, written by that app.
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    link_path = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "-created_at", "-id"], name="app_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.application} {self.status}"

    @property
    def message(self) -> str:
        from .notifications import status_message

        return status_message(self.status, reference=self.reference or str(self.application or ""))

    @property
    def link(self) -> str:
        """The applicant's status page; the officers' case page for an escalation, or its notes for
        a mention in a case note."""
        from django.urls import reverse

        from .notifications import NOTE_MENTION, OVERDUE, OVERDUE_PAST_MARGIN

        if self.link_path:
            return self.link_path
        if self.status == NOTE_MENTION:
            return reverse("applications:case", args=[self.application_id]) + "#notes-heading"
        name = "applications:case" if self.status in (OVERDUE, OVERDUE_PAST_MARGIN) else "applications:detail"
        return reverse(name, args=[self.application_id])

    @property
    def for_officer(self) -> bool:
        """Told to an officer about a case (an escalation, a mention in a note), not to the applicant."""
        from .notifications import NOTE_MENTION, OFFICER_STATUSES, OVERDUE, OVERDUE_PAST_MARGIN

        return self.status in (NOTE_MENTION, OVERDUE, OVERDUE_PAST_MARGIN) or self.status in OFFICER_STATUSES


class CaseNote(models.Model):
    """An officer's internal note on a case: never shown to the applicant nor in their export.

    Its author may correct it for ``APPLICATIONS_NOTE_EDIT_MINUTES``; after that it stands.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="case_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("note"), max_length=4000)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("officers mentioned"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("corrected"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return f"{self.application} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def editable_until(self) -> dt.datetime:
        return self.created_at + dt.timedelta(minutes=settings.APPLICATIONS_NOTE_EDIT_MINUTES)

    @property
    def is_editable(self) -> bool:
        return timezone.now() <= self.editable_until


# --- channel facts ------------------------------------------------------------------------------
INDUSTRY_CODE_HELP = _(
    "The letter and four digits of the class in the national industry classification (GB/T 4754), "
    "for example C3973 for integrated circuit manufacturing."
)


class ChannelFacts(models.Model):
    """Typed facts of one channel; `to_engine_facts()` gives exactly the engine's fact names."""

    # Facts a policy version defines that are not columns here (issue 14, "facts as data"): one
    # JSON value per fact name, checked against the fact's type and bounds by the engine before it
    # is stored (applications.policy_facts). Adding such a fact needs no migration; the facts the
    # queue and reports query stay typed columns.
    extra_facts = models.JSONField(_("facts defined by the policy"), default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.application}"

    def common_facts(self) -> dict[str, Any]:
        profile = self.application.applicant
        return {
            "birth_date": profile.birth_date,
            "nationality": profile.nationality,
            "province": profile.province or None,
        }

    def days_in_china(self) -> list[int] | None:
        years = sorted(self.application.years_in_china.all(), key=lambda y: -y.year)
        return [y.days for y in years] or None

    def to_engine_facts(self) -> dict[str, Any]:
        """The typed facts, and the facts a policy version defines beyond them (`extra_facts`).

        A typed fact always wins over an extra one of the same name, so a stored value can never
        stand in for a column the queue and the reports query.
        """
        return {**(self.extra_facts or {}), **self.typed_engine_facts()}

    def typed_engine_facts(self) -> dict[str, Any]:
        raise NotImplementedError

    def completeness_errors(self) -> dict[str, str]:
        """Fields the applicant must fill before submitting, beyond what the engine can judge."""
        return {}


def _required(obj: models.Model, names: list[str]) -> dict[str, str]:
    missing = {}
    for name in names:
        value = getattr(obj, name)
        if value is None or value == "":
            missing[name] = _("This field is required to submit.")
    return missing


class YearInChina(models.Model):
    """Days spent in China in one calendar year (talent, work and family channels)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="years_in_china")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    days = models.PositiveSmallIntegerField(_("days in China"), validators=[MaxValueValidator(366)])

    class Meta:
        ordering = ["-year"]
        verbose_name = _("year in China")
        verbose_name_plural = _("years in China")
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="one_row_per_year_in_china"),
            models.CheckConstraint(condition=Q(days__lte=366), name="days_in_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.days}"


hsk_validators = [MinValueValidator(0), MaxValueValidator(6)]


class TalentFacts(ChannelFacts):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="talent_facts")
    talent_program_code = models.CharField(_("talent program code"), max_length=40, blank=True)
    talent_program_approval_ref = models.CharField(_("approval reference"), max_length=60, blank=True)
    talent_visa_number = models.CharField(_("talent visa (R visa) number"), max_length=30, blank=True)
    # Filled from the immigration administration's record of that visa when it matches (R7); the
    # applicant never types them (not editable: no form or API field sets them).
    talent_visa_category = models.CharField(
        _("talent category of the visa"), max_length=40, blank=True, editable=False
    )
    talent_visa_approval_ref = models.CharField(
        _("approval reference of the visa"), max_length=60, blank=True, editable=False
    )
    talent_visa_source = models.CharField(
        _("source of the visa's facts"), max_length=20, blank=True, editable=False
    )
    talent_visa_verified_at = models.DateTimeField(
        _("visa facts received"), null=True, blank=True, editable=False
    )
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    work_province = models.CharField(
        _("province of work"), max_length=8, choices=PROVINCE_CHOICES, blank=True
    )
    annual_salary_cny = money_field(_("annual salary (CNY)"))
    annual_income_tax_cny = money_field(_("annual income tax (CNY)"))
    education = models.CharField(_("highest education"), max_length=10, choices=Education.choices, blank=True)
    experience_years = models.PositiveSmallIntegerField(
        _("years of experience"), null=True, blank=True, validators=[MaxValueValidator(80)]
    )
    hsk_level = models.PositiveSmallIntegerField(
        _("HSK level"), null=True, blank=True, validators=hsk_validators
    )
    industry_code = models.CharField(
        _("employer's industry code (GB/T 4754)"),
        max_length=5,
        blank=True,
        validators=[validate_industry_code],
        help_text=INDUSTRY_CODE_HELP,
    )

    class Meta:
        verbose_name = _("talent facts")
        verbose_name_plural = _("talent facts")

    # The talent categories of an R visa in the immigration administration's records.
    VISA_CATEGORIES = {
        "A-high-end": _("Foreign high-end talent (category A)"),
        "A-urgently-needed": _("Urgently needed specialist (category A)"),
    }

    @property
    def talent_visa_category_label(self) -> str:
        code = self.talent_visa_category
        return str(self.VISA_CATEGORIES.get(code, code))

    @property
    def talent_visa_source_name(self) -> str:
        from verification.checks import AGENCY_NAMES

        return str(AGENCY_NAMES.get(self.talent_visa_source, self.talent_visa_source))

    def typed_engine_facts(self) -> dict[str, Any]:
        return self.common_facts() | {
            # Set by eligibility_assess from the talent-program registry, never by the applicant.
            "talent_program_registered": None,
            "talent_program_code": self.talent_program_code or None,
            "annual_salary_cny": self.annual_salary_cny,
            "annual_income_tax_cny": self.annual_income_tax_cny,
            "work_province": self.work_province or None,
            "education": self.education or None,
            "experience_years": self.experience_years,
            "hsk_level": self.hsk_level,
            # priority_industry is derived by eligibility_assess from the priority-industry list.
            "industry_code": self.industry_code or None,
            "days_in_china_by_year": self.days_in_china(),
        }

    def completeness_errors(self) -> dict[str, str]:
        return _required(self, ["employer_name", "work_province"])


class WorkFacts(ChannelFacts):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="work_facts")

    class EmployerType(models.TextChoices):
        STATE_ORGAN = "state_organ", _("Government body or public institution")
        STATE_OWNED = "state_owned", _("State-owned enterprise")
        PRIVATE = "private", _("Private enterprise")
        FOREIGN_INVESTED = "foreign_invested", _("Foreign-invested enterprise")
        UNIVERSITY = "university", _("University or research institute")
        OTHER = "other", _("Other")

    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    employer_credit_code = models.CharField(
        _("employer's unified social credit code"),
        max_length=18,
        blank=True,
        validators=[credit_code_validator],
    )
    employer_type = models.CharField(
        _("employer type"), max_length=20, choices=EmployerType.choices, blank=True
    )
    work_province = models.CharField(
        _("province of work"), max_length=8, choices=PROVINCE_CHOICES, blank=True
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    start_date = models.DateField(
        _("start of employment"), null=True, blank=True, validators=[validate_not_future]
    )
    annual_salary_cny = money_field(_("annual salary (CNY)"))
    annual_income_tax_cny = money_field(_("annual income tax (CNY)"))
    industry_code = models.CharField(
        _("employer's industry code (GB/T 4754)"),
        max_length=5,
        blank=True,
        validators=[validate_industry_code],
        help_text=INDUSTRY_CODE_HELP,
    )
    education = models.CharField(_("highest education"), max_length=10, choices=Education.choices, blank=True)
    hsk_level = models.PositiveSmallIntegerField(
        _("HSK level"), null=True, blank=True, validators=hsk_validators
    )
    outstanding_graduate = models.BooleanField(_("outstanding graduate route"), default=False)
    chinese_degree = models.BooleanField(_("degree from a Chinese university"), default=False)
    graduation_date = models.DateField(
        _("graduation date"), null=True, blank=True, validators=[validate_not_future]
    )

    class Meta:
        verbose_name = _("work facts")
        verbose_name_plural = _("work facts")

    def typed_engine_facts(self) -> dict[str, Any]:
        return self.common_facts() | {
            "employer_type": self.employer_type or None,
            "work_province": self.work_province or None,
            "start_date": self.start_date,
            "annual_salary_cny": self.annual_salary_cny,
            "annual_income_tax_cny": self.annual_income_tax_cny,
            "days_in_china_by_year": self.days_in_china(),
            "industry_code": self.industry_code or None,
            "education": self.education or None,
            "hsk_level": self.hsk_level,
            "outstanding_graduate": self.outstanding_graduate,
            "chinese_degree": self.chinese_degree,
            "graduation_date": self.graduation_date,
        }

    def completeness_errors(self) -> dict[str, str]:
        return _required(self, ["employer_name", "employer_credit_code", "work_province", "start_date"])


class InvestmentFacts(ChannelFacts):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="investment_facts")

    class Method(models.TextChoices):
        DIRECT = "direct", _("Direct investment")
        EQUITY = "equity", _("Equity acquisition")
        REINVESTMENT = "reinvestment", _("Reinvested profits")

    enterprise_name = models.CharField(_("enterprise"), max_length=200, blank=True)
    enterprise_credit_code = models.CharField(
        _("enterprise's unified social credit code"),
        max_length=18,
        blank=True,
        validators=[credit_code_validator],
    )
    amount_usd = money_field(_("amount invested (USD)"))
    method = models.CharField(_("investment method"), max_length=15, choices=Method.choices, blank=True)
    first_investment_date = models.DateField(
        _("date of first investment"), null=True, blank=True, validators=[validate_not_future]
    )
    # The region class and whether the industry is encouraged are derived from these codes by the
    # registers in force (eligibility.registers), never chosen by the applicant.
    enterprise_address_code = models.CharField(
        _("enterprise's address code (GB/T 2260)"),
        max_length=6,
        blank=True,
        validators=[validate_address_code],
        help_text=_(
            "The 6-digit administrative division code of the county or city where the enterprise is registered, for example 440106."
        ),
    )
    industry_code = models.CharField(
        _("enterprise's industry code (GB/T 4754)"),
        max_length=5,
        blank=True,
        validators=[validate_industry_code],
        help_text=INDUSTRY_CODE_HELP,
    )
    tax_record_good = models.BooleanField(_("good tax record"), default=False)

    class Meta:
        verbose_name = _("investment facts")
        verbose_name_plural = _("investment facts")

    def typed_engine_facts(self) -> dict[str, Any]:
        return self.common_facts() | {
            "amount_usd": self.amount_usd,
            "method": self.method or None,
            "first_investment_date": self.first_investment_date,
            "enterprise_address_code": self.enterprise_address_code or None,
            "industry_code": self.industry_code or None,
            "tax_record_good": self.tax_record_good,
        }

    def completeness_errors(self) -> dict[str, str]:
        return _required(
            self,
            [
                "enterprise_name",
                "enterprise_credit_code",
                "amount_usd",
                "method",
                "enterprise_address_code",
                "industry_code",
            ],
        )


class ContributionFacts(ChannelFacts):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="contribution_facts"
    )

    class NominationMethod(models.TextChoices):
        CENTRAL_AGENCY = "central_agency", _("Central government agency")
        PROVINCIAL_GOVERNMENT = "provincial_government", _("Provincial government")
        NATIONAL_ORGANISATION = "national_organisation", _("National academy or organisation")
        EXPERT_PANEL = "expert_panel", _("Joint nomination by experts")

    class Field(models.TextChoices):
        EDUCATION = "education", _("Education")
        SCIENCE = "science", _("Science")
        TECHNOLOGY = "technology", _("Technology")
        CULTURE = "culture", _("Culture")
        HEALTH = "health", _("Health")
        SPORTS = "sports", _("Sports")
        PUBLIC_WELFARE = "public_welfare", _("Public welfare")
        OTHER = "other", _("Other")

    # A body of the registry (R11), which confirms the nomination itself (Nomination below).
    nominating_body = models.ForeignKey(
        "eligibility.NominatingBody",
        verbose_name=_("nominating body"),
        to_field="code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"status": "active"},
    )
    nomination_method = models.CharField(
        _("nomination method"), max_length=25, choices=NominationMethod.choices, blank=True
    )
    endorsers = models.TextField(
        _("endorsing experts"),
        blank=True,
        max_length=4000,
        help_text=_(
            "For a joint nomination by experts: one expert a line, with their title and institution."
        ),
    )
    field = models.CharField(_("field"), max_length=20, choices=Field.choices, blank=True)
    summary = models.TextField(_("summary of the contribution"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("contribution facts")
        verbose_name_plural = _("contribution facts")

    def typed_engine_facts(self) -> dict[str, Any]:
        return self.common_facts() | {
            "nominating_body": self.nominating_body_id or None,
            "nomination_method": self.nomination_method or None,
            "field": self.field or None,
        }

    def endorser_lines(self) -> list[str]:
        return [line.strip() for line in (self.endorsers or "").splitlines() if line.strip()]

    def completeness_errors(self) -> dict[str, str]:
        errors = _required(self, ["nominating_body", "nomination_method", "field", "summary"])
        body = self.nominating_body if self.nominating_body_id else None
        if body is not None and self.nomination_method and self.nomination_method not in body.methods:
            errors["nomination_method"] = _("%(body)s does not nominate by this method.") % {
                "body": body.name
            }
        return errors


class Nomination(models.Model):
    """The nominating body's answer to a contribution case that names it (R11): the case waits for it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting the body's answer")
        CONFIRMED = "confirmed", _("Confirmed by the body")
        DECLINED = "declined", _("Declined by the body")
        # The body's deadline passed unanswered (beat: nominations_lapse_due); the case goes on.
        LAPSED = "lapsed", _("No answer by the deadline")

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="nomination")
    body = models.ForeignKey(
        "eligibility.NominatingBody",
        verbose_name=_("nominating body"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(
        _("nomination method"), max_length=25, choices=ContributionFacts.NominationMethod.choices
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    # The body's own deadline, from the policy's nomination_answer_days for the method.
    due_on = models.DateField(_("answer due by"))
    reference = models.CharField(_("the body's reference"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=4000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        indexes = [models.Index(fields=["body", "state", "due_on"])]

    def __str__(self) -> str:
        return f"{self.application} {self.body_id} {self.state}"

    @property
    def overdue(self) -> bool:
        return self.state == self.State.PENDING and self.due_on < timezone.localdate()


class FamilyFacts(ChannelFacts):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="family_facts")

    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        MINOR_CHILD = "minor_child", _("Minor child")
        PARENT = "parent", _("Parent aged 60 or over")
        FORMER_NATIONAL = "former_national", _("Former Chinese national")

    class SponsorKind(models.TextChoices):
        CITIZEN = "citizen", _("Chinese citizen")
        PR_HOLDER = "pr_holder", _("Permanent resident")

    class MaritalStatus(models.TextChoices):
        SINGLE = "single", _("Single")
        MARRIED = "married", _("Married")
        DIVORCED = "divorced", _("Divorced")
        WIDOWED = "widowed", _("Widowed")

    sponsor_kind = models.CharField(_("sponsor"), max_length=10, choices=SponsorKind.choices, blank=True)
    sponsor_id_number = models.CharField(
        _("sponsor's ID or PR card number"), max_length=18, blank=True, validators=[citizen_or_card_validator]
    )
    sponsor_name = models.CharField(_("sponsor's name"), max_length=200, blank=True)
    relationship = models.CharField(
        _("relationship"), max_length=20, choices=Relationship.choices, blank=True
    )
    marital_status = models.CharField(
        _("marital status"), max_length=10, choices=MaritalStatus.choices, blank=True
    )
    marriage_date = models.DateField(
        _("date of marriage"), null=True, blank=True, validators=[validate_not_future]
    )
    relatives_abroad = models.BooleanField(_("has direct relatives abroad"), default=False)
    annual_income_cny = money_field(_("household annual income (CNY)"))
    stable_income = models.BooleanField(_("stable income"), default=False)
    housing = models.BooleanField(_("housing in China"), default=False)

    class Meta:
        verbose_name = _("family facts")
        verbose_name_plural = _("family facts")

    def typed_engine_facts(self) -> dict[str, Any]:
        return self.common_facts() | {
            "relationship": self.relationship or None,
            "sponsor_kind": self.sponsor_kind or None,
            "marriage_date": self.marriage_date,
            "relatives_abroad": self.relatives_abroad,
            "days_in_china_by_year": self.days_in_china(),
            "stable_income": self.stable_income,
            "housing": self.housing,
            "marital_status": self.marital_status or None,
        }

    def completeness_errors(self) -> dict[str, str]:
        required = ["relationship", "marital_status"]
        if self.relationship != self.Relationship.FORMER_NATIONAL:
            # A former Chinese national applies on their own residence: no sponsor (Opinions art. 12).
            required = ["sponsor_kind", "sponsor_id_number", *required]
        errors = _required(self, required)
        if self.relationship == self.Relationship.SPOUSE and not self.marriage_date:
            errors["marriage_date"] = _("Give the date of marriage.")
        return errors


def reference_for(pk: int, year: int) -> str:
    return f"PR-{year}-{pk:06d}"


REFERENCE_RE = re.compile(r"^PR-\d{4}-\d{6,}$")

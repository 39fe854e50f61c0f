"""PR cards and their life: issue, documents, verification by institutions, renewal, revocation,
residence tracking (R16, R21, R22, R25).

A card copies the holder's particulars at issue (a card shows what was true when it was made);
the person behind it is the applicant profile, so presence records and residence counts follow
the person across renewals.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from eligibility.models import Ban

from .numbers import validate_card_number


def private_path(instance, filename: str) -> str:
    # Never the uploader's file name; the folder says what it is.
    return f"cards/{instance._meta.model_name}/{uuid.uuid4().hex}"


class Card(ConcurrentTransitionMixin, models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        REPLACED = "replaced", _("Replaced")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", pgettext_lazy("card status", "Revoked")

    class Kind(models.TextChoices):
        FIRST = "first", _("First card")
        RENEWAL = "renewal", _("Renewal")
        REPLACEMENT = "replacement", _("Replacement")

    number = models.CharField(_("card number"), max_length=18, unique=True, validators=[validate_card_number])
    status = FSMField(_("status"), default=Status.ISSUED, choices=Status.choices, protected=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.FIRST)
    profile = models.ForeignKey(
        "applications.ApplicantProfile",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="cards",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cards",
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("previous card"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor",
    )
    # The holder's particulars as printed on the card.
    family_name = models.CharField(_("family name"), max_length=100)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    chinese_name = models.CharField(_("Chinese name"), max_length=50, blank=True)
    sex = models.CharField(_("sex"), max_length=1)
    birth_date = models.DateField(_("date of birth"))
    nationality = models.CharField(_("nationality"), max_length=3)
    passport_number = models.CharField(_("passport number"), max_length=12)
    province = models.CharField(_("province of acceptance"), max_length=8)
    photo = models.FileField(_("photo"), upload_to=private_path, max_length=200)
    photo_content_type = models.CharField(_("photo type"), max_length=20, default="image/jpeg")
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("valid until"))
    authority_en = models.CharField(_("issuing authority (English)"), max_length=200)
    authority_zh = models.CharField(_("issuing authority (Chinese)"), max_length=200)
    policy_version = models.ForeignKey(
        "eligibility.PolicyVersion",
        verbose_name=_("policy version"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("PR card")
        verbose_name_plural = _("PR cards")
        indexes = [models.Index(fields=["profile", "-issued_on", "-id"], name="card_holder_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")), name="card_expires_after_issue"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def latin_name(self) -> str:
        return f"{self.family_name.upper()} {self.given_names}".strip()

    def status_on(self, day: dt.date) -> str:
        """What a window is told: an issued card past its date is expired even before the nightly run."""
        if self.status == self.Status.ISSUED and day > self.expires_on:
            return self.Status.EXPIRED
        return self.status

    @property
    def current_status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def renewal_opens_on(self) -> dt.date:
        """Renewal may be asked for from this day (CARDS_RENEWAL_WINDOW_DAYS before expiry)."""
        return self.expires_on - dt.timedelta(days=settings.CARDS_RENEWAL_WINDOW_DAYS)

    def in_renewal_window(self, day: dt.date | None = None) -> bool:
        return (day or timezone.localdate()) >= self.renewal_opens_on

    @transition(field=status, source=Status.ISSUED, target=Status.REPLACED)
    def replace(self) -> None:
        self.ended_at = timezone.now()

    @transition(field=status, source=[Status.ISSUED, Status.EXPIRED], target=Status.REVOKED)
    def revoke(self) -> None:
        self.ended_at = timezone.now()

    # A revocation overturned or remitted on reconsideration: the same card is valid again.
    @transition(field=status, source=Status.REVOKED, target=Status.ISSUED)
    def restore(self) -> None:
        self.ended_at = None

    @transition(field=status, source=Status.ISSUED, target=Status.EXPIRED)
    def expire(self) -> None:
        self.ended_at = timezone.now()


class CardSequence(models.Model):
    """The last sequence number used for one 14-digit stem, locked while a number is drawn."""

    stem = models.CharField(max_length=14, unique=True)
    last_odd = models.PositiveSmallIntegerField(default=0)
    last_even = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return self.stem


class CardDocument(models.Model):
    """A rendered PDF (card or letter), stored privately and streamed after a permission check."""

    class Kind(models.TextChoices):
        CARD = "card", _("PR card")
        APPROVAL_LETTER = "approval_letter", _("Approval letter")
        REFUSAL_LETTER = "refusal_letter", _("Refusal letter")
        REVOCATION_LETTER = "revocation_letter", _("Revocation decision")

    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="card_documents",
    )
    card = models.ForeignKey(Card, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="card_documents",
    )
    revocation = models.ForeignKey(
        "cards.RevocationCase", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    file = models.FileField(_("file"), upload_to=private_path, max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("card document")
        verbose_name_plural = _("card documents")
        indexes = [models.Index(fields=["recipient", "-created_at", "-id"], name="carddoc_recipient_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def filename(self) -> str:
        subject = (
            self.card.number if self.card_id else (self.application and self.application.reference) or self.pk
        )
        return f"{self.kind}-{subject}.pdf"


class Institution(models.Model):
    """A bank, hotel, railway, airline or school that verifies cards through the API (R16, R25)."""

    class Kind(models.TextChoices):
        BANK = "bank", _("Bank")
        HOTEL = "hotel", _("Hotel")
        RAIL = "rail", _("Railway")
        AIRLINE = "airline", _("Airline")
        SCHOOL = "school", _("School")
        # R19: the statistics bureau counts PR holders in the resident population (figures' feed).
        STATISTICS = "statistics", _("Statistics bureau")
        OTHER = "other", _("Other")

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name_en", "id"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return self.name_en


class InstitutionApiKey(models.Model):
    """Only the prefix and a SHA-256 of the key are kept; the key is shown once, when issued."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="api_keys")
    prefix = models.CharField(_("key prefix"), max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @property
    def is_authenticated(self) -> bool:  # lets DRF treat a key as credentials
        return True


class VerificationQuery(models.Model):
    """Every question an institution asked: who, about which card, when, and the answer."""

    class Answer(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", pgettext_lazy("card status", "Revoked")
        REPLACED = "replaced", _("Replaced by a newer card")
        NO_MATCH = "no_match", _("No card matches this number and date of birth")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="queries")
    api_key = models.ForeignKey(InstitutionApiKey, on_delete=models.PROTECT, related_name="queries")
    card = models.ForeignKey(Card, on_delete=models.PROTECT, null=True, blank=True, related_name="queries")
    number_asked = models.CharField(_("number asked"), max_length=40)
    birth_date_asked = models.DateField(_("date of birth asked"))
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("verification query")
        verbose_name_plural = _("verification queries")
        indexes = [models.Index(fields=["institution", "-asked_at", "-id"], name="cardquery_inst_idx")]

    def __str__(self) -> str:
        return f"{self.institution} {self.number_asked} {self.answer}"


class CardRequest(ConcurrentTransitionMixin, models.Model):
    """A holder's request for renewal (from 6 months before expiry) or replacement (lost, damaged)."""

    class Kind(models.TextChoices):
        RENEWAL = "renewal", _("Renewal")
        REPLACEMENT = "replacement", _("Replacement")

    class Reason(models.TextChoices):
        EXPIRING = "expiring", _("The card expires soon")
        LOST = "lost", _("Lost or stolen")
        DAMAGED = "damaged", _("Damaged")
        PARTICULARS = "particulars", _("Particulars changed")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ISSUED = "issued", _("New card issued")
        REFUSED = "refused", _("Refused")

    card = models.ForeignKey(Card, verbose_name=_("card"), on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    statement = models.TextField(_("statement"), blank=True, max_length=2000)
    state = FSMField(
        _("state"), max_length=10, choices=State.choices, default=State.REQUESTED, protected=True
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    new_card = models.OneToOneField(
        Card, on_delete=models.PROTECT, null=True, blank=True, related_name="issued_for_request"
    )

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("card request")
        verbose_name_plural = _("card requests")
        constraints = [
            models.UniqueConstraint(
                fields=["card"], condition=Q(state="requested"), name="one_open_request_per_card"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.card}"

    # -- transitions (in-memory only; cards.services locks the row, saves and audits) -------------
    @transition(field=state, source=State.REQUESTED, target=State.ISSUED)
    def issue(self, *, by, new_card: Card) -> None:
        self.decided_by, self.decided_at, self.new_card = by, timezone.now(), new_card

    @transition(field=state, source=State.REQUESTED, target=State.REFUSED)
    def refuse(self, *, by, reason: str) -> None:
        self.decided_by, self.decided_at, self.decision_reason = by, timezone.now(), reason


class RevocationCase(ConcurrentTransitionMixin, models.Model):
    """Opened by a management officer (or by residence tracking), decided by another person (R22)."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        REVOKED = "revoked", _("Card revoked")
        CANCELLED = "cancelled", _("Cancelled")

    Ground = Ban.Ground

    card = models.ForeignKey(
        Card, verbose_name=_("card"), on_delete=models.PROTECT, related_name="revocations"
    )
    ground = models.CharField(_("ground"), max_length=30, choices=Ban.Ground.choices)
    evidence = models.TextField(_("evidence"), max_length=8000)
    state = FSMField(_("state"), max_length=10, choices=State.choices, default=State.OPEN, protected=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    # The decision's structured reasons (R6): the policy version, the ground and the text.
    reasons = models.JSONField(_("structured reasons"), default=dict, blank=True)
    ban = models.ForeignKey(Ban, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["opened_at", "id"]
        verbose_name = _("revocation case")
        verbose_name_plural = _("revocation cases")
        constraints = [
            models.UniqueConstraint(
                fields=["card"], condition=Q(state="open"), name="one_open_revocation_per_card"
            )
        ]

    def __str__(self) -> str:
        return f"{self.card} {self.get_ground_display()}"

    # -- transitions (in-memory only; services lock the row, save and audit) ----------------------
    @transition(field=state, source=State.OPEN, target=State.REVOKED)
    def revoke(self, *, ban: Ban) -> None:
        self.ban = ban

    @transition(field=state, source=State.OPEN, target=State.CANCELLED)
    def cancel(self) -> None:
        """Decided against revocation: the card stays valid and no ban is set."""

    # A revocation remitted on reconsideration (reconsideration.services): decided again.
    @transition(field=state, source=State.REVOKED, target=State.OPEN)
    def reopen(self) -> None:
        """The earlier decision no longer stands; its record stays in the audit log."""


class PresenceRecord(models.Model):
    """One crossing of the border by a holder, from an import or the entry/exit check."""

    class Direction(models.TextChoices):
        ENTRY = "entry", _("Entry")
        EXIT = "exit", _("Exit")

    class Source(models.TextChoices):
        IMPORT = "import", _("Import")
        CHECK = "check", _("Entry/exit check")

    profile = models.ForeignKey(
        "applications.ApplicantProfile", on_delete=models.PROTECT, related_name="presence_records"
    )
    card = models.ForeignKey(
        Card, on_delete=models.PROTECT, null=True, blank=True, related_name="presence_records"
    )
    direction = models.CharField(_("direction"), max_length=5, choices=Direction.choices)
    on = models.DateField(_("date"))
    port = models.CharField(_("port"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("entry or exit")
        verbose_name_plural = _("entries and exits")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "on", "direction"], name="one_crossing_per_day_and_direction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile} {self.direction} {self.on}"


class ResidenceAlert(models.Model):
    """A warning to the holder, or a breach of the residence rule that opened a revocation case."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        BREACH = "breach", _("Rule broken")

    profile = models.ForeignKey(
        "applications.ApplicantProfile", on_delete=models.PROTECT, related_name="residence_alerts"
    )
    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="residence_alerts")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    days_in_china = models.PositiveSmallIntegerField(_("days in China"))
    days_abroad_left = models.SmallIntegerField(_("days abroad left"))
    revocation = models.ForeignKey(
        RevocationCase, on_delete=models.PROTECT, null=True, blank=True, related_name="residence_alerts"
    )
    created_at = models.DateTimeField(_("raised"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("residence alert")
        verbose_name_plural = _("residence alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "year", "kind"], name="one_residence_alert_per_year_and_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile} {self.year} {self.kind}"

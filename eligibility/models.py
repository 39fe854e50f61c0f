"""Policy versions (R6), talent programs (R7), the family quota (R12) and bans on reapplying (R22)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from residence import languages
from residence.accounts.models import Agency

from .engine import CompiledPolicy, load_policy

_COMPILED_CACHE_SIZE = 32
_compiled: OrderedDict[tuple, CompiledPolicy] = OrderedDict()
_compiled_lock = threading.Lock()


def localized(text: dict | None) -> str:
    """The current language's entry of a policy text ({"en", "zh", "ja", ...}), else the English one."""
    return languages.pick(text)[0]


class Edition(models.Model):
    """What a policy version and a register edition share: a draft, published from a date and
    retired when its successor takes effect, never changed once published (R6).

    A subclass names its content fields (``frozen_fields``) and the messages of its refusals.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The columns are the lifecycle; effective_to (exclusive) is set once, when a successor is published.
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self", verbose_name=_("based on"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Bumped by every edit of a draft, so a cached compilation of it is never stale.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    frozen_fields: tuple[str, ...] = ("label",)
    changed_message = _("A published edition cannot be changed; create a new draft.")
    undraft_message = _("A published edition cannot return to draft.")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        watched = {*self.frozen_fields, "status"}
        if self.pk and (update_fields is None or watched & set(update_fields)):
            stored = type(self).objects.filter(pk=self.pk).values("status", *self.frozen_fields).first()
            if stored and stored["status"] != self.Status.DRAFT:
                if any(stored[name] != getattr(self, name) for name in self.frozen_fields):
                    raise ValidationError(self.changed_message)
                if self.status == self.Status.DRAFT:
                    raise ValidationError(self.undraft_message)
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class PolicyVersion(Edition):
    """One version of the whole policy document; published documents never change (R6)."""

    label = models.CharField(_("version label"), max_length=60, unique=True)
    document = models.JSONField(_("policy document"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    frozen_fields = ("document", "label")
    changed_message = _("A published policy version cannot be changed; create a new draft.")
    undraft_message = _("A published policy version cannot return to draft.")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        indexes = [models.Index(fields=["status", "effective_from"])]

    def __str__(self) -> str:
        return self.label

    def delete(self, *args, **kwargs):
        if self.status != self.Status.DRAFT:
            raise ValidationError(_("A published policy version cannot be deleted."))
        return super().delete(*args, **kwargs)

    def compiled(self) -> CompiledPolicy:
        """The engine's compiled policy, cached per (id, revision) in this process."""
        # created_at too: a flushed test database hands out the same ids and revisions again.
        key = (self.pk, self.revision, self.created_at)
        with _compiled_lock:
            policy = _compiled.get(key)
            if policy is not None:
                _compiled.move_to_end(key)
                return policy
        policy = load_policy(self.document)
        with _compiled_lock:
            _compiled[key] = policy
            while len(_compiled) > _COMPILED_CACHE_SIZE:
                _compiled.popitem(last=False)
        return policy


class TalentProgram(models.Model):
    """A recognised key talent program (R7): selection by it opens the green channel."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("talent program status", "Active")
        RETIRED = "retired", _("Retired")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    agency = models.ForeignKey(
        Agency, verbose_name=_("owning agency"), on_delete=models.PROTECT, related_name="talent_programs"
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("talent program")
        verbose_name_plural = _("talent programs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                name="talent_program_valid_to_after_valid_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "en").startswith("zh") else self.name_en


class FamilyQuota(models.Model):
    """Places for family-reunion approvals in a year, nationally (region blank) or for one region."""

    year = models.PositiveIntegerField(_("year"))
    region = models.CharField(_("region"), max_length=8, blank=True)
    places = models.PositiveIntegerField(_("places"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-year", "region"]
        verbose_name = _("family quota")
        verbose_name_plural = _("family quotas")
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="family_quota_one_per_year_region")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region or '*'}: {self.places}"


class FamilyQuotaEntry(models.Model):
    """One family case's claim on the quota: holding a place, waiting for one, or released."""

    class State(models.TextChoices):
        ALLOCATED = "allocated", _("Holds a place")
        WAITING = "waiting", _("Waiting")
        RELEASED = "released", _("Released")

    # An integer, not a foreign key, so eligibility's migrations never depend on applications.
    application_id = models.PositiveBigIntegerField(_("application"), unique=True)
    quota = models.ForeignKey(FamilyQuota, on_delete=models.PROTECT, related_name="entries")
    region = models.CharField(_("region"), max_length=8, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    submitted_at = models.DateTimeField(_("submitted at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    allocated_at = models.DateTimeField(_("allocated at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("family quota entry")
        verbose_name_plural = _("family quota entries")
        indexes = [models.Index(fields=["quota", "state", "submitted_at"])]

    def __str__(self) -> str:
        return f"application {self.application_id}: {self.state}"


class Ban(models.Model):
    """A person may not apply again until a date (R22); matched by passport, nationality and birth date."""

    class Ground(models.TextChoices):
        NATIONAL_SECURITY = "national_security", _("Threat to national security or interests")
        DEPORTATION = "deportation", _("Deportation")
        FRAUD = "fraud", _("Fraud")
        INSUFFICIENT_RESIDENCE = "insufficient_residence", _("Insufficient residence time")
        TALENT_PROGRAM_TERMINATED = "talent_program_terminated", _("Termination by the talent program")

    passport_number = models.CharField(_("passport number"), max_length=40)
    nationality = models.CharField(_("nationality"), max_length=3)
    birth_date = models.DateField(_("date of birth"))
    ground = models.CharField(_("ground"), max_length=30, choices=Ground.choices)
    until = models.DateField(_("banned until"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        indexes = [models.Index(fields=["passport_number", "nationality", "birth_date"])]

    def __str__(self) -> str:
        return f"{self.nationality} {self.passport_number} until {self.until}"


class Register(models.TextChoices):
    """The reference registers eligibility reads (issue 13): national classifications and lists."""

    INDUSTRIES = "industries", _("Industry classification (GB/T 4754)")
    ENCOURAGED_INDUSTRIES = (
        "encouraged_industries",
        _("Catalogue of Industries for Encouraging Foreign Investment"),
    )
    PRIORITY_INDUSTRIES = "priority_industries", _("Priority industries")
    DIVISIONS = "divisions", _("Administrative divisions (GB/T 2260)")
    POVERTY_COUNTIES = "poverty_counties", _("Key counties for poverty alleviation")


class RegisterEdition(Edition):
    """One edition of a reference register, with its effective dates; published editions never change (R6)."""

    register = models.CharField(_("register"), max_length=30, choices=Register.choices)
    label = models.CharField(_("edition"), max_length=60)
    source = models.TextField(_("source"), blank=True)
    # [{"code": ..., "en": ..., "zh": ...}, ...] sorted by code.
    entries = models.JSONField(_("entries"), default=list)

    frozen_fields = ("entries", "label")

    class Meta:
        ordering = ["register", "-effective_from", "-id"]
        verbose_name = _("register edition")
        verbose_name_plural = _("register editions")
        constraints = [
            models.UniqueConstraint(fields=["register", "label"], name="register_edition_label_unique")
        ]
        indexes = [models.Index(fields=["register", "status", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.get_register_display()} {self.label}"

    def codes(self) -> dict[str, dict[str, str]]:
        """{code: {"en", "zh"}} for look-ups."""
        return {entry["code"]: {"en": entry["en"], "zh": entry["zh"]} for entry in self.entries}

    def name_of(self, code: str) -> str:
        entry = self.codes().get(code)
        return localized(entry) if entry else ""


class NominatingBody(models.Model):
    """A body recognised to nominate outstanding contributors (R11), with the methods it may use."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("nominating body status", "Active")
        RETIRED = "retired", _("Retired")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    # Nomination method codes of the policy (contribution channel, fact nomination_method).
    methods = models.JSONField(_("nomination methods"), default=list)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency account"),
        on_delete=models.PROTECT,
        related_name="nominating_bodies",
        help_text=_("Staff of this agency with the nominating-body role confirm its nominations."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("nominating body")
        verbose_name_plural = _("nominating bodies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_zh if (get_language() or "en").startswith("zh") else self.name_en

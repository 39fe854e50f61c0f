"""One person across passports (R22): the match index, the matches found, and officers' decisions.

`IdentityKey` is the index row of a profile (kept by a post_save receiver, so every way a profile
is written updates it): its date of birth is the blocking key (B-tree), its canonical name key is
compared with pg_trgm on PostgreSQL (migration 0001) or exactly elsewhere, and `person` groups the
profiles that an officer found to be one person. `IdentityMatch` is a match found for a profile, at a new profile
(no application) or at submission (the case's "possible duplicate" flag). `IdentityDecision` is an
officer's answer for one pair of profiles, asked once: the pair is unique.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IdentityKey(models.Model):
    profile = models.OneToOneField(
        "applications.ApplicantProfile",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="identity_key",
        verbose_name=_("profile"),
    )
    # The profiles an officer decided are one person share the lowest profile id among them.
    person = models.PositiveBigIntegerField(_("person"), db_index=True)
    name_key = models.CharField(_("name key"), max_length=300)
    birth_date = models.DateField(_("date of birth"), db_index=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    nationality = models.CharField(_("nationality"), max_length=3, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("identity key")
        verbose_name_plural = _("identity keys")

    def __str__(self) -> str:
        return f"{self.name_key} {self.birth_date}"


class IdentityMatch(models.Model):
    class Level(models.TextChoices):
        STRONG = "strong", pgettext_lazy("identity match", "Strong match")
        POSSIBLE = "possible", pgettext_lazy("identity match", "Possible match")

    class DateOfBirth(models.TextChoices):
        EXACT = "exact", _("Same date of birth")
        SWAPPED = "swapped", _("Day and month swapped")
        NEAR = "near", _("Date of birth differs in one part")

    profile = models.ForeignKey(
        "applications.ApplicantProfile", on_delete=models.CASCADE, related_name="identity_matches"
    )
    candidate = models.ForeignKey("applications.ApplicantProfile", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="identity_matches",
    )
    level = models.CharField(_("match"), max_length=10, choices=Level.choices)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1)
    name_score = models.DecimalField(_("name score"), max_digits=4, decimal_places=1)
    birth_date_match = models.CharField(_("date of birth"), max_length=10, choices=DateOfBirth.choices)
    decision = models.ForeignKey(
        "IdentityDecision", on_delete=models.SET_NULL, null=True, blank=True, related_name="matches"
    )
    found_at = models.DateTimeField(_("found"), default=timezone.now)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("identity match")
        verbose_name_plural = _("identity matches")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "candidate"],
                condition=Q(application__isnull=False),
                name="identity_one_flag_per_case_and_candidate",
            ),
            models.UniqueConstraint(
                fields=["profile", "candidate"],
                condition=Q(application__isnull=True),
                name="identity_one_match_per_profile_and_candidate",
            ),
            models.CheckConstraint(condition=~Q(profile=F("candidate")), name="identity_match_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} ~ {self.candidate_id} ({self.level})"


class IdentityDecision(models.Model):
    class Verdict(models.TextChoices):
        SAME = "same", _("Same person")
        DIFFERENT = "different", _("Different people")

    # The pair in id order, so (a, b) and (b, a) are one pair and are asked once.
    first = models.ForeignKey("applications.ApplicantProfile", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("applications.ApplicantProfile", on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(_("decision"), max_length=10, choices=Verdict.choices)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    application = models.ForeignKey(
        "applications.Application", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("identity decision")
        verbose_name_plural = _("identity decisions")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="identity_one_decision_per_pair"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="identity_pair_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} / {self.second_id}: {self.verdict}"

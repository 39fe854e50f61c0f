"""One-stop service windows (R20, issue 15): walk-in filings, in-person intake, card collection.

A walk-in case is filed by counter staff for a person who may have no account yet. Its profile is
owned by a placeholder account (`WalkIn.holder`: inactive, no password, an address that cannot
receive mail) until the person enters the claim code in their own account; the window's staff act
for the holder in the meantime, through the same services as the online route.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WalkIn(models.Model):
    """A case filed at a window for a person, and the one-time code that hands it to them."""

    window = models.ForeignKey(
        "accounts.Office", verbose_name=_("window"), on_delete=models.PROTECT, related_name="walk_ins"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    holder = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="walk_in_held", editable=False
    )
    # Set in the same transaction as the row (the profile and draft are made as the holder's, which
    # the window may only do once this row says it holds them).
    profile = models.ForeignKey(
        "applications.ApplicantProfile",
        verbose_name=_("profile"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="walk_in",
        null=True,
    )
    # HMAC-SHA256 of the code under the secret key: the code itself is only in the e-mail.
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    code_expires_at = models.DateTimeField(_("code expires at"))
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("walk-in filing")
        verbose_name_plural = _("walk-in filings")
        indexes = [models.Index(fields=["window", "claimed_at"], name="walkin_window_claimed")]

    def __str__(self) -> str:
        return f"walk-in {self.pk} at {self.window_id}"


class IntakeRecord(models.Model):
    """The in-person checks at intake: the event and its operator, never biometric data."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="intake_record",
    )
    passport_checked = models.BooleanField(_("identity checked against the passport original"))
    photo_taken = models.BooleanField(_("photo taken"))
    fingerprints_taken = models.BooleanField(_("fingerprints taken"))
    place = models.ForeignKey(
        "accounts.Office", verbose_name=_("where"), on_delete=models.PROTECT, related_name="+"
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("in-person intake record")
        verbose_name_plural = _("in-person intake records")

    def __str__(self) -> str:
        return f"intake of application {self.application_id}"


class CardCollection(models.Model):
    """A card waiting at a window or office, and its handover once collected."""

    class Collector(models.TextChoices):
        HOLDER = "holder", _("The holder")
        AUTHORISED = "authorised", _("An authorised person with a letter")

    card = models.OneToOneField(
        "cards.Card", verbose_name=_("card"), on_delete=models.PROTECT, related_name="collection"
    )
    place = models.ForeignKey(
        "accounts.Office", verbose_name=_("collected at"), on_delete=models.PROTECT, related_name="+"
    )
    awaiting_since = models.DateTimeField(_("awaiting collection since"), default=timezone.now)
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    collector = models.CharField(_("collected by"), max_length=12, choices=Collector.choices, blank=True)
    id_checked = models.BooleanField(_("identity document checked"), default=False)
    authorised_name = models.CharField(_("authorised person's name"), max_length=200, blank=True)
    authorised_id_number = models.CharField(_("authorised person's ID number"), max_length=40, blank=True)
    letter_reference = models.CharField(_("letter of authorisation reference"), max_length=60, blank=True)
    # Set once by the beat task when the card has waited longer than the policy allows.
    flagged_uncollected_at = models.DateTimeField(_("flagged as uncollected"), null=True, blank=True)

    class Meta:
        ordering = ["awaiting_since", "id"]
        verbose_name = _("card collection")
        verbose_name_plural = _("card collections")
        indexes = [models.Index(fields=["place", "collected_at"], name="collection_place_collected")]

    def __str__(self) -> str:
        return f"collection of card {self.card_id}"

"""Card fees: an order per fee due, the provider's notifications as received, reconciliation findings.

Amounts are whole fen (PositiveIntegerField), never floats; yuan appear only when displayed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PaymentOrder(models.Model):
    class Kind(models.TextChoices):
        ISSUANCE = "issuance", _("Card issuance fee")
        RENEWAL = "renewal", _("Card renewal fee")
        REPLACEMENT = "replacement", _("Card replacement fee")

    class Status(models.TextChoices):
        # Forward only: due -> paid -> refunded (or due -> refunded when the provider says so first).
        DUE = "due", pgettext_lazy("payment status", "Due")
        PAID = "paid", pgettext_lazy("payment status", "Paid")
        REFUNDED = "refunded", pgettext_lazy("payment status", "Refunded")

    number = models.CharField(_("order number"), max_length=32, unique=True)
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="payment_orders",
        # Empty for a renewal or replacement of a card that no application made (a renewed card).
        null=True,
        blank=True,
    )
    # A renewal or replacement fee belongs to the holder's request, not to the first application.
    card_request = models.ForeignKey(
        "cards.CardRequest",
        verbose_name=_("card request"),
        on_delete=models.PROTECT,
        related_name="payment_orders",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount_fen = models.PositiveIntegerField(_("amount (fen)"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DUE)
    # The fee schedule it was charged under (policy version label and legal basis), for the receipt.
    policy_label = models.CharField(_("policy version"), max_length=64, blank=True)
    legal_basis_en = models.CharField(max_length=300, blank=True)
    legal_basis_zh = models.CharField(max_length=300, blank=True)
    provider_order_id = models.CharField(_("provider's order id"), max_length=64, blank=True)
    pay_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    refund_no = models.CharField(_("refund number"), max_length=40, blank=True)
    refund_reason = models.TextField(_("refund reason"), blank=True)
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)
    # Polling an order the provider has not told us about; backs off while the provider is down.
    next_poll_at = models.DateTimeField(null=True, blank=True)
    poll_attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("payment order")
        verbose_name_plural = _("payment orders")
        ordering = ("-created_at",)
        constraints = [
            # One fee of a kind per application, and one per card request: a second order could be
            # paid a second time. A holder renews many times, so request fees are counted per request.
            models.UniqueConstraint(
                fields=("application", "kind"),
                condition=models.Q(card_request__isnull=True),
                name="payments_one_order_per_fee",
            ),
            models.UniqueConstraint(fields=("card_request",), name="payments_one_order_per_request"),
        ]
        indexes = [models.Index(fields=("status", "next_poll_at"))]

    def __str__(self) -> str:
        return self.number


class PaymentNotification(models.Model):
    """Every notification that passed the signature check, by its nonce: a nonce seen twice is a replay."""

    nonce = models.CharField(max_length=64, unique=True)
    order = models.ForeignKey(PaymentOrder, on_delete=models.PROTECT, null=True, related_name="notifications")
    event = models.CharField(max_length=20)
    body_sha256 = models.CharField(max_length=64)
    outcome = models.CharField(max_length=20)  # applied, no_change, unknown_order, amount_mismatch
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.event} {self.nonce}"


class ReconciliationFinding(models.Model):
    class Issue(models.TextChoices):
        MISSING_AT_PROVIDER = (
            "missing_at_provider",
            _("In the portal's records, not in the provider's statement"),
        )
        MISSING_AT_PORTAL = "missing_at_portal", _("In the provider's statement, not in the portal's records")
        AMOUNT_DIFFERS = "amount_differs", _("Amounts differ")

    day = models.DateField(_("day"))
    order_number = models.CharField(_("order number"), max_length=64)
    entry_kind = models.CharField(_("entry"), max_length=10)  # payment or refund
    issue = models.CharField(_("issue"), max_length=24, choices=Issue.choices)
    portal_amount_fen = models.IntegerField(_("portal amount (fen)"), null=True, blank=True)
    provider_amount_fen = models.IntegerField(_("provider amount (fen)"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)

    class Meta:
        verbose_name = _("reconciliation finding")
        verbose_name_plural = _("reconciliation findings")
        ordering = ("-day", "order_number")
        constraints = [
            # Running a day's reconciliation again opens nothing new for the same difference.
            models.UniqueConstraint(
                fields=("day", "order_number", "entry_kind", "issue"),
                name="payments_one_finding_per_difference",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.order_number} {self.issue}"


class ReconciliationRun(models.Model):
    day = models.DateField(unique=True)
    ran_at = models.DateTimeField(auto_now=True)
    provider_entries = models.PositiveIntegerField(default=0)
    portal_entries = models.PositiveIntegerField(default=0)
    findings = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"reconciliation {self.day}"

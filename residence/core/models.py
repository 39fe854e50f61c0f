"""The task outbox: every task a change needs is a row written in that change's transaction."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One task to run after its transaction commits (an e-mail, a card to issue, a letter to render).

    The row is the truth, the broker message only a wake-up call: a message lost with the broker,
    never published, or taken by a worker that died is sent again by the sweeper past ``deadline``
    (a short one while unclaimed, the lease while running); a duplicate delivery finds the row
    done or held and does nothing.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to run")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    task = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    deadline = models.DateTimeField(_("re-send after"))
    sends = models.PositiveIntegerField(_("times sent"), default=1)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    lease_token = models.UUIDField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # The sweeper: unfinished messages past their deadline.
            models.Index(
                fields=["deadline"],
                condition=models.Q(status__in=["pending", "running"]),
                name="outbox_due_idx",
            ),
            # The clean-up of messages done long ago.
            models.Index(fields=["status", "done_at"], name="outbox_done_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk} ({self.status})"

"""Shared tasks: e-mail goes out from the worker, never from the web request."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=6,
)
def send_email_task(self, *, to: list[str], subject: str, body: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def publish_after_commit(task, **kwargs) -> None:
    """Send ``task`` once the transaction commits; a broker that is down is logged, never raised.

    The write has committed by then, so an error would tell the user that an action which
    succeeded had failed. Publishing retries briefly (bounded, so a request never hangs on a dead
    broker); what still cannot be sent is left to the outbox and its sweeper where there is one.
    """

    def publish() -> None:
        try:
            task.apply_async(
                kwargs=kwargs, retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
            )
        except Exception:  # noqa: BLE001 - whatever the transport raises, the request must succeed
            logger.warning("could not publish %s after commit", task.name, exc_info=True)

    transaction.on_commit(publish)

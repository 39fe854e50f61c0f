"""Shared tasks, and the one way to send a task after commit (``publish_after_commit``).

E-mail goes out from the worker, never from the web request, through the task outbox
(``residence.core.outbox``): written with the change, sent after commit, retried, and sent once.
"""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from . import outbox

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=6,
)
def send_email_task(self, *, to: list[str], subject: str, body: str) -> None:
    """Send one e-mail. Publish it with ``publish_after_commit(send_email_task, to=..., ...)``.

    Run from the outbox, the message's Message-ID names its outbox row, so the rare copy sent
    twice (a worker killed between the SMTP server's acceptance and the row marked done) is
    recognisably the same message to the receiving system.
    """
    headers = {}
    message_id = outbox.current_message.get()
    if message_id is not None:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        headers["Message-ID"] = f"<outbox-{message_id}@{domain}>"
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to, headers=headers).send()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def outbox_deliver_task(message_id: int) -> str:
    return outbox.outbox_deliver(message_id)


@shared_task(acks_late=True, ignore_result=True)
def outbox_sweep_task() -> dict:
    return outbox.outbox_sweep()


def publish_after_commit(task, **kwargs) -> None:
    """Run ``task(**kwargs)`` once the caller's transaction commits; never lost, never failing the request.

    The task becomes an outbox row in the caller's transaction (so a rolled-back change sends
    nothing, and a committed one is sent even if the broker is down: the sweeper sends it when
    the broker is back). Publishing never raises and waits at most about half a second. Keyword
    arguments must be JSON: ids and plain values, never model instances. Outside a transaction
    the row is written at once and published straight away.
    """
    publish_many_after_commit(task, [kwargs])


def publish_many_after_commit(task, kwargs_list: list[dict]) -> None:
    """``publish_after_commit`` for many runs of one task, written with one INSERT."""
    with transaction.atomic():
        outbox.outbox_add(task.name, kwargs_list)

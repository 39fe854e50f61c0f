"""Publishing tasks safely: the task outbox, its delivery and its sweeper.

Two rules make every task a change needs happen, and happen once, whatever the broker does:

- ``publish`` is the only place a message is handed to the broker. It never raises and never
  waits long (a bounded retry, bounded socket timeouts in the transport options): the change
  has committed by then, and an error would tell the user an action that succeeded had failed.
- A task that must not be lost is first a row (``OutboxMessage``) written in the change's
  transaction (``outbox_add``, through ``residence.core.tasks.publish_after_commit``); the message
  published after commit only names the row. The worker claims the row under a lease, runs the
  task, and marks it done; ``outbox_sweep`` (beat) sends again what was never claimed within a
  short deadline, or whose lease ran out.

The verification app keeps its own outbox (the check rows) and publishes through ``publish`` too.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import time
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# A short, bounded retry: with the broker down a publish gives up within a fraction of a second
# (a refused connection) or about two connect timeouts (a host that does not answer).
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# After a failed publish this process sends nothing for this long: the rows are safe, and a
# request that has several messages to send (checks, e-mails) pays for the outage once, not each time.
BROKER_BACKOFF_SECONDS = 5.0
_broker_down_until = 0.0

# The outbox message a worker is running now (an e-mail takes its Message-ID from it).
current_message: contextvars.ContextVar[int | None] = contextvars.ContextVar("outbox_message", default=None)


def publish(task, *, args: tuple | list = (), kwargs: dict | None = None, **options: Any) -> bool:
    """Hand one message to the broker; False (logged, never raised) when it cannot be sent now.

    Whatever the message was for must be recoverable without it (an outbox row, a check row),
    because a False here is final for this message.
    """
    global _broker_down_until
    from residence.celery import app

    eager = app.conf.task_always_eager
    if not eager and time.monotonic() < _broker_down_until:
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs, retry_policy=PUBLISH_RETRY_POLICY, **options)
        return True
    except Exception:  # whatever the transport raises, the caller must go on
        if eager:
            raise  # eager (tests): the "broker" is the task itself, and its errors must show
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.warning("could not publish %s; its sweeper will send it again", task.name, exc_info=True)
        return False


def broker_backoff_reset() -> None:
    """Forget a failed publish (tests that restart the broker; a worker that just reconnected)."""
    global _broker_down_until
    _broker_down_until = 0.0


def unclaimed_deadline(now, *, waited: float = 0.0, countdown: float = 0.0) -> dt.datetime:
    """When a message published now, and not claimed by a worker by then, is sent again.

    Soon (``OUTBOX_UNCLAIMED_SECONDS``) for a new message, so one lost with the broker or taken by
    a worker killed before it started waits seconds, not minutes; a message that has already
    ``waited`` (seconds since it was written) waits as long again, up to
    ``OUTBOX_UNCLAIMED_MAX_SECONDS``, so a long queue is sent again a few times at most.
    """
    wait = min(max(settings.OUTBOX_UNCLAIMED_SECONDS, waited), settings.OUTBOX_UNCLAIMED_MAX_SECONDS)
    return now + dt.timedelta(seconds=countdown + wait)


def outbox_add(task_name: str, kwargs_list: list[dict]) -> list[OutboxMessage]:
    """Write the rows of these tasks (one INSERT) in the caller's transaction; publish them after commit."""
    if not kwargs_list:
        return []
    now = timezone.now()
    messages = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(task=task_name, kwargs=kwargs, created_at=now, deadline=unclaimed_deadline(now))
            for kwargs in kwargs_list
        ]
    )
    ids = [message.pk for message in messages]
    transaction.on_commit(lambda: outbox_publish(ids), robust=True)
    return messages


def outbox_publish(message_ids: list[int], *, countdown: float | None = None) -> int:
    """Publish a run message for each row (see ``publish``); returns how many went out."""
    from .tasks import outbox_deliver_task

    sent = 0
    for pk in message_ids:
        if not publish(outbox_deliver_task, args=(pk,), countdown=countdown):
            break  # the broker is down: the sweeper sends the rest
        sent += 1
    return sent


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def _claim(message_id: int) -> tuple[OutboxMessage, uuid.UUID] | None:
    now = timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None or not (
            message.status == OutboxMessage.Status.PENDING
            or (message.status == OutboxMessage.Status.RUNNING and message.deadline < now)
        ):
            return None  # done, failed, held by a live run, or being claimed by a duplicate right now
        token = uuid.uuid4()
        message.status = OutboxMessage.Status.RUNNING
        message.lease_token = token
        message.attempts += 1
        message.deadline = now + _lease()
        message.save(update_fields=["status", "lease_token", "attempts", "deadline"])
    return message, token


def _finish(message: OutboxMessage, token: uuid.UUID, *, error: BaseException | None) -> str:
    from residence.audit.services import audit_record

    now = timezone.now()
    with transaction.atomic():
        current = OutboxMessage.objects.select_for_update().filter(pk=message.pk, lease_token=token).first()
        if current is None:
            return "superseded"  # the lease ran out and another run took over
        current.lease_token = None
        if error is None:
            current.status, current.done_at, current.last_error = OutboxMessage.Status.DONE, now, ""
            current.save(update_fields=["status", "done_at", "last_error", "lease_token"])
            return "done"
        current.last_error = f"{type(error).__name__}: {error}"[:500]
        if current.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            current.status, current.done_at = OutboxMessage.Status.FAILED, now
            current.save(update_fields=["status", "done_at", "last_error", "lease_token"])
            logger.error("%s failed %s times; giving up: %s", current, current.attempts, current.last_error)
            audit_record(
                actor=None,
                action="outbox.failed",
                obj=current,
                after={"task": current.task, "attempts": current.attempts, "error": current.last_error},
            )
            return "failed"
        countdown = min(
            settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (current.attempts - 1),
            settings.OUTBOX_RETRY_MAX_SECONDS,
        )
        current.status = OutboxMessage.Status.PENDING
        current.sends += 1
        current.deadline = unclaimed_deadline(now, countdown=countdown)
        current.save(update_fields=["status", "sends", "deadline", "last_error", "lease_token"])
        from residence.celery import app

        if not app.conf.task_always_eager:  # eager: the error is raised to the caller instead
            transaction.on_commit(lambda: outbox_publish([current.pk], countdown=countdown), robust=True)
        return "retry"


def outbox_deliver(message_id: int) -> str:
    """Claim one row, run its task outside any transaction, and record how it went.

    Returns "done", "retry", "failed", "superseded" or "skipped" (nothing to do: a duplicate
    message, or a row already done).
    """
    from residence.celery import app

    claimed = _claim(message_id)
    if claimed is None:
        return "skipped"
    message, token = claimed
    task = app.tasks[message.task]
    run = getattr(task, "_orig_run", task.run)  # the body, without the task's own autoretry
    marker = current_message.set(message.pk)
    try:
        run(**message.kwargs)
    except Exception as error:  # any failure is a retry, bounded by OUTBOX_MAX_ATTEMPTS
        logger.warning("%s failed (attempt %s)", message, message.attempts, exc_info=True)
        outcome = _finish(message, token, error=error)
        if app.conf.task_always_eager:
            raise
        return outcome
    finally:
        current_message.reset(marker)
    return _finish(message, token, error=None)


def outbox_sweep(*, limit: int = 1000) -> dict[str, int]:
    """Send again what was never claimed in time or whose lease ran out; forget what was done long ago."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.RUNNING], deadline__lt=now)
            .order_by("deadline")[:limit]
        )
        for message in due:
            # Never claimed (lost, or still queued behind others: the wait grows with its age),
            # or claimed by a worker that died (its lease ran out: soon again).
            pending = message.status == OutboxMessage.Status.PENDING
            waited = (now - message.created_at).total_seconds() if pending and not message.attempts else 0
            message.status = OutboxMessage.Status.PENDING
            message.lease_token = None
            message.sends += 1
            message.deadline = unclaimed_deadline(now, waited=waited)
        OutboxMessage.objects.bulk_update(due, ["status", "lease_token", "sends", "deadline"])
        ids = [message.pk for message in due]
        transaction.on_commit(lambda: outbox_publish(ids), robust=True)
    keep_until = now - dt.timedelta(days=settings.OUTBOX_KEEP_DAYS)
    old = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.DONE, done_at__lt=keep_until).values_list(
            "pk", flat=True
        )[:limit]
    )
    # E-mail bodies are personal data: what was sent is not kept longer than it is useful.
    purged = OutboxMessage.objects.filter(pk__in=old).delete()[0] if old else 0
    return {"resent": len(due), "purged": purged}

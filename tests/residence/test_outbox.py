"""The task outbox: written with the change, published after commit, claimed once, swept when lost."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from residence.audit.models import AuditEntry
from residence.core import outbox
from residence.core.models import OutboxMessage
from residence.core.tasks import outbox_deliver_task, publish_after_commit, send_email_task
from tests.agency_simulator import free_port
from tests.verification.test_faults import _use_broker

pytestmark = pytest.mark.django_db

EMAIL = "residence.core.tasks.send_email_task"


def mail_to(address: str = "alice@example.org") -> None:
    publish_after_commit(send_email_task, to=[address], subject="Status", body="Your case moved on.")


def test_an_email_is_a_row_of_the_change_and_is_sent_once_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail_to()
        message = OutboxMessage.objects.get(task=EMAIL)
        assert message.status == OutboxMessage.Status.PENDING and not mail.outbox
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE and message.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<outbox-{message.pk}@")


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        mail_to()
        raise RuntimeError("the change fails")
    assert not OutboxMessage.objects.exists() and not mail.outbox


def test_a_message_delivered_twice_sends_one_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        mail_to()
    message = OutboxMessage.objects.get()
    assert outbox.outbox_deliver(message.pk) == "done"
    assert outbox.outbox_deliver(message.pk) == "skipped"
    outbox_deliver_task.apply(args=(message.pk,))
    assert len(mail.outbox) == 1


def test_a_run_held_under_a_live_lease_is_not_taken_but_one_whose_lease_ran_out_is(
    django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=False):
        mail_to()
    message = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.RUNNING, attempts=1, deadline=timezone.now() + dt.timedelta(seconds=60)
    )
    assert outbox.outbox_deliver(message.pk) == "skipped"
    assert outbox.outbox_sweep()["resent"] == 0
    # The worker that held it died: its lease runs out, and the sweeper sends it again soon.
    OutboxMessage.objects.filter(pk=message.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_sweep()["resent"] == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE and message.sends == 2 and len(mail.outbox) == 1


def test_a_message_never_claimed_is_sent_again_after_the_short_deadline_not_the_old_five_minutes(
    django_capture_on_commit_callbacks, settings
):
    settings.OUTBOX_UNCLAIMED_SECONDS = 20
    with django_capture_on_commit_callbacks(execute=False):  # published, then lost with the broker
        mail_to()
    message = OutboxMessage.objects.get()
    assert (message.deadline - message.created_at).total_seconds() == pytest.approx(20, abs=1)
    assert outbox.outbox_sweep()["resent"] == 0
    OutboxMessage.objects.filter(pk=message.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_sweep()["resent"] == 1
    assert len(mail.outbox) == 1


def test_a_message_that_waited_long_in_the_queue_waits_as_long_again_before_another_copy(settings):
    settings.OUTBOX_UNCLAIMED_SECONDS, settings.OUTBOX_UNCLAIMED_MAX_SECONDS = 20, 300
    now = timezone.now()
    assert outbox.unclaimed_deadline(now) == now + dt.timedelta(seconds=20)
    assert outbox.unclaimed_deadline(now, waited=80) == now + dt.timedelta(seconds=80)
    assert outbox.unclaimed_deadline(now, waited=5000) == now + dt.timedelta(seconds=300)


def test_a_failing_task_is_retried_then_given_up_and_audited(settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = "tests.residence.test_outbox.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=False):
        mail_to()
    message = OutboxMessage.objects.get()
    with pytest.raises(OSError):  # eager: the error shows; the row is left for a retry
        outbox.outbox_deliver(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING and "refused" in message.last_error
    assert message.deadline > timezone.now()
    with pytest.raises(OSError):
        outbox.outbox_deliver(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and message.attempts == 2
    assert AuditEntry.objects.filter(action="outbox.failed", object_id=str(message.pk)).exists()


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("connection refused by the mail server")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_a_committed_change_returns_at_once_and_its_row_waits_for_the_sweeper(
    redis_broker,
):
    previous = _use_broker(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    outbox.broker_backoff_reset()
    try:
        started = time.monotonic()
        with transaction.atomic():
            for n in range(5):
                mail_to(f"person{n}@example.org")
        took = time.monotonic() - started
    finally:
        _use_broker(previous)
        outbox.broker_backoff_reset()
    assert took < 1.0
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).count() == 5

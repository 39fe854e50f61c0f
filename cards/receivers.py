"""Listening to the applications state machine: an approval makes a card, a refusal a letter.

django-fsm's post_transition fires inside the applications service's transaction; the work is
sent to the worker only once that transaction commits, so a rolled-back decision makes nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver
from django_fsm.signals import post_transition


def connect() -> None:
    from applications.models import Application

    receiver(post_transition, sender=Application, dispatch_uid="cards.application_decided")(
        application_decided
    )


def application_decided(sender, instance, name, source, target, **kwargs) -> None:
    from applications.models import Status

    from .tasks import card_issue_for_application_task, refusal_letter_issue_task

    application_id = instance.pk
    if target == Status.APPROVED:
        actor_id = instance.decided_by_id
        transaction.on_commit(
            lambda: card_issue_for_application_task.delay(application_id=application_id, actor_id=actor_id)
        )
    elif target == Status.REFUSED:
        transaction.on_commit(lambda: refusal_letter_issue_task.delay(application_id=application_id))

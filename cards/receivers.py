"""Listening to the applications state machine: an approval makes a card (or, when the policy sets
a fee due after approval, a payment order first), a refusal a letter.

django-fsm's post_transition fires inside the applications service's transaction; the work is
an outbox row of that transaction, sent to the worker once it commits, so a rolled-back decision
makes nothing and a committed one is never lost (residence.core.tasks.publish_after_commit).
"""

from __future__ import annotations

from django.dispatch import receiver
from django_fsm.signals import post_transition


def connect() -> None:
    from applications.models import Application

    receiver(post_transition, sender=Application, dispatch_uid="cards.application_decided")(
        application_decided
    )


def application_decided(sender, instance, name, source, target, **kwargs) -> None:
    from applications.models import Status
    from residence.core.tasks import publish_after_commit

    from .tasks import card_issue_for_application_task, refusal_letter_issue_task

    application_id = instance.pk
    if target == Status.APPROVED:
        from .extensions import approval_holds

        actor_id = instance.decided_by_id
        # A fee due after approval (the policy's fee schedule): the card waits for its payment,
        # and the payments app queues it once the provider confirms (payments.services._apply).
        held = [hold(application=instance, actor=instance.decided_by) for hold in approval_holds]
        if any(held):
            return
        publish_after_commit(
            card_issue_for_application_task, application_id=application_id, actor_id=actor_id
        )
    elif target == Status.REFUSED:
        publish_after_commit(refusal_letter_issue_task, application_id=application_id)

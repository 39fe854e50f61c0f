"""Thin tasks: load by id, call a service, own the retries."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def card_document_render_task(self, *, document_id: int) -> None:
    services.card_document_render(document_id=document_id)


# Retried, with backoff, on what passes: a lost database connection, a lock or serialization
# failure (OperationalError), the storage or the renderer out of reach (OSError). A ValidationError
# (no photo) is not retried: it stays until an officer acts. The service is idempotent, so a retry
# after a half-seen failure issues no second card.
@shared_task(bind=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def card_issue_for_application_task(self, *, application_id: int, actor_id: int | None = None) -> None:
    from residence.accounts.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    services.card_issue_for_application(application_id=application_id, actor=actor)


@shared_task
def refusal_letter_issue_task(*, application_id: int) -> None:
    services.refusal_letter_issue(application_id=application_id)


@shared_task
def cards_expire_due_task() -> int:
    return services.cards_expire_due()


@shared_task
def residence_review_task(*, profile_id: int | None = None) -> None:
    from .models import Card

    if profile_id is not None:
        services.residence_review(profile_id=profile_id)
        return
    for pk in Card.objects.filter(status=Card.Status.ISSUED).values_list("profile_id", flat=True).distinct():
        services.residence_review(profile_id=pk)

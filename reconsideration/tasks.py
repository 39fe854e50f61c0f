"""Thin tasks: load by id, call a service, own the retries."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def reconsideration_letter_render_task(self, *, case_id: int) -> None:
    services.reconsideration_letter_render(case_id=case_id)


@shared_task
def escalate_overdue_task() -> int:
    """Beat: escalate the open reconsiderations past their deadline, a batch at a time."""
    made = 0
    for _ in range(20):
        batch = services.overdue_reconsiderations_escalate()
        made += len(batch)
        if len(batch) < services.ESCALATION_BATCH:
            break
    return made

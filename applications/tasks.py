"""Thin Celery tasks: load by id, call a service, own the retries."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def escalate_overdue_task() -> int:
    """Beat: escalate the cases past their deadline, a batch at a time; returns how many were made."""
    made = 0
    for _ in range(20):
        batch = services.overdue_cases_escalate()
        made += len(batch)
        if len(batch) < services.ESCALATION_BATCH:
            break
    return made


@shared_task(ignore_result=True)
def nominations_lapse_due_task() -> int:
    """Beat: nominations whose body did not answer by the deadline lapse; their cases go on."""
    return services.nominations_lapse_due()

"""Celery tasks: thin. Load by id, call the services, own the retry policy.

Every task is acks_late with reject_on_worker_lost (settings): a worker that dies mid-check
returns the message to the queue. The check row decides what a message may do, so a duplicate or
late message records nothing twice.
"""

from __future__ import annotations

from celery import shared_task

from . import services
from .connectors import AgencyError, connector_for


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def verification_check_run_task(check_id: int, run: int) -> str:
    claim = services.check_claim(check_id=check_id, run=run)
    if claim is None:
        return "skipped"
    try:
        answer = connector_for(claim.query.kind).ask(claim.query)
    except AgencyError as error:
        return services.check_record(claim=claim, error=error)
    return services.check_record(claim=claim, answer=answer)


@shared_task(acks_late=True, ignore_result=True)
def verification_sweep_task() -> dict:
    return services.checks_sweep()


@shared_task(acks_late=True, ignore_result=True)
def management_rechecks_due_task() -> int:
    return services.management_rechecks_start()

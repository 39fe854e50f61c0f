"""Celery tasks: thin. Claim by id, ask through the services, record; the row owns the retry policy.

Every task is acks_late with reject_on_worker_lost (settings): a worker that dies mid-check
returns the message to the queue. The check row decides what a message may do, so a duplicate or
late message records nothing twice.
"""

from __future__ import annotations

from collections import Counter

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def verification_checks_run_task(pairs: list[list[int]]) -> dict[str, int]:
    """Run a batch of one agency's checks, given as [check id, run] pairs, one after another."""
    return dict(Counter(services.checks_run(pairs=[(check_id, run) for check_id, run in pairs]).values()))


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def verification_check_run_task(check_id: int, run: int) -> str:
    """One check (messages sent before batches existed, and the tests' single deliveries)."""
    return services.checks_run(pairs=[(check_id, run)])[check_id]


@shared_task(acks_late=True, ignore_result=True)
def verification_sweep_task() -> dict:
    return services.checks_sweep()


@shared_task(acks_late=True, ignore_result=True)
def management_rechecks_due_task() -> int:
    return services.management_rechecks_start()

"""Beat's jobs of the privacy app (thin: call the service)."""

from __future__ import annotations

from celery import shared_task

from .retention import retention_purge


@shared_task(name="privacy.tasks.retention_purge_task")
def retention_purge_task() -> dict[str, int]:
    return retention_purge()

"""Thin tasks: call a service, own the retries."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def collections_flag_uncollected_task() -> int:
    return services.collections_flag_uncollected()

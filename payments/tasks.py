"""Thin tasks: load by id, call a service, own the retries."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import services
from .client import ProviderUnavailable


@shared_task
def orders_poll_due_task() -> int:
    return services.orders_poll_due()


@shared_task(bind=True, autoretry_for=(ProviderUnavailable,), retry_backoff=60, max_retries=12)
def reconcile_yesterday_task(self, *, day: str | None = None) -> int:
    """Beat, daily: yesterday's statement (Beijing time), retried while the provider is down."""
    on = dt.date.fromisoformat(day) if day else timezone.localdate() - dt.timedelta(days=1)
    return len(services.reconcile_day(day=on))

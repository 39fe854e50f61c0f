from celery import shared_task

from . import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def processing_times_refresh_task() -> int:
    return len(services.processing_times_refresh())

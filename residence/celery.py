"""The Celery application, configured from Django settings (``CELERY_*``)."""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residence.settings")

app = Celery("residence")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _close_old_connections(sender=None, **kwargs) -> None:
    """Keep a worker thread's database connection across tasks, as Django keeps one across requests.

    Celery's Django fix-up would close it around every task (a new PostgreSQL connection per
    task); with ``CELERY_DB_REUSE_MAX`` set it only recycles now and then, and this closes,
    before each task, a connection that is broken, left mid-transaction or older than
    ``CONN_MAX_AGE``, as Django does per request. Eager tasks run inside their caller's transaction.
    """
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()

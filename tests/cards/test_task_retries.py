"""The card tasks retry for real: Celery retries only what autoretry_for names."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import OperationalError

from cards.tasks import card_document_render_task, card_issue_for_application_task


def test_issuing_retries_transient_failures_with_backoff_but_not_a_missing_photo():
    task = card_issue_for_application_task
    assert set(task.autoretry_for) == {OperationalError, OSError}
    assert task.retry_backoff and task.max_retries == 5
    assert not any(issubclass(ValidationError, kind) for kind in task.autoretry_for)


def test_rendering_retries_when_storage_or_renderer_is_out_of_reach():
    assert card_document_render_task.autoretry_for == (OSError,)

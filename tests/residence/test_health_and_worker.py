from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from residence.core.tasks import send_email_task
from tests.conftest import WorkerProcess, wait_for


@pytest.mark.django_db
def test_healthz_is_503_and_names_the_worker_when_no_worker_answers(client, settings):
    settings.HEALTHZ_WORKER_TIMEOUT = 0.5
    settings.HEALTH_TOKEN = "monitoring-token"
    response = client.get(reverse("healthz"), HTTP_X_HEALTH_TOKEN="monitoring-token")
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["worker"]["ok"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("token", [None, "", "a-wrong-token"])
def test_healthz_in_public_says_only_its_status(client, settings, token):
    settings.HEALTHZ_WORKER_TIMEOUT = 0.5
    settings.HEALTH_TOKEN = "monitoring-token"
    headers = {} if token is None else {"HTTP_X_HEALTH_TOKEN": token}
    response = client.get(reverse("healthz"), **headers)
    assert response.status_code == 503  # no worker runs here
    assert response.json() == {"status": "unavailable"}


@pytest.mark.django_db
def test_healthz_details_stay_closed_when_no_token_is_configured(client, settings):
    settings.HEALTHZ_WORKER_TIMEOUT = 0.5
    settings.HEALTH_TOKEN = ""
    response = client.get(reverse("healthz"), HTTP_X_HEALTH_TOKEN="")
    assert response.json() == {"status": "unavailable"}


@pytest.mark.worker
def test_healthz_is_200_when_database_broker_and_worker_answer(client, celery_worker, settings):
    settings.HEALTH_TOKEN = "monitoring-token"
    response = client.get(reverse("healthz"), HTTP_X_HEALTH_TOKEN="monitoring-token")
    assert response.status_code == 200, response.json()
    assert celery_worker.name in response.json()["checks"]["worker"]["detail"]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_sent_after_commit_runs_in_a_real_worker_process(tmp_path):
    worker = WorkerProcess(
        extra_env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp_path),
        }
    )
    try:
        with transaction.atomic():
            transaction.on_commit(
                lambda: send_email_task.delay(
                    to=["carol@example.org"], subject="Hello", body="From the worker"
                )
            )
        files = wait_for(
            lambda: list(tmp_path.iterdir()), timeout=30, message="the worker to write the e-mail"
        )
        assert "From the worker" in files[0].read_text()
    finally:
        worker.stop()


def test_the_broker_is_redis_when_redis_url_is_set(redis_broker, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")

"""A broker that is down never fails a request whose transaction committed: the publish is logged."""

from __future__ import annotations

import socket
import time

import pytest
from rest_framework.test import APIClient

from applications.models import Application, Notification, Status
from residence.celery import app as celery_app
from tests.applications.factories import ProfileFactory, intake_done, submitted
from tests.verification.test_faults import _use_broker

pytestmark = pytest.mark.django_db(transaction=True)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unreachable_broker():
    """Celery really publishing (not eagerly) to a broker URL where nothing listens."""
    eager = celery_app.conf.task_always_eager
    previous = _use_broker(f"redis://127.0.0.1:{_closed_port()}/0")
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = eager
    _use_broker(previous)


def test_accepting_a_case_while_the_broker_is_down_succeeds_and_commits(
    alice, ivan, unreachable_broker, caplog
):
    application = submitted(ProfileFactory(owner=alice, city_code="440100"))
    client = APIClient()
    intake_done(application, ivan)
    client.force_authenticate(ivan)
    started = time.monotonic()
    response = client.post(f"/api/applications/{application.pk}/actions/accept/", {}, format="json")
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.content
    application = Application.objects.get(pk=application.pk)
    assert application.status in (Status.VERIFYING, Status.IN_REVIEW)
    assert application.status_changes.filter(from_status=Status.SUBMITTED).exists()
    assert Notification.objects.filter(application=application).exists()
    assert "could not publish" in caplog.text or "broker" in caplog.text
    assert elapsed < 10

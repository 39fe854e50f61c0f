"""The whole journey through the services: submit, accept, review, evidence, recommend, approve."""

from __future__ import annotations

import pytest
from django.core import mail

from applications import services
from applications.models import Application, Notification, Stage, Status, StatusChange
from residence.audit.models import AuditEntry

from .factories import ProfileFactory, accept_and_verify, submitted

pytestmark = pytest.mark.django_db


def test_a_work_case_goes_from_submission_to_approval_with_history_audit_and_notifications(
    ivan, rita, nadia, django_capture_on_commit_callbacks
):
    profile = ProfileFactory()
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(profile)
    assert application.status == Status.SUBMITTED
    assert application.stage == Stage.INTAKE
    assert application.office.code == "gd-gz"
    assert application.policy_version is not None
    assert application.eligibility_snapshot["outcome"] in {"eligible", "not_eligible", "needs_judgement"}
    assert application.reference.startswith("PR-")

    accept_and_verify(application, ivan)
    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.IN_REVIEW  # no verification checks yet: straight through

    services.application_request_evidence(
        actor=rita, application=application, message="Send the 2023 tax record."
    )
    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.EVIDENCE_REQUESTED
    assert application.paused_remaining is not None

    services.application_answer_evidence(actor=profile.owner, application=application, answer="Attached.")
    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.EVIDENCE_SUBMITTED
    assert application.paused_remaining is None

    services.application_recommend(
        actor=rita, application=application, recommendation="approve", reason="Meets all."
    )
    # Not executed here: other apps (cards) react to the approval after commit, tested there.
    with django_capture_on_commit_callbacks() as after_commit:
        services.application_approve(actor=nadia, application=application)
    assert after_commit
    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.APPROVED
    assert application.decided_by == nadia

    path = list(StatusChange.objects.filter(application=application).values_list("to_status", flat=True))
    assert path[:8] == [
        "submitted",
        "accepted",
        "verifying",
        "in_review",
        "evidence_requested",
        "evidence_submitted",
        "recommended_approval",
        "approved",
    ]
    assert AuditEntry.objects.filter(action="applications.approve", object_id=str(application.pk)).exists()
    assert Notification.objects.filter(
        recipient=profile.owner, application=application, status="approved"
    ).exists()
    assert any("submitted" in m.body for m in mail.outbox)

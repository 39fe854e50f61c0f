"""A nomination its body does not answer by the deadline lapses (beat); the case is told and goes on (R11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.errors import TransitionConflict
from applications.models import Application, Nomination, Notification, Status
from applications.notifications import NOMINATION_LAPSED
from residence.audit.models import AuditEntry
from tests.applications.factories import ProfileFactory, intake_done, submitted
from tests.eligibility.factories import nominating_body
from verification.models import CheckStatus, VerificationCheck

pytestmark = pytest.mark.django_db

CONTRIBUTION = {
    "nominating_body": "most",
    "nomination_method": "central_agency",
    "field": "science",
    "summary": "Thirty years of work on rice genetics with Chinese universities.",
}


@pytest.fixture
def most():
    return nominating_body("most", staff_email="mei@most.example.org")


def contribution_case():
    return submitted(ProfileFactory(), channel="contribution", facts=CONTRIBUTION)


def after_deadline(nomination) -> dt.date:
    return nomination.due_on + dt.timedelta(days=1)


def test_the_beat_task_is_scheduled():
    entry = settings.CELERY_BEAT_SCHEDULE["applications-nominations-lapse"]
    assert entry["task"] == "applications.tasks.nominations_lapse_due_task"


def test_a_nomination_not_answered_by_its_deadline_lapses_and_the_case_goes_on(
    most, ivan, django_capture_on_commit_callbacks
):
    application = contribution_case()
    intake_done(application, ivan)
    services.application_accept(actor=ivan, application=application)
    # The agencies have answered every check; the case waits for the body alone.
    VerificationCheck.objects.filter(application=application).update(status=CheckStatus.VERIFIED)
    services.application_verification_completed(application=application)
    assert Application.objects.get(pk=application.pk).status == Status.VERIFYING  # waits for the body
    nomination = Nomination.objects.get(application=application)

    assert services.nominations_lapse_due(today=nomination.due_on) == 0  # the deadline day itself: not yet
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.nominations_lapse_due(today=after_deadline(nomination)) == 1

    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.LAPSED and nomination.answered_by is None
    assert Application.objects.get(pk=application.pk).status == Status.IN_REVIEW
    told = Notification.objects.get(application=application, status=NOMINATION_LAPSED)
    assert told.recipient == application.applicant.owner
    assert "did not confirm the nomination" in told.message
    assert callbacks  # the e-mail goes after commit, through the outbox
    entry = AuditEntry.objects.get(action="applications.nomination_lapse")
    assert entry.actor is None and entry.after["state"] == "lapsed"
    # Run again (beat runs hourly): nothing more happens.
    assert services.nominations_lapse_due(today=after_deadline(nomination)) == 0
    assert Notification.objects.filter(status=NOMINATION_LAPSED).count() == 1


def test_the_body_can_no_longer_answer_a_lapsed_nomination(most):
    application = contribution_case()
    _, mei = most
    nomination = Nomination.objects.get(application=application)
    services.nominations_lapse_due(today=after_deadline(nomination))

    with pytest.raises(TransitionConflict) as error:
        services.nomination_answer(actor=mei, nomination=nomination, confirmed=True, reference="MOST-LATE")
    assert "deadline" in str(error.value)
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.LAPSED and nomination.reference == ""


def test_answered_nominations_and_withdrawn_cases_do_not_lapse(most):
    answered, withdrawn = contribution_case(), contribution_case()
    _, mei = most
    services.nomination_answer(
        actor=mei, nomination=answered.nomination, confirmed=True, reference="MOST-2026-20"
    )
    services.application_withdraw(actor=withdrawn.applicant.owner, application=withdrawn)
    later = timezone.localdate() + dt.timedelta(days=400)

    assert services.nominations_lapse_due(today=later) == 0
    assert Nomination.objects.get(application=answered).state == Nomination.State.CONFIRMED
    assert Nomination.objects.get(application=withdrawn).state == Nomination.State.PENDING


def test_the_officer_sees_the_lapsed_nomination_on_the_case(most, ivan, client):
    application = contribution_case()
    nomination = Nomination.objects.get(application=application)
    services.nominations_lapse_due(today=after_deadline(nomination))
    client.force_login(ivan)

    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()

    assert 'data-testid="nomination-lapsed"' in page
    assert "did not answer by" in page and "No answer by the deadline" in page


def test_the_bodys_page_says_the_deadline_passed_and_takes_no_answer(most, client):
    application = contribution_case()
    _, mei = most
    nomination = Nomination.objects.get(application=application)
    services.nominations_lapse_due(today=after_deadline(nomination))
    client.force_login(mei)
    url = reverse("applications:nomination", args=[nomination.pk])

    page = client.get(url).content.decode()
    late = client.post(url, {"decision": "confirm", "reference": "MOST-LATE"}, follow=True)

    assert "No answer by the deadline" in page and "Send the answer" not in page
    assert "The deadline for this nomination passed" in late.content.decode()
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.LAPSED

"""A contribution case names a registered nominating body, which confirms it; the case waits (R11, issue 13)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.errors import TransitionConflict
from applications.models import Application, Nomination, Status
from residence.audit.models import AuditEntry
from tests.applications.factories import ProfileFactory, complete_draft, intake_done, submitted
from tests.eligibility.factories import nominating_body

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


@pytest.fixture
def cas():
    return nominating_body("cas", staff_email="carl@cas.example.org")


def contribution_case(**facts):
    return submitted(ProfileFactory(), channel="contribution", facts=CONTRIBUTION | facts)


def test_submission_asks_the_named_body_with_the_policys_deadline(most):
    application = contribution_case()

    nomination = Nomination.objects.get(application=application)
    assert nomination.body.code == "most" and nomination.state == Nomination.State.PENDING
    assert nomination.due_on == timezone.localdate() + dt.timedelta(days=20)  # central_agency
    assert AuditEntry.objects.filter(action="applications.nomination_open").count() == 1


def test_a_method_the_body_does_not_use_is_refused_at_submission(most):
    draft = complete_draft(
        ProfileFactory(), channel="contribution", facts=CONTRIBUTION | {"nomination_method": "expert_panel"}
    )

    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=draft.applicant.owner, application=draft, declaration=True)

    assert "nomination_method" in error.value.message_dict
    assert Application.objects.get(pk=draft.pk).status == Status.DRAFT
    assert not Nomination.objects.exists()


def test_a_joint_nomination_by_experts_names_at_least_three(cas):
    facts = CONTRIBUTION | {
        "nominating_body": "cas",
        "nomination_method": "expert_panel",
        "endorsers": "Prof. Li\nProf. Zhang",
    }
    draft = complete_draft(ProfileFactory(), channel="contribution", facts=facts)

    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=draft.applicant.owner, application=draft, declaration=True)

    assert "3" in error.value.message_dict["endorsers"][0]
    assert Application.objects.get(pk=draft.pk).status == Status.DRAFT
    services.application_update(
        actor=draft.applicant.owner,
        application=draft,
        facts={"endorsers": "Prof. Li\nProf. Zhang\nProf. Chen"},
    )
    assert (
        services.application_submit(actor=draft.applicant.owner, application=draft, declaration=True).status
        == Status.SUBMITTED
    )


def test_an_unregistered_body_cannot_be_named():
    draft = complete_draft(ProfileFactory(), channel="contribution", facts={"field": "science"})

    with pytest.raises(ValidationError) as error:
        services.application_update(
            actor=draft.applicant.owner, application=draft, facts={"nominating_body": "made-up"}
        )

    assert "nominating_body" in error.value.message_dict


def test_the_case_waits_in_verification_for_the_body_and_moves_on_with_its_answer(most, ivan):
    application = contribution_case()
    _, mei = most
    intake_done(application, ivan)
    services.application_accept(actor=ivan, application=application)
    # The criminal-record check has its result; the body has not answered yet.
    services.application_verification_completed(application=application)
    assert Application.objects.get(pk=application.pk).status == Status.VERIFYING

    nomination = services.nomination_answer(
        actor=mei, nomination=application.nomination, confirmed=True, reference="MOST-2026-17"
    )

    assert nomination.state == Nomination.State.CONFIRMED and nomination.reference == "MOST-2026-17"
    entry = AuditEntry.objects.get(action="applications.nomination_answer")
    assert entry.actor == mei and entry.after == {"state": "confirmed", "reference": "MOST-2026-17"}


def test_staff_of_another_body_do_not_see_the_nomination(most, cas, client):
    application = contribution_case()
    _, carl = cas
    nomination = application.nomination

    with pytest.raises(Http404):
        services.nomination_answer(actor=carl, nomination=nomination, confirmed=True, reference="X")
    client.force_login(carl)
    assert client.get(reverse("applications:nomination", args=[nomination.pk])).status_code == 404
    assert application.reference not in client.get(reverse("applications:nominations")).content.decode()
    nomination.refresh_from_db()
    assert nomination.state == Nomination.State.PENDING


def test_the_body_confirms_through_its_page(most, client):
    application = contribution_case()
    _, mei = most
    client.force_login(mei)
    listing = client.get(reverse("applications:nominations")).content.decode()
    assert application.reference in listing
    url = reverse("applications:nomination", args=[application.nomination.pk])

    missing = client.post(url, {"decision": "confirm", "reference": ""})
    declined_without_reason = client.post(url, {"decision": "decline", "reference": "MOST-1"})
    done = client.post(url, {"decision": "confirm", "reference": "MOST-2026-18"})

    assert missing.status_code == 200 and declined_without_reason.status_code == 200
    assert "Say why the body declines" in declined_without_reason.content.decode()
    assert done.status_code == 302
    application.nomination.refresh_from_db()
    assert application.nomination.state == Nomination.State.CONFIRMED
    with pytest.raises(TransitionConflict):
        services.nomination_answer(
            actor=mei, nomination=application.nomination, confirmed=False, reference="2", note="no"
        )


def test_the_officer_sees_the_bodys_answer_and_its_source(most, ivan, client):
    application = contribution_case()
    _, mei = most
    services.nomination_answer(
        actor=mei, nomination=application.nomination, confirmed=True, reference="MOST-2026-19"
    )
    client.force_login(ivan)

    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()

    assert "MOST-2026-19" in page and "Ministry of Science and Technology" in page

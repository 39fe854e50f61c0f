"""The multi-step operations as services, and the API that now calls the same ones as the pages:
the family members of an application, submission with its statement, an evidence answer with a file."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import services
from applications.models import (
    ApplicantProfile,
    Application,
    ApplicationDocument,
    Dependant,
    Status,
    StatusChange,
)
from residence.audit.models import AuditEntry
from tests.factories import UserFactory

from .factories import ProfileFactory, accept_and_verify, complete_draft, png_upload, submitted

pytestmark = pytest.mark.django_db

SPOUSE = {
    "family_name": "Martin",
    "given_names": "Paul",
    "sex": "M",
    "birth_date": "1982-04-02",
    "nationality": "FRA",
    "passport_number": "S12345678",
    "passport_expiry": "2035-01-01",
    "email": "paul@example.com",
    "address": "1 Tianhe Road, Guangzhou",
    "city_code": "440100",
    "relationship": "spouse",
}


def _counts():
    return (
        ApplicantProfile.objects.count(),
        Dependant.objects.count(),
        # A refusal is itself logged (the log-in, access.denied): the security log, not a change.
        AuditEntry.objects.exclude(action__startswith="auth.").exclude(action="access.denied").count(),
        StatusChange.objects.count(),
    )


# --- dependants -----------------------------------------------------------------------------------
def test_the_owner_adds_lists_and_removes_a_family_member_through_the_api(client):
    profile = ProfileFactory()
    draft = services.application_create(actor=profile.owner, profile=profile, channel="work")
    client.force_login(profile.owner)
    url = reverse("api_application_dependants", args=[draft.pk])
    response = client.post(url, SPOUSE, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["relationship"] == "spouse" and body["name"]
    dependant = Dependant.objects.get(pk=body["id"])
    # The family member's profile belongs to the principal's owner, with the province from the city.
    assert dependant.profile.owner == profile.owner and dependant.profile.province == "CN-GD"
    assert AuditEntry.objects.filter(action="applications.dependant_add").exists()
    assert [row["id"] for row in client.get(url).json()] == [dependant.pk]
    response = client.delete(reverse("api_application_dependant", args=[draft.pk, dependant.pk]))
    assert response.status_code == 204
    assert client.get(url).json() == []


def test_someone_elses_application_has_no_dependants_api(client, ivan):
    profile = ProfileFactory()
    draft = services.application_create(actor=profile.owner, profile=profile, channel="work")
    url = reverse("api_application_dependants", args=[draft.pk])
    for stranger in (UserFactory(roles=["applicant"]), ivan):
        client.force_login(stranger)
        before = _counts()
        assert client.get(url).status_code == 404
        assert client.post(url, SPOUSE, content_type="application/json").status_code == 404
        assert _counts() == before


def test_a_refused_dependant_leaves_no_profile_behind():
    # A second spouse is refused by dependant_add after the profile was made: both steps are undone.
    profile = ProfileFactory()
    draft = services.application_create(actor=profile.owner, profile=profile, channel="work")
    fields = {k: v for k, v in SPOUSE.items() if k not in ("relationship", "city_code")}
    fields |= {"province": "CN-GD", "city_code": "440100"}
    services.dependant_add_with_profile(
        actor=profile.owner, application=draft, relationship="spouse", **fields
    )
    before = _counts()
    with pytest.raises(ValidationError) as raised:
        services.dependant_add_with_profile(
            actor=profile.owner,
            application=draft,
            relationship="spouse",
            **(fields | {"passport_number": "S99999999", "given_names": "Jean"}),
        )
    assert "relationship" in raised.value.message_dict
    assert _counts() == before


def test_the_api_refuses_a_dependant_with_bad_input_and_writes_nothing(client):
    profile = ProfileFactory()
    draft = services.application_create(actor=profile.owner, profile=profile, channel="work")
    client.force_login(profile.owner)
    before = _counts()
    url = reverse("api_application_dependants", args=[draft.pk])
    response = client.post(url, SPOUSE | {"relationship": "cousin"}, content_type="application/json")
    assert response.status_code == 400
    assert "relationship" in response.json()["errors"]
    assert _counts() == before


# --- submission with its statement ----------------------------------------------------------------
def test_the_api_submits_with_the_statement_as_the_review_page_does(client):
    profile = ProfileFactory()
    draft = complete_draft(profile)
    client.force_login(profile.owner)
    response = client.post(
        reverse("api_application_submit", args=[draft.pk]),
        {"declaration": True, "applicant_statement": "I have lived in Guangzhou since 2016."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    draft = Application.objects.get(pk=draft.pk)
    assert draft.status == Status.SUBMITTED
    assert draft.applicant_statement == "I have lived in Guangzhou since 2016."


def test_a_refused_submission_keeps_the_old_statement():
    profile = ProfileFactory()
    draft = complete_draft(profile)
    before = _counts()
    with pytest.raises(ValidationError):
        services.application_submit_with_statement(
            actor=profile.owner, application=draft, declaration=False, applicant_statement="New words."
        )
    draft = Application.objects.get(pk=draft.pk)
    assert draft.status == Status.DRAFT and draft.applicant_statement == ""
    assert _counts() == before


# --- an evidence answer with a file ---------------------------------------------------------------
@pytest.fixture
def evidence_case(ivan, rita):
    profile = ProfileFactory()
    application = submitted(profile)
    accept_and_verify(application, ivan)
    application = Application.objects.get(pk=application.pk)
    services.application_request_evidence(actor=rita, application=application, message="Send the tax record.")
    return Application.objects.get(pk=application.pk)


def test_the_api_answers_evidence_with_a_file(client, evidence_case):
    client.force_login(evidence_case.applicant.owner)
    response = client.post(
        reverse("api_application_evidence", args=[evidence_case.pk]),
        {"answer": "The 2023 tax record.", "file": png_upload("tax.png")},
    )
    assert response.status_code == 200, response.content
    assert Application.objects.get(pk=evidence_case.pk).status == Status.EVIDENCE_SUBMITTED
    assert ApplicationDocument.objects.filter(
        application=evidence_case, document_type="other", original_name="tax.png"
    ).exists()


def test_a_refused_answer_keeps_no_file(evidence_case):
    before = (ApplicationDocument.objects.count(), *_counts())
    with pytest.raises(ValidationError):
        services.application_answer_evidence_with_file(
            actor=evidence_case.applicant.owner, application=evidence_case, answer="  ", file=png_upload()
        )
    assert (ApplicationDocument.objects.count(), *_counts()) == before
    assert Application.objects.get(pk=evidence_case.pk).status == Status.EVIDENCE_REQUESTED

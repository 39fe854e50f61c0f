"""Bad input gets a clear 400 (or 403/404), never a 500, and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from applications import services
from applications.models import ApplicantProfile, Application, ApplicationDocument, Status
from tests.applications.factories import intake_done

from .factories import ProfileFactory, accept_and_verify, complete_draft, pdf_bytes, png_bytes, submitted

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


PROFILE = {
    "family_name": "Okafor",
    "given_names": "Bob",
    "sex": "M",
    "birth_date": "1980-01-31",
    "nationality": "NGA",
    "passport_number": "A12345678",
    "passport_expiry": (timezone.localdate() + dt.timedelta(days=900)).isoformat(),
    "email": "bob@example.org",
    "address": "5 Jinxiu Road",
    "city_code": "510100",
}


def test_a_valid_profile_is_created(bob):
    response = client_for(bob).post("/api/profiles/", PROFILE, format="json")
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("passport_number", "12-34"),
        ("passport_number", "A1<script>"),
        ("birth_date", (timezone.localdate() + dt.timedelta(days=1)).isoformat()),
        ("passport_expiry", "2001-01-01"),
        ("nationality", "ZZZ"),
        ("city_code", "990100"),  # no such province
    ],
)
def test_an_invalid_profile_is_refused_with_the_field_named(bob, field, value):
    response = client_for(bob).post("/api/profiles/", {**PROFILE, field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not ApplicantProfile.objects.exists()


def test_a_second_active_profile_with_the_same_passport_is_refused(bob):
    client = client_for(bob)
    assert client.post("/api/profiles/", PROFILE, format="json").status_code == 201
    response = client.post("/api/profiles/", PROFILE, format="json")
    assert response.status_code == 400
    assert ApplicantProfile.objects.count() == 1


@pytest.mark.parametrize(
    ("channel", "facts"),
    [
        ("work", {"annual_salary_cny": "-1"}),
        ("investment", {"amount_usd": -500}),
        ("talent", {"hsk_level": 9}),
    ],
)
def test_negative_amounts_are_refused(channel, facts):
    profile = ProfileFactory()
    client = client_for(profile.owner)
    application = client.post(
        "/api/applications/", {"profile": profile.pk, "channel": channel}, format="json"
    ).json()
    response = client.patch(f"/api/applications/{application['id']}/", {"facts": facts}, format="json")
    assert response.status_code == 400
    assert set(facts) <= set(response.json()["errors"])
    row = getattr(Application.objects.get(pk=application["id"]), f"{channel}_facts")
    for name in facts:
        assert getattr(row, name) is None


def test_a_script_tag_in_free_text_is_stored_as_typed():
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="contribution")
    text = '<script>alert("x")</script>'
    response = client_for(profile.owner).patch(
        f"/api/applications/{application.pk}/",
        {"applicant_statement": text, "facts": {"summary": text}},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["applicant_statement"] == text
    assert Application.objects.get(pk=application.pk).contribution_facts.summary == text


def test_a_wrong_file_type_is_refused_by_content_whatever_its_name():
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    fake = SimpleUploadedFile(
        "passport.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf"
    )
    response = client_for(profile.owner).post(
        f"/api/applications/{application.pk}/documents/",
        {"document_type": "passport", "file": fake},
        format="multipart",
    )
    assert response.status_code == 400
    assert "PDF, JPEG and PNG" in response.json()["errors"]["file"][0]
    assert not ApplicationDocument.objects.exists()


def test_a_disguised_or_corrupt_file_is_refused():
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    client = client_for(profile.owner)
    for name, data in [
        ("scan.png", png_bytes()[:40]),
        ("doc.pdf", b"%PDF-1.4\n garbage"),
        ("img.jpg", b"\xff\xd8\xff" + b"0" * 50),
    ]:
        response = client.post(
            f"/api/applications/{application.pk}/documents/",
            {"document_type": "passport", "file": SimpleUploadedFile(name, data)},
            format="multipart",
        )
        assert response.status_code == 400, name
        assert "damaged" in response.json()["errors"]["file"][0]
    assert not ApplicationDocument.objects.exists()


def test_an_oversized_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    response = client_for(profile.owner).post(
        f"/api/applications/{application.pk}/documents/",
        {"document_type": "passport", "file": SimpleUploadedFile("big.pdf", pdf_bytes() + b" " * 2000)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "too large" in response.json()["errors"]["file"][0]


def test_a_reupload_keeps_the_old_version():
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    client = client_for(profile.owner)
    for _ in range(2):
        response = client.post(
            f"/api/applications/{application.pk}/documents/",
            {"document_type": "passport", "file": SimpleUploadedFile("p.pdf", pdf_bytes())},
            format="multipart",
        )
        assert response.status_code == 201
    versions = list(ApplicationDocument.objects.order_by("version").values_list("version", "superseded"))
    assert versions == [(1, True), (2, False)]


def test_another_applicants_application_is_a_404_everywhere(bob):
    application = complete_draft(ProfileFactory())
    document = application.documents.first()
    client = client_for(bob)
    for url in [
        f"/api/applications/{application.pk}/",
        f"/api/applications/{application.pk}/timeline/",
        f"/api/applications/{application.pk}/documents/",
        f"/api/documents/{document.pk}/download/",
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            f"/api/applications/{application.pk}/submit/", {"declaration": True}, format="json"
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/applications/{application.pk}/", {"applicant_statement": "x"}, format="json"
        ).status_code
        == 404
    )
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_the_owner_downloads_their_document():
    application = complete_draft(ProfileFactory())
    document = application.documents.first()
    response = client_for(application.applicant.owner).get(f"/api/documents/{document.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_an_officer_action_by_an_applicant_is_forbidden(ivan):
    application = submitted(ProfileFactory())
    response = client_for(application.applicant.owner).post(
        f"/api/applications/{application.pk}/actions/accept/", {}, format="json"
    )
    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_a_reviewer_cannot_approve_their_own_recommendation(ivan, office_tree):
    from .factories import officer

    both = officer("reviewer", office_tree["nia"], email="both@example.org")
    both.groups.add(*officer("approver", office_tree["nia"]).groups.all())
    both = type(both).objects.get(pk=both.pk)
    application = submitted(ProfileFactory())
    accept_and_verify(application, ivan)
    services.application_recommend(actor=both, application=application, recommendation="approve", reason="ok")
    # A session with a fresh second factor (force_login gives one): deciding needs it (residence/mfa).
    client = APIClient()
    client.force_login(both)
    response = client.post(f"/api/applications/{application.pk}/actions/approve/", {}, format="json")
    assert response.status_code == 403
    assert "another approver" in response.json()["detail"]
    assert Application.objects.get(pk=application.pk).status == Status.RECOMMENDED_APPROVAL


def test_a_refusal_and_a_return_need_a_reason(ivan):
    application = submitted(ProfileFactory())
    response = client_for(ivan).post(
        f"/api/applications/{application.pk}/actions/return/", {"reason": "  "}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_a_transition_from_the_wrong_state_is_a_409(ivan):
    application = submitted(ProfileFactory())
    intake_done(application, ivan)
    client = client_for(ivan)
    assert (
        client.post(f"/api/applications/{application.pk}/actions/accept/", {}, format="json").status_code
        == 200
    )
    response = client.post(f"/api/applications/{application.pk}/actions/accept/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"]


def test_an_officer_of_another_area_gets_a_404(sam):
    application = submitted(ProfileFactory())
    assert client_for(sam).get(f"/api/applications/{application.pk}/").status_code == 404
    assert (
        client_for(sam)
        .post(f"/api/applications/{application.pk}/actions/accept/", {}, format="json")
        .status_code
        == 404
    )


def test_submission_is_refused_while_a_ban_runs():
    from eligibility.models import Ban

    profile = ProfileFactory()
    application = complete_draft(profile)
    Ban.objects.create(
        passport_number=profile.passport_number,
        nationality=profile.nationality,
        birth_date=profile.birth_date,
        ground="fraud",
        until=timezone.localdate() + dt.timedelta(days=30),
        reason="False documents",
    )
    response = client_for(profile.owner).post(
        f"/api/applications/{application.pk}/submit/", {"declaration": True}, format="json"
    )
    assert response.status_code == 400
    assert "False documents" in str(response.json()["errors"])
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_submission_without_the_documents_names_what_is_missing():
    profile = ProfileFactory()
    application = complete_draft(profile)
    application.documents.filter(document_type="passport").delete()
    response = client_for(profile.owner).post(
        f"/api/applications/{application.pk}/submit/", {"declaration": True}, format="json"
    )
    assert response.status_code == 400
    assert "Passport" in str(response.json()["errors"]["documents"])


def test_a_photo_too_small_for_the_card_is_refused_at_upload_and_nothing_is_stored():
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    response = client_for(profile.owner).post(
        f"/api/applications/{application.pk}/documents/",
        {"document_type": "photo", "file": SimpleUploadedFile("me.png", png_bytes((120, 160)))},
        format="multipart",
    )
    assert response.status_code == 400
    assert "120 × 160" in response.json()["errors"]["file"][0]
    assert not ApplicationDocument.objects.exists()

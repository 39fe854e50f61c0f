"""The applicant's HTML pages: start, steps, submit, status, evidence, withdraw; and who may see what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application, ApplicationDocument, Status
from tests.applications.factories import intake_done
from tests.factories import UserFactory

from .factories import ProfileFactory, complete_draft, png_upload, submitted

pytestmark = pytest.mark.django_db


def accept_and_verify(application, intake_officer):
    """Intake accepts; the verification stage then ends as the verification app ends it when its checks have results."""
    intake_done(application, intake_officer)
    services.application_accept(actor=intake_officer, application=application)
    application.refresh_from_db()
    if application.status == Status.VERIFYING:
        services.application_verification_completed(application=application)
    application.refresh_from_db()
    return application


PROFILE_POST = {
    "family_name": "Novak",
    "given_names": "Dana",
    "chinese_name": "",
    "sex": "F",
    "birth_date": "1984-05-06",
    "nationality": "CZE",
    "passport_number": "c1234567",
    "passport_expiry": "2034-01-01",
    "email": "dana@example.org",
    "phone": "+86 138 0000 0001",
    "address": "8 Zhujiang Road",
    "province": "CN-GD",
    "city_code": "440100",
    "residence_permit_type": "work",
    "residence_permit_number": "W123",
}


@pytest.fixture
def dana(db):
    return UserFactory(email="dana@example.org", full_name="Dana Novak", roles=["applicant"])


def test_an_applicant_starts_an_application_and_the_profile_step_creates_the_draft(client, dana):
    client.force_login(dana)
    response = client.post(reverse("applications:new"), {"channel": "work"})
    assert response.status_code == 302
    assert response.url == reverse("applications:new_profile", args=["work"])
    response = client.post(response.url, PROFILE_POST | {"then": "next"})
    application = Application.objects.get(applicant__owner=dana)
    assert response.status_code == 302
    assert response.url == reverse("applications:step", args=[application.pk, "facts"])
    assert application.channel == "work"
    assert application.applicant.passport_number == "C1234567"


def test_a_birth_date_in_the_future_and_a_bad_passport_number_are_shown_next_to_their_fields(client, dana):
    client.force_login(dana)
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("applications:new_profile", args=["work"]),
        PROFILE_POST | {"birth_date": future, "passport_number": "12"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_birth_date_error"' in page
    assert 'id="id_passport_number_error"' in page
    assert 'href="#id_birth_date"' in page
    assert not Application.objects.exists()


def test_a_negative_salary_is_refused_on_the_facts_step(client):
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    client.force_login(profile.owner)
    response = client.post(
        reverse("applications:step", args=[application.pk, "facts"]),
        {"annual_salary_cny": "-5", "years-TOTAL_FORMS": "0", "years-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert 'id="id_annual_salary_cny_error"' in response.content.decode()
    application.work_facts.refresh_from_db()
    assert application.work_facts.annual_salary_cny is None


def test_the_facts_step_saves_a_draft_with_the_years_in_china(client):
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    client.force_login(profile.owner)
    response = client.post(
        reverse("applications:step", args=[application.pk, "facts"]),
        {
            "employer_name": "Pearl River Ltd",
            "annual_salary_cny": "420000",
            "years-TOTAL_FORMS": "2",
            "years-INITIAL_FORMS": "0",
            "years-0-year": "2024",
            "years-0-days": "300",
            "years-1-year": "",
            "years-1-days": "",
            "then": "draft",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("applications:detail", args=[application.pk])
    application.work_facts.refresh_from_db()
    assert application.work_facts.employer_name == "Pearl River Ltd"
    assert list(application.years_in_china.values_list("year", "days")) == [(2024, 300)]


def test_a_wrong_file_type_gets_a_clear_error_and_nothing_is_stored(client):
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    client.force_login(profile.owner)
    fake = SimpleUploadedFile("passport.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post(
        reverse("applications:step", args=[application.pk, "documents"]),
        {"prefix": "passport-0", "passport-0-document_type": "passport", "passport-0-file": fake},
    )
    assert response.status_code == 200
    assert "Only PDF, JPEG and PNG files are accepted" in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_an_oversized_file_is_refused(client, settings):
    settings.UPLOAD_MAX_BYTES = 50
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    client.force_login(profile.owner)
    response = client.post(
        reverse("applications:step", args=[application.pk, "documents"]),
        {"prefix": "passport-0", "passport-0-document_type": "passport", "passport-0-file": png_upload()},
    )
    assert "too large" in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_a_re_upload_keeps_the_earlier_version_listed(client):
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    client.force_login(profile.owner)
    url = reverse("applications:step", args=[application.pk, "documents"])
    for _ in range(2):
        client.post(
            url,
            {"prefix": "passport-0", "passport-0-document_type": "passport", "passport-0-file": png_upload()},
        )
    page = client.get(url).content.decode()
    assert "Version 2" in page
    assert "Earlier versions" in page
    assert ApplicationDocument.objects.filter(document_type="passport").count() == 2


def test_submitting_without_the_declaration_is_refused_and_with_it_the_case_is_submitted(client):
    profile = ProfileFactory()
    application = complete_draft(profile)
    client.force_login(profile.owner)
    url = reverse("applications:step", args=[application.pk, "review"])
    response = client.post(url, {"statement": ""})
    assert response.status_code == 200
    assert "Tick the declaration" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT

    response = client.post(url, {"statement": "Thank you.", "declaration": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Eligibility result" in page
    assert "Verification checks" in page or "Checks with other agencies" in page
    assert "Expected decision by" in page


def test_submitting_an_incomplete_draft_lists_the_problems_with_links_to_their_steps(client):
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    client.force_login(profile.owner)
    response = client.post(
        reverse("applications:step", args=[application.pk, "review"]), {"declaration": "on"}
    )
    page = response.content.decode()
    assert "Before you can submit" in page
    assert reverse("applications:step", args=[application.pk, "facts"]) in page
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_another_applicants_application_is_a_404_on_every_applicant_page(client, bob):
    application = complete_draft(ProfileFactory())
    client.force_login(bob)
    for url in (
        reverse("applications:detail", args=[application.pk]),
        reverse("applications:step", args=[application.pk, "facts"]),
        reverse("applications:withdraw", args=[application.pk]),
        reverse("applications:evidence", args=[application.pk]),
    ):
        assert client.get(url).status_code == 404, url
    document = application.documents.first()
    assert client.get(reverse("applications:document", args=[application.pk, document.pk])).status_code == 404
    assert client.post(reverse("applications:withdraw", args=[application.pk])).status_code == 404
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_the_owner_sees_an_image_document_inline_under_a_sandbox(client):
    profile = ProfileFactory()
    application = complete_draft(profile)
    document = application.documents.first()
    client.force_login(profile.owner)
    response = client.get(reverse("applications:document", args=[application.pk, document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Content-Type"] == "image/png"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_a_script_tag_in_free_text_is_shown_escaped(client):
    profile = ProfileFactory(address="<script>alert(1)</script>")
    application = complete_draft(profile)
    services.application_update(actor=profile.owner, application=application, applicant_statement="<b>x</b>")
    client.force_login(profile.owner)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_applicant_answers_an_evidence_request_with_a_file(client, ivan, rita):
    profile = ProfileFactory()
    application = submitted(profile)
    accept_and_verify(application, ivan)
    services.application_request_evidence(
        actor=rita, application=application, message="Send <i>tax</i> records"
    )
    client.force_login(profile.owner)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Send &lt;i&gt;tax&lt;/i&gt; records" in page
    response = client.post(
        reverse("applications:evidence", args=[application.pk]),
        {"answer": "Attached.", "files": png_upload()},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.EVIDENCE_SUBMITTED
    assert application.documents.filter(document_type="other").exists()


def test_withdrawing_asks_for_confirmation_then_withdraws(client):
    profile = ProfileFactory()
    application = submitted(profile)
    client.force_login(profile.owner)
    url = reverse("applications:withdraw", args=[application.pk])
    assert "Yes, withdraw it" in client.get(url).content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    response = client.post(url, {"reason": "Changed plans"})
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == Status.WITHDRAWN


def test_the_home_page_lists_the_applications_and_the_unread_count(client):
    profile = ProfileFactory()
    application = submitted(profile)
    client.force_login(profile.owner)
    page = client.get(reverse("home")).content.decode()
    assert application.reference in page
    assert "Notifications (1 unread)" in page
    inbox = client.get(reverse("applications:inbox")).content.decode()
    assert "was submitted" in inbox
    client.post(reverse("applications:inbox_read_all"))
    assert "Notifications (0 unread)" in client.get(reverse("home")).content.decode()


def test_an_intermediary_acts_only_for_applicants_who_authorised_them(client, bob):
    agent = UserFactory(email="agent@example.org", roles=["intermediary"])
    profile = ProfileFactory()
    application = complete_draft(profile)
    client.force_login(agent)
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404

    services.authorisation_grant(actor=profile.owner, intermediary_email="agent@example.org")
    page = client.get(reverse("applications:clients")).content.decode()
    assert application.reference in page
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 200
    # Starting an application for someone who did not authorise them is a 404.
    assert client.get(reverse("applications:new") + f"?for={bob.pk}").status_code == 404


def test_an_applicant_authorises_and_revokes_an_intermediary_by_email(client, alice):
    agent = UserFactory(email="agent@example.org", full_name="Agent Smith", roles=["intermediary"])
    client.force_login(alice)
    response = client.post(reverse("applications:authorisations"), {"email": "nobody@example.org"})
    assert "No intermediary is registered" in response.content.decode()
    client.post(reverse("applications:authorisations"), {"email": "agent@example.org"})
    authorisation = alice.authorisations_given.get()
    assert authorisation.intermediary == agent
    client.post(reverse("applications:authorisation_revoke", args=[authorisation.pk]))
    authorisation.refresh_from_db()
    assert authorisation.revoked_at is not None


def test_a_child_is_added_as_a_dependant_and_removed_again(client):
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    client.force_login(profile.owner)
    url = reverse("applications:step", args=[application.pk, "dependants"])
    assert client.get(url).status_code == 200
    child = PROFILE_POST | {"given_names": "Tom", "birth_date": "2016-01-01", "passport_number": "C7654321"}
    response = client.post(url, child | {"relationship": "child", "unmarried": "on"})
    assert response.status_code == 302
    dependant = application.dependants.get()
    assert dependant.profile.given_names == "Tom"
    documents_page = client.get(
        reverse("applications:step", args=[application.pk, "documents"])
    ).content.decode()
    assert "NOVAK Tom" in documents_page
    client.post(reverse("applications:dependant_remove", args=[application.pk, dependant.pk]))
    assert not application.dependants.exists()


def test_an_adult_cannot_be_added_as_a_child(client):
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    client.force_login(profile.owner)
    url = reverse("applications:step", args=[application.pk, "dependants"])
    adult = PROFILE_POST | {"birth_date": "1990-01-01", "passport_number": "C7654322"}
    response = client.post(url, adult | {"relationship": "child", "unmarried": "on"})
    assert response.status_code == 200
    assert "under 18" in response.content.decode()
    assert not application.dependants.exists()


def test_a_forged_inbox_cursor_starts_again_from_the_first_page(client, alice):
    client.force_login(alice)
    response = client.get(reverse("applications:inbox"), {"cursor": "forged"})
    assert response.status_code == 302
    assert response.url == reverse("applications:inbox")

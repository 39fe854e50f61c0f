"""The green channel (R7/R14) is known while drafting: checklist, upload choices and deadline from the first page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationDocument, Status
from residence.audit.models import AuditEntry
from tests.eligibility.factories import TalentProgramFactory
from tests.factories import UserFactory

from .factories import png_upload
from .test_views_applicant import PROFILE_POST

pytestmark = pytest.mark.django_db

GREEN_DOCUMENTS = ["passport", "photo", "talent_program_certificate", "employer_recommendation"]

TALENT_POST = {
    "talent_program_code": "nkp-2020",
    "talent_program_approval_ref": "NKP-2020-0042",
    "talent_visa_number": "",
    "employer_name": "Pearl River Institute",
    "work_province": "CN-GD",
    "annual_salary_cny": "",
    "annual_income_tax_cny": "",
    "education": "",
    "experience_years": "",
    "hsk_level": "",
    "years-TOTAL_FORMS": "0",
    "years-INITIAL_FORMS": "0",
}


@pytest.fixture
def erin(db):
    return UserFactory(email="dana@example.org", full_name="Erin Novak", roles=["applicant"])


def _start_talent_draft(client, user) -> Application:
    client.force_login(user)
    client.post(reverse("applications:new_profile", args=["talent"]), PROFILE_POST | {"then": "next"})
    application = Application.objects.get(applicant__owner=user)
    response = client.post(reverse("applications:step", args=[application.pk, "facts"]), TALENT_POST)
    assert response.status_code == 302, response.content.decode()[:2000]
    return application


def _upload(client, application, code):
    prefix = f"{code}-0"
    return client.post(
        reverse("applications:step", args=[application.pk, "documents"]),
        {"prefix": prefix, f"{prefix}-document_type": code, f"{prefix}-file": png_upload(f"{code}.png")},
    )


def _checklist(page: str) -> list[str]:
    return re.findall(r'name="[\w-]+-document_type" value="([\w-]+)"', page)


def test_a_registered_programme_member_walks_draft_facts_upload_submit_on_the_green_route(client, erin):
    TalentProgramFactory(code="nkp-2020")
    application = _start_talent_draft(client, erin)

    page = client.get(reverse("applications:step", args=[application.pk, "documents"])).content.decode()
    assert _checklist(page) == GREEN_DOCUMENTS
    assert "Green channel" in page
    for code in GREEN_DOCUMENTS:
        response = _upload(client, application, code)
        assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(ApplicationDocument.objects.values_list("document_type", flat=True)) == sorted(
        GREEN_DOCUMENTS
    )

    response = client.post(
        reverse("applications:step", args=[application.pk, "review"]), {"statement": "", "declaration": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.green_channel is True
    assert application.stage_deadline_days == {"intake": 2, "verification": 20, "review": 20, "approval": 20}


def test_the_draft_shows_the_green_deadline_before_submission(client, erin):
    TalentProgramFactory(code="nkp-2020")
    application = _start_talent_draft(client, erin)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Green channel" in page
    # 2 + 20 + 20 + 20 days: the green deadlines, not the standard 185.
    assert "62 days" in page


def test_an_unregistered_programme_code_keeps_the_standard_checklist_and_refuses_the_certificate(
    client, erin
):
    application = _start_talent_draft(client, erin)
    page = client.get(reverse("applications:step", args=[application.pk, "documents"])).content.decode()
    assert "talent_program_certificate" not in _checklist(page)
    assert "health_certificate" in _checklist(page)
    audit_before = AuditEntry.objects.count()
    response = _upload(client, application, "talent_program_certificate")
    assert response.status_code == 200
    assert "Choose one of the document types this application asks for" in response.content.decode()
    assert not ApplicationDocument.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    application.refresh_from_db()
    assert application.green_channel is False

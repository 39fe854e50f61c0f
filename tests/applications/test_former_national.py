"""A former Chinese national is asked for proof of former nationality, not for a sponsor or kinship documents."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application, ApplicationDocument, Status
from residence.audit.models import AuditEntry

from .factories import ProfileFactory, png_upload

pytestmark = pytest.mark.django_db


def _family_draft(client, relationship: str) -> Application:
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="family")
    year = timezone.localdate().year
    services.application_update(
        actor=profile.owner,
        application=application,
        facts={"relationship": relationship, "marital_status": "married"},
        years_in_china=[(year - i, 300) for i in range(1, 6)],
    )
    client.force_login(profile.owner)
    return application


def _checklist(client, application) -> list[str]:
    page = client.get(reverse("applications:step", args=[application.pk, "documents"])).content.decode()
    return re.findall(r'name="[\w-]+-document_type" value="([\w-]+)"', page)


def test_a_former_national_is_asked_for_proof_of_former_nationality_and_no_sponsor_documents(client):
    application = _family_draft(client, "former_national")
    checklist = _checklist(client, application)
    assert "former_nationality_proof" in checklist
    assert "sponsor_identity" not in checklist
    assert "kinship_certificate" not in checklist


def test_a_former_national_submits_without_a_sponsor(client):
    application = _family_draft(client, "former_national")
    for code in _checklist(client, application):
        prefix = f"{code}-0"
        response = client.post(
            reverse("applications:step", args=[application.pk, "documents"]),
            {"prefix": prefix, f"{prefix}-document_type": code, f"{prefix}-file": png_upload()},
        )
        assert response.status_code == 302
    response = client.post(
        reverse("applications:step", args=[application.pk, "review"]), {"statement": "", "declaration": "on"}
    )
    assert response.status_code == 302, response.content.decode()[-4000:]
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_a_spouse_is_still_asked_for_the_sponsor_and_kinship_documents(client):
    application = _family_draft(client, "spouse")
    checklist = _checklist(client, application)
    assert {"sponsor_identity", "kinship_certificate"} <= set(checklist)
    assert "former_nationality_proof" not in checklist
    audits = AuditEntry.objects.count()
    prefix = "former_nationality_proof-0"
    response = client.post(
        reverse("applications:step", args=[application.pk, "documents"]),
        {
            "prefix": prefix,
            f"{prefix}-document_type": "former_nationality_proof",
            f"{prefix}-file": png_upload(),
        },
    )
    assert "Choose one of the document types this application asks for" in response.content.decode()
    assert not ApplicationDocument.objects.exists()
    assert AuditEntry.objects.count() == audits
    errors = application.family_facts.completeness_errors()
    assert "sponsor_kind" in errors and "sponsor_id_number" in errors

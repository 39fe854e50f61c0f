"""A dependant's own documents (passport, photo) are required before submission, and named when missing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from applications import services
from applications.models import Application, Status, StatusChange
from residence.audit.models import AuditEntry

from .factories import ProfileFactory, complete_draft, png_upload
from .test_views_applicant import PROFILE_POST

pytestmark = pytest.mark.django_db


def _draft_with_child(client):
    profile = ProfileFactory()
    application = complete_draft(profile)
    client.force_login(profile.owner)
    child = PROFILE_POST | {"given_names": "Tom", "birth_date": "2016-01-01", "passport_number": "C7654321"}
    response = client.post(
        reverse("applications:step", args=[application.pk, "dependants"]),
        child | {"relationship": "child", "unmarried": "on"},
    )
    assert response.status_code == 302
    return application, application.dependants.get()


def test_a_childs_missing_passport_and_photo_block_submission_and_are_named(client):
    application, _child = _draft_with_child(client)
    changes, audits = StatusChange.objects.count(), AuditEntry.objects.count()
    response = client.post(
        reverse("applications:step", args=[application.pk, "review"]), {"statement": "", "declaration": "on"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Passport (NOVAK Tom)" in page
    assert "Recent photograph (NOVAK Tom)" in page
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT
    assert StatusChange.objects.count() == changes
    assert AuditEntry.objects.count() == audits


def test_the_missing_documents_are_listed_with_the_chinese_enumeration_comma(client):
    application, _child = _draft_with_child(client)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        services.application_submit(
            actor=application.applicant.owner, application=application, declaration=True
        )
    text = " ".join(raised.value.message_dict["documents"])
    assert "护照（NOVAK Tom）、近期证件照片（NOVAK Tom）" in text
    assert ", " not in text


def test_with_the_childs_documents_uploaded_the_application_is_submitted(client):
    application, child = _draft_with_child(client)
    url = reverse("applications:step", args=[application.pk, "documents"])
    for code in ("passport", "photo"):
        prefix = f"{code}-{child.pk}"
        response = client.post(
            url,
            {
                "prefix": prefix,
                f"{prefix}-document_type": code,
                f"{prefix}-dependant": child.pk,
                f"{prefix}-file": png_upload(),
            },
        )
        assert response.status_code == 302
    response = client.post(
        reverse("applications:step", args=[application.pk, "review"]), {"statement": "", "declaration": "on"}
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED

"""The documents step: every upload on one page, each posted without reloading it (htmx), the same
forms working without JavaScript, and the photo's rules shown before the first attempt (issue 12)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import ApplicationDocument

from .factories import WORK_FACTS, ProfileFactory, png_bytes

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft(client):
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    services.application_update(
        actor=profile.owner,
        application=application,
        facts=WORK_FACTS,
        years_in_china=[(timezone.localdate().year - i, 300) for i in range(1, 6)],
    )
    client.force_login(profile.owner)
    return application


def _url(application) -> str:
    return reverse("applications:step", args=[application.pk, "documents"])


def _section(page: str, code: str) -> str:
    match = re.search(rf'<section class="panel document-slot" id="slot-{code}-0".*?</section>', page, re.S)
    assert match, f"no section for {code}"
    return match.group(0)


def _post(client, application, code: str, content: bytes, name: str = "scan.png", **headers):
    prefix = f"{code}-0"
    return client.post(
        _url(application),
        {
            "prefix": prefix,
            f"{prefix}-document_type": code,
            f"{prefix}-dependant": "",
            f"{prefix}-file": SimpleUploadedFile(name, content, content_type="image/png"),
        },
        **headers,
    )


def test_the_photo_rules_are_shown_before_the_first_attempt(client, draft):
    page = client.get(_url(draft)).content.decode()
    photo = _section(page, "photo")
    assert "at least 300 × 370 pixels" in photo and "JPEG or PNG" in photo and "10 MB" in photo
    assert 'accept=".jpg,.jpeg,.png,image/jpeg,image/png"' in photo
    assert "up to 10 MB" in _section(page, "passport")


def test_an_upload_through_htmx_answers_with_its_section_only(client, draft):
    response = _post(client, draft, "passport", png_bytes(), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<nav" not in html
    section = _section(html, "passport")
    assert 'class="badge ok"' in section and "The document is uploaded." in section
    # The count at the top is replaced beside it.
    assert re.search(r'id="documents-progress"[^>]*hx-swap-oob="true"', html)
    assert "1 of" in html
    assert ApplicationDocument.objects.filter(application=draft, document_type="passport").count() == 1


def test_a_refused_photo_through_htmx_shows_its_error_in_its_section_and_stores_nothing(client, draft):
    response = _post(client, draft, "photo", png_bytes((40, 40)), **HTMX)
    assert response.status_code == 200
    section = _section(response.content.decode(), "photo")
    assert "40 × 40" in section and 'class="field-error"' in section
    assert not ApplicationDocument.objects.filter(application=draft).exists()


def test_without_javascript_the_same_form_posts_and_the_page_reloads(client, draft):
    page = client.get(_url(draft)).content.decode()
    form = re.search(r"<form[^>]*>", _section(page, "passport")).group(0)
    assert f'action="{_url(draft)}"' in form and 'enctype="multipart/form-data"' in form
    assert f'hx-post="{_url(draft)}"' in form
    response = _post(client, draft, "passport", png_bytes())
    assert response.status_code == 302 and response.url == _url(draft)
    page = client.get(_url(draft)).content.decode()
    assert "The document is uploaded." in page
    assert 'class="badge ok"' in _section(page, "passport")


def test_the_documents_page_has_no_inline_script(client, draft):
    page = client.get(_url(draft)).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "an inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", page), "an on*= attribute"

"""Issue 19, item 2: the hostile files the probe uploaded are refused with a clear reason, or made harmless.

Every refusal goes through the API as the applicant would send it and asserts that nothing was stored
and nothing audited; what is accepted is stored re-encoded and served so that a browser runs nothing.
"""

from __future__ import annotations

import io
import resource

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from rest_framework.test import APIClient

from applications import services
from applications.models import ApplicationDocument, Status
from applications.uploads import check_upload
from residence.audit.models import AuditEntry

from . import hostile_files
from .factories import ProfileFactory, complete_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    profile = ProfileFactory()
    return services.application_create(actor=profile.owner, profile=profile, channel="work")


def upload(application, data: bytes, *, name: str, document_type: str = "passport"):
    client = APIClient()
    client.force_authenticate(application.applicant.owner)
    return client.post(
        f"/api/applications/{application.pk}/documents/",
        {"document_type": document_type, "file": SimpleUploadedFile(name, data)},
        format="multipart",
    )


def assert_refused(response, fragment: str) -> None:
    assert response.status_code == 400, response.content
    message = response.json()["errors"]["file"][0]
    assert fragment in message, message
    assert not ApplicationDocument.objects.exists()
    assert not AuditEntry.objects.filter(action="applications.document_upload").exists()


def test_a_png_claiming_13000_by_13000_pixels_is_refused_from_its_header_without_decoding(draft):
    bomb = hostile_files.png_pixel_bomb()
    assert len(bomb) < 600 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    response = upload(draft, bomb, name="scan.png")
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert_refused(response, "13000 × 13000 pixels")
    # Decoding would take 169 MB for the pixels alone.
    assert grown_kib < 60 * 1024


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (hostile_files.pdf_open_action_javascript, "JavaScript"),
        (hostile_files.pdf_open_action_javascript_name_escaped, "JavaScript"),
        (hostile_files.pdf_launch_action, "starts a program"),
        (hostile_files.pdf_embedded_file, "embedded files"),
    ],
    ids=["open-action-javascript", "javascript-with-escaped-names", "launch-action", "embedded-file"],
)
def test_a_pdf_with_active_content_is_refused(draft, make, fragment):
    assert_refused(upload(draft, make(), name="passport.pdf"), fragment)


def test_a_pdf_that_is_also_a_web_page_is_refused(draft):
    assert_refused(upload(draft, hostile_files.pdf_html_polyglot(), name="passport.pdf"), "web page code")


def test_a_jpeg_with_a_web_page_appended_is_refused(draft):
    assert_refused(upload(draft, hostile_files.jpeg_with_html_appended(), name="me.jpg"), "web page code")


def test_a_pdf_whose_stream_inflates_to_200_mib_is_refused(draft):
    bomb = hostile_files.pdf_deflate_bomb(200)
    assert len(bomb) < 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    response = upload(draft, bomb, name="passport.pdf")
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert_refused(response, "The PDF expands to more than 100.0")
    assert grown_kib < 60 * 1024


def test_the_refusals_are_explained_in_chinese_too(draft):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        check_upload(hostile_files.pdf_open_action_javascript())
    message = refused.value.message_dict["file"][0]
    assert "JavaScript" in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


def test_a_plain_pdf_is_still_accepted_as_it_was_sent(draft):
    data = hostile_files.plain_pdf()
    response = upload(draft, data, name="passport.pdf")
    assert response.status_code == 201, response.content
    document = ApplicationDocument.objects.get()
    assert document.file.open("rb").read() == data


def test_an_image_is_stored_re_encoded_without_trailing_bytes_or_metadata(draft):
    sent = hostile_files.jpeg_bytes(exif_gps=True) + b"\x00trailing-bytes-after-the-image"
    response = upload(draft, sent, name="passport.jpg")
    assert response.status_code == 201, response.content
    document = ApplicationDocument.objects.get()
    stored = document.file.open("rb").read()
    assert b"trailing-bytes" not in stored
    assert b"SpyCam" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (360, 450)
        assert not image.getexif()
    assert document.size == len(stored)


def test_the_photo_checks_the_same_way(draft):
    response = upload(draft, hostile_files.jpeg_with_html_appended(), name="me.jpg", document_type="photo")
    assert_refused(response, "web page code")


def test_an_evidence_answer_goes_through_the_same_checks():
    from .factories import submitted

    application = submitted(ProfileFactory())
    # The state an evidence request leaves the case in; the request itself is tested elsewhere.
    type(application).objects.filter(pk=application.pk).update(status=Status.EVIDENCE_REQUESTED)
    count = ApplicationDocument.objects.count()
    response = upload(application, hostile_files.pdf_open_action_javascript(), name="answer.pdf")
    assert response.status_code == 400
    assert "JavaScript" in response.json()["errors"]["file"][0]
    assert ApplicationDocument.objects.count() == count


# --- serving -------------------------------------------------------------------------------------
def test_a_pdf_is_served_as_an_attachment_under_a_sandbox(client):
    profile = ProfileFactory()
    application = complete_draft(profile)
    document = services.document_upload(
        actor=profile.owner,
        application=application,
        document_type="passport",
        file=SimpleUploadedFile("p.pdf", hostile_files.plain_pdf()),
    )
    client.force_login(profile.owner)
    for url in (
        reverse("applications:document", args=[application.pk, document.pk]),
        f"/api/documents/{document.pk}/download/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment;"), url
        assert response["Content-Security-Policy"].startswith("sandbox"), url
        assert response["X-Content-Type-Options"] == "nosniff", url


def test_an_image_is_shown_inline_only_under_a_sandbox(client):
    profile = ProfileFactory()
    application = complete_draft(profile)
    document = application.documents.first()
    client.force_login(profile.owner)
    response = client.get(reverse("applications:document", args=[application.pk, document.pk]))
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"

"""Documents with the lodging, and evidence requests with the deadline paused while they are open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import FAR_FUTURE, Notification, Status
from reconsideration.models import Reconsideration, ReconsiderationDocument, ReconsiderationEvidenceRequest
from reconsideration.services import (
    reconsideration_answer_evidence,
    reconsideration_lodge,
    reconsideration_request_evidence,
)
from residence.audit.models import AuditEntry
from residence.core.models import OutboxMessage
from tests.applications.factories import pdf_bytes, png_upload
from tests.cards.factories import approved_application, profile_for
from tests.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db
EMAIL_TASK = "residence.core.tasks.send_email_task"


def pdf_upload(name="letter.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


@pytest.fixture
def refused(holder):
    application = approved_application(profile_for(holder), status=Status.REFUSED)
    application.decided_by = UserFactory(roles=["approver"], office=application.office)
    application.decided_at = timezone.now()
    application.save()
    return application


@pytest.fixture
def national_approver(db):
    return UserFactory(roles=["approver"], office=OfficeFactory())


@pytest.fixture
def case(refused, holder, national_approver):
    return reconsideration_lodge(
        actor=holder, application=refused, grounds="My salary was misread.", files=[pdf_upload()]
    )


def _state():
    return (
        AuditEntry.objects.count(),
        ReconsiderationDocument.objects.count(),
        ReconsiderationEvidenceRequest.objects.count(),
        Notification.objects.count(),
        list(Reconsideration.objects.values_list("deadline", "paused_remaining")),
    )


def test_lodging_stores_the_checked_files_privately(case):
    (doc,) = case.documents.all()
    assert doc.content_type == "application/pdf" and doc.original_name == "letter.pdf"
    assert doc.file.name.startswith(f"reconsideration/{case.pk}/") and "letter" not in doc.file.name
    entry = AuditEntry.objects.filter(action="reconsideration.lodge").latest("id")
    assert entry.after["documents"][0]["sha256"] == doc.sha256


def test_a_file_of_no_allowed_type_refuses_the_lodging(refused, holder):
    bad = SimpleUploadedFile(
        "cv.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    before = (Reconsideration.objects.count(), _state())
    with pytest.raises(ValidationError) as error:
        reconsideration_lodge(actor=holder, application=refused, grounds="Wrong.", files=[pdf_upload(), bad])
    assert "cv.pdf" in " ".join(error.value.message_dict["files"])
    assert (Reconsideration.objects.count(), _state()) == before


def test_too_many_files_are_refused(refused, holder):
    with pytest.raises(ValidationError):
        reconsideration_lodge(
            actor=holder, application=refused, grounds="Wrong.", files=[png_upload() for _ in range(6)]
        )
    assert not Reconsideration.objects.exists()


def test_the_request_pauses_the_clock_and_the_answer_resumes_it(case, holder, national_approver, settings):
    left = case.deadline - timezone.now()
    request = reconsideration_request_evidence(
        actor=national_approver, case=case, message="Send your 2025 payslips."
    )
    case.refresh_from_db()
    assert case.deadline == FAR_FUTURE and abs(case.paused_remaining - left) < dt.timedelta(seconds=5)
    (notice,) = Notification.objects.filter(recipient=holder)
    assert notice.status == "rc_evidence_requested" and notice.link_path.endswith(f"/{case.pk}/")
    assert any(holder.email in m.kwargs["to"] for m in OutboxMessage.objects.filter(task=EMAIL_TASK))
    assert AuditEntry.objects.filter(action="reconsideration.request_evidence", reason__contains="payslips")

    reconsideration_answer_evidence(
        actor=holder, case=case, answer="Attached.", files=[png_upload("slip.png")]
    )
    case.refresh_from_db()
    request.refresh_from_db()
    assert request.answered_by == holder and request.answer == "Attached."
    assert case.paused_remaining is None
    assert abs((case.deadline - timezone.now()) - left) < dt.timedelta(seconds=5)
    (doc,) = request.documents.all()
    assert doc.content_type == "image/png" and doc.reconsideration_id == case.pk
    assert AuditEntry.objects.filter(action="reconsideration.answer_evidence").exists()


def test_answering_when_nothing_is_requested_changes_nothing(case, holder):
    before = _state()
    with pytest.raises(ValidationError, match="No evidence is requested"):
        reconsideration_answer_evidence(actor=holder, case=case, answer="Here.", files=[png_upload()])
    assert _state() == before


def test_someone_else_cannot_answer_or_ask(case, national_approver):
    reconsideration_request_evidence(actor=national_approver, case=case, message="Payslips.")
    stranger = UserFactory(roles=["applicant"])
    reviewer = UserFactory(roles=["reviewer"], office=OfficeFactory())
    before = _state()
    with pytest.raises(Http404):
        reconsideration_answer_evidence(actor=stranger, case=case, answer="Mine.")
    with pytest.raises(PermissionDenied):
        reconsideration_request_evidence(actor=reviewer, case=case, message="More.")
    assert _state() == before


def test_a_second_request_waits_for_the_first_answer(case, national_approver):
    reconsideration_request_evidence(actor=national_approver, case=case, message="Payslips.")
    before = _state()
    with pytest.raises(ValidationError, match="already requested"):
        reconsideration_request_evidence(actor=national_approver, case=case, message="More.")
    assert _state() == before


def test_no_decision_while_the_evidence_asked_for_is_awaited(case, national_approver):
    from reconsideration.services import reconsideration_decide

    reconsideration_request_evidence(actor=national_approver, case=case, message="Payslips.")
    before = _state()
    with pytest.raises(ValidationError, match="evidence"):
        reconsideration_decide(actor=national_approver, case=case, outcome="upheld", reason="Upheld.")
    assert _state() == before
    assert Reconsideration.objects.get(pk=case.pk).state == Reconsideration.State.LODGED


def test_a_bad_file_in_the_answer_leaves_the_request_open(case, holder, national_approver):
    reconsideration_request_evidence(actor=national_approver, case=case, message="Payslips.")
    before = _state()
    bad = SimpleUploadedFile("slip.exe", b"MZ\x90\x00 not a document", content_type="image/png")
    with pytest.raises(ValidationError):
        reconsideration_answer_evidence(actor=holder, case=case, answer="Here.", files=[bad])
    assert _state() == before


def test_the_files_are_served_only_to_the_person_and_the_deciding_office(case, holder, national_approver):
    doc = case.documents.get()
    url = reverse("reconsideration:document", kwargs={"pk": case.pk, "document_pk": doc.pk})
    client = Client()
    for user, code in [(holder, 200), (national_approver, 200), (UserFactory(roles=["applicant"]), 404)]:
        client.force_login(user)
        assert client.get(url).status_code == code


def test_the_pages_refuse_an_answer_from_someone_else_and_show_a_bad_file(case, holder, national_approver):
    reconsideration_request_evidence(actor=national_approver, case=case, message="Payslips.")
    url = reverse("reconsideration:detail", kwargs={"pk": case.pk})
    client = Client()
    client.force_login(UserFactory(roles=["applicant"]))
    assert client.post(url, {"action": "answer", "answer": "Mine."}).status_code == 404
    client.force_login(holder)
    bad = SimpleUploadedFile("slip.png", b"GIF89a not allowed", content_type="image/png")
    response = client.post(url, {"action": "answer", "answer": "Here.", "files": [bad]})
    assert response.status_code == 200 and "slip.png" in response.content.decode()
    assert case.evidence_requests.get().answered_at is None
    response = client.post(url, {"action": "answer", "answer": "Here.", "files": [png_upload()]})
    assert response.status_code == 302 and case.evidence_requests.get().answered_at is not None

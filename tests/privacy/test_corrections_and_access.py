"""Correction requests answered by the person's office; staff reads of a case logged, shown by office."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from privacy import services
from privacy.models import CaseAccess, CorrectionRequest
from residence.audit.models import AuditEntry
from tests.applications.factories import submitted

pytestmark = pytest.mark.django_db


def test_a_correction_request_is_seen_and_answered_by_an_officer_of_the_area_only(
    world, client, django_capture_on_commit_callbacks
):
    application = submitted(world["profile"])
    client.force_login(world["alice"])
    response = client.post(
        reverse("privacy:correction_new"),
        {"application": application.pk, "what": "Date of birth", "correction": "It is 2 May 1985."},
    )
    assert response.status_code == 302
    request = CorrectionRequest.objects.get()
    assert (request.province, request.city_code) == ("CN-GD", "440100")

    client.force_login(world["sc_reviewer"])
    assert "Date of birth" not in client.get(reverse("privacy:corrections")).content.decode()
    assert (
        client.post(
            reverse("privacy:correction_answer", args=[request.pk]),
            {"outcome": "corrected", "answer": "Done."},
        ).status_code
        == 404
    )
    assert CorrectionRequest.objects.get().status == "open"

    client.force_login(world["gz_intake"])
    assert "Date of birth" in client.get(reverse("privacy:corrections")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("privacy:correction_answer", args=[request.pk]),
            {"outcome": "corrected", "answer": "Corrected from your passport."},
        )
    request.refresh_from_db()
    assert request.status == "corrected" and request.answered_by == world["gz_intake"]
    entry = AuditEntry.objects.get(action="privacy.correction_answer")
    assert entry.after == {"status": "corrected"} and entry.actor == world["gz_intake"]
    assert mail.outbox[-1].to == ["alice@example.org"]


def test_an_empty_correction_request_is_refused_with_a_message_and_stores_nothing(world, client):
    client.force_login(world["alice"])
    response = client.post(reverse("privacy:correction_new"), {"what": "  ", "correction": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_staff_reads_are_logged_once_per_hour_and_the_person_sees_the_office_not_the_officer(world, client):
    application = submitted(world["profile"])
    document = application.documents.first()
    client.force_login(world["gz_intake"])
    for _ in range(3):
        assert client.get(reverse("applications:case", args=[application.pk])).status_code == 200
    assert client.get(reverse("applications:document", args=[application.pk, document.pk])).status_code == 200
    assert client.get(f"/api/documents/{document.pk}/download/").status_code == 200
    assert CaseAccess.objects.count() == 1
    access = CaseAccess.objects.get()
    assert (access.user, access.office.code, access.first_view) == (
        world["gz_intake"],
        "gd-gz",
        "applications:case",
    )

    # An officer of another province gets a 404 and leaves no trace of a read.
    client.force_login(world["sc_reviewer"])
    assert client.get(reverse("applications:case", args=[application.pk])).status_code == 404
    # The applicant's own reads are not "someone looking".
    client.force_login(world["alice"])
    client.get(reverse("applications:document", args=[application.pk, document.pk]))
    assert CaseAccess.objects.count() == 1

    page = client.get(reverse("privacy:mine")).content.decode()
    assert "Guangzhou" in page and application.reference in page
    assert "gz-intake@example.org" not in page

    client.force_login(world["gd_approver"])
    officers_page = client.get(reverse("privacy:case", args=[application.pk])).content.decode()
    assert "gz-intake@example.org" in officers_page


def test_a_new_hour_makes_a_new_row(world):
    application = submitted(world["profile"])
    now = timezone.now()
    assert services.case_access_record(
        user=world["gz_intake"], application_id=application.pk, view_name="x", now=now
    )
    assert not services.case_access_record(
        user=world["gz_intake"], application_id=application.pk, view_name="x", now=now
    )
    later = now + dt.timedelta(hours=1)
    assert services.case_access_record(
        user=world["gz_intake"], application_id=application.pk, view_name="x", now=later
    )
    assert CaseAccess.objects.count() == 2


def test_a_legal_hold_is_placed_and_released_by_a_supervisor_of_the_area_with_a_reason(world, client):
    application = submitted(world["profile"])
    url = reverse("privacy:hold_place", args=[application.pk])
    client.force_login(world["sc_approver"])
    assert client.post(url, {"reason": "Litigation."}).status_code == 404
    client.force_login(world["gz_intake"])
    client.post(url, {"reason": "Litigation."})
    assert not application.legal_holds.exists()  # intake officers do not place holds

    client.force_login(world["gd_approver"])
    client.post(url, {"reason": ""})
    assert not application.legal_holds.exists()
    client.post(url, {"reason": "Administrative litigation filed on 1 March."})
    hold = application.legal_holds.get()
    assert (
        AuditEntry.objects.get(action="privacy.legal_hold_place").reason
        == "Administrative litigation filed on 1 March."
    )
    client.post(reverse("privacy:hold_release", args=[hold.pk]), {"reason": "Judgment final."})
    hold.refresh_from_db()
    assert hold.released_at is not None and hold.released_by == world["gd_approver"]
    assert AuditEntry.objects.filter(action="privacy.legal_hold_release").exists()

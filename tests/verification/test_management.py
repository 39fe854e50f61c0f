"""Daily management (R21): periodic re-checks of permanent residents open cases with evidence."""

from __future__ import annotations

import pytest

from applications.models import Application
from residence.audit.models import AuditEntry
from verification import services
from verification.models import HolderReview, ManagementCase, Purpose, VerificationCheck

from .conftest import submitted_case

pytestmark = pytest.mark.django_db


def holder(passport: str) -> Application:
    application = submitted_case(passport)
    Application.objects.filter(pk=application.pk).update(status="card_issued", stage="closed")
    return Application.objects.get(pk=application.pk)


def test_a_holder_whose_records_changed_gets_a_management_case_with_the_evidence(
    simulator, office_tree, django_capture_on_commit_callbacks
):
    changed, fine = holder("TESTMISMATCH"), holder("TESTMATCH1")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.management_rechecks_start() == 2
    assert (
        VerificationCheck.objects.filter(purpose=Purpose.MANAGEMENT).count() == 8
    )  # tax, work, days, credit
    case = ManagementCase.objects.get()
    assert case.application == changed
    findings = {f["finding"]: f for f in case.findings}
    assert set(findings) == {"residence", "income_tax", "employment", "credit"}
    assert findings["residence"]["days"] < findings["residence"]["min_days"] == 90
    assert findings["income_tax"]["fields"]["annual_income_tax_cny"]["matches"] is False
    assert HolderReview.objects.get(application=fine).outcome == HolderReview.Outcome.CLEAR
    assert AuditEntry.objects.filter(action="verification.management_case_open").count() == 1


def test_holders_reviewed_within_the_cadence_are_not_asked_again(
    simulator, office_tree, django_capture_on_commit_callbacks
):
    holder("TESTMATCH1")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.management_rechecks_start() == 1
        assert services.management_rechecks_start() == 0


def test_applications_not_yet_decided_are_not_re_checked(simulator, office_tree):
    submitted_case("TESTMATCH1")
    assert services.management_rechecks_start() == 0


def test_the_management_queue_lists_cases_in_the_officers_area_and_a_case_can_be_closed(
    simulator, mona, sam, client, django_capture_on_commit_callbacks
):
    holder("TESTMISMATCH")
    with django_capture_on_commit_callbacks(execute=True):
        services.management_rechecks_start()
    case = ManagementCase.objects.get()
    client.force_login(mona)
    page = client.get("/verification/management/")
    assert page.status_code == 200 and list(page.context["cases"]) == [case]
    detail = client.get(f"/verification/management/{case.pk}/")
    assert b"Evidence" in detail.content
    refused = client.post(f"/verification/management/{case.pk}/", {"resolution": " "})
    assert refused.status_code == 200
    case.refresh_from_db()
    assert case.status == ManagementCase.Status.OPEN
    client.post(
        f"/verification/management/{case.pk}/",
        {"resolution": "Interviewed the holder; travel records explained."},
    )
    case.refresh_from_db()
    assert case.status == ManagementCase.Status.CLOSED and case.closed_by == mona
    client.force_login(sam)
    assert client.get(f"/verification/management/{case.pk}/").status_code == 404

"""The verification REST API: a case's checks, re-runs, the monitor and management cases.

Checks are written by accepting a case, and run in-process against the agency simulator (as in
test_checks.py); states that need a worker caught mid-flight are set on the rows directly.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import services as application_services
from applications.models import Application
from residence.audit.models import AuditEntry
from tests.applications.factories import intake_done, officer
from tests.factories import UserFactory
from verification.models import (
    CheckStatus,
    HolderReview,
    ManagementCase,
    Purpose,
    VerificationAttempt,
    VerificationCheck,
)

from .conftest import submitted_case

pytestmark = pytest.mark.django_db

APPLICANT_FIELDS = {"kind_label", "agency_name", "asked_at", "completed_at", "outcome", "outcome_label"}


def accept(application, intake_officer, capture, *, execute: bool = True) -> Application:
    """Intake accepts the case; with ``execute`` its checks run (against the simulator) on commit."""
    with capture(execute=execute):
        intake_done(application, intake_officer)
        application_services.application_accept(actor=intake_officer, application=application)
    return Application.objects.get(pk=application.pk)


def checks_url(application) -> str:
    return f"/api/verification/applications/{application.pk}/checks/"


def put_in_flight(check: VerificationCheck) -> None:
    """As a worker that has just claimed the check and is asking the agency."""
    VerificationCheck.objects.filter(pk=check.pk).update(
        status=CheckStatus.IN_FLIGHT,
        lease_token=uuid.uuid4(),
        deadline=timezone.now() + dt.timedelta(minutes=5),
    )


def add_attempts(application, per_check: int) -> None:
    now = timezone.now()
    VerificationAttempt.objects.bulk_create(
        VerificationAttempt(
            verification_check=check,
            run=1,
            number=number,
            query_id=uuid.uuid4(),
            asked_by="system",
            outcome=VerificationAttempt.Outcome.AGENCY_ERROR,
            http_status=503,
            detail="agency down",
            started_at=now,
            finished_at=now,
            latency_ms=10,
        )
        for check in VerificationCheck.objects.filter(application=application)
        for number in range(1, per_check + 1)
    )


def holder_case(application, *, opened_at=None, status=ManagementCase.Status.OPEN) -> ManagementCase:
    """A management case as daily management opens it: a review, and the findings with evidence."""
    review = HolderReview.objects.create(
        application=application,
        min_days_per_year=90,
        outcome=HolderReview.Outcome.FINDING,
        completed_at=timezone.now(),
    )
    return ManagementCase.objects.create(
        application=application,
        review=review,
        status=status,
        opened_at=opened_at or timezone.now(),
        findings=[
            {
                "check": None,
                "kind": "days_in_china",
                "agency": "nia",
                "status": "mismatch",
                "fields": {"days_in_china_by_year": {"stated": [300], "record": [40], "matches": False}},
                "answer_digest": "a" * 64,
                "completed_at": timezone.now().isoformat(),
                "finding": "residence",
                "days": 40,
                "min_days": 90,
            },
            {
                "check": None,
                "kind": "income_tax",
                "agency": "sta",
                "status": "not_found",
                "fields": {},
                "answer_digest": "b" * 64,
                "completed_at": timezone.now().isoformat(),
                "finding": "income_tax",
            },
        ],
    )


@pytest.fixture
def holder():
    """A permanent resident of Guangzhou (card issued)."""
    application = submitted_case("TESTMATCH1")
    Application.objects.filter(pk=application.pk).update(status="card_issued", stage="closed")
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def mark(office_tree):
    """A management officer in Sichuan: another area than the Guangdong holders'."""
    return officer("management_officer", office_tree["sc"], email="mark@example.org")


# --- an application's checks -----------------------------------------------------------------------
def test_an_officer_of_the_case_sees_each_check_with_its_attempts_and_the_agencys_answer(
    ivan, rita, simulator, client, django_capture_on_commit_callbacks
):
    application = accept(submitted_case("TESTMISMATCH"), ivan, django_capture_on_commit_callbacks)
    client.force_login(rita)
    response = client.get(checks_url(application))
    assert response.status_code == 200
    body = response.json()
    assert body["view"] == "officer" and body["application"] == application.pk
    checks = {c["kind"]: c for c in body["checks"]}
    assert set(checks) == {"criminal_record", "days_in_china", "degree", "employment", "income_tax"}
    tax = checks["income_tax"]
    assert tax["status"] == "mismatch" and tax["kind_label"] == "Income-tax record"
    assert tax["agency"] == "sta" and tax["agency_name"] == "State Taxation Administration"
    assert tax["run"] == 1 and tax["attempts"] == 1 and tax["sends"] == 1
    assert tax["answer_fields"]["annual_income_tax_cny"]["matches"] is False
    assert len(tax["answer_digest"]) == 64 and tax["latency_ms"] is not None
    assert tax["correlation_id"] and tax["completed_at"] and tax["failure_reason"] == ""
    (attempt,) = tax["attempt_rows"]
    assert attempt["run"] == 1 and attempt["number"] == 1 and attempt["outcome"] == "answered"
    assert attempt["result_status"] == "mismatch" and attempt["http_status"] == 200
    assert attempt["answer_digest"] == tax["answer_digest"] and attempt["query_id"]
    assert attempt["asked_by"] == ivan.email and attempt["finished_at"] and attempt["latency_ms"] is not None


def test_the_applicant_sees_which_checks_passed_but_never_the_agencys_answer(
    ivan, simulator, client, django_capture_on_commit_callbacks
):
    application = accept(submitted_case("TESTMISMATCH"), ivan, django_capture_on_commit_callbacks)
    client.force_login(application.applicant.owner)
    response = client.get(checks_url(application))
    assert response.status_code == 200
    body = response.json()
    assert body["view"] == "applicant" and len(body["checks"]) == 5
    assert all(set(row) == APPLICANT_FIELDS for row in body["checks"])
    tax = next(row for row in body["checks"] if row["kind_label"] == "Income-tax record")
    assert tax["outcome"] == "not_passed" and tax["outcome_label"] == "Did not match"
    assert tax["agency_name"] == "State Taxation Administration" and tax["completed_at"]
    for secret in ("answer_fields", "answer_digest", "correlation_id", "attempt_rows", "annual_income_tax"):
        assert secret not in response.content.decode()


def test_an_intermediary_the_applicant_authorised_gets_the_applicants_view(
    ivan, client, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks, execute=False)
    agent = UserFactory(roles=["intermediary"])
    application_services.authorisation_grant(
        actor=application.applicant.owner, intermediary_email=agent.email
    )
    client.force_login(agent)
    body = client.get(checks_url(application)).json()
    assert body["view"] == "applicant"
    assert {row["outcome"] for row in body["checks"]} == {"pending"}


def test_the_checks_are_labelled_in_the_language_asked_for(ivan, client, django_capture_on_commit_callbacks):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks, execute=False)
    client.force_login(application.applicant.owner)
    body = client.get(checks_url(application), HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert "个人所得税记录" in {row["kind_label"] for row in body["checks"]}


def test_another_applicant_and_an_officer_of_another_area_get_a_404(
    ivan, sam, bob, client, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks, execute=False)
    check = VerificationCheck.objects.filter(application=application).first()
    for outsider in (bob, sam):
        client.force_login(outsider)
        for url in (checks_url(application), f"/api/verification/checks/{check.pk}/"):
            response = client.get(url)
            assert response.status_code == 404 and "detail" in response.json()


def test_an_unknown_application_is_a_404_in_the_envelope(rita, client):
    client.force_login(rita)
    response = client.get("/api/verification/applications/2147483647/checks/")
    assert response.status_code == 404 and set(response.json()) == {"detail"}


def test_reading_the_checks_needs_a_login(client):
    assert client.get("/api/verification/applications/1/checks/").status_code in (401, 403)


# --- one check ------------------------------------------------------------------------------------
def test_one_check_is_shown_to_an_officer_of_the_case_and_to_administrators_not_to_the_applicant(
    ivan, rita, sysadmin, simulator, client, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks)
    check = VerificationCheck.objects.get(application=application, kind="degree")
    url = f"/api/verification/checks/{check.pk}/"
    for reader in (rita, sysadmin):
        client.force_login(reader)
        body = client.get(url).json()
        assert body["id"] == check.pk and body["status"] == "verified" and len(body["attempt_rows"]) == 1
    client.force_login(application.applicant.owner)
    assert client.get(url).status_code == 404


# --- re-running a check ---------------------------------------------------------------------------
def test_an_officer_re_runs_a_finished_check_which_is_audited_and_asked_again(
    ivan, rita, simulator, client, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks)
    check = VerificationCheck.objects.get(application=application, kind="income_tax")
    client.force_login(rita)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/verification/checks/{check.pk}/rerun/",
            {"reason": "Applicant sent a corrected return"},
            content_type="application/json",
        )
    assert response.status_code == 202
    body = response.json()
    assert body["id"] == check.pk and body["run"] == 2 and body["status"] == "pending"
    assert body["requested_by"] == rita.email and body["reason_asked"] == "Applicant sent a corrected return"
    entry = AuditEntry.objects.get(action="verification.rerun", object_id=str(check.pk))
    assert entry.actor == rita and entry.reason == "Applicant sent a corrected return"
    assert entry.before == {"status": "verified", "run": 1} and entry.after["run"] == 2
    check.refresh_from_db()
    # Sent after commit: the agency was asked again and answered.
    assert check.status == CheckStatus.VERIFIED and check.run == 2
    assert list(check.attempt_rows.values_list("run", flat=True)) == [1, 2]


def test_a_check_being_asked_right_now_cannot_be_re_run_and_nothing_changes(
    ivan, rita, client, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks, execute=False)
    check = VerificationCheck.objects.get(application=application, kind="income_tax")
    put_in_flight(check)
    check.refresh_from_db()
    client.force_login(rita)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            f"/api/verification/checks/{check.pk}/rerun/",
            {"reason": "again"},
            content_type="application/json",
        )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and "being asked right now" in " ".join(body["errors"]["non_field_errors"])
    after = VerificationCheck.objects.get(pk=check.pk)
    assert (after.status, after.run, after.sends, after.deadline, after.lease_token) == (
        CheckStatus.IN_FLIGHT,
        check.run,
        check.sends,
        check.deadline,
        check.lease_token,
    )
    assert not AuditEntry.objects.filter(action__in=["verification.rerun", "verification.resend"]).exists()
    assert not callbacks


def test_re_running_is_refused_to_the_applicant_and_other_areas_as_a_404_and_nothing_changes(
    ivan, sam, simulator, client, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks)
    check = VerificationCheck.objects.get(application=application, kind="income_tax")
    for outsider in (application.applicant.owner, sam):
        client.force_login(outsider)
        response = client.post(
            f"/api/verification/checks/{check.pk}/rerun/", {}, content_type="application/json"
        )
        assert response.status_code == 404
    check.refresh_from_db()
    assert check.run == 1 and check.status == CheckStatus.VERIFIED
    assert not AuditEntry.objects.filter(action="verification.rerun").exists()


def test_a_reason_longer_than_the_record_holds_is_a_400(
    ivan, rita, client, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks, execute=False)
    check = VerificationCheck.objects.get(application=application, kind="income_tax")
    client.force_login(rita)
    response = client.post(
        f"/api/verification/checks/{check.pk}/rerun/", {"reason": "x" * 301}, content_type="application/json"
    )
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    check.refresh_from_db()
    assert check.sends == 1


# --- the monitor -------------------------------------------------------------------------------------
def test_the_monitor_gives_administrators_figures_per_agency_and_the_checks_needing_attention(
    ivan, sysadmin, simulator, client, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks)
    failed = VerificationCheck.objects.get(application=application, kind="degree")
    VerificationCheck.objects.filter(pk=failed.pk).update(
        status=CheckStatus.ERROR, failure_reason="3 attempts; last: HTTP 503"
    )
    client.force_login(sysadmin)
    response = client.get("/api/verification/monitor/")
    assert response.status_code == 200
    body = response.json()
    agencies = {row["agency"]: row for row in body["agencies"]}
    assert {"sta", "moe", "mps", "nia", "mohrss"} <= set(agencies)
    assert agencies["sta"]["checks_last_hour"] == 1 and agencies["sta"]["success_rate"] == 1.0
    assert agencies["sta"]["latency_p50_ms"] is not None
    (row,) = body["attention"]
    assert row["id"] == failed.pk and row["status"] == "error" and row["kind"] == "degree"
    assert row["application"] == application.pk and row["failure_reason"].endswith("HTTP 503")


def test_the_monitor_does_not_exist_for_officers_and_applicants(rita, alice, client):
    for user in (rita, alice):
        client.force_login(user)
        response = client.get("/api/verification/monitor/")
        assert response.status_code == 404 and "detail" in response.json()


# --- management cases --------------------------------------------------------------------------------
def test_a_management_officer_lists_the_open_cases_of_their_area_with_the_evidence(holder, mona, client):
    case = holder_case(holder)
    holder_case(holder, status=ManagementCase.Status.CLOSED)
    client.force_login(mona)
    response = client.get("/api/verification/management-cases/")
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [case.pk] and body["next"] is None
    row = body["results"][0]
    assert row["status"] == "open" and row["application"] == holder.pk and row["min_days_per_year"] == 90
    assert row["holder_name"] == holder.applicant.full_name
    residence = next(f for f in row["findings"] if f["finding"] == "residence")
    assert residence["days"] == 40 and residence["min_days"] == 90 and residence["agency"] == "nia"
    assert residence["finding_label"] == "Too few days in China under the residence rule"
    assert residence["fields"]["days_in_china_by_year"]["record"] == [40]
    tax = next(f for f in row["findings"] if f["finding"] == "income_tax")
    assert tax["days"] is None and tax["kind_label"] == "Income-tax record"
    closed = client.get("/api/verification/management-cases/?status=closed").json()["results"]
    assert [r["status"] for r in closed] == ["closed"]


def test_management_cases_page_by_cursor_without_repeating_or_missing_a_case(holder, mona, client):
    same_moment = timezone.now()
    cases = [holder_case(holder, opened_at=same_moment) for _ in range(5)]
    client.force_login(mona)
    seen, url = [], "/api/verification/management-cases/?page_size=2"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = f"/api/verification/management-cases/?page_size=2&cursor={body['next']}" if body["next"] else ""
    assert seen == sorted((c.pk for c in cases), reverse=True)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("status=everything", 400),
        ("status=", 400),
        ("page_size=0", 400),
        ("page_size=many", 400),
        ("cursor=", 400),
        ("cursor=not-a-cursor", 404),
        ("cursor=W10", 404),
    ],
)
def test_bad_query_parameters_are_a_400_or_404_in_the_envelope_never_a_500(holder, mona, client, query, code):
    holder_case(holder)
    client.force_login(mona)
    response = client.get(f"/api/verification/management-cases/?{query}")
    assert response.status_code == code
    assert "detail" in response.json()


def test_the_apis_own_messages_are_translated(holder, mona, client):
    client.force_login(mona)
    response = client.get("/api/verification/management-cases/?status=", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["errors"]["status"] == ["此项不能为空。"]


def test_a_management_officer_closes_a_case_saying_what_was_done(holder, mona, client):
    case = holder_case(holder)
    client.force_login(mona)
    response = client.post(
        f"/api/verification/management-cases/{case.pk}/close/",
        {"resolution": "Interviewed the holder; travel records explained."},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "closed" and body["closed_by"] == mona.email and body["closed_at"]
    case.refresh_from_db()
    assert case.status == ManagementCase.Status.CLOSED and case.closed_by == mona
    entry = AuditEntry.objects.get(action="verification.management_case_close")
    assert entry.actor == mona and entry.reason.startswith("Interviewed")
    again = client.post(
        f"/api/verification/management-cases/{case.pk}/close/",
        {"resolution": "Twice"},
        content_type="application/json",
    )
    assert again.status_code == 400 and "already closed" in " ".join(
        again.json()["errors"]["non_field_errors"]
    )
    assert AuditEntry.objects.filter(action="verification.management_case_close").count() == 1


@pytest.mark.parametrize("payload", [{"resolution": "   "}, {"resolution": ""}, {}])
def test_closing_without_a_resolution_is_a_400_and_the_case_stays_open(holder, mona, client, payload):
    case = holder_case(holder)
    client.force_login(mona)
    response = client.post(
        f"/api/verification/management-cases/{case.pk}/close/", payload, content_type="application/json"
    )
    assert response.status_code == 400 and "resolution" in response.json()["errors"]
    case.refresh_from_db()
    assert case.status == ManagementCase.Status.OPEN and case.closed_by is None
    assert not AuditEntry.objects.filter(action="verification.management_case_close").exists()


def test_a_management_officer_of_another_area_gets_a_404_and_cannot_close(holder, mark, client):
    case = holder_case(holder)
    client.force_login(mark)
    assert client.get("/api/verification/management-cases/").json()["results"] == []
    assert client.get(f"/api/verification/management-cases/{case.pk}/").status_code == 404
    response = client.post(
        f"/api/verification/management-cases/{case.pk}/close/",
        {"resolution": "Done"},
        content_type="application/json",
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == ManagementCase.Status.OPEN


def test_management_cases_do_not_exist_for_other_officers_and_applicants(holder, rita, client):
    case = holder_case(holder)
    for user in (rita, holder.applicant.owner):
        client.force_login(user)
        assert client.get("/api/verification/management-cases/").status_code == 404
        assert client.get(f"/api/verification/management-cases/{case.pk}/").status_code == 404


# --- queries do not grow with the length of a list ---------------------------------------------
def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def test_the_checks_of_a_case_cost_the_same_queries_however_many_checks_and_attempts_it_has(
    ivan, rita, client, django_capture_on_commit_callbacks
):
    small = accept(submitted_case(), ivan, django_capture_on_commit_callbacks, execute=False)
    VerificationCheck.objects.filter(application=small).exclude(kind="income_tax").delete()
    add_attempts(small, per_check=1)
    large = accept(submitted_case("TESTMATCH2"), ivan, django_capture_on_commit_callbacks, execute=False)
    add_attempts(large, per_check=9)
    client.force_login(rita)
    body = client.get(checks_url(large)).json()
    assert len(body["checks"]) == 5 and all(len(c["attempt_rows"]) == 9 for c in body["checks"])
    assert queries_for(client, checks_url(small)) == queries_for(client, checks_url(large))


def test_the_monitor_costs_the_same_queries_however_many_checks_need_attention(
    ivan, sysadmin, client, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks, execute=False)
    checks = list(VerificationCheck.objects.filter(application=application, purpose=Purpose.APPLICATION))
    client.force_login(sysadmin)
    VerificationCheck.objects.filter(pk=checks[0].pk).update(status=CheckStatus.ERROR)
    few = queries_for(client, "/api/verification/monitor/")
    VerificationCheck.objects.filter(application=application).update(status=CheckStatus.TIMED_OUT)
    assert len(client.get("/api/verification/monitor/").json()["attention"]) == len(checks) > 1
    assert queries_for(client, "/api/verification/monitor/") == few


def test_a_page_of_management_cases_costs_the_same_queries_however_long_it_is(holder, mona, client):
    client.force_login(mona)
    holder_case(holder)
    few = queries_for(client, "/api/verification/management-cases/")
    for _ in range(11):
        holder_case(holder)
    assert len(client.get("/api/verification/management-cases/").json()["results"]) == 12
    assert queries_for(client, "/api/verification/management-cases/") == few

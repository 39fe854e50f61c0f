"""Checks from acceptance to review, in-process (tasks run eagerly against the simulator)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from applications import services as application_services
from applications.models import Application, Status
from residence.audit.models import AuditEntry
from tests.applications.factories import intake_done
from tests.factories import UserFactory
from verification import services
from verification.models import CheckStatus, Purpose, VerificationAttempt, VerificationCheck
from verification.selectors import checks_for_applicant
from verification.tasks import verification_check_run_task

from .conftest import submitted_case

pytestmark = pytest.mark.django_db


def accept(application, officer, capture, *, execute: bool = True):
    with capture(execute=execute):
        intake_done(application, officer)
        application_services.application_accept(actor=officer, application=application)
    return Application.objects.get(pk=application.pk)


def test_accepting_a_work_case_writes_its_checks_in_the_same_transaction_and_sends_them_after_commit(
    ivan, simulator, django_capture_on_commit_callbacks
):
    application = submitted_case()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        intake_done(application, ivan)
        application_services.application_accept(actor=ivan, application=application)
    checks = VerificationCheck.objects.filter(application=application)
    assert sorted(checks.values_list("kind", flat=True)) == [
        "criminal_record",
        "days_in_china",
        "degree",
        "employment",
        "income_tax",
    ]
    assert set(checks.values_list("status", flat=True)) == {CheckStatus.PENDING}
    assert Application.objects.get(pk=application.pk).status == Status.VERIFYING
    # Nothing was asked before commit; the sends wait in on_commit.
    assert simulator.stats()["queries"] == 0
    assert callbacks
    requests = AuditEntry.objects.filter(action="verification.request")
    assert requests.count() == 5
    entry = requests.first()
    assert entry.actor == ivan and entry.after["about"] == "*******CH1" and entry.reason


def test_when_every_check_has_a_result_the_case_moves_on_to_review_by_itself(
    ivan, simulator, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks)
    assert application.status == Status.IN_REVIEW
    checks = VerificationCheck.objects.filter(application=application)
    assert set(checks.values_list("status", flat=True)) == {CheckStatus.VERIFIED}
    check = checks.get(kind="income_tax")
    assert check.attempts == 1 and check.latency_ms is not None and len(check.answer_digest) == 64
    assert check.answer_fields["annual_income_tax_cny"]["matches"] is True
    assert AuditEntry.objects.filter(action="verification.result").count() == 5
    assert simulator.stats()["distinct_queries"] == 5


def test_mismatches_are_flagged_for_the_officer_and_the_applicant_sees_only_whether_each_passed(
    ivan, simulator, django_capture_on_commit_callbacks
):
    application = accept(submitted_case("TESTMISMATCH"), ivan, django_capture_on_commit_callbacks)
    assert application.status == Status.IN_REVIEW
    tax = VerificationCheck.objects.get(application=application, kind="income_tax")
    assert tax.status == CheckStatus.MISMATCH and tax.is_flagged
    assert tax.answer_fields["annual_income_tax_cny"]["matches"] is False
    rows = checks_for_applicant(application=application)
    assert {row.outcome for row in rows} == {"not_passed"}
    assert not any(hasattr(row, "answer_fields") for row in rows)


def test_a_person_unknown_to_the_agencies_is_not_found_not_an_error(
    ivan, simulator, django_capture_on_commit_callbacks
):
    application = accept(submitted_case("TESTNOTFOUND"), ivan, django_capture_on_commit_callbacks)
    statuses = dict(VerificationCheck.objects.filter(application=application).values_list("kind", "status"))
    assert statuses["income_tax"] == CheckStatus.NOT_FOUND


def test_the_same_task_delivered_twice_records_one_result_and_one_audit_entry(
    ivan, simulator, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks, execute=False)
    check = VerificationCheck.objects.get(application=application, kind="income_tax")
    assert verification_check_run_task.apply(args=(check.pk, check.run)).get() == "recorded"
    assert verification_check_run_task.apply(args=(check.pk, check.run)).get() == "skipped"
    check.refresh_from_db()
    assert check.status == CheckStatus.VERIFIED and check.attempts == 1
    assert VerificationAttempt.objects.filter(verification_check=check).count() == 1
    (entry,) = AuditEntry.objects.filter(action="verification.result", object_id=str(check.pk))
    assert entry.object_label == "Income-tax record — State Taxation Administration: Verified"
    assert simulator.stats()["counts"].get("sta") == 1


def test_a_late_answer_from_an_attempt_that_lost_its_lease_is_discarded(
    ivan, simulator, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks, execute=False)
    check = VerificationCheck.objects.get(application=application, kind="degree")
    [first] = services.checks_claim(pairs=[(check.pk, check.run)])
    VerificationCheck.objects.filter(pk=check.pk).update(deadline=check.created_at)  # the lease runs out
    [second] = services.checks_claim(pairs=[(check.pk, check.run)])
    from verification.connectors import connector_for

    def record(claim) -> str:
        answer = connector_for("degree").ask(claim.query)
        return services.checks_record(outcomes=[services.CheckOutcome(claim=claim, answer=answer)])[check.pk]

    assert record(second) == "recorded"
    assert record(first) == "superseded"
    assert AuditEntry.objects.filter(action="verification.result", object_id=str(check.pk)).count() == 1
    outcomes = list(
        VerificationAttempt.objects.filter(verification_check=check).values_list("outcome", flat=True)
    )
    assert outcomes == ["superseded", "answered"]


def test_agency_errors_are_retried_then_end_as_error_with_the_reason_never_as_not_found(
    ivan, simulator, django_capture_on_commit_callbacks
):
    simulator.control(error_rate=1)
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks)
    check = VerificationCheck.objects.get(application=application, kind="income_tax")
    assert check.status == CheckStatus.ERROR
    assert check.attempts == 3 and "HTTP 500" in check.failure_reason
    assert list(check.attempt_rows.values_list("outcome", flat=True)) == ["agency_error"] * 3
    # Errors are results too: the case goes on to review, flagged, rather than waiting forever.
    assert application.status == Status.IN_REVIEW


def test_an_agency_that_does_not_answer_in_time_ends_as_timed_out(
    ivan, simulator, settings, django_capture_on_commit_callbacks
):
    settings.VERIFICATION_TIMEOUT_SECONDS = 0.2
    settings.VERIFICATION_MAX_ATTEMPTS = 2
    simulator.control(timeout_rate=1, hang_seconds=1)
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks)
    check = VerificationCheck.objects.get(application=application, kind="degree")
    assert check.status == CheckStatus.TIMED_OUT and "0.2 s" in check.failure_reason


def test_an_agency_that_is_down_is_an_error_and_a_re_run_recovers_when_it_is_up(
    ivan, rita, simulator, django_capture_on_commit_callbacks
):
    simulator.control(outage=True)
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks)
    check = VerificationCheck.objects.get(application=application, kind="income_tax")
    assert check.status == CheckStatus.ERROR and "503" in check.failure_reason
    simulator.control(outage=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.check_rerun(actor=rita, check=check, reason="The tax system is back")
    check.refresh_from_db()
    assert check.status == CheckStatus.VERIFIED and check.run == 2
    runs = list(check.attempt_rows.values_list("run", "outcome"))
    assert runs[-1] == (2, "answered") and all(run == 1 for run, _ in runs[:-1])


def test_an_applicant_cannot_re_run_a_check_and_nothing_changes(
    ivan, simulator, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks)
    check = VerificationCheck.objects.get(application=application, kind="income_tax")
    with pytest.raises(PermissionDenied):
        services.check_rerun(actor=application.applicant.owner, check=check)
    check.refresh_from_db()
    assert check.run == 1 and not AuditEntry.objects.filter(action="verification.rerun").exists()


def test_the_sweeper_re_sends_a_request_whose_message_was_lost(
    ivan, simulator, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks, execute=False)  # lost
    assert Application.objects.get(pk=application.pk).status == Status.VERIFYING
    VerificationCheck.objects.filter(application=application).update(deadline=application.submitted_at)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.checks_sweep() == {"resent": 5, "rerun": 0}
    assert set(
        VerificationCheck.objects.filter(application=application).values_list("status", flat=True)
    ) == {CheckStatus.VERIFIED}
    assert Application.objects.get(pk=application.pk).status == Status.IN_REVIEW


def test_the_sweeper_leaves_requests_within_their_deadline_alone(
    ivan, simulator, django_capture_on_commit_callbacks
):
    accept(submitted_case(), ivan, django_capture_on_commit_callbacks, execute=False)
    assert services.checks_sweep() == {"resent": 0, "rerun": 0}


def test_checks_come_from_the_policy_when_it_lists_them(ivan, simulator, django_capture_on_commit_callbacks):
    application = submitted_case()
    version = application.policy_version
    version.document = {**version.document, "verification": {"checks": {"work": ["income_tax"]}}}
    type(version).objects.filter(pk=version.pk).update(document=version.document)
    application.refresh_from_db()
    assert services.checks_required_for(application) == ["income_tax"]


def test_an_officer_of_another_area_cannot_see_the_checks(
    sam, ivan, simulator, client, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks)
    client.force_login(sam)
    assert client.get(f"/verification/applications/{application.pk}/").status_code == 404
    check = VerificationCheck.objects.filter(application=application).first()
    assert client.post(f"/verification/checks/{check.pk}/rerun/").status_code == 404
    check.refresh_from_db()
    assert check.run == 1


def test_officers_see_each_check_with_its_attempts_and_can_re_run_one(
    rita, ivan, simulator, client, django_capture_on_commit_callbacks
):
    application = accept(submitted_case("TESTMISMATCH"), ivan, django_capture_on_commit_callbacks)
    client.force_login(rita)
    page = client.get(f"/verification/applications/{application.pk}/")
    assert page.status_code == 200
    assert b"Income-tax record" in page.content and b"Mismatch" in page.content
    check = VerificationCheck.objects.get(application=application, kind="income_tax")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/verification/checks/{check.pk}/rerun/", {"reason": "Applicant sent a corrected return"}
        )
    assert response.status_code == 302
    check.refresh_from_db()
    assert (
        check.run == 2
        and check.requested_by == rita
        and check.reason_asked == "Applicant sent a corrected return"
    )


def test_management_checks_are_not_counted_as_the_applications(
    ivan, simulator, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks)
    assert all(
        c.purpose == Purpose.APPLICATION for c in VerificationCheck.objects.filter(application=application)
    )


def test_the_monitor_shows_figures_per_agency_to_administrators_only(
    ivan, simulator, client, sysadmin, django_capture_on_commit_callbacks
):
    accept(submitted_case(), ivan, django_capture_on_commit_callbacks)
    client.force_login(sysadmin)
    page = client.get("/verification/monitor/")
    assert page.status_code == 200
    sta = next(row for row in page.context["figures"] if row.agency == "sta")
    assert sta.checks_last_hour == 1 and sta.success_rate == 1.0 and sta.latency_p50_ms is not None
    client.force_login(UserFactory(roles=["applicant"]))
    assert client.get("/verification/monitor/").status_code == 404


def test_healthz_detail_includes_the_verification_figures(
    ivan, simulator, client, django_capture_on_commit_callbacks, settings
):
    settings.HEALTH_TOKEN = "monitoring-token"
    accept(submitted_case(), ivan, django_capture_on_commit_callbacks)
    report = client.get("/healthz", HTTP_X_HEALTH_TOKEN="monitoring-token").json()
    assert report["checks"]["verification"]["detail"]["sta"]["checks_last_hour"] == 1

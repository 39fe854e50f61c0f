"""Checks travel in batches of one agency: one claim, one result transaction, one message each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import services as application_services
from applications.models import Application, Status, StatusChange
from residence.audit.models import AuditEntry
from tests.applications.factories import intake_done
from verification import services
from verification.models import UNFINISHED, CheckStatus, VerificationAttempt, VerificationCheck
from verification.tasks import verification_checks_run_task

from .conftest import submitted_case

pytestmark = pytest.mark.django_db


def cases_in_verification(officer, capture, n: int, *, first: int = 0) -> list[Application]:
    """n cases accepted into verification whose checks were written but not sent."""
    cases = []
    for i in range(first, first + n):
        application = submitted_case(f"TESTMATCH{i}")
        with capture(execute=False):
            intake_done(application, officer)
            application_services.application_accept(actor=officer, application=application)
        cases.append(Application.objects.get(pk=application.pk))
    return cases


def pairs(checks) -> list[list[int]]:
    return [[check.pk, check.run] for check in checks]


def test_a_dispatch_batches_one_agencys_checks_and_the_agencies_take_turns(
    ivan, simulator, django_capture_on_commit_callbacks
):
    cases = cases_in_verification(ivan, django_capture_on_commit_callbacks, 3)
    checks = list(VerificationCheck.objects.filter(application__in=cases).order_by("pk"))
    agency_of = {check.pk: check.agency for check in checks}

    batches = services.dispatch_batches(checks, size=2)

    assert sorted(pk for batch in batches for pk, _ in batch) == sorted(agency_of)  # each check once
    assert all(len(batch) <= 2 for batch in batches)
    assert all(len({agency_of[pk] for pk, _ in batch}) == 1 for batch in batches)  # one agency each
    agencies = len(set(agency_of.values()))
    first_turn = [agency_of[batch[0][0]] for batch in batches[:agencies]]
    assert len(set(first_turn)) == agencies  # every agency's first batch before any agency's second


def test_a_batch_is_asked_and_recorded_with_a_fixed_number_of_statements(
    ivan, simulator, django_capture_on_commit_callbacks
):
    small = cases_in_verification(ivan, django_capture_on_commit_callbacks, 1)
    large = cases_in_verification(ivan, django_capture_on_commit_callbacks, 4, first=1)
    tax_small = VerificationCheck.objects.filter(application__in=small, kind="income_tax")
    tax_large = VerificationCheck.objects.filter(application__in=large, kind="income_tax")
    counts = []
    for checks in (tax_small, tax_large):
        with CaptureQueriesContext(connection) as queries:
            claims = services.checks_claim(pairs=[(c.pk, c.run) for c in checks])
            services.checks_record(outcomes=[services.check_ask(claim) for claim in claims])
        counts.append(len(queries))
    assert counts[0] == counts[1]  # 1 check or 4: the same statements
    assert not tax_large.filter(status__in=UNFINISHED).exists()
    assert VerificationAttempt.objects.filter(verification_check__in=tax_large).count() == 4


def test_a_batch_claims_only_what_it_may_and_records_each_check_once(
    ivan, simulator, django_capture_on_commit_callbacks
):
    (case,) = cases_in_verification(ivan, django_capture_on_commit_callbacks, 1)
    checks = {c.kind: c for c in VerificationCheck.objects.filter(application=case)}
    VerificationCheck.objects.filter(pk=checks["degree"].pk).update(status=CheckStatus.VERIFIED)
    stale_run = [checks["employment"].pk, checks["employment"].run + 1]  # a re-run's message, not this run's
    batch = [pairs([checks["income_tax"]])[0], pairs([checks["degree"]])[0], stale_run]

    assert verification_checks_run_task.apply(args=(batch,)).get() == {"recorded": 1, "skipped": 2}
    assert verification_checks_run_task.apply(args=(batch,)).get() == {"skipped": 3}  # a duplicate

    tax = VerificationCheck.objects.get(pk=checks["income_tax"].pk)
    assert tax.status == CheckStatus.VERIFIED and tax.attempts == 1
    assert VerificationCheck.objects.get(pk=checks["employment"].pk).status == CheckStatus.PENDING
    assert VerificationAttempt.objects.filter(verification_check__application=case).count() == 1
    assert AuditEntry.objects.filter(action="verification.result").count() == 1
    assert simulator.stats()["distinct_queries"] == 1


def test_the_lease_of_a_batch_covers_asking_every_check_in_it(
    ivan, simulator, settings, django_capture_on_commit_callbacks
):
    settings.VERIFICATION_TIMEOUT_SECONDS = 4.0
    settings.VERIFICATION_LEASE_MARGIN_SECONDS = 30.0
    (case,) = cases_in_verification(ivan, django_capture_on_commit_callbacks, 1)
    checks = list(VerificationCheck.objects.filter(application=case))
    before = timezone.now()
    claims = services.checks_claim(pairs=[(c.pk, c.run) for c in checks])
    assert len(claims) == len(checks) == 5
    deadlines = set(VerificationCheck.objects.filter(application=case).values_list("deadline", flat=True))
    (deadline,) = deadlines
    assert deadline >= before + dt.timedelta(seconds=5 * 4.0 + 30.0)
    assert len({claim.query.query_id for claim in claims}) == 5  # one query id per attempt


def test_in_a_batch_an_agency_error_retries_that_check_alone(
    ivan, simulator, settings, django_capture_on_commit_callbacks
):
    cases = cases_in_verification(ivan, django_capture_on_commit_callbacks, 2)
    checks = list(VerificationCheck.objects.filter(application__in=cases, kind="income_tax").order_by("pk"))
    claims = services.checks_claim(pairs=[(c.pk, c.run) for c in checks])
    answered = services.check_ask(claims[0])
    simulator.control(error_rate=1)
    failed = services.check_ask(claims[1])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        done = services.checks_record(outcomes=[answered, failed])

    assert done == {checks[0].pk: "recorded", checks[1].pk: "retry"}
    first, second = (VerificationCheck.objects.get(pk=c.pk) for c in checks)
    assert first.status == CheckStatus.VERIFIED
    assert second.status == CheckStatus.PENDING and "HTTP 500" in second.failure_reason
    assert second.sends == 2 and callbacks  # its retry goes out after commit
    assert AuditEntry.objects.filter(action="verification.result").count() == 1


def test_cases_whose_last_results_arrive_together_move_to_review_once(
    ivan, simulator, django_capture_on_commit_callbacks
):
    cases = cases_in_verification(ivan, django_capture_on_commit_callbacks, 2)
    checks = VerificationCheck.objects.filter(application__in=cases)
    checks.update(status=CheckStatus.VERIFIED, completed_at=timezone.now())
    ids = [case.pk for case in cases]

    with django_capture_on_commit_callbacks(execute=True):
        assert sorted(services.applications_complete_if_done(application_ids=ids)) == sorted(ids)
        services.applications_complete_if_done(application_ids=ids)  # the other last result asks too
        application_services.application_verification_completed(application=ids[0])

    assert set(Application.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Status.IN_REVIEW}
    assert StatusChange.objects.filter(application_id__in=ids, to_status=Status.IN_REVIEW).count() == 2


def test_cases_moving_to_review_together_take_the_same_statements_for_two_or_five(
    ivan, simulator, django_capture_on_commit_callbacks
):
    few = cases_in_verification(ivan, django_capture_on_commit_callbacks, 2)
    many = cases_in_verification(ivan, django_capture_on_commit_callbacks, 5, first=2)
    VerificationCheck.objects.filter(application__in=few + many).update(
        status=CheckStatus.VERIFIED, completed_at=timezone.now()
    )
    counts = []
    for cases in (few, many):
        with CaptureQueriesContext(connection) as queries:
            moved = services.applications_complete_if_done(application_ids=[case.pk for case in cases])
        assert len(moved) == len(cases)
        counts.append(len(queries))

    assert counts[0] == counts[1]
    moved_ids = [case.pk for case in few + many]
    assert StatusChange.objects.filter(application_id__in=moved_ids, to_status=Status.IN_REVIEW).count() == 7
    assert AuditEntry.objects.filter(action="applications.complete_verification").count() == 7


def test_a_case_with_a_check_still_out_waits_in_verification(
    ivan, simulator, django_capture_on_commit_callbacks
):
    (case,) = cases_in_verification(ivan, django_capture_on_commit_callbacks, 1)
    VerificationCheck.objects.filter(application=case).exclude(kind="degree").update(
        status=CheckStatus.VERIFIED
    )
    assert services.applications_complete_if_done(application_ids=[case.pk]) == []
    assert Application.objects.get(pk=case.pk).status == Status.VERIFYING


def test_a_keep_alive_connection_the_agency_dropped_is_replaced_without_an_error(simulator):
    from verification.connectors import Query, connector_for

    query = Query(
        kind="income_tax",
        subject={"passport_number": "TESTMATCH1", "nationality": "FRA", "birth_date": "1980-01-01"},
        stated={"annual_income_tax_cny": 1},
        query_id="q-1",
        correlation_id="c-1",
        asked_by="system",
        issue="1",
    )
    connector = connector_for("income_tax")
    first = connector.ask(query)
    simulator.stop()  # the agency's server goes away, and with it this thread's open connection
    simulator.start()
    again = connector.ask(Query(**{**query.__dict__, "query_id": "q-2"}))
    assert first.status == again.status and again.digest
    assert simulator.stats()["distinct_queries"] == 1  # the restarted agency saw the second query once

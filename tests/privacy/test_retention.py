"""Retention: what is past its period is purged (with real dates), a legal hold stops it, the log says what went."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from applications import services as application_services
from applications.models import Application, ApplicationDocument, Status
from privacy import retention, services
from privacy.models import CaseAccess, RetentionCategory, RetentionPeriod
from residence.audit.models import AuditEntry
from tests.applications.factories import complete_draft, intake_done, submitted

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def _age_draft(application, days: int) -> None:
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now() - days * DAY)


def _refuse(application, *, days_ago: int) -> None:
    Application.objects.filter(pk=application.pk).update(
        status=Status.REFUSED, decided_at=timezone.now() - days_ago * DAY
    )


def test_the_default_periods_are_installed_as_policy_data():
    assert {p.category: p.days for p in RetentionPeriod.objects.all()} == {
        category: default.days for category, default in retention.DEFAULTS.items()
    }


def test_an_abandoned_draft_is_purged_after_its_period_with_its_files_and_a_fresh_one_stays(
    world, django_capture_on_commit_callbacks
):
    old = complete_draft(world["profile"])
    fresh = complete_draft(world["profile"])
    names = list(old.documents.values_list("file", flat=True))
    assert names and all(default_storage.exists(n) for n in names)
    _age_draft(old, 181)
    _age_draft(fresh, 179)

    with django_capture_on_commit_callbacks(execute=True):
        totals = retention.retention_purge()

    assert totals[RetentionCategory.ABANDONED_DRAFTS] == 1
    assert not Application.objects.filter(pk=old.pk).exists()
    assert Application.objects.filter(pk=fresh.pk).exists()
    assert not any(default_storage.exists(n) for n in names)
    entry = AuditEntry.objects.get(action="privacy.retention_purge", after__category="abandoned_drafts")
    assert entry.after["applications"] == [old.pk] and entry.after["count"] == 1
    logged = json.dumps(entry.after) + entry.object_label
    for personal in (world["profile"].passport_number, "Martin", "alice@example.org", "Canton"):
        assert personal not in logged


def test_refused_cases_documents_go_after_two_years_unless_on_hold(world, django_capture_on_commit_callbacks):
    old, held, recent = (submitted(world["profile"]) for _ in range(3))
    _refuse(old, days_ago=731)
    _refuse(held, days_ago=900)
    _refuse(recent, days_ago=700)
    services.legal_hold_place(actor=world["gd_approver"], application=held, reason="Litigation pending.")
    old_files = list(old.documents.values_list("file", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        retention.retention_purge()

    assert not ApplicationDocument.objects.filter(application=old).exists()
    assert not any(default_storage.exists(n) for n in old_files)
    assert ApplicationDocument.objects.filter(application=held).exists()
    assert ApplicationDocument.objects.filter(application=recent).exists()
    assert Application.objects.filter(pk=old.pk).exists()  # the decision and its reasons stay
    entry = AuditEntry.objects.get(action="privacy.retention_purge", after__category="refused_documents")
    assert entry.after["applications"] == [old.pk]

    # Released, the held case goes at the next run.
    hold = held.legal_holds.get()
    services.legal_hold_release(actor=world["gd_approver"], hold=hold, reason="Judgment final.")
    retention.retention_purge()
    assert not ApplicationDocument.objects.filter(application=held).exists()


def test_withdrawn_documents_go_a_year_after_the_withdrawal_passing_now(world):
    application = submitted(world["profile"])
    application_services.application_withdraw(actor=world["alice"], application=application)
    retention.retention_purge(now=timezone.now() + 364 * DAY)
    assert ApplicationDocument.objects.filter(application=application).exists()
    retention.retention_purge(now=timezone.now() + 366 * DAY)
    assert not ApplicationDocument.objects.filter(application=application).exists()


def test_a_changed_period_is_used_by_the_next_run(world):
    draft = complete_draft(world["profile"])
    _age_draft(draft, 40)
    retention.retention_purge()
    assert Application.objects.filter(pk=draft.pk).exists()
    services.retention_period_set(actor=_policy_admin(), category="abandoned_drafts", days=30)
    retention.retention_purge()
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert AuditEntry.objects.filter(action="privacy.retention_period_set").exists()


def _policy_admin():
    from tests.factories import UserFactory

    return UserFactory(roles=["policy_admin"])


def test_access_logs_and_verification_logs_and_answers_go_after_their_periods(world):
    from verification.models import VerificationAttempt, VerificationCheck

    application = submitted(world["profile"])
    intake_done(application, world["gz_intake"])
    application = application_services.application_accept(actor=world["gz_intake"], application=application)
    check = VerificationCheck.objects.filter(application=application).first()
    assert check is not None
    long_ago = timezone.now() - 1100 * DAY
    VerificationCheck.objects.filter(pk=check.pk).update(
        status="verified", completed_at=long_ago, answer_fields={"salary": 600000}, subject={"name": "MARTIN"}
    )
    attempt = VerificationAttempt.objects.create(
        verification_check=check, run=1, number=1, query_id="00000000-0000-0000-0000-000000000001",
        asked_by="system", started_at=long_ago, finished_at=long_ago,
    )  # fmt: skip
    services.case_access_record(
        user=world["gz_intake"], application_id=application.pk, view_name="x", now=long_ago
    )
    Application.objects.filter(pk=application.pk).update(status=Status.REFUSED, decided_at=long_ago)

    retention.retention_purge()

    check.refresh_from_db()
    assert check.answer_fields == {} and check.subject == {} and check.status == "verified"
    assert not VerificationAttempt.objects.filter(pk=attempt.pk).exists()
    assert not CaseAccess.objects.exists()
    categories = set(
        AuditEntry.objects.filter(action="privacy.retention_purge").values_list("after__category", flat=True)
    )
    assert {"verification_answers", "verification_logs", "access_logs"} <= categories


def test_the_beat_schedule_runs_the_purge_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention-purge"]
    assert entry["task"] == "privacy.tasks.retention_purge_task" and entry["schedule"] == 24 * 3600
    from privacy.tasks import retention_purge_task

    assert retention_purge_task.name == entry["task"]

"""Every write of the verification app: requests (the outbox), claims, results, re-sends, management.

How a check runs: ``verification_requests_create`` writes the check rows in the transaction of
the state change that needs them and sends their tasks after commit. The task claims the row
(``check_claim``: a conditional UPDATE, so a duplicate delivery claims nothing), asks the agency
outside any transaction, then records the outcome (``check_record``) under row locks, only if it
still holds the lease. ``checks_sweep`` re-sends whatever is unfinished past its deadline.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from residence.accounts.models import Role
from residence.audit.services import audit_record

from .checks import AGENCY_OF_KIND, MANAGEMENT_CHECKS, CheckKind, kinds_for_channel
from .connectors import AgencyError, AgencyTimeout, Answer, Query
from .models import (
    FAILED,
    UNFINISHED,
    CheckStatus,
    HolderReview,
    ManagementCase,
    Purpose,
    VerificationAttempt,
    VerificationCheck,
)

logger = logging.getLogger(__name__)

HOLDER_STATUSES = ("approved", "card_issued")


# --- what to ask ------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | bool | float):
        return value
    return str(value)


def _subject(application) -> dict:
    profile = application.applicant
    return {
        "passport_number": profile.passport_number,
        "nationality": profile.nationality,
        "birth_date": profile.birth_date.isoformat(),
        "family_name": profile.family_name,
        "given_names": profile.given_names,
    }


def _stated(application) -> dict:
    """The facts the applicant stated, as the engine saw them, plus identifiers agencies use."""
    facts = application.facts
    stated: dict[str, Any] = {}
    if facts is not None:
        stated.update(facts.to_engine_facts())
        for name in ("employer_credit_code", "talent_program_approval_ref"):
            if getattr(facts, name, ""):
                stated[name] = getattr(facts, name)
    return {key: _plain(value) for key, value in stated.items()}


def checks_required_for(application) -> list[str]:
    """The kinds of check the application's channel needs under the policy it was submitted under."""
    document = application.policy_version.document if application.policy_version_id else None
    return kinds_for_channel(application.channel, document)


def _new_check(
    *, application, kind: str, purpose: str, actor, reason: str, now, subject, stated, review=None
):
    spec = AGENCY_OF_KIND[kind]
    return VerificationCheck(
        application=application,
        holder_review=review,
        purpose=purpose,
        kind=kind,
        agency=spec.code,
        subject=subject,
        stated={name: stated.get(name) for name in spec.stated_fields},
        reason_asked=reason[:300],
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        deadline=now + dt.timedelta(seconds=settings.VERIFICATION_STUCK_AFTER_SECONDS),
        created_at=now,
        requested_at=now,
        sends=1,
    )


def _audit_requests(checks: list[VerificationCheck], actor) -> None:
    for check in checks:
        audit_record(
            actor=actor,
            action="verification.request",
            obj=check,
            after={
                "agency": check.agency,
                "kind": check.kind,
                "about": check.subject.get("passport_number"),
                "application": check.application.reference or check.application_id,
                "asked": sorted(check.stated),
                "correlation_id": str(check.correlation_id),
            },
            reason=check.reason_asked,
        )


def _send_after_commit(pairs: list[tuple[int, int]], *, countdown: float | None = None) -> None:
    def send() -> None:
        from .tasks import verification_check_run_task

        for check_id, run in pairs:
            try:
                verification_check_run_task.apply_async(
                    (check_id, run),
                    countdown=countdown,
                    retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5},
                )
            except Exception:  # noqa: BLE001 - the row is the truth: the sweeper re-sends it
                logger.warning(
                    "could not send check %s (run %s); the sweeper will", check_id, run, exc_info=True
                )

    if pairs:
        transaction.on_commit(send)


def _accepting_actor(application):
    change = application.status_changes.filter(to_status="verifying").order_by("-at", "-id").first()
    return change.actor if change is not None else None


def verification_requests_create(*, application, actor=None, reason: str = "") -> list[VerificationCheck]:
    """The checks of an application entering verification, written in the caller's transaction.

    Idempotent: checks already written are returned, not written again. Outside verification, or
    outside a transaction (a page showing the case), it only returns the checks there are.
    """
    existing = list(
        VerificationCheck.objects.filter(application=application, purpose=Purpose.APPLICATION).order_by(
            "kind"
        )
    )
    if application.status != "verifying" or not transaction.get_connection().in_atomic_block:
        return existing
    have = {check.kind for check in existing}
    missing = [kind for kind in checks_required_for(application) if kind not in have]
    if not missing:
        return existing
    actor = actor if actor is not None else _accepting_actor(application)
    reason = reason or _("Verification of the facts stated in application %(ref)s") % {
        "ref": application.reference or application.pk
    }
    now = timezone.now()
    subject, stated = _subject(application), _stated(application)
    created = VerificationCheck.objects.bulk_create(
        [
            _new_check(
                application=application,
                kind=kind,
                purpose=Purpose.APPLICATION,
                actor=actor,
                reason=reason,
                now=now,
                subject=subject,
                stated=stated,
            )
            for kind in missing
        ]
    )
    _audit_requests(created, actor)
    _send_after_commit([(check.pk, check.run) for check in created])
    return sorted(existing + created, key=lambda c: c.kind)


# --- running a check ------------------------------------------------------------------------
@dataclass(frozen=True)
class Claim:
    check_id: int
    run: int
    token: uuid.UUID
    attempt_id: int
    purpose: str
    application_id: int
    review_id: int | None
    query: Query
    started: float  # time.monotonic() at the claim


def check_claim(*, check_id: int, run: int) -> Claim | None:
    """Take the check for one attempt, or None when it is finished, re-run or held by a live attempt."""
    now = timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        claimed = (
            VerificationCheck.objects.filter(pk=check_id, run=run)
            .filter(Q(status=CheckStatus.PENDING) | Q(status=CheckStatus.IN_FLIGHT, deadline__lt=now))
            .update(
                status=CheckStatus.IN_FLIGHT,
                lease_token=token,
                attempts=F("attempts") + 1,
                # The lease outlives the agency's timeout, so a live worker is never taken over.
                deadline=now
                + dt.timedelta(seconds=_longest_timeout() + settings.VERIFICATION_LEASE_MARGIN_SECONDS),
            )
        )
        if not claimed:
            return None
        check = VerificationCheck.objects.select_related("requested_by", "application").get(pk=check_id)
        # An attempt whose worker died (its lease ran out) will never report: say so.
        if check.attempts > 1:
            VerificationAttempt.objects.filter(
                verification_check_id=check_id, outcome=VerificationAttempt.Outcome.IN_FLIGHT
            ).update(
                outcome=VerificationAttempt.Outcome.SUPERSEDED,
                detail="lease expired: the worker was lost",
                finished_at=now,
            )
        asked_by = check.requested_by.email if check.requested_by_id else "system"
        query_id = uuid.uuid4()
        attempt = VerificationAttempt.objects.create(
            verification_check=check,
            run=run,
            number=check.attempts,
            query_id=query_id,
            asked_by=asked_by,
            started_at=now,
        )
    return Claim(
        check_id=check_id,
        run=run,
        token=token,
        attempt_id=attempt.pk,
        purpose=check.purpose,
        application_id=check.application_id,
        review_id=check.holder_review_id,
        query=Query(
            kind=check.kind,
            subject=check.subject,
            stated=check.stated,
            query_id=str(query_id),
            correlation_id=str(check.correlation_id),
            asked_by=asked_by,
            issue=check.application.reference or str(check.application_id),
        ),
        started=time.monotonic(),
    )


def _longest_timeout() -> float:
    per_agency = [float(a.get("timeout") or 0) for a in settings.VERIFICATION_AGENCIES.values()]
    return max([float(settings.VERIFICATION_TIMEOUT_SECONDS), *per_agency])


def backoff_seconds(attempt: int) -> float:
    """Exponential backoff with jitter: base * 2^(attempt-1), capped, times 0.5-1.5."""
    base = settings.VERIFICATION_RETRY_BASE_SECONDS * (2 ** max(0, attempt - 1))
    return min(settings.VERIFICATION_RETRY_MAX_SECONDS, base) * random.uniform(0.5, 1.5)


ATTEMPT_OUTCOME = {
    "agency_error": VerificationAttempt.Outcome.AGENCY_ERROR,
    "timeout": VerificationAttempt.Outcome.TIMEOUT,
    "refused": VerificationAttempt.Outcome.REFUSED,
}


@transaction.atomic
def check_record(*, claim: Claim, answer: Answer | None = None, error: AgencyError | None = None) -> str:
    """Record one attempt's outcome; returns "recorded", "retry" or "superseded"."""
    now = timezone.now()
    latency = int((time.monotonic() - claim.started) * 1000)
    if claim.purpose != Purpose.APPLICATION:
        HolderReview.objects.select_for_update().filter(pk=claim.review_id).values_list(
            "pk", flat=True
        ).first()
    check = VerificationCheck.objects.select_for_update().get(pk=claim.check_id)
    attempts = VerificationAttempt.objects.filter(pk=claim.attempt_id)
    if check.lease_token != claim.token or check.status != CheckStatus.IN_FLIGHT or check.run != claim.run:
        # Another attempt took over (this one outlived its lease): its answer is not recorded.
        attempts.update(
            outcome=VerificationAttempt.Outcome.SUPERSEDED,
            finished_at=now,
            latency_ms=latency,
            answer_digest=answer.digest if answer else "",
            detail="answer discarded: another attempt holds the check",
        )
        return "superseded"
    before = {"status": check.status, "attempts": check.attempts}
    if answer is not None:
        attempts.update(
            outcome=VerificationAttempt.Outcome.ANSWERED,
            result_status=answer.status,
            http_status=200,
            answer_digest=answer.digest,
            finished_at=now,
            latency_ms=latency,
        )
        check.status = answer.status
        check.answer_digest = answer.digest
        check.answer_fields = answer.fields
        check.failure_reason = ""
    else:
        attempts.update(
            outcome=ATTEMPT_OUTCOME.get(error.reason, VerificationAttempt.Outcome.AGENCY_ERROR),
            http_status=error.http_status,
            detail=error.detail[:300],
            finished_at=now,
            latency_ms=latency,
        )
        if error.retriable and check.attempts < settings.VERIFICATION_MAX_ATTEMPTS:
            countdown = backoff_seconds(check.attempts)
            check.status = CheckStatus.PENDING
            check.lease_token = None
            check.failure_reason = error.detail[:300]
            check.deadline = now + dt.timedelta(seconds=countdown + settings.VERIFICATION_STUCK_AFTER_SECONDS)
            check.sends += 1
            check.save(update_fields=["status", "lease_token", "failure_reason", "deadline", "sends"])
            _send_after_commit([(check.pk, check.run)], countdown=countdown)
            return "retry"
        check.status = CheckStatus.TIMED_OUT if isinstance(error, AgencyTimeout) else CheckStatus.ERROR
        check.failure_reason = (
            _("%(n)s attempts; last: %(detail)s") % {"n": check.attempts, "detail": error.detail}
        )[:300]
    check.lease_token = None
    check.completed_at = now
    check.latency_ms = latency
    check.save(
        update_fields=[
            "status",
            "answer_digest",
            "answer_fields",
            "failure_reason",
            "lease_token",
            "completed_at",
            "latency_ms",
        ]
    )
    audit_record(
        actor=None,
        action="verification.result",
        obj=check,
        before=before,
        after={
            "status": check.status,
            "agency": check.agency,
            "query_id": claim.query.query_id,
            "answer_digest": check.answer_digest,
            "fields": check.answer_fields,
            "reason": check.failure_reason,
            "latency_ms": latency,
        },
        reason=check.reason_asked,
    )
    if claim.purpose == Purpose.APPLICATION:
        # Read after commit: whichever result commits last sees every other result, so exactly
        # the last one moves the case on (a crash in between is caught by the sweeper).
        transaction.on_commit(lambda: application_complete_if_done(application_id=claim.application_id))
    elif claim.review_id:
        _review_maybe_complete(claim.review_id)
    return "recorded"


def application_complete_if_done(*, application_id: int) -> bool:
    """Move a case in verification on to review once none of its checks is unfinished."""
    from applications.models import Application

    if VerificationCheck.objects.filter(
        application_id=application_id, purpose=Purpose.APPLICATION, status__in=UNFINISHED
    ).exists():
        return False
    with transaction.atomic():
        status = (
            Application.objects.select_for_update()
            .filter(pk=application_id)
            .values_list("status", flat=True)
            .first()
        )
        if (
            status != "verifying"
            or VerificationCheck.objects.filter(
                application_id=application_id, purpose=Purpose.APPLICATION, status__in=UNFINISHED
            ).exists()
        ):
            return False
        from applications.services import application_verification_completed

        application_verification_completed(application=application_id)
    return True


# --- re-sending and re-running --------------------------------------------------------------
def _may_resend(actor, check: VerificationCheck) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.has_role(Role.SYSTEM_ADMIN, Role.POLICY_ADMIN):
        return True
    from applications.selectors import applications_visible_to

    return actor.is_officer and applications_visible_to(user=actor).filter(pk=check.application_id).exists()


@transaction.atomic
def check_rerun(*, actor, check: VerificationCheck, reason: str = "") -> VerificationCheck:
    """Ask again: a stuck request is sent again; a finished check starts a new run (attempts kept)."""
    if not _may_resend(actor, check):
        raise PermissionDenied(_("Only officers of the case and administrators may re-run a check."))
    reason = (reason or "").strip()[:300]
    check = VerificationCheck.objects.select_for_update().get(pk=check.pk)
    before = {"status": check.status, "run": check.run}
    now = timezone.now()
    if check.status in UNFINISHED:
        if check.status == CheckStatus.IN_FLIGHT and check.deadline > now:
            raise ValidationError(_("This check is being asked right now; wait for its answer."))
        check.status = CheckStatus.PENDING
        check.lease_token = None
        action = "verification.resend"
    else:
        check.run += 1
        check.status = CheckStatus.PENDING
        check.attempts = 0
        check.lease_token = None
        check.requested_by = actor
        check.requested_at = now
        check.completed_at = None
        check.reason_asked = reason or check.reason_asked
        action = "verification.rerun"
    check.deadline = now + dt.timedelta(seconds=settings.VERIFICATION_STUCK_AFTER_SECONDS)
    check.sends += 1
    check.save()
    audit_record(
        actor=actor,
        action=action,
        obj=check,
        before=before,
        after={"status": check.status, "run": check.run},
        reason=reason,
    )
    _send_after_commit([(check.pk, check.run)])
    return check


def checks_sweep(*, limit: int = 1000) -> dict[str, int]:
    """Re-send requests unfinished past their deadline; re-run failed ones after a pause (bounded)."""
    now = timezone.now()
    stuck_after = dt.timedelta(seconds=settings.VERIFICATION_STUCK_AFTER_SECONDS)
    with transaction.atomic():
        stuck = list(
            VerificationCheck.objects.select_for_update(skip_locked=True)
            .filter(status__in=UNFINISHED, deadline__lt=now)
            .order_by("deadline")[:limit]
        )
        for check in stuck:
            before = {"status": check.status, "sends": check.sends}
            check.status = CheckStatus.PENDING
            check.lease_token = None
            check.deadline = now + stuck_after
            check.sends += 1
            check.save(update_fields=["status", "lease_token", "deadline", "sends"])
            audit_record(
                actor=None,
                action="verification.resend",
                obj=check,
                before=before,
                after={"sends": check.sends},
                reason="stuck past its deadline",
            )
        rerun_before = now - dt.timedelta(seconds=settings.VERIFICATION_RERUN_FAILED_AFTER_SECONDS)
        failed = list(
            VerificationCheck.objects.select_for_update(skip_locked=True)
            .filter(
                status__in=FAILED,
                completed_at__lt=rerun_before,
                auto_reruns__lt=settings.VERIFICATION_AUTO_RERUNS,
            )
            .order_by("completed_at")[:limit]
        )
        for check in failed:
            before = {"status": check.status, "run": check.run}
            check.run += 1
            check.auto_reruns += 1
            check.status = CheckStatus.PENDING
            check.attempts = 0
            check.requested_at = now
            check.completed_at = None
            check.deadline = now + stuck_after
            check.sends += 1
            check.save()
            audit_record(
                actor=None,
                action="verification.rerun",
                obj=check,
                before=before,
                after={"run": check.run},
                reason="automatic re-run after a failure",
            )
        _send_after_commit([(c.pk, c.run) for c in stuck + failed])
    # A worker lost between a last result and moving its case on leaves the case waiting: move it.
    from applications.models import Application

    waiting = (
        Application.objects.filter(status="verifying", verification_checks__purpose=Purpose.APPLICATION)
        .exclude(verification_checks__status__in=UNFINISHED)
        .values_list("pk", flat=True)
        .distinct()[:limit]
    )
    for application_id in list(waiting):
        application_complete_if_done(application_id=application_id)
    return {"resent": len(stuck), "rerun": len(failed)}


# --- daily management (R21) -------------------------------------------------------------------
def residence_min_days() -> int:
    """The policy in force's residence rule for permanent residents (days in China per year)."""
    try:
        from eligibility.selectors import policy_version_in_force

        document = policy_version_in_force().document or {}
    except Exception:  # noqa: BLE001 - no policy installed: the configured default applies
        document = {}
    rule = (document.get("holder_residence") or {}).get("min_days_per_year")
    return int(rule or settings.VERIFICATION_RESIDENCE_MIN_DAYS_DEFAULT)


def management_rechecks_start(*, limit: int | None = None) -> int:
    """Start a review of each permanent resident not reviewed within the cadence; one transaction each."""
    from applications.models import Application

    now = timezone.now()
    due_since = now - dt.timedelta(days=settings.VERIFICATION_MANAGEMENT_CADENCE_DAYS)
    holders = (
        Application.objects.filter(status__in=HOLDER_STATUSES)
        .exclude(holder_reviews__started_at__gte=due_since)
        .select_related("applicant", *_facts_related())
        .order_by("id")[: limit or settings.VERIFICATION_MANAGEMENT_BATCH]
    )
    min_days = residence_min_days()
    started = 0
    for application in holders:
        holder_review_start(application=application, min_days=min_days)
        started += 1
    return started


def _facts_related() -> list[str]:
    from applications.channels import FACTS_RELATED_NAMES

    return FACTS_RELATED_NAMES


@transaction.atomic
def holder_review_start(*, application, min_days: int) -> HolderReview:
    now = timezone.now()
    review = HolderReview.objects.create(application=application, min_days_per_year=min_days, started_at=now)
    reason = _("Daily management: periodic re-check of a permanent resident")
    subject, stated = _subject(application), _stated(application)
    checks = VerificationCheck.objects.bulk_create(
        [
            _new_check(
                application=application,
                kind=kind,
                purpose=Purpose.MANAGEMENT,
                actor=None,
                reason=reason,
                now=now,
                subject=subject,
                stated=stated,
                review=review,
            )
            for kind in MANAGEMENT_CHECKS
        ]
    )
    _audit_requests(checks, None)
    _send_after_commit([(check.pk, check.run) for check in checks])
    return review


def _findings(review: HolderReview, checks: list[VerificationCheck]) -> list[dict]:
    findings = []
    for check in checks:
        evidence = {
            "check": check.pk,
            "kind": check.kind,
            "agency": check.agency,
            "status": check.status,
            "fields": check.answer_fields,
            "answer_digest": check.answer_digest,
            "completed_at": check.completed_at.isoformat() if check.completed_at else None,
        }
        if check.kind == CheckKind.DAYS_IN_CHINA and check.status in (
            CheckStatus.VERIFIED,
            CheckStatus.MISMATCH,
        ):
            record = (check.answer_fields.get("days_in_china_by_year") or {}).get("record") or []
            if record and int(record[0]) < review.min_days_per_year:
                findings.append(
                    evidence
                    | {"finding": "residence", "days": record[0], "min_days": review.min_days_per_year}
                )
        elif check.kind in (CheckKind.INCOME_TAX, CheckKind.EMPLOYMENT) and check.status in (
            CheckStatus.MISMATCH,
            CheckStatus.NOT_FOUND,
        ):
            findings.append(evidence | {"finding": check.kind})
    return findings


def _review_maybe_complete(review_id: int) -> None:
    checks = list(VerificationCheck.objects.filter(holder_review_id=review_id))
    if any(check.status in UNFINISHED for check in checks):
        return
    review = HolderReview.objects.get(pk=review_id)
    if review.completed_at is not None:
        return
    findings = _findings(review, checks)
    review.completed_at = timezone.now()
    review.outcome = HolderReview.Outcome.FINDING if findings else HolderReview.Outcome.CLEAR
    review.save(update_fields=["completed_at", "outcome"])
    if findings:
        case = ManagementCase.objects.create(
            application_id=review.application_id, review=review, findings=findings
        )
        audit_record(
            actor=None,
            action="verification.management_case_open",
            obj=case,
            after={"findings": [f["finding"] for f in findings]},
            reason=_("Daily management found a change that needs an officer"),
        )


@transaction.atomic
def management_case_close(*, actor, case: ManagementCase, resolution: str) -> ManagementCase:
    if not (
        getattr(actor, "is_authenticated", False)
        and actor.has_role(Role.MANAGEMENT_OFFICER, Role.SYSTEM_ADMIN)
    ):
        raise PermissionDenied(_("Only management officers may close a management case."))
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": [_("Say what was done about the finding.")]})
    case = ManagementCase.objects.select_for_update().get(pk=case.pk)
    if case.status != ManagementCase.Status.OPEN:
        raise ValidationError(_("This case is already closed."))
    case.status = ManagementCase.Status.CLOSED
    case.closed_at = timezone.now()
    case.closed_by = actor
    case.resolution = resolution[:4000]
    case.save(update_fields=["status", "closed_at", "closed_by", "resolution"])
    audit_record(
        actor=actor,
        action="verification.management_case_close",
        obj=case,
        before={"status": ManagementCase.Status.OPEN},
        after={"status": case.status},
        reason=case.resolution,
    )
    return case

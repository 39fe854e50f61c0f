"""Every write of the verification app: requests (the outbox), claims, results, re-sends, management.

How a check runs: ``verification_requests_create`` writes the check rows in the transaction of
the state change that needs them and sends their tasks after commit. The task claims the row
(``checks_claim``: rows locked with SKIP LOCKED and leased, so a duplicate delivery claims
nothing), asks the agency outside any transaction, then records the outcomes (``checks_record``)
under row locks, only where it still holds the lease. Bulk sends go in batches of one agency's
checks (``checks_dispatch``). ``checks_sweep`` re-sends whatever is unfinished past its deadline.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import random
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from residence.accounts.models import Role
from residence.audit.services import audit_record, audit_record_many, mask_passport
from residence.core.db import rows_update

from . import extensions
from .checks import AGENCY_NAMES, AGENCY_OF_KIND, MANAGEMENT_CHECKS, CheckKind, kinds_for_channel
from .connectors import AgencyError, AgencyTimeout, Answer, Query, connector_for
from .models import (
    FAILED,
    KIND_LABELS,
    UNFINISHED,
    CheckStatus,
    HolderReview,
    ManagementCase,
    Purpose,
    VerificationAttempt,
    VerificationCheck,
)

logger = logging.getLogger(__name__)


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
        for name in (
            "employer_credit_code",
            "talent_program_approval_ref",
            "sponsor_id_number",
            "talent_visa_number",
        ):
            if getattr(facts, name, ""):
                stated[name] = getattr(facts, name)
    return {key: _plain(value) for key, value in stated.items()}


def checks_required_for(application) -> list[str]:
    """The kinds of check the application's channel needs under the policy it was submitted under."""
    document = application.policy_version.document if application.policy_version_id else None
    stated = _stated(application)
    return [
        kind
        for kind in kinds_for_channel(application.channel, document)
        if AGENCY_OF_KIND[kind].asks_something(stated)
    ]


def _given(value) -> bool:
    return value not in (None, "", [])


def unclaimed_deadline(now, *, waited: float = 0.0, countdown: float = 0.0) -> dt.datetime:
    """When a request sent now, and not claimed by a worker by then, is sent again.

    Soon (``VERIFICATION_UNCLAIMED_SECONDS``) for a request just made: a message lost with the
    broker or taken by a worker killed before it began costs seconds, not minutes. A request that
    has already ``waited`` (seconds since it was asked) waits as long again, up to
    ``VERIFICATION_STUCK_AFTER_SECONDS``: checks only waiting their turn in a long queue are sent
    again a few times at most (the copies double the wait each time), never every sweep.
    """
    wait = min(
        max(settings.VERIFICATION_UNCLAIMED_SECONDS, waited), settings.VERIFICATION_STUCK_AFTER_SECONDS
    )
    return now + dt.timedelta(seconds=countdown + wait)


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
        # Only what the applicant gave: a fact they left out is not asked about, nor defaulted.
        stated={name: stated[name] for name in spec.stated_fields if _given(stated.get(name))},
        reason_asked=reason[:300],
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        deadline=unclaimed_deadline(now),
        created_at=now,
        requested_at=now,
        sends=1,
    )


def _audit_requests(checks: list[VerificationCheck], actor) -> None:
    audit_record_many(
        [
            {
                "actor": actor,
                "action": "verification.request",
                "obj": check,
                "after": {
                    "agency": check.agency,
                    "kind": check.kind,
                    "about": mask_passport(check.subject.get("passport_number")),
                    "application": check.application.reference or check.application_id,
                    "asked": sorted(check.stated),
                    "correlation_id": str(check.correlation_id),
                },
                "reason": check.reason_asked,
            }
            for check in checks
        ]
    )


def dispatch_batches(checks: Iterable[VerificationCheck], *, size: int) -> list[list[list[int]]]:
    """[check id, run] pairs in batches of up to ``size`` checks of one agency, agencies taking turns.

    Taking turns, every agency's checks progress together, and cases, which need several
    agencies, complete as the work goes rather than all at its end.
    """
    by_agency: dict[str, list[list[int]]] = {}
    for check in checks:
        by_agency.setdefault(check.agency, []).append([check.pk, check.run])
    size = max(1, size)
    per_agency = [[pairs[i : i + size] for i in range(0, len(pairs), size)] for pairs in by_agency.values()]
    return [batch for turn in itertools.zip_longest(*per_agency) for batch in turn if batch]


def checks_dispatch(checks: Iterable[VerificationCheck], *, countdown: float | None = None) -> int:
    """Publish run messages for these checks now: one message per batch of one agency's checks.

    A batch (up to ``VERIFICATION_BATCH_SIZE``) is claimed, asked and recorded by one task, so
    the database and broker work of a check is shared by the batch; checks of different agencies
    travel apart, so one slow agency never holds up another's. A publish that fails is only
    logged: the rows are the truth and the sweeper re-sends them. Returns the messages sent.
    """
    from residence.celery import app
    from residence.core.outbox import publish

    from .tasks import verification_checks_run_task

    batches = dispatch_batches(checks, size=settings.VERIFICATION_BATCH_SIZE)
    sent = 0
    try:
        with app.producer_or_acquire() as producer:
            for batch in batches:
                if not publish(
                    verification_checks_run_task, args=(batch,), countdown=countdown, producer=producer
                ):
                    break  # the broker is down: the rows are the truth and the sweeper re-sends them
                sent += 1
    except Exception:  # no producer at all (no broker): the same, for every batch
        logger.warning("could not reach the broker", exc_info=True)
    if sent < len(batches):
        logger.warning(
            "%s of %s batches of checks not sent; the sweeper will", len(batches) - sent, len(batches)
        )
    return sent


def _send_after_commit(checks: list[VerificationCheck], *, countdown: float | None = None) -> None:
    if checks:
        checks = list(checks)
        transaction.on_commit(lambda: checks_dispatch(checks, countdown=countdown), robust=True)


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
    cases = extensions.cases()
    if not cases.in_verification(application) or not transaction.get_connection().in_atomic_block:
        return existing
    have = {check.kind for check in existing}
    missing = [kind for kind in checks_required_for(application) if kind not in have]
    if not missing:
        return existing
    actor = actor if actor is not None else cases.sent_by(application)
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
    _send_after_commit(created)
    return sorted(existing + created, key=lambda c: c.kind)


# --- running checks -------------------------------------------------------------------------
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


@dataclass(frozen=True)
class CheckOutcome:
    """What one attempt got from the agency: an answer or an error, and how long it took."""

    claim: Claim
    answer: Answer | None = None
    error: AgencyError | None = None
    latency_ms: int | None = None  # None: measured from the claim


def checks_claim(*, pairs: Iterable[tuple[int, int]]) -> list[Claim]:
    """Take each (check, run) for one attempt, skipping those finished, re-run or held by a live attempt.

    One transaction for the whole batch: the rows are locked (``SKIP LOCKED``: a duplicate delivery
    racing this one takes nothing), then one UPDATE takes their lease and one INSERT writes their
    attempts. A re-delivered message finds its checks in flight under a live lease and claims none.
    """
    wanted = {int(check_id): int(run) for check_id, run in pairs}
    if not wanted:
        return []
    now = timezone.now()
    token = uuid.uuid4()
    # The batch is asked one check after another: the lease covers them all, so a live worker
    # is never taken over by the sweeper.
    lease = dt.timedelta(
        seconds=_longest_timeout() * len(wanted) + settings.VERIFICATION_LEASE_MARGIN_SECONDS
    )
    with transaction.atomic():
        # Looked up by id alone and sifted here: a status condition in SQL leads PostgreSQL to the
        # partial index of unfinished checks, which churn leaves full of dead entries.
        rows = [
            check
            for check in VerificationCheck.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=wanted)
            .annotate(asked_by_email=F("requested_by__email"), issue_ref=F("application__reference"))
            .order_by("pk")
            if check.run == wanted[check.pk]
            and (
                check.status == CheckStatus.PENDING
                or (check.status == CheckStatus.IN_FLIGHT and check.deadline < now)
            )
        ]
        if not rows:
            return []
        VerificationCheck.objects.filter(pk__in=[check.pk for check in rows]).update(
            status=CheckStatus.IN_FLIGHT, lease_token=token, attempts=F("attempts") + 1, deadline=now + lease
        )
        # An earlier attempt whose worker died (its lease ran out) will never report: say so.
        retaken = [check.pk for check in rows if check.attempts]
        if retaken:
            VerificationAttempt.objects.filter(
                verification_check_id__in=retaken, outcome=VerificationAttempt.Outcome.IN_FLIGHT
            ).update(
                outcome=VerificationAttempt.Outcome.SUPERSEDED,
                detail="lease expired: the worker was lost",
                finished_at=now,
            )
        attempts = VerificationAttempt.objects.bulk_create(
            [
                VerificationAttempt(
                    verification_check_id=check.pk,
                    run=check.run,
                    number=check.attempts + 1,
                    query_id=uuid.uuid4(),
                    asked_by=check.asked_by_email or "system",
                    started_at=now,
                )
                for check in rows
            ]
        )
    started = time.monotonic()
    return [
        Claim(
            check_id=check.pk,
            run=check.run,
            token=token,
            attempt_id=attempt.pk,
            purpose=check.purpose,
            application_id=check.application_id,
            review_id=check.holder_review_id,
            query=Query(
                kind=check.kind,
                subject=check.subject,
                stated=check.stated,
                query_id=str(attempt.query_id),
                correlation_id=str(check.correlation_id),
                asked_by=attempt.asked_by,
                issue=check.issue_ref or str(check.application_id),
            ),
            started=started,
        )
        for check, attempt in zip(rows, attempts, strict=True)
    ]


def check_ask(claim: Claim) -> CheckOutcome:
    """Ask the agency, outside any transaction; an agency's failure is an outcome, not an exception."""
    asked = time.monotonic()
    try:
        answer, error = connector_for(claim.query.kind).ask(claim.query), None
    except AgencyError as failure:
        answer, error = None, failure
    return CheckOutcome(
        claim=claim, answer=answer, error=error, latency_ms=int((time.monotonic() - asked) * 1000)
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
ATTEMPT_FIELDS = [
    "outcome",
    "result_status",
    "http_status",
    "answer_digest",
    "detail",
    "finished_at",
    "latency_ms",
]
CHECK_RESULT_FIELDS = [
    "status",
    "answer_digest",
    "answer_fields",
    "failure_reason",
    "lease_token",
    "completed_at",
    "latency_ms",
    "deadline",
    "sends",
]


def _apply_outcome(
    check: VerificationCheck, outcome: CheckOutcome, attempt: VerificationAttempt, now
) -> tuple[str, float]:
    """Set the check and its attempt from one outcome, in memory.

    Returns what became of it ("recorded", "retry" or "superseded") and, for a retry, its delay.
    """
    claim, answer, error = outcome.claim, outcome.answer, outcome.error
    latency = outcome.latency_ms
    if latency is None:
        latency = int((time.monotonic() - claim.started) * 1000)
    attempt.finished_at, attempt.latency_ms = now, latency
    if check.lease_token != claim.token or check.status != CheckStatus.IN_FLIGHT or check.run != claim.run:
        # Another attempt took over (this one outlived its lease): its answer is not recorded.
        attempt.outcome = VerificationAttempt.Outcome.SUPERSEDED
        attempt.answer_digest = answer.digest if answer else ""
        attempt.detail = "answer discarded: another attempt holds the check"
        return "superseded", 0.0
    if answer is not None:
        attempt.outcome = VerificationAttempt.Outcome.ANSWERED
        attempt.result_status, attempt.http_status, attempt.answer_digest = answer.status, 200, answer.digest
        check.record_answer(answer.status)
        check.answer_digest = answer.digest
        check.answer_fields = answer.fields
        check.failure_reason = ""
    else:
        if error is None:
            raise ValueError("an outcome has an answer or an error")
        attempt.outcome = ATTEMPT_OUTCOME.get(error.reason, VerificationAttempt.Outcome.AGENCY_ERROR)
        attempt.http_status, attempt.detail = error.http_status, error.detail[:300]
        if error.retriable and check.attempts < settings.VERIFICATION_MAX_ATTEMPTS:
            countdown = backoff_seconds(check.attempts)
            check.retry()
            check.lease_token = None
            check.failure_reason = error.detail[:300]
            check.sends += 1
            check.deadline = unclaimed_deadline(now, countdown=countdown)
            return "retry", countdown
        check.fail(timed_out=isinstance(error, AgencyTimeout))
        check.failure_reason = (
            _("%(n)s attempts; last: %(detail)s") % {"n": check.attempts, "detail": error.detail}
        )[:300]
    check.lease_token = None
    check.completed_at = now
    check.latency_ms = latency
    return "recorded", 0.0


@transaction.atomic
def checks_record(*, outcomes: list[CheckOutcome]) -> dict[int, str]:
    """Record a batch of attempts in one transaction; per check "recorded", "retry" or "superseded".

    The checks are locked in id order (as every writer of checks locks them), their attempts and
    the checks are written with one UPDATE each, and each result's audit entry with one INSERT.
    """
    if not outcomes:
        return {}
    now = timezone.now()
    # A check of a review (any purpose but an application's) has its review's id.
    review_ids = sorted(
        {
            o.claim.review_id
            for o in outcomes
            if o.claim.purpose != Purpose.APPLICATION and o.claim.review_id is not None
        }
    )
    if review_ids:
        # A review completes once: its checks' results are recorded one batch at a time.
        list(HolderReview.objects.select_for_update().filter(pk__in=review_ids).order_by("pk").values("pk"))
    checks = {
        check.pk: check
        for check in VerificationCheck.objects.select_for_update()
        .filter(pk__in=[o.claim.check_id for o in outcomes])
        .order_by("pk")
    }
    done: dict[int, str] = {}
    attempts, changed, audits, retries = [], [], [], []
    for outcome in outcomes:
        check = checks[outcome.claim.check_id]
        before = {"status": check.status, "attempts": check.attempts}
        attempt = VerificationAttempt(pk=outcome.claim.attempt_id)
        done[check.pk], countdown = _apply_outcome(check, outcome, attempt, now)
        attempts.append(attempt)
        if done[check.pk] == "superseded":
            continue
        changed.append(check)
        if done[check.pk] == "retry":
            retries.append((check, countdown))
            continue
        audits.append(
            {
                "actor": None,
                "action": "verification.result",
                "obj": check,
                "before": before,
                "after": {
                    "status": check.status,
                    "agency": check.agency,
                    "query_id": outcome.claim.query.query_id,
                    "answer_digest": check.answer_digest,
                    "fields": check.answer_fields,
                    "reason": check.failure_reason,
                    "latency_ms": check.latency_ms,
                },
                "reason": check.reason_asked,
            }
        )
    rows_update(VerificationAttempt, attempts, ATTEMPT_FIELDS)
    rows_update(VerificationCheck, changed, CHECK_RESULT_FIELDS)
    audit_record_many(audits)
    for check, countdown in retries:
        _send_after_commit([check], countdown=countdown)
    finished = [checks[pk] for pk, what in done.items() if what == "recorded"]
    answered = [
        c
        for c in finished
        if c.purpose == Purpose.APPLICATION
        and c.status in (CheckStatus.VERIFIED, CheckStatus.MISMATCH, CheckStatus.NOT_FOUND)
    ]
    if answered:
        # The case's app hears of each answer in this transaction (R7: a matching talent visa's
        # category and approval reference fill the case; a re-run that no longer matches takes
        # them back; a failure is no answer and changes nothing).
        check_answered = extensions.cases().check_answered
        for check in answered:
            check_answered(check)
    application_ids = sorted({c.application_id for c in finished if c.purpose == Purpose.APPLICATION})
    if application_ids:
        # Read after commit: whichever result commits last sees every other result, so exactly
        # the last one moves the case on (a crash in between is caught by the sweeper).
        transaction.on_commit(lambda: applications_complete_if_done(application_ids=application_ids))
    for review_id in sorted({c.holder_review_id for c in finished if c.holder_review_id}):
        _review_maybe_complete(review_id)
    return done


def checks_run(*, pairs: Iterable[tuple[int, int]]) -> dict[int, str]:
    """Claim, ask and record a batch; per check id "recorded", "retry", "superseded" or "skipped"."""
    pairs = list(pairs)
    claims = checks_claim(pairs=pairs)
    done = checks_record(outcomes=[check_ask(claim) for claim in claims])
    return {int(check_id): done.get(int(check_id), "skipped") for check_id, _ in pairs}


def applications_complete_if_done(*, application_ids: list[int]) -> list[int]:
    """Move on to review each case in verification none of whose checks is unfinished.

    Called after the results' commit: whichever result commits last sees every other result, so
    the last one of a case moves it on (a crash in between is caught by the sweeper). One query
    finds the cases ready; they move together in one transaction that re-reads each status under
    lock, so two last results arriving together move a case once. Returns the cases moved.

    Moving the case on is the case's app's (the registered ``checks_complete``): verification
    announces "checks of these cases complete" and never names a case's states.
    """
    # The statuses of the cases' checks, by the (application, kind) index; see checks_claim.
    waiting = {
        application_id
        for application_id, status in VerificationCheck.objects.filter(
            application_id__in=application_ids, purpose=Purpose.APPLICATION
        ).values_list("application_id", "status")
        if status in UNFINISHED
    }
    ready = [pk for pk in application_ids if pk not in waiting]
    if not ready:
        return []
    return [application.pk for application in extensions.cases().checks_complete(ready)]


# --- re-sending and re-running --------------------------------------------------------------
def _may_resend(actor, check: VerificationCheck) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.has_role(Role.SYSTEM_ADMIN, Role.POLICY_ADMIN):
        return True
    visible = extensions.cases().visible_to(actor)
    return actor.is_officer and visible.filter(pk=check.application_id).exists()


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
        check.resend()
        check.lease_token = None
        action = "verification.resend"
    else:
        check.run += 1
        check.rerun()
        check.attempts = 0
        check.lease_token = None
        check.requested_by = actor
        check.requested_at = now
        check.completed_at = None
        check.reason_asked = reason or check.reason_asked
        action = "verification.rerun"
    check.sends += 1
    check.deadline = unclaimed_deadline(now)
    check.save(
        update_fields=[
            "status",
            "lease_token",
            "sends",
            "deadline",
            "run",
            "attempts",
            "requested_by",
            "requested_at",
            "completed_at",
            "reason_asked",
        ]
    )
    audit_record(
        actor=actor,
        action=action,
        obj=check,
        before=before,
        after={"status": check.status, "run": check.run},
        reason=reason,
    )
    _send_after_commit([check])
    return check


def checks_sweep(*, limit: int = 1000) -> dict[str, int]:
    """Re-send requests unfinished past their deadline; re-run failed ones after a pause (bounded)."""
    now = timezone.now()
    with transaction.atomic():
        stuck = list(
            VerificationCheck.objects.select_for_update(skip_locked=True)
            .filter(status__in=UNFINISHED, deadline__lt=now)
            .order_by("deadline")[:limit]
        )
        for check in stuck:
            before = {"status": check.status, "sends": check.sends}
            # Sent and never claimed (lost, or still queued behind others: the wait grows with
            # its age), or claimed by a worker that died (its lease ran out: soon again).
            waited = (now - check.requested_at).total_seconds() if check.status == CheckStatus.PENDING else 0
            check.resend()
            check.lease_token = None
            check.sends += 1
            check.deadline = unclaimed_deadline(now, waited=waited)
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
            check.rerun()
            check.attempts = 0
            check.requested_at = now
            check.completed_at = None
            check.sends += 1
            check.deadline = unclaimed_deadline(now)
            check.save(
                update_fields=[
                    "status",
                    "run",
                    "auto_reruns",
                    "attempts",
                    "requested_at",
                    "completed_at",
                    "sends",
                    "deadline",
                ]
            )
            audit_record(
                actor=None,
                action="verification.rerun",
                obj=check,
                before=before,
                after={"run": check.run},
                reason="automatic re-run after a failure",
            )
        _send_after_commit(stuck + failed)
    # A worker lost between a last result and moving its case on leaves the case waiting: move it.
    waiting = (
        extensions.cases()
        .waiting()
        .filter(verification_checks__purpose=Purpose.APPLICATION)
        .exclude(verification_checks__status__in=UNFINISHED)
        .values_list("pk", flat=True)
        .distinct()[:limit]
    )
    applications_complete_if_done(application_ids=list(waiting))
    return {"resent": len(stuck), "rerun": len(failed)}


# --- daily management (R21) -------------------------------------------------------------------
def management_rechecks_start(*, limit: int | None = None) -> int:
    """Start a review of each permanent resident not reviewed within the cadence; one transaction each."""
    now = timezone.now()
    due_since = now - dt.timedelta(days=settings.VERIFICATION_MANAGEMENT_CADENCE_DAYS)
    # Which cases are held by permanent residents is the case's app's (with their facts loaded).
    holders = (
        extensions.cases()
        .holders()
        .exclude(holder_reviews__started_at__gte=due_since)
        .order_by("id")[: limit or settings.VERIFICATION_MANAGEMENT_BATCH]
    )
    from eligibility.selectors import residence_min_days

    min_days = residence_min_days()
    # One transaction per holder; their checks go out together afterwards, in batches per agency
    # (a crash before that only delays them: the sweeper sends what is left).
    reviews = [_holder_review_create(application=application, min_days=min_days) for application in holders]
    checks_dispatch([check for _review, checks in reviews for check in checks])
    return len(reviews)


@transaction.atomic
def _holder_review_create(*, application, min_days: int) -> tuple[HolderReview, list[VerificationCheck]]:
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
            for kind in management_kinds_for(application)
        ]
    )
    _audit_requests(checks, None)
    return review, checks


def rests_on_study(application) -> bool:
    """Whether the holder's stay rests on study (R21): a minor child admitted to join their family,
    or a person whose residence permit before the card was a study permit."""
    family = getattr(application, "family_facts", None) if application.channel == "family" else None
    if family is not None and family.relationship == "minor_child":
        return True
    return application.applicant.residence_permit_type == "study"


def management_kinds_for(application) -> list[str]:
    """The re-checks of one holder: the standing ones, and the study status where the stay rests on it."""
    kinds = list(MANAGEMENT_CHECKS)
    if rests_on_study(application):
        kinds.append(CheckKind.STUDY)
    return kinds


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
        elif check.kind == CheckKind.STUDY and check.status in (CheckStatus.MISMATCH, CheckStatus.NOT_FOUND):
            # No longer enrolled, or no enrolment on record: the ground of the stay may be gone.
            findings.append(evidence | {"finding": "study"})
        elif check.kind == CheckKind.CREDIT and check.status == CheckStatus.MISMATCH:
            # Only serious untrustworthiness entries; no record at the platform means no entry.
            serious = (check.answer_fields.get("serious_entries") or {}).get("record") or []
            findings.append(evidence | {"finding": "credit", "entries": serious})
    return findings


def _awaits_rerun(check: VerificationCheck) -> bool:
    """A failed check the sweeper will ask again: its fact is not yet verified, so the review waits."""
    return check.status in FAILED and check.auto_reruns < settings.VERIFICATION_AUTO_RERUNS


def _review_maybe_complete(review_id: int) -> None:
    checks = list(VerificationCheck.objects.filter(holder_review_id=review_id))
    if any(check.status in UNFINISHED or _awaits_rerun(check) for check in checks):
        return
    review = HolderReview.objects.get(pk=review_id)
    if review.completed_at is not None:
        return
    findings = _findings(review, checks)
    review.completed_at = timezone.now()
    if findings:
        review.outcome = HolderReview.Outcome.FINDING
    elif any(check.status in FAILED for check in checks):
        # An agency that did not answer leaves its fact unverified, never "nothing found".
        review.outcome = HolderReview.Outcome.UNVERIFIED
    else:
        review.outcome = HolderReview.Outcome.CLEAR
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


# A finding's suggested ground for revocation (R22); the officer confirms or chooses another.
FINDING_GROUNDS = {"residence": "insufficient_residence"}


def local_minute(value) -> str:
    """An ISO date-time kept in a finding (UTC), in the portal's local time to the minute."""
    from django.utils.dateparse import parse_datetime

    moment = parse_datetime(str(value or ""))
    if moment is None:
        return str(value or "")[:16].replace("T", " ")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def finding_evidence(case: ManagementCase, finding: dict) -> str:
    """The finding as the evidence of a revocation case: what was checked, with whom, when, and what the record says."""
    from .labels import CREDIT_ENTRY_LABELS, FIELD_LABELS

    kind_code, agency_code = str(finding.get("kind")), str(finding.get("agency"))
    kind = str(KIND_LABELS.get(kind_code, kind_code))
    agency = str(AGENCY_NAMES.get(agency_code, agency_code))
    lines = [
        _(
            "Daily management case %(case)s, finding %(kind)s: %(agency)s, answered %(when)s (answer digest %(digest)s)."
        )
        % {
            "case": case.pk,
            "kind": kind,
            "agency": agency,
            "when": local_minute(finding.get("completed_at")),
            "digest": (finding.get("answer_digest") or "")[:16],
        }
    ]
    if finding.get("finding") == "residence":
        lines.append(
            _(
                "The entry and exit records show %(days)s days in China last year; the rule asks for at least %(min)s."
            )
            % {"days": finding.get("days"), "min": finding.get("min_days")}
        )
    for entry in finding.get("entries") or []:
        lines.append(
            _("Serious untrustworthiness entry: %(kind)s, listed by %(authority)s on %(on)s %(ref)s")
            % {
                "kind": str(CREDIT_ENTRY_LABELS.get(entry.get("kind"), entry.get("kind", ""))),
                "authority": entry.get("authority", ""),
                "on": entry.get("listed_on", ""),
                "ref": entry.get("reference", ""),
            }
        )
    for name, fact in (finding.get("fields") or {}).items():
        # Credit entries are given above (serious) or are no ground (the others).
        record = fact.get("record") if isinstance(fact, dict) else None
        if isinstance(fact, dict) and not (
            isinstance(record, dict)
            or (isinstance(record, list) and any(isinstance(r, dict) for r in record))
        ):
            lines.append(
                _("%(fact)s: stated %(stated)s, record %(record)s")
                % {
                    "fact": str(FIELD_LABELS.get(name, name)),
                    "stated": "—" if fact.get("stated") is None else fact.get("stated"),
                    "record": "—" if fact.get("record") is None else fact.get("record"),
                }
            )
    if finding.get("status") == CheckStatus.NOT_FOUND:
        lines.append(_("The agency holds no record of this person."))
    return "\n".join(str(line) for line in lines)


@transaction.atomic
def management_finding_revoke(*, actor, case: ManagementCase, finding_index: int, ground: str):
    """Open a revocation case from one finding, in one step, the finding as its evidence (R21 -> R22).

    The cards app's registered revoker finds the holder's current card, and its ``revocation_open``
    checks the officer's role and area, the ground and the card; the management case records which
    finding it became and stays open until closed.
    """
    if not (getattr(actor, "is_authenticated", False) and actor.has_role(Role.MANAGEMENT_OFFICER)):
        raise PermissionDenied(_("Only management officers may open a revocation case."))
    case = ManagementCase.objects.select_for_update().select_related("application").get(pk=case.pk)
    if case.status != ManagementCase.Status.OPEN:
        raise ValidationError(_("This case is already closed."))
    if case.revocation_id is not None:
        raise ValidationError(_("A revocation case was already opened from this management case."))
    if not 0 <= finding_index < len(case.findings):
        raise ValidationError({"finding": [_("Choose one of the case's findings.")]})
    finding = case.findings[finding_index]
    revocation = extensions.card_revoker()(
        actor=actor,
        application_id=case.application_id,
        ground=ground,
        evidence=finding_evidence(case, finding),
    )
    if revocation is None:
        raise ValidationError(_("The holder has no current card to revoke."))
    case.revocation = revocation
    case.revocation_finding = finding_index
    case.save(update_fields=["revocation", "revocation_finding"])
    audit_record(
        actor=actor,
        action="verification.management_finding_revoke",
        obj=case,
        after={"revocation": revocation.pk, "finding": finding.get("finding"), "ground": ground},
    )
    return revocation

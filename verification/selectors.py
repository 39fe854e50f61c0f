"""Every read of the verification app, already limited to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from residence.accounts.jurisdiction import area_q
from residence.accounts.models import Role, is_officer

from . import extensions
from .checks import AGENCY_NAMES
from .models import ANSWERED, FAILED, UNFINISHED, CheckStatus, ManagementCase, Purpose, VerificationCheck

MONITOR_ROLES = (Role.SYSTEM_ADMIN, Role.POLICY_ADMIN)


def may_monitor(user) -> bool:
    return bool(user.is_authenticated and user.has_role(*MONITOR_ROLES))


def checks_for_application(*, application) -> list[VerificationCheck]:
    """An application's checks with every attempt, for the officer (two queries)."""
    return list(
        VerificationCheck.objects.filter(application=application, purpose=Purpose.APPLICATION)
        .select_related("requested_by")
        .prefetch_related("attempt_rows")
        .order_by("kind", "id")
    )


@dataclass(frozen=True)
class ApplicantCheck:
    """What the applicant sees: which check, which agency, when, and whether it passed; no answer."""

    kind_label: str
    agency_name: str
    asked_at: dt.datetime
    completed_at: dt.datetime | None
    outcome: str  # passed, not_passed, pending, could_not_check
    outcome_label: str


def checks_for_applicant(*, application) -> list[ApplicantCheck]:
    labels = {
        "passed": _("Passed"),
        "not_passed": _("Did not match"),
        "pending": _("In progress"),
        "could_not_check": _("Could not be checked yet"),
    }
    rows = []
    for check in VerificationCheck.objects.filter(
        application=application, purpose=Purpose.APPLICATION
    ).order_by("kind", "id"):
        if check.status == CheckStatus.VERIFIED:
            outcome = "passed"
        elif check.status in (CheckStatus.MISMATCH, CheckStatus.NOT_FOUND):
            outcome = "not_passed"
        elif check.status in FAILED:
            outcome = "could_not_check"
        else:
            outcome = "pending"
        rows.append(
            ApplicantCheck(
                kind_label=check.get_kind_display(),
                agency_name=check.agency_name,
                asked_at=check.requested_at,
                completed_at=check.completed_at,
                outcome=outcome,
                outcome_label=labels[outcome],
            )
        )
    return rows


def check_get_for_rerun(*, user, pk: int) -> VerificationCheck:
    """A check the user may re-run: administrators any, officers those of cases they can see."""
    try:
        check = VerificationCheck.objects.select_related("application").get(pk=pk)
    except (VerificationCheck.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if may_monitor(user):
        return check
    # Which cases an officer may see is the case's app's rule (registered, verification.extensions).
    if is_officer(user) and extensions.cases().visible_to(user).filter(pk=check.application_id).exists():
        return check
    raise Http404


def _percentile(values: list[int], share: float) -> int | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


@dataclass(frozen=True)
class AgencyFigures:
    agency: str
    name: str
    checks_last_hour: int
    success_rate: float | None  # answered / finished in the last hour
    latency_p50_ms: int | None
    latency_p95_ms: int | None
    queue_depth: int  # pending or in flight
    oldest_pending: dt.datetime | None
    stuck: int  # unfinished past the deadline
    failed_last_hour: int


def agency_figures(*, now: dt.datetime | None = None) -> list[AgencyFigures]:
    """Per agency: throughput, success, latency over the last hour; the queue as it is now."""
    now = now or timezone.now()
    hour_ago = now - dt.timedelta(hours=1)
    finished = {
        row["agency"]: row
        for row in VerificationCheck.objects.filter(completed_at__gte=hour_ago)
        .values("agency")
        .annotate(
            total=Count("id"),
            answered=Count("id", filter=Q(status__in=ANSWERED)),
            failed=Count("id", filter=Q(status__in=FAILED)),
        )
    }
    queued = {
        row["agency"]: row
        for row in VerificationCheck.objects.filter(status__in=UNFINISHED)
        .values("agency")
        .annotate(
            depth=Count("id"), oldest=Min("requested_at"), stuck=Count("id", filter=Q(deadline__lt=now))
        )
    }
    latencies: dict[str, list[int]] = {}
    for agency, latency in (
        VerificationCheck.objects.filter(
            completed_at__gte=hour_ago, status__in=ANSWERED, latency_ms__isnull=False
        )
        .order_by("-completed_at")
        .values_list("agency", "latency_ms")[:20000]
    ):
        latencies.setdefault(agency, []).append(latency)
    rows = []
    for agency, name in AGENCY_NAMES.items():
        done, queue = finished.get(agency, {}), queued.get(agency, {})
        total = done.get("total", 0)
        rows.append(
            AgencyFigures(
                agency=agency,
                name=str(name),
                checks_last_hour=total,
                success_rate=(done["answered"] / total) if total else None,
                latency_p50_ms=_percentile(latencies.get(agency, []), 0.50),
                latency_p95_ms=_percentile(latencies.get(agency, []), 0.95),
                queue_depth=queue.get("depth", 0),
                oldest_pending=queue.get("oldest"),
                stuck=queue.get("stuck", 0),
                failed_last_hour=done.get("failed", 0),
            )
        )
    return rows


def checks_needing_attention(*, limit: int = 50) -> QuerySet[VerificationCheck]:
    """Stuck (unfinished past the deadline) or failed (error, timed out) checks, oldest first."""
    now = timezone.now()
    return (
        VerificationCheck.objects.filter(Q(status__in=UNFINISHED, deadline__lt=now) | Q(status__in=FAILED))
        .select_related("application")
        .order_by("requested_at", "id")[:limit]
    )


def verification_health() -> dict:
    """Figures for /healthz: per agency queue depth, oldest pending age, stuck and failed counts."""
    now = timezone.now()
    detail = {}
    for row in agency_figures(now=now):
        if not (row.queue_depth or row.checks_last_hour):
            continue
        detail[row.agency] = {
            "checks_last_hour": row.checks_last_hour,
            "success_rate": round(row.success_rate, 3) if row.success_rate is not None else None,
            "latency_p50_ms": row.latency_p50_ms,
            "latency_p95_ms": row.latency_p95_ms,
            "queue_depth": row.queue_depth,
            "oldest_pending_seconds": round((now - row.oldest_pending).total_seconds())
            if row.oldest_pending
            else None,
            "stuck": row.stuck,
        }
    return detail


def _area(user) -> Q:
    """Management cases follow their application's area, by the one jurisdiction rule."""
    return area_q(user, province="application__province", city="application__city_code")


def management_cases_for(*, user, status: str = ManagementCase.Status.OPEN) -> QuerySet[ManagementCase]:
    """The management officers' queue: cases of permanent residents in the officer's area."""
    if not (user.is_authenticated and user.has_role(Role.MANAGEMENT_OFFICER, Role.SYSTEM_ADMIN)):
        return ManagementCase.objects.none()
    return (
        ManagementCase.objects.filter(_area(user), status=status)
        .select_related("application__applicant", "review", "closed_by")
        .order_by("-opened_at", "-id")
    )


def management_case_get(*, user, pk: int) -> ManagementCase:
    try:
        return _case(user, pk)
    except (ManagementCase.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _case(user, pk: int) -> ManagementCase:
    if not (user.is_authenticated and user.has_role(Role.MANAGEMENT_OFFICER, Role.SYSTEM_ADMIN)):
        raise Http404
    return (
        ManagementCase.objects.filter(_area(user))
        .select_related("application__applicant", "review", "closed_by")
        .get(pk=pk)
    )


# --- reads of the REST API (verification/apis.py) ---------------------------------------------
@dataclass(frozen=True)
class ApplicationChecks:
    """An application's checks as one user may see them (``view`` says which shape ``checks`` has)."""

    application_id: int
    view: str  # "officer": VerificationCheck rows with attempts; "applicant": ApplicantCheck rows
    checks: list


def application_checks_for(*, user, pk: int) -> ApplicationChecks:
    """The applicant side (owner, authorised intermediary) gets the applicant view, never an answer;
    an officer who can see the case every check with its attempts; anyone else a 404.

    The applicant side wins for an officer's own application: an officer reads their own case as
    its applicant does.
    """
    cases = extensions.cases()
    application = cases.get(user, pk)
    if cases.applicant_side(user).filter(pk=application.pk).exists():
        return ApplicationChecks(application.pk, "applicant", checks_for_applicant(application=application))
    if not is_officer(user):
        raise Http404
    return ApplicationChecks(application.pk, "officer", checks_for_application(application=application))


def check_get(*, user, pk: int) -> VerificationCheck:
    """One check with its attempts, for whoever may re-run it (administrators, officers of the case)."""
    visible = check_get_for_rerun(user=user, pk=pk)
    return (
        VerificationCheck.objects.select_related("application", "requested_by")
        .prefetch_related("attempt_rows")
        .get(pk=visible.pk)
    )


def may_manage(user) -> bool:
    """Management officers and system administrators work the management cases."""
    return bool(user.is_authenticated and user.has_role(Role.MANAGEMENT_OFFICER, Role.SYSTEM_ADMIN))

"""Every read of the applications app, already limited to what the user may see (else 404)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.utils import timezone

from residence.accounts.models import Role, User, is_officer
from residence.core.pagination import KeysetPage, keyset_paginate

from . import extensions
from .access import OFFICER_QUEUE_ROLES, STAGE_ROLE, jurisdiction_q, officer_may_act
from .channels import CHANNELS, FACTS_RELATED_NAMES
from .models import (
    FAR_FUTURE,
    STAGE_OF_STATUS,
    WITHDRAWABLE,
    ApplicantProfile,
    Application,
    ApplicationDocument,
    Authorisation,
    CaseNote,
    Dependant,
    Notification,
    Stage,
    Status,
    StatusChange,
)

# Overdue first (queue_band 0), then the green channel, then the nearest deadline.
QUEUE_ORDERING = ("queue_band", "priority", "stage_deadline", "id")
QUEUE_STAGES = (Stage.INTAKE, Stage.VERIFICATION, Stage.REVIEW, Stage.EVIDENCE, Stage.APPROVAL, Stage.QUOTA)


# --- applicant side -----------------------------------------------------------------------------
def client_owner_ids(user) -> QuerySet:
    """Owners who authorised this intermediary (and have not revoked it)."""
    return Authorisation.objects.filter(intermediary=user, revoked_at__isnull=True).values("applicant_id")


def _owner_q(user, prefix: str = "") -> Q:
    q = Q(**{f"{prefix}owner": user})
    if user.has_role(Role.INTERMEDIARY):
        q |= Q(**{f"{prefix}owner__in": client_owner_ids(user)})
    for party in extensions.acting_parties:
        # The walk-ins the user's window filed and nobody has claimed yet (issue 15).
        if user.has_role(party.role):
            q |= Q(**{f"{prefix}owner__in": party.owner_ids(user)})
    return q


def profiles_for_user(*, user) -> QuerySet[ApplicantProfile]:
    if not user.is_authenticated:
        return ApplicantProfile.objects.none()
    return ApplicantProfile.objects.filter(_owner_q(user), is_active=True).select_related("owner")


def profile_get(*, user, pk: int) -> ApplicantProfile:
    try:
        return profiles_for_user(user=user).get(pk=pk)
    except (ApplicantProfile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def applications_for_applicant(*, user) -> QuerySet[Application]:
    """The applications of the user's own profiles and of their clients' (intermediary)."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(_owner_q(user, "applicant__")).select_related("applicant", "office")


def own_application_get(*, user, pk: int) -> Application:
    """One application of the user's own (or their client's) profiles; anyone else's, officers'
    included, is a 404 (the applicant side's writes, such as the family members, are theirs alone)."""
    try:
        return (
            applications_for_applicant(user=user)
            .select_related("applicant__owner", "policy_version")
            .get(pk=pk)
        )
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def application_dependants(*, application: Application) -> QuerySet[Dependant]:
    """The family members included in an application, in the order they were added."""
    return application.dependants.select_related("profile").order_by("pk")


def applications_visible_to(*, user) -> QuerySet[Application]:
    """Applicant side: own and clients' applications. Officers: submitted cases in their area."""
    if not user.is_authenticated:
        return Application.objects.none()
    own = _owner_q(user, "applicant__")
    if is_officer(user):
        return Application.objects.filter(
            own | (jurisdiction_q(user) & Q(submitted_at__isnull=False))
        ).select_related("applicant", "office")
    return Application.objects.filter(own).select_related("applicant", "office")


def application_get(*, user, pk: int) -> Application:
    """One application the user may see, with its facts; else 404 (never 403: ids do not leak)."""
    try:
        return (
            applications_visible_to(user=user)
            .select_related(
                "applicant__owner",
                "policy_version",
                "claimed_by",
                "recommended_by",
                "decided_by",
                *FACTS_RELATED_NAMES,
            )
            .get(pk=pk)
        )
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def authorisations_for_applicant(*, user) -> QuerySet[Authorisation]:
    return Authorisation.objects.filter(applicant=user).select_related("intermediary")


def clients_of(*, intermediary) -> QuerySet[User]:
    return User.objects.filter(pk__in=client_owner_ids(intermediary)).order_by("full_name", "email")


def application_timeline(*, application: Application) -> list[StatusChange]:
    return list(application.status_changes.select_related("actor").order_by("at", "id"))


def application_documents(
    *, application: Application, include_superseded: bool = False
) -> QuerySet[ApplicationDocument]:
    docs = ApplicationDocument.objects.filter(application=application).select_related(
        "dependant__profile", "uploaded_by"
    )
    return docs if include_superseded else docs.filter(superseded=False)


def document_get(*, user, pk: int) -> ApplicationDocument:
    """A document of an application the user may see (owner, authorised intermediary, officer in area)."""
    try:
        document = ApplicationDocument.objects.select_related("application").get(pk=pk)
    except (ApplicationDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not applications_visible_to(user=user).filter(pk=document.application_id).exists():
        raise Http404
    return document


def notifications_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("application")


def unread_notification_count(*, user) -> int:
    return (
        Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        if user.is_authenticated
        else 0
    )


def available_actions(*, user, application: Application) -> list[str]:
    """The action names the user may take now (buttons on the case page; the services check again)."""
    from .services import acts_for

    actions: list[str] = []
    status = application.status
    if user.is_authenticated and acts_for(user, application.applicant.owner_id):
        if status in (Status.DRAFT, Status.RETURNED):
            actions += ["edit", "upload", "submit"]
        if status == Status.EVIDENCE_REQUESTED:
            actions += ["upload", "answer_evidence"]
        if status in WITHDRAWABLE:
            actions.append("withdraw")
    if is_officer(user) and officer_may_act(user, application):
        held_by_other = (
            application.claimed_by_id not in (None, user.pk)
            and application.claimed_until
            and application.claimed_until > timezone.now()
        )
        if not held_by_other:
            actions += {
                Status.SUBMITTED: ["accept", "return"],
                Status.IN_REVIEW: ["request_evidence", "recommend_approval", "recommend_refusal"],
                Status.EVIDENCE_SUBMITTED: ["request_evidence", "recommend_approval", "recommend_refusal"],
                Status.RECOMMENDED_APPROVAL: ["approve", "refuse"],
                Status.RECOMMENDED_REFUSAL: ["approve", "refuse"],
            }.get(status, [])
            if application.stage in STAGE_ROLE and application.claimed_by_id != user.pk:
                actions.append("claim")
        if application.claimed_by_id == user.pk:
            actions.append("release")
        if application.recommended_by_id == user.pk:
            actions = [a for a in actions if a not in ("approve", "refuse")]
    return actions


# --- queues -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueueFilters:
    channel: str | None = None
    nationality: str | None = None
    province: str | None = None
    claimed_by: int | None = None  # an officer id; 0 means "not held by anyone"
    overdue: bool | None = None


def officer_queue(*, officer, stage: str, filters: QueueFilters | None = None) -> QuerySet[Application]:
    """Cases of a stage in the officer's area, in queue order (overdue, green, then by deadline)."""
    filters = filters or QueueFilters()
    if not is_officer(officer) or stage not in QUEUE_STAGES:
        return Application.objects.none()
    qs = Application.objects.filter(jurisdiction_q(officer), stage=stage)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.nationality:
        qs = qs.filter(nationality=filters.nationality.upper())
    if filters.province:
        qs = qs.filter(province=filters.province)
    if filters.claimed_by is not None:
        now = timezone.now()
        if filters.claimed_by == 0:
            qs = qs.filter(Q(claimed_by__isnull=True) | Q(claimed_until__lte=now))
        else:
            qs = qs.filter(claimed_by_id=filters.claimed_by, claimed_until__gt=now)
    if filters.overdue is not None:
        late = Q(stage_deadline__lt=timezone.now())
        qs = qs.filter(late) if filters.overdue else qs.exclude(late)
    return qs.order_by(*QUEUE_ORDERING)


QUEUE_ROW_FIELDS = (
    "id",
    "reference",
    "channel",
    "status",
    "stage",
    "green_channel",
    "priority",
    "stage_deadline",
    "submitted_at",
    "nationality",
    "province",
    "city_code",
    "claimed_by_id",
    "claimed_until",
    "applicant__family_name",
    "applicant__given_names",
    "office_levels",
    "queue_band",
)


@dataclass(frozen=True)
class QueueRow:
    """A queue line: plain values, no model instance (one query per page, no per-row work)."""

    id: int
    reference: str
    channel: str
    status: str
    stage: str
    green_channel: bool
    priority: int
    stage_deadline: dt.datetime
    submitted_at: dt.datetime | None
    nationality: str
    province: str
    city_code: str
    claimed_by_id: int | None
    claimed_until: dt.datetime | None
    applicant__family_name: str
    applicant__given_names: str
    office_levels: dict
    queue_band: int

    @property
    def applicant_name(self) -> str:
        return f"{self.applicant__family_name.upper()} {self.applicant__given_names}".strip()

    @property
    def has_deadline(self) -> bool:
        return self.stage_deadline != FAR_FUTURE

    @property
    def is_overdue(self) -> bool:
        return self.has_deadline and self.stage_deadline < timezone.now()

    @property
    def is_held(self) -> bool:
        return bool(self.claimed_by_id and self.claimed_until and self.claimed_until > timezone.now())


def officer_queue_page(
    *,
    officer,
    stage: str,
    filters: QueueFilters | None = None,
    cursor: str | None = None,
    page_size: int = 50,
) -> KeysetPage:
    """One keyset page of the queue as QueueRow values: one query whatever the page size."""
    qs = officer_queue(officer=officer, stage=stage, filters=filters).values_list(
        *QUEUE_ROW_FIELDS, named=False
    )
    page = keyset_paginate(_NamedRows(qs), ordering=QUEUE_ORDERING, cursor=cursor, page_size=page_size)
    return page


class _NamedRows:
    """A values_list queryset whose rows become QueueRow, still lazily sliced by keyset_paginate."""

    def __init__(self, qs: QuerySet):
        self.qs = qs
        self.model = qs.model
        self.db = qs.db

    def order_by(self, *fields):
        return _NamedRows(self.qs.order_by(*fields))

    def filter(self, *args, **kwargs):
        return _NamedRows(self.qs.filter(*args, **kwargs))

    def extra(self, **kwargs):
        return _NamedRows(self.qs.extra(**kwargs))  # noqa: S610 - only keyset_paginate's own placeholders

    def __getitem__(self, item):
        return [QueueRow(*row) for row in self.qs[item]]


def stage_counts(*, officer, filters: QueueFilters | None = None) -> dict[str, int]:
    """Cases per queue stage in the officer's area: one query."""
    if not is_officer(officer):
        return dict.fromkeys(QUEUE_STAGES, 0)
    rows = (
        Application.objects.filter(jurisdiction_q(officer), stage__in=QUEUE_STAGES)
        .values("stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(QUEUE_STAGES, 0)
    counts.update({row["stage"]: row["n"] for row in rows})
    return counts


def officers_for_assignment(*, supervisor, stage: str | None = None) -> QuerySet[User]:
    """Officers a supervisor may hand cases to: those of their office and the offices below it.

    With a stage, only those holding the role that acts at it (a reviewer for review...).
    """
    if not supervisor.office_id:
        return User.objects.none()
    office = supervisor.office
    area = Q(office=office) | Q(office__parent=office) | Q(office__parent__parent=office)
    roles = [str(STAGE_ROLE[stage])] if stage in STAGE_ROLE else [str(r) for r in OFFICER_QUEUE_ROLES]
    return (
        User.objects.filter(area, is_active=True, groups__name__in=roles)
        .distinct()
        .order_by("full_name", "email")
    )


def officer_loads(*, officers) -> list[dict[str, Any]]:
    """Each officer with the cases they hold now and how many of those are overdue: one query."""
    now = timezone.now()
    officers = list(officers)
    held = Q(claimed_applications__claimed_until__gt=now, claimed_applications__stage__in=QUEUE_STAGES)
    rows = {
        row["pk"]: row
        for row in User.objects.filter(pk__in=[o.pk for o in officers])
        .values("pk")
        .annotate(
            held=Count("claimed_applications", filter=held),
            overdue=Count(
                "claimed_applications", filter=held & Q(claimed_applications__stage_deadline__lt=now)
            ),
        )
        .order_by()
    }
    return [
        {
            "officer": o,
            "held": rows.get(o.pk, {}).get("held", 0),
            "overdue": rows.get(o.pk, {}).get("overdue", 0),
        }
        for o in officers
    ]


def supervisors_by_office(office_ids) -> dict[int, list[User]]:
    """The supervisors (approvers, management officers, or holders of the assign permission) per office."""
    perm = Q(user_permissions__codename="assign_application") | Q(
        groups__permissions__codename="assign_application"
    )
    users = (
        User.objects.filter(
            Q(groups__name__in=[str(Role.APPROVER), str(Role.MANAGEMENT_OFFICER)]) | perm,
            office_id__in=list(office_ids),
            is_active=True,
        )
        .distinct()
        .order_by("email")
    )
    found: dict[int, list[User]] = defaultdict(list)
    for user in users:
        found[user.office_id].append(user)
    return found


# --- workload -----------------------------------------------------------------------------------
DECISION_STATUSES = (
    Status.APPROVED,
    Status.REFUSED,
    Status.AWAITING_QUOTA,
    Status.RETURNED,
    Status.RECOMMENDED_APPROVAL,
    Status.RECOMMENDED_REFUSAL,
    Status.IN_REVIEW,
)


def workload(*, officer, weeks: int = 8) -> dict[str, Any]:
    """Cases moved on per officer and per queue per week, and the median days spent in each stage.

    A "decision" here is a status change an officer made that ends their part of the case
    (intake accepts or returns, reviewers recommend, approvers decide), read from StatusChange.
    """
    since = timezone.now() - dt.timedelta(weeks=weeks)
    changes = StatusChange.objects.filter(
        Q(application__in=Application.objects.filter(jurisdiction_q(officer)))
        if not officer.is_superuser
        else Q(),
        at__gte=since,
    )
    decided = (
        changes.filter(
            actor__isnull=False,
            to_status__in=[
                Status.ACCEPTED,
                Status.RETURNED,
                Status.RECOMMENDED_APPROVAL,
                Status.RECOMMENDED_REFUSAL,
                Status.APPROVED,
                Status.REFUSED,
                Status.AWAITING_QUOTA,
                Status.EVIDENCE_REQUESTED,
            ],
        )
        .annotate(week=TruncWeek("at"))
        .values("week", "actor_id", "actor__email", "actor__full_name", "from_stage")
        .annotate(n=Count("id"))
        .order_by("-week", "actor__email", "from_stage")
    )
    per_officer: dict[tuple, int] = defaultdict(int)
    per_queue: dict[tuple, int] = defaultdict(int)
    for row in decided:
        week = row["week"].date() if hasattr(row["week"], "date") else row["week"]
        per_officer[(week, row["actor__full_name"] or row["actor__email"])] += row["n"]
        per_queue[(week, row["from_stage"])] += row["n"]
    # Median time per stage: from entering a stage to leaving it, per case, from consecutive rows.
    rows = changes.values_list("application_id", "at", "from_stage").order_by("application_id", "at", "id")
    entered: dict[int, dt.datetime] = {}
    durations: dict[str, list[float]] = defaultdict(list)
    for application_id, at, from_stage in rows.iterator():
        start = entered.get(application_id)
        if start is not None and from_stage in QUEUE_STAGES:
            durations[from_stage].append((at - start).total_seconds() / 86400)
        entered[application_id] = at
    return {
        "per_officer": [
            {"week": w, "officer": o, "count": n} for (w, o), n in sorted(per_officer.items(), reverse=True)
        ],
        "per_queue": [
            {"week": w, "stage": s, "count": n} for (w, s), n in sorted(per_queue.items(), reverse=True)
        ],
        "median_days_per_stage": {
            stage: round(statistics.median(values), 2) for stage, values in durations.items() if values
        },
    }


def _week_start(now: dt.datetime) -> dt.datetime:
    """Monday 00:00 of this week, in the portal's time zone."""
    today = timezone.localtime(now).date()
    monday = today - dt.timedelta(days=today.weekday())
    return timezone.make_aware(dt.datetime.combine(monday, dt.time.min))


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


MOVED_ON_STATUSES = (
    Status.ACCEPTED,
    Status.RETURNED,
    Status.RECOMMENDED_APPROVAL,
    Status.RECOMMENDED_REFUSAL,
    Status.APPROVED,
    Status.REFUSED,
    Status.AWAITING_QUOTA,
    Status.EVIDENCE_REQUESTED,
)


def workload_overview(*, officer, weeks: int = 8) -> dict[str, Any]:
    """Per queue and per officer: open, held, overdue, decided this week and median days (R24).

    Applications per stage, then card requests, revocations, management cases and
    reconsiderations, all in the officer's area; the median is over what was decided in the last
    ``weeks`` weeks. A fixed number of grouped queries, whatever the number of cases or officers.
    """
    from .oversight import registered

    now = timezone.now()
    week_start = _week_start(now)
    since = now - dt.timedelta(weeks=weeks)
    cases = Application.objects.filter(jurisdiction_q(officer))
    late = Q(stage_deadline__lt=now)
    held = Q(claimed_by__isnull=False, claimed_until__gt=now)
    queues: dict[str, dict[str, Any]] = {
        stage: {"queue": stage, "open": 0, "claimed": 0, "overdue": 0, "decided_week": 0, "median_days": None}
        for stage in QUEUE_STAGES
    }
    for row in (
        cases.filter(stage__in=QUEUE_STAGES)
        .values("stage")
        .annotate(open=Count("id"), claimed=Count("id", filter=held), overdue=Count("id", filter=late))
        .order_by()
    ):
        queues[row["stage"]].update(open=row["open"], claimed=row["claimed"], overdue=row["overdue"])

    officers = list(
        (
            officers_for_assignment(supervisor=officer)
            if not officer.is_superuser
            else User.objects.filter(
                office__isnull=False, is_active=True, groups__name__in=[str(r) for r in OFFICER_QUEUE_ROLES]
            )
            .distinct()
            .order_by("full_name", "email")
        ).select_related("office")
    )
    people: dict[int, dict[str, Any]] = {
        o.pk: {"officer": o, "open": 0, "claimed": 0, "overdue": 0, "decided_week": 0, "days": []}
        for o in officers
    }
    for row in (
        cases.filter(stage__in=QUEUE_STAGES, claimed_by_id__in=list(people))
        .values("claimed_by_id")
        .annotate(open=Count("id"), claimed=Count("id", filter=held), overdue=Count("id", filter=late))
        .order_by()
    ):
        people[row["claimed_by_id"]].update(open=row["open"], claimed=row["claimed"], overdue=row["overdue"])

    # Time in each stage, from entering it to leaving it, per case, from consecutive status changes.
    changes = StatusChange.objects.filter(application__in=cases, at__gte=since).values_list(
        "application_id", "at", "from_stage", "to_status", "actor_id"
    )
    entered: dict[int, dt.datetime] = {}
    durations: dict[str, list[float]] = defaultdict(list)
    ordered = changes.order_by("application_id", "at", "id")
    for application_id, at, from_stage, to_status, actor_id in ordered.iterator(chunk_size=2000):
        start = entered.get(application_id)
        if start is not None and from_stage in queues:
            days = (at - start).total_seconds() / 86400
            durations[from_stage].append(days)
            if actor_id in people:
                people[actor_id]["days"].append(days)
        if actor_id and to_status in MOVED_ON_STATUSES and at >= week_start:
            if from_stage in queues:
                queues[from_stage]["decided_week"] += 1
            if actor_id in people:
                people[actor_id]["decided_week"] += 1
        entered[application_id] = at
    for stage, values in durations.items():
        queues[stage]["median_days"] = _median(values)

    # The other apps' queues (applications.oversight): open, overdue where they have a deadline,
    # decided, and per officer what they decided.
    others = []
    for queue in registered():
        qs = queue.in_area(officer)
        aggregates = {"open": Count("id", filter=queue.open)}
        if queue.deadline:
            aggregates["overdue"] = Count("id", filter=queue.open & Q(**{f"{queue.deadline}__lt": now}))
        counts = qs.aggregate(**aggregates)
        days, decided_week = [], 0
        for began, ended, by in qs.filter(**{f"{queue.decided_at}__gte": since}).values_list(
            queue.started, queue.decided_at, queue.decided_by
        ):
            days.append((ended - began).total_seconds() / 86400)
            if ended >= week_start:
                decided_week += 1
                if by in people:
                    people[by]["decided_week"] += 1
        others.append(
            {
                "queue": queue.key,
                "open": counts["open"],
                "claimed": None,
                "overdue": counts.get("overdue"),
                "decided_week": decided_week,
                "median_days": _median(days),
            }
        )
    return {
        "week_start": week_start,
        "queues": [*queues.values(), *others],
        "officers": [
            {key: value for key, value in row.items() if key != "days"}
            | {"median_days": _median(row["days"])}
            for row in people.values()
        ],
    }


# --- for the eligibility app's policy-impact page ---------------------------------------------
def submitted_cases_for_impact() -> Iterator[tuple[str, dict[str, Any], dt.date, str | None]]:
    """(channel, engine facts, as-of date, outcome stored at submission) of every case under examination."""
    open_statuses = [s for s, stage in STAGE_OF_STATUS.items() if stage not in (Stage.DRAFT, Stage.CLOSED)]
    applications = (
        Application.objects.filter(status__in=open_statuses)
        .select_related("applicant", *FACTS_RELATED_NAMES)
        .prefetch_related("years_in_china")
        .order_by("id")
    )
    for application in applications.iterator(chunk_size=500):
        spec = CHANNELS.get(application.channel)
        facts_row = getattr(application, spec.related_name, None) if spec else None
        if facts_row is None:
            continue
        as_of = (
            timezone.localdate(application.submitted_at) if application.submitted_at else timezone.localdate()
        )
        outcome = (application.eligibility_snapshot or {}).get("outcome")
        yield application.channel, facts_row.to_engine_facts(), as_of, outcome


# --- nominations (R11) --------------------------------------------------------------------------


def nominations_for_body_staff(*, user) -> QuerySet:
    """The nominations naming a body the user confirms for; nobody else sees any (a 404 on the page)."""
    from eligibility.selectors import nominating_bodies_of

    from .models import Nomination

    bodies = nominating_bodies_of(user)
    return (
        Nomination.objects.filter(body__in=bodies, application__submitted_at__isnull=False)
        .select_related("application__applicant", "application__contribution_facts", "body")
        .order_by("state", "due_on", "id")
    )


def nomination_for_body_staff(*, user, pk: int):
    try:
        return nominations_for_body_staff(user=user).get(pk=pk)
    except (ValueError, TypeError, ObjectDoesNotExist):
        raise Http404 from None


# --- facts from the agencies (issue 13) ---------------------------------------------------------

REGISTERED_CODE_FACTS = ("industry_code", "enterprise_address_code")


def registered_codes(application) -> dict[str, Any] | None:
    """What the market regulator's enterprise check says of the declared codes of an investment case.

    None when the case asks no such check. Otherwise {"state": "pending" | "unavailable" |
    "not_found" | "answered", "when", "agency_name", "facts": {name: {stated, record, matches}}}:
    an agency that has not answered (or is down) leaves the codes "not yet verified".
    """
    from verification.checks import AGENCY_NAMES, CheckKind
    from verification.models import CheckStatus, Purpose, VerificationCheck

    if application.channel != "investment":
        return None
    check = (
        VerificationCheck.objects.filter(
            application=application, purpose=Purpose.APPLICATION, kind=CheckKind.ENTERPRISE
        )
        .order_by("-run", "-id")
        .first()
    )
    if check is None:
        return None
    state = {
        CheckStatus.VERIFIED: "answered",
        CheckStatus.MISMATCH: "answered",
        CheckStatus.NOT_FOUND: "not_found",
        CheckStatus.ERROR: "unavailable",
        CheckStatus.TIMED_OUT: "unavailable",
    }.get(check.status, "pending")
    facts = {
        name: check.answer_fields[name]
        for name in REGISTERED_CODE_FACTS
        if name in (check.answer_fields or {})
    }
    return {
        "state": state if (state != "answered" or facts) else "not_found",
        "when": check.completed_at,
        "agency": check.agency,
        "agency_name": str(AGENCY_NAMES.get(check.agency, check.agency)),
        "facts": facts,
    }


def eligibility_with_registered_codes(application, codes: dict[str, Any] | None):
    """The case's eligibility under its own policy version and date, with the codes the agency holds.

    The stored assessment is never recomputed; this one is shown beside it when a registered code
    differs from the declared one, each derived fact naming the agency as the codes' source.
    """
    from eligibility.services import eligibility_assess

    if not codes or codes["state"] != "answered" or application.policy_version_id is None:
        return None
    differing = {name: f["record"] for name, f in codes["facts"].items() if not f["matches"] and f["record"]}
    if not differing:
        return None
    facts = application.facts.to_engine_facts() | differing
    as_of = timezone.localdate(application.submitted_at) if application.submitted_at else timezone.localdate()
    try:
        assessment = eligibility_assess(
            channel=application.channel, facts=facts, as_of=as_of, policy_version=application.policy_version
        )
    except ValidationError as error:
        return {"error": " ".join(error.messages)}
    snapshot = assessment.snapshot
    when = timezone.localtime(codes["when"]).strftime("%Y-%m-%d %H:%M") if codes["when"] else ""
    for name in differing:
        source = snapshot.get("fact_sources", {}).get(name)
        if source is not None:
            source.update(
                {
                    "source": "agency",
                    "agency": codes["agency"],
                    "agency_name": codes["agency_name"],
                    "when": when,
                }
            )
    return {"snapshot": snapshot}


def case_notes(*, application: Application) -> list[CaseNote]:
    """The internal notes of a case the caller already may see (officers only), oldest first."""
    return list(
        CaseNote.objects.filter(application=application).select_related("author").prefetch_related("mentions")
    )


def case_note_get(*, application: Application, pk: int) -> CaseNote:
    try:
        return CaseNote.objects.select_related("author").get(application=application, pk=pk)
    except (CaseNote.DoesNotExist, ValueError, TypeError):
        raise Http404 from None

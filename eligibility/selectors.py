"""Every read of the eligibility app: the policy in force, channel rules, the registry, quotas, bans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from residence.accounts.models import Role

from .models import Ban, FamilyQuota, FamilyQuotaEntry, PolicyVersion, TalentProgram

IN_FORCE_STATUSES = (PolicyVersion.Status.PUBLISHED, PolicyVersion.Status.RETIRED)


def is_policy_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.POLICY_ADMIN, Role.SYSTEM_ADMIN))


# --- policy versions ------------------------------------------------------------------------------


def policy_version_in_force(*, on: date | None = None) -> PolicyVersion:
    """The published version whose effective period contains `on` (today by default)."""
    on = on or timezone.localdate()
    version = (
        PolicyVersion.objects.filter(status__in=IN_FORCE_STATUSES, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .order_by("-effective_from", "-id")
        .first()
    )
    if version is None:
        if not PolicyVersion.objects.filter(status__in=IN_FORCE_STATUSES).exists():
            # A database emptied after migrating (a flushed test database) would otherwise have no
            # policy at all; the shipped default is what migration 0002 installs.
            from .services import policy_install_default

            policy_install_default()
            return policy_version_in_force(on=on)
        raise PolicyVersion.DoesNotExist(f"no published policy version is in force on {on}")
    return version


def residence_min_days(*, on: date | None = None) -> int:
    """Least days a year a permanent resident must live in China, by the policy in force on ``on``.

    The one reading of ``holder_residence.min_days_per_year`` (cards' residence standings and
    verification's daily management both ask here). A policy without the rule, or no policy in
    force that day, falls back to ``settings.RESIDENCE_MIN_DAYS_DEFAULT``; a rule of 0 stays 0.
    """
    try:
        document = policy_version_in_force(on=on).document or {}
    except PolicyVersion.DoesNotExist:
        document = {}
    days = (document.get("holder_residence") or {}).get("min_days_per_year")
    return int(settings.RESIDENCE_MIN_DAYS_DEFAULT if days is None else days)


def policy_version_list(*, user) -> QuerySet[PolicyVersion]:
    """Published versions for everyone who may see policies; drafts only for policy administrators."""
    versions = PolicyVersion.objects.select_related("published_by", "created_by")
    if is_policy_admin(user):
        return versions
    return versions.filter(status__in=IN_FORCE_STATUSES)


def policy_version_get(*, user, pk: int) -> PolicyVersion:
    try:
        return policy_version_list(user=user).get(pk=pk)
    except (PolicyVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def policy_draft_get(*, user, pk: int) -> PolicyVersion:
    """A draft a policy administrator may edit; anything else is a 404."""
    if not is_policy_admin(user):
        raise Http404
    version = policy_version_get(user=user, pk=pk)
    if not version.is_draft:
        raise Http404
    return version


# --- channel rules (documents, deadlines, office levels) -----------------------------------------


@dataclass(frozen=True)
class DocumentType:
    code: str
    name_en: str
    name_zh: str


@dataclass(frozen=True)
class ChannelRules:
    required_documents: list[DocumentType]
    stage_deadline_days: dict[str, int]
    office_levels: dict[str, str]


def channel_rules(*, policy_version: PolicyVersion, channel: str, green_channel: bool) -> ChannelRules:
    """What the policy version asks of a channel: documents, deadlines per stage, office levels."""
    compiled = policy_version.compiled().channels.get(channel)
    if compiled is None:
        raise ValueError(f"policy {policy_version.label} has no channel {channel!r}")
    return ChannelRules(
        required_documents=[
            DocumentType(code=doc["code"], name_en=doc["name"]["en"], name_zh=doc["name"]["zh"])
            for doc in compiled.required_documents(green_channel=green_channel)
        ],
        stage_deadline_days=dict(compiled.stage_deadlines(green_channel=green_channel)),
        office_levels=dict(compiled.office_levels),
    )


# --- talent programs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TalentProgramStatus:
    registered: bool
    program: TalentProgram | None
    reason: dict[str, str]


def talent_program_status(*, code: str, on: date) -> TalentProgramStatus:
    """Whether `code` names a registered program valid on `on`, and why not if it does not."""
    code = (code or "").strip()
    program = (
        TalentProgram.objects.select_related("agency").filter(code__iexact=code).first() if code else None
    )
    if program is None:
        return TalentProgramStatus(
            registered=False,
            program=None,
            reason={
                "en": f"'{code}' is not a registered key talent program.",
                "zh": f"“{code}”不是备案的重点引才计划。",
            },
        )
    if program.status == TalentProgram.Status.RETIRED:
        return TalentProgramStatus(
            registered=False,
            program=program,
            reason={
                "en": f"The talent program {program.code} ({program.name_en}) has been retired.",
                "zh": f"引才计划{program.code}（{program.name_zh}）已停止备案。",
            },
        )
    if on < program.valid_from:
        return TalentProgramStatus(
            registered=False,
            program=program,
            reason={
                "en": f"The talent program {program.code} is recognised only from {program.valid_from.isoformat()}.",
                "zh": f"引才计划{program.code}自{program.valid_from.isoformat()}起才予以认可。",
            },
        )
    if program.valid_to is not None and on >= program.valid_to:
        return TalentProgramStatus(
            registered=False,
            program=program,
            reason={
                "en": f"The talent program {program.code} expired on {program.valid_to.isoformat()}.",
                "zh": f"引才计划{program.code}已于{program.valid_to.isoformat()}到期。",
            },
        )
    return TalentProgramStatus(
        registered=True,
        program=program,
        reason={
            "en": f"{program.name_en} ({program.code}) is a registered key talent program.",
            "zh": f"{program.name_zh}（{program.code}）是备案的重点引才计划。",
        },
    )


def talent_program_list() -> QuerySet[TalentProgram]:
    return TalentProgram.objects.select_related("agency")


def talent_program_get(*, pk: int) -> TalentProgram:
    try:
        return talent_program_list().get(pk=pk)
    except (TalentProgram.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- family quota -----------------------------------------------------------------------------------


def family_quota_list() -> QuerySet[FamilyQuota]:
    """Quotas with the places used and the cases waiting, counted in the same query."""
    return FamilyQuota.objects.annotate(
        used=Count("entries", filter=Q(entries__state=FamilyQuotaEntry.State.ALLOCATED)),
        waiting=Count("entries", filter=Q(entries__state=FamilyQuotaEntry.State.WAITING)),
    )


def family_quota_get(*, pk: int) -> FamilyQuota:
    try:
        return family_quota_list().get(pk=pk)
    except (FamilyQuota.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def family_quota_waiting_list(*, quota: FamilyQuota | None = None) -> QuerySet[FamilyQuotaEntry]:
    entries = FamilyQuotaEntry.objects.filter(state=FamilyQuotaEntry.State.WAITING).select_related("quota")
    if quota is not None:
        entries = entries.filter(quota=quota)
    return entries.order_by("submitted_at", "id")


# --- bans -------------------------------------------------------------------------------------------


def normalise_passport(number: str) -> str:
    return "".join((number or "").split()).upper()


def active_ban(*, passport_number: str, nationality: str, birth_date: date, on: date) -> Ban | None:
    """The ban (the longest, if several) that stops this person applying on `on`, or None."""
    return (
        Ban.objects.filter(
            passport_number=normalise_passport(passport_number),
            nationality=(nationality or "").strip().upper(),
            birth_date=birth_date,
            until__gt=on,
        )
        .order_by("-until", "-id")
        .first()
    )


def ban_list() -> QuerySet[Ban]:
    return Ban.objects.select_related("created_by")


# --- reference registers (issue 13) ---------------------------------------------------------------


def register_overview() -> list[dict]:
    """Each register with its editions, newest first (policy administrators only)."""
    from .models import Register, RegisterEdition
    from .registers import edition_in_force

    editions = list(RegisterEdition.objects.defer("entries").order_by("register", "-effective_from", "-id"))
    overview = []
    for register in Register:
        in_force = edition_in_force(register.value)
        overview.append(
            {
                "register": register,
                "in_force": in_force,
                "editions": [e for e in editions if e.register == register.value],
            }
        )
    return overview


def register_edition_get(*, user, pk: int):
    """An edition for a policy administrator; anyone else, or an unknown id, is a 404."""
    from .models import RegisterEdition

    if not is_policy_admin(user):
        raise Http404
    try:
        return RegisterEdition.objects.select_related("published_by", "created_by", "based_on").get(pk=pk)
    except (RegisterEdition.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- nominating bodies (R11) ----------------------------------------------------------------------


def is_nominating_body_staff_of(user, body) -> bool:
    """Staff of the body's agency account holding the nominating-body role (R11)."""
    return bool(
        user
        and user.is_authenticated
        and user.has_role(Role.NOMINATING_BODY_STAFF)
        and user.agency_id
        and user.agency_id == body.agency_id
    )


def nominating_bodies_of(user) -> QuerySet:
    from .models import NominatingBody

    if not (user and user.is_authenticated and user.has_role(Role.NOMINATING_BODY_STAFF) and user.agency_id):
        return NominatingBody.objects.none()
    return NominatingBody.objects.filter(agency_id=user.agency_id)


def nominating_body_list() -> QuerySet:
    from .models import NominatingBody

    return NominatingBody.objects.select_related("agency").order_by("code")

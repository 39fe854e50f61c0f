"""Every write of the eligibility app, each atomic with its audit row; and the assessment used at submission."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residence.accounts.models import Agency, Role
from residence.audit.services import audit_record

from .documents import errors_as_validation, jsonable, parse_policy_text, policy_errors
from .engine import FactError, PolicyNotInEffect, Result, evaluate, read_policy_document
from .engine.dates import anniversary
from .models import (
    Ban,
    FamilyQuota,
    FamilyQuotaEntry,
    NominatingBody,
    PolicyVersion,
    Register,
    RegisterEdition,
    TalentProgram,
)
from .selectors import (
    IN_FORCE_STATUSES,
    is_policy_admin,
    normalise_passport,
    policy_version_in_force,
    talent_program_status,
)
from .signals import quota_place_granted

TALENT_PROGRAM_FIELDS = ("code", "name_en", "name_zh", "agency", "valid_from", "valid_to", "status")


def _require_policy_admin(actor) -> None:
    if not is_policy_admin(actor):
        raise PermissionDenied(_("Only policy administrators may change the policy."))


# --- assessment (called by applications at submission, and by the public self-check) -------------


@dataclass(frozen=True)
class Assessment:
    policy_version: PolicyVersion
    result: Result
    snapshot: dict[str, Any]


def eligibility_assess(
    *, channel: str, facts: dict, as_of: date, policy_version: PolicyVersion | None = None
) -> Assessment:
    """Evaluate `facts` under the version in force on `as_of` (or the one given); nothing is stored.

    The registry, not the applicant, decides `talent_program_registered`. Bad facts raise
    ValidationError keyed by the fact's name.
    """
    if policy_version is None:
        try:
            policy_version = policy_version_in_force(on=as_of)
        except PolicyVersion.DoesNotExist:
            raise ValidationError({"as_of": [_("No policy was in force on that date.")]}) from None
    compiled = policy_version.compiled()
    channel_policy = compiled.channels.get(channel)
    if channel_policy is None:
        raise ValidationError({"channel": [_("This route does not exist in the policy.")]})
    facts = dict(facts)
    program_note = None
    if "talent_program_registered" in channel_policy.env.specs:
        code = facts.get("talent_program_code")
        if code:
            status = talent_program_status(code=str(code), on=as_of)
            facts["talent_program_registered"] = status.registered
            program_note = {"code": str(code), "registered": status.registered, "reason": status.reason}
        else:
            facts["talent_program_registered"] = False if "talent_program_code" in facts else None
    fact_sources = _register_facts(channel_policy, facts, as_of=as_of, policy=compiled)
    try:
        result = evaluate(compiled, channel=channel, facts=facts, as_of=as_of)
        snapshot = result.to_dict()
    except FactError as error:
        raise ValidationError(
            {error.fact: [_("This value is not valid: %(detail)s") % {"detail": error.message["en"]}]}
        ) from None
    except PolicyNotInEffect:
        raise ValidationError({"as_of": [_("This policy version is not in force on that date.")]}) from None
    except (ArithmeticError, OverflowError, ValueError):
        # Extreme values (a date in year 1, an amount of 1e999999) that no real case has.
        raise ValidationError({"facts": [_("These facts cannot be evaluated; check the values.")]}) from None
    snapshot["policy_version_id"] = policy_version.pk
    snapshot["policy_version_label"] = policy_version.label
    if program_note is not None:
        snapshot["talent_program"] = program_note
    if fact_sources:
        snapshot["fact_sources"] = fact_sources
    return Assessment(policy_version=policy_version, result=result, snapshot=snapshot)


# Codes the applicant gives, and the facts the registers derive from them (never the applicant).
INDUSTRY_CODE_FACT = "industry_code"
ADDRESS_CODE_FACT = "enterprise_address_code"
INDUSTRY_DERIVED = ("encouraged_industry", "priority_industry")
ADDRESS_DERIVED = ("region_class",)


def _register_facts(channel_policy, facts: dict, *, as_of: date, policy) -> dict[str, Any]:
    """Set the register-derived facts in `facts` (in place) and return each one's source.

    An unknown code is a ValidationError keyed by the code's fact; a code the policy version does
    not declare (an older version) is used for the derivation and then left out of the engine's facts.
    """
    from .registers import address_facts, industry_facts

    specs = channel_policy.env.specs
    sources: dict[str, Any] = {}
    wants_industry = any(name in specs for name in INDUSTRY_DERIVED)
    if wants_industry and (INDUSTRY_CODE_FACT in specs or INDUSTRY_CODE_FACT in facts):
        code = facts.get(INDUSTRY_CODE_FACT)
        info = None
        if code:
            try:
                info = industry_facts(str(code), on=as_of)
            except ValidationError as error:
                raise ValidationError({INDUSTRY_CODE_FACT: error.messages}) from None
            facts[INDUSTRY_CODE_FACT] = info.code
            sources[INDUSTRY_CODE_FACT] = {"source": "declared", "value": info.code, "name": info.name}
        for name in INDUSTRY_DERIVED:
            if name in specs:
                value = bool(info and (info.encouraged if name == "encouraged_industry" else info.priority))
                facts[name] = value
                sources[name] = (info.sources[name] if info else {"source": "not_given"}) | {"value": value}
    wants_address = any(name in specs for name in ADDRESS_DERIVED)
    if wants_address and (ADDRESS_CODE_FACT in specs or ADDRESS_CODE_FACT in facts):
        code = facts.get(ADDRESS_CODE_FACT)
        facts["region_class"] = None
        sources["region_class"] = {"source": "not_given", "value": None}
        if code:
            table = (policy.doc.get("reference") or {}).get("tables", {}).get("region_class") or {}
            try:
                info = address_facts(str(code), on=as_of, region_table=table)
            except ValidationError as error:
                raise ValidationError({ADDRESS_CODE_FACT: error.messages}) from None
            facts["region_class"] = info.region_class
            sources[ADDRESS_CODE_FACT] = {"source": "declared", "value": info.code, "name": info.name}
            sources["region_class"] = info.sources["region_class"] | {"value": info.region_class}
    for name in (INDUSTRY_CODE_FACT, ADDRESS_CODE_FACT):
        if name in facts and name not in specs:
            facts.pop(name)
    return sources


# --- policy versions ------------------------------------------------------------------------------


def _policy_state(version: PolicyVersion) -> dict[str, Any]:
    return {
        "label": version.label,
        "status": version.status,
        "effective_from": version.effective_from.isoformat() if version.effective_from else None,
        "effective_to": version.effective_to.isoformat() if version.effective_to else None,
        "revision": version.revision,
    }


def _free_label(base: str) -> str:
    label = base[:50]
    n = 1
    while PolicyVersion.objects.filter(label=label).exists():
        n += 1
        label = f"{base[:50]}-{n}"
    return label


def _check_document(document: Any, *, lang: str = "en") -> dict[str, Any]:
    if not isinstance(document, dict):
        raise ValidationError({"document": [_("The policy document must be a mapping.")]})
    errors = policy_errors(document)
    if errors:
        raise errors_as_validation(errors, lang=lang)
    return document


def _check_label(label: str, *, exclude_pk: int | None = None) -> str:
    label = str(label or "").strip()
    if not label:
        raise ValidationError({"document.version": [_("The version label is empty.")]})
    if len(label) > 60:
        raise ValidationError({"document.version": [_("The version label is longer than 60 characters.")]})
    clash = PolicyVersion.objects.filter(label=label)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"document.version": [_("Another policy version already has this label.")]})
    return label


@transaction.atomic
def policy_install_default(*, actor=None) -> PolicyVersion:
    """Publish the shipped default policy if no version was ever published (idempotent)."""
    existing = PolicyVersion.objects.filter(status__in=IN_FORCE_STATUSES).order_by("effective_from").first()
    if existing is not None:
        return existing
    document = jsonable(read_policy_document())
    _check_document(document)
    version = PolicyVersion.objects.create(
        label=_free_label(str(document["version"])),
        document=document,
        status=PolicyVersion.Status.PUBLISHED,
        effective_from=date.fromisoformat(document["effective_from"]),
        legal_basis=document["legal_basis"]["en"],
        notes="Installed from eligibility/policy/default_policy.yaml.",
        published_at=timezone.now(),
    )
    audit_record(
        actor=actor, action="eligibility.policy_install_default", obj=version, after=_policy_state(version)
    )
    return version


@transaction.atomic
def policy_draft_create(*, actor, based_on: PolicyVersion | None = None, label: str = "") -> PolicyVersion:
    """A new draft, a copy of `based_on` (the version in force by default)."""
    _require_policy_admin(actor)
    based_on = based_on or policy_version_in_force()
    document = copy.deepcopy(based_on.document)
    label = _check_label(label) if label else _free_label(f"{timezone.localdate():%Y.%m.%d}-draft")
    document["version"] = label
    document["effective_to"] = None
    draft = PolicyVersion.objects.create(
        label=label,
        document=document,
        status=PolicyVersion.Status.DRAFT,
        legal_basis=based_on.legal_basis,
        based_on=based_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="eligibility.policy_draft_create",
        obj=draft,
        after=_policy_state(draft),
        reason=f"copy of {based_on.label}",
    )
    return draft


@transaction.atomic
def policy_draft_update(
    *, actor, draft: PolicyVersion, document: Any, notes: str | None = None, lang: str = "en"
) -> PolicyVersion:
    """Replace a draft's document; it must validate, or nothing is stored."""
    _require_policy_admin(actor)
    draft = PolicyVersion.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise ValidationError(_("A published policy version cannot be changed; create a new draft."))
    document = _check_document(document, lang=lang)
    label = _check_label(document.get("version"), exclude_pk=draft.pk)
    before = _policy_state(draft)
    draft.document = document
    draft.label = label
    draft.legal_basis = document.get("legal_basis", {}).get("en", "")
    if notes is not None:
        draft.notes = notes
    draft.revision += 1
    draft.save(update_fields=["document", "label", "legal_basis", "notes", "revision"])
    audit_record(
        actor=actor,
        action="eligibility.policy_draft_update",
        obj=draft,
        before=before,
        after=_policy_state(draft),
    )
    return draft


@transaction.atomic
def policy_reference_year_add(
    *, actor, draft: PolicyVersion, table: str, year: int, figures: dict[str, Any], lang: str = "en"
) -> PolicyVersion:
    """Add (or correct) one year's figures of a by-year reference table in a draft, audited."""
    _require_policy_admin(actor)
    draft = PolicyVersion.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise ValidationError(_("A published policy version cannot be changed; create a new draft."))
    document = copy.deepcopy(draft.document)
    tables = (document.get("reference") or {}).get("tables") or {}
    values = (tables.get(table) or {}).get("values")
    if not tables.get(table, {}).get("by_year") or not isinstance(values, dict):
        raise ValidationError({"table": [_("This table has no figures by year.")]})
    given = {key: amount for key, amount in figures.items() if amount is not None}
    if not given:
        raise ValidationError(_("Enter at least one figure."))
    unknown = sorted(set(given) - set(values))
    if unknown:
        raise ValidationError({"table": [_("Unknown keys: %(keys)s") % {"keys": ", ".join(unknown)}]})
    before = {key: values[key].get(str(year), values[key].get(year)) for key in given}
    for key, amount in given.items():
        # Stored as JSON: year keys are text; whole amounts stay whole.
        values[key].pop(year, None)
        values[key][str(year)] = int(amount) if amount == int(amount) else float(amount)
    document = _check_document(jsonable(document), lang=lang)
    draft.document = document
    draft.revision += 1
    draft.save(update_fields=["document", "revision"])
    audit_record(
        actor=actor,
        action="eligibility.policy_reference_year_add",
        obj=draft,
        before={"table": table, "year": year, "figures": jsonable(before)},
        after={"table": table, "year": year, "figures": jsonable(given), "revision": draft.revision},
    )
    return draft


@transaction.atomic
def policy_import(*, actor, text: str | bytes, fmt: str, lang: str = "en") -> PolicyVersion:
    """A new draft from a YAML or JSON file; an invalid file stores nothing and says why, by path."""
    _require_policy_admin(actor)
    document = _check_document(parse_policy_text(text, fmt=fmt), lang=lang)
    label = _check_label(document.get("version"))
    draft = PolicyVersion.objects.create(
        label=label,
        document=document,
        status=PolicyVersion.Status.DRAFT,
        legal_basis=document.get("legal_basis", {}).get("en", ""),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="eligibility.policy_import",
        obj=draft,
        after=_policy_state(draft),
        reason=f"imported from {fmt}",
    )
    return draft


@transaction.atomic
def policy_draft_delete(*, actor, draft: PolicyVersion) -> None:
    _require_policy_admin(actor)
    draft = PolicyVersion.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise ValidationError(_("A published policy version cannot be deleted."))
    audit_record(
        actor=actor, action="eligibility.policy_draft_delete", obj=draft, before=_policy_state(draft)
    )
    draft.delete()


def _effective_date(effective_from: date | None, *, current, past: str, not_after: str) -> date:
    """The day a draft takes effect (today by default): not in the past, and after the day the
    edition in force (``current``) took effect, which it closes."""
    today = timezone.localdate()
    effective_from = effective_from or today
    if effective_from < today:
        raise ValidationError({"effective_from": [past]})
    if current is not None and current.effective_from and effective_from <= current.effective_from:
        raise ValidationError({"effective_from": [not_after % {"date": current.effective_from.isoformat()}]})
    return effective_from


def _publish_over(*, actor, draft, current, effective_from: date, state, action: str, fields=()) -> None:
    """Publish ``draft`` from ``effective_from`` (saving its changed ``fields`` too) and retire
    ``current`` that day; each change audited as ``{action}_publish`` / ``{action}_retire``."""
    before = state(draft)
    draft.status = draft.Status.PUBLISHED
    draft.effective_from = effective_from
    draft.effective_to = None
    draft.published_at = timezone.now()
    draft.published_by = actor
    draft.revision += 1
    draft.save(
        update_fields=[
            *fields,
            "status",
            "effective_from",
            "effective_to",
            "published_at",
            "published_by",
            "revision",
        ]
    )
    audit_record(actor=actor, action=f"{action}_publish", obj=draft, before=before, after=state(draft))
    if current is not None:
        previous = state(current)
        current.effective_to = effective_from
        current.status = current.Status.RETIRED
        current.save(update_fields=["effective_to", "status"])
        audit_record(
            actor=actor,
            action=f"{action}_retire",
            obj=current,
            before=previous,
            after=state(current),
            reason=f"superseded by {draft.label}",
        )


@transaction.atomic
def policy_publish(*, actor, draft: PolicyVersion, effective_from: date | None = None) -> PolicyVersion:
    """Publish a draft from `effective_from` (today by default); the version it follows closes then."""
    _require_policy_admin(actor)
    draft = PolicyVersion.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise ValidationError(_("Only a draft can be published."))
    # Lock the open published version, so two publications cannot both close it.
    current = (
        PolicyVersion.objects.select_for_update()
        .filter(status=PolicyVersion.Status.PUBLISHED, effective_to__isnull=True)
        .order_by("-effective_from", "-id")
        .first()
    )
    effective_from = _effective_date(
        effective_from,
        current=current,
        past=_("A policy cannot take effect in the past."),
        not_after=_("The date must be after %(date)s, when the current version took effect."),
    )
    document = dict(draft.document)
    document["effective_from"] = effective_from.isoformat()
    document["effective_to"] = None
    _check_document(document)
    draft.document = document
    _publish_over(
        actor=actor,
        draft=draft,
        current=current,
        effective_from=effective_from,
        state=_policy_state,
        action="eligibility.policy",
        fields=["document"],
    )
    return draft


# --- talent programs ------------------------------------------------------------------------------


def _program_state(program: TalentProgram) -> dict[str, Any]:
    return {
        "code": program.code,
        "name_en": program.name_en,
        "name_zh": program.name_zh,
        "agency": program.agency.code if program.agency_id else None,
        "valid_from": program.valid_from.isoformat() if program.valid_from else None,
        "valid_to": program.valid_to.isoformat() if program.valid_to else None,
        "status": program.status,
    }


def _check_program(program: TalentProgram) -> None:
    if program.valid_to is not None and program.valid_to <= program.valid_from:
        raise ValidationError({"valid_to": [_("The end date must be after the start date.")]})
    clash = TalentProgram.objects.filter(code__iexact=program.code)
    if program.pk:
        clash = clash.exclude(pk=program.pk)
    if clash.exists():
        raise ValidationError({"code": [_("A talent program with this code is already registered.")]})


@transaction.atomic
def talent_program_create(
    *,
    actor,
    code: str,
    name_en: str,
    name_zh: str,
    agency: Agency,
    valid_from: date,
    valid_to: date | None = None,
) -> TalentProgram:
    _require_policy_admin(actor)
    program = TalentProgram(
        code=code.strip(),
        name_en=name_en.strip(),
        name_zh=name_zh.strip(),
        agency=agency,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    _check_program(program)
    program.save()
    audit_record(
        actor=actor, action="eligibility.talent_program_create", obj=program, after=_program_state(program)
    )
    return program


@transaction.atomic
def talent_program_update(*, actor, program: TalentProgram, **changes: Any) -> TalentProgram:
    """Adjust names, agency, dates or status (active/retired) of a registered program."""
    _require_policy_admin(actor)
    program = TalentProgram.objects.select_for_update().get(pk=program.pk)
    unknown = set(changes) - set(TALENT_PROGRAM_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in sorted(unknown)})
    before = _program_state(program)
    for name, value in changes.items():
        setattr(program, name, value.strip() if isinstance(value, str) and name != "status" else value)
    if program.status not in TalentProgram.Status.values:
        raise ValidationError({"status": [_("Choose active or retired.")]})
    _check_program(program)
    program.save(update_fields=[*changes.keys(), "updated_at"] if changes else None)
    audit_record(
        actor=actor,
        action="eligibility.talent_program_update",
        obj=program,
        before=before,
        after=_program_state(program),
    )
    return program


# --- family quota ----------------------------------------------------------------------------------


def _quota_state(quota: FamilyQuota) -> dict[str, Any]:
    return {"year": quota.year, "region": quota.region, "places": quota.places}


@transaction.atomic
def family_quota_set(*, actor, year: int, places: int, region: str = "") -> FamilyQuota:
    """Set a year's places (nationally, or for one region); freed places go to waiting cases at once."""
    _require_policy_admin(actor)
    if not (2000 <= int(year) <= 2100):
        raise ValidationError({"year": [_("Enter a year between 2000 and 2100.")]})
    if int(places) < 0:
        raise ValidationError({"places": [_("Places cannot be negative.")]})
    region = (region or "").strip().upper()
    quota, created = FamilyQuota.objects.get_or_create(year=year, region=region, defaults={"places": places})
    quota = FamilyQuota.objects.select_for_update().get(pk=quota.pk)
    before = None if created else _quota_state(quota)
    quota.places = places
    quota.save(update_fields=["places", "updated_at"])
    audit_record(
        actor=actor,
        action="eligibility.family_quota_set",
        obj=quota,
        before=before,
        after=_quota_state(quota),
    )
    _allocate_waiting(actor=actor, year=int(year))
    return quota


def _quota_for(*, year: int, region: str) -> FamilyQuota:
    """The regional quota if one is set for the year, else the national one (created from the policy)."""
    region = (region or "").strip().upper()
    if region:
        regional = FamilyQuota.objects.filter(year=year, region=region).first()
        if regional is not None:
            return regional
    national = FamilyQuota.objects.filter(year=year, region="").first()
    if national is not None:
        return national
    try:
        places = int(policy_version_in_force().compiled().family_quota["annual"])
    except (PolicyVersion.DoesNotExist, KeyError, TypeError, ValueError):
        places = 0
    try:
        with transaction.atomic():
            return FamilyQuota.objects.create(year=year, region="", places=places)
    except IntegrityError:
        # Another approver created it at the same moment.
        return FamilyQuota.objects.get(year=year, region="")


def _entry_state(entry: FamilyQuotaEntry) -> dict[str, Any]:
    return {"application_id": entry.application_id, "quota": str(entry.quota), "state": entry.state}


def _allocate_waiting(*, actor, year: int, exclude: int | None = None) -> list[int]:
    """Give the year's free places to waiting cases in submission order; caller holds a transaction."""
    quotas = {q.pk: q for q in FamilyQuota.objects.select_for_update().filter(year=year).order_by("pk")}
    if not quotas:
        return []
    regional = {q.region: q for q in quotas.values() if q.region}
    national = next((q for q in quotas.values() if not q.region), None)
    used = dict.fromkeys(quotas, 0)
    for quota_id in FamilyQuotaEntry.objects.filter(
        quota_id__in=quotas, state=FamilyQuotaEntry.State.ALLOCATED
    ).values_list("quota_id", flat=True):
        used[quota_id] += 1
    granted: list[int] = []
    waiting = (
        FamilyQuotaEntry.objects.select_for_update()
        .filter(state=FamilyQuotaEntry.State.WAITING, quota__year__lte=year)
        .order_by("submitted_at", "id")
    )
    for entry in waiting:
        quota = regional.get(entry.region) or national
        if quota is None or used[quota.pk] >= quota.places:
            continue
        before = _entry_state(entry)
        entry.quota = quota
        entry.state = FamilyQuotaEntry.State.ALLOCATED
        entry.allocated_at = timezone.now()
        entry.save(update_fields=["quota", "state", "allocated_at"])
        used[quota.pk] += 1
        audit_record(
            actor=actor,
            action="eligibility.family_quota_allocate",
            obj=entry,
            before=before,
            after=_entry_state(entry),
        )
        if entry.application_id != exclude:
            granted.append(entry.application_id)
            quota_place_granted.send(sender=None, application_id=entry.application_id, actor=actor)
    return granted


@transaction.atomic
def family_quota_take_place(
    *, actor, application_id: int, region: str, year: int, submitted_at: datetime
) -> bool:
    """Take a place for an approved family case (True), or join the waiting list in submission order (False).

    Idempotent per application. The year's quota rows are locked, so concurrent approvers queue.
    """
    quota = _quota_for(year=year, region=region)
    # Lock first, then count: the lock is what makes two approvers at once safe.
    list(
        FamilyQuota.objects.select_for_update().filter(year=year).order_by("pk").values_list("pk", flat=True)
    )
    entry = FamilyQuotaEntry.objects.select_for_update().filter(application_id=application_id).first()
    if entry is not None and entry.state != FamilyQuotaEntry.State.RELEASED:
        return entry.state == FamilyQuotaEntry.State.ALLOCATED
    before = _entry_state(entry) if entry is not None else None
    if entry is None:
        entry = FamilyQuotaEntry(application_id=application_id)
    entry.quota = quota
    entry.region = (region or "").strip().upper()
    entry.state = FamilyQuotaEntry.State.WAITING
    entry.submitted_at = submitted_at
    entry.released_at = None
    entry.save()
    audit_record(
        actor=actor,
        action="eligibility.family_quota_queue",
        obj=entry,
        before=before,
        after=_entry_state(entry),
    )
    # Earlier waiting cases go first; this one gets a place only if one is left after them.
    _allocate_waiting(actor=actor, year=year, exclude=application_id)
    entry.refresh_from_db(fields=["state"])
    return entry.state == FamilyQuotaEntry.State.ALLOCATED


@transaction.atomic
def family_quota_release_place(*, actor, application_id: int) -> None:
    """Give back a place (or leave the waiting list); the freed place goes to the next waiting case."""
    entry = FamilyQuotaEntry.objects.select_related("quota").filter(application_id=application_id).first()
    if entry is None or entry.state == FamilyQuotaEntry.State.RELEASED:
        return
    list(
        FamilyQuota.objects.select_for_update()
        .filter(year=entry.quota.year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    entry = FamilyQuotaEntry.objects.select_for_update().select_related("quota").get(pk=entry.pk)
    if entry.state == FamilyQuotaEntry.State.RELEASED:
        return
    before = _entry_state(entry)
    was_allocated = entry.state == FamilyQuotaEntry.State.ALLOCATED
    entry.state = FamilyQuotaEntry.State.RELEASED
    entry.released_at = timezone.now()
    entry.save(update_fields=["state", "released_at"])
    audit_record(
        actor=actor,
        action="eligibility.family_quota_release",
        obj=entry,
        before=before,
        after=_entry_state(entry),
    )
    if was_allocated:
        _allocate_waiting(actor=actor, year=entry.quota.year)


@transaction.atomic
def family_quota_allocate_waiting(*, year: int, actor=None) -> list[int]:
    """Give the year's free places to waiting cases (of that year and earlier) in submission order."""
    return _allocate_waiting(actor=actor, year=year)


# --- bans ---------------------------------------------------------------------------------------------
# Who may set a ban by hand (the bans page and its API use the same tuple).
BAN_ROLES = (Role.POLICY_ADMIN, Role.MANAGEMENT_OFFICER, Role.SYSTEM_ADMIN)


@dataclass(frozen=True)
class RevocationActor:
    """The system setting the ban a card revocation carries (R22), on an approver's decision.

    An approver is not one of BAN_ROLES and needs not be: the ban is not their own act but the
    consequence the rules attach to the revocation they decided (cards.services.revocation_decide).
    Naming this actor explicitly keeps ``ban_create`` refusing everyone else, as every service does.
    """

    decided_by: Any  # the approver: the ban's creator and the audit entry's actor
    case_id: int


def revocation_actor(*, decided_by, case_id: int) -> RevocationActor:
    return RevocationActor(decided_by=decided_by, case_id=case_id)


def _ban_actor(actor):
    """The user a ban is recorded against, or PermissionDenied for anyone who may not set one."""
    if isinstance(actor, RevocationActor):
        return actor.decided_by
    if not (getattr(actor, "is_authenticated", False) and actor.has_role(*BAN_ROLES)):
        raise PermissionDenied(_("Only policy administrators and management officers may set bans."))
    return actor


def _ban_state(ban: Ban) -> dict[str, Any]:
    return {
        "passport_number": ban.passport_number,
        "nationality": ban.nationality,
        "birth_date": ban.birth_date.isoformat(),
        "ground": ban.ground,
        "until": ban.until.isoformat(),
    }


@transaction.atomic
def ban_create(
    *,
    actor,
    passport_number: str,
    nationality: str,
    birth_date: date,
    ground: str,
    until: date | None,
    reason: str,
) -> Ban:
    """Ban a person from reapplying before `until` (by default: today plus the policy's years for the ground).

    ``actor`` is a user with one of BAN_ROLES, or the ``RevocationActor`` of a decided revocation.
    """
    system = actor if isinstance(actor, RevocationActor) else None
    actor = _ban_actor(actor)
    if ground not in Ban.Ground.values:
        raise ValidationError({"ground": [_("Choose one of the grounds in the policy.")]})
    passport_number = normalise_passport(passport_number)
    nationality = (nationality or "").strip().upper()
    if not passport_number:
        raise ValidationError({"passport_number": [_("Enter the passport number.")]})
    if not (2 <= len(nationality) <= 3 and nationality.isalpha()):
        raise ValidationError(
            {"nationality": [_("Enter the nationality as an ISO 3166 code, e.g. USA or DE.")]}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for the ban.")]})
    today = timezone.localdate()
    if until is None:
        years = int(policy_version_in_force().compiled().ban_years.get(ground, 0))
        until = anniversary(today, years)
    if until <= today:
        raise ValidationError({"until": [_("The end of the ban must be in the future.")]})
    if birth_date >= today + timedelta(days=1):
        raise ValidationError({"birth_date": [_("The date of birth cannot be in the future.")]})
    ban = Ban.objects.create(
        passport_number=passport_number,
        nationality=nationality,
        birth_date=birth_date,
        ground=ground,
        until=until,
        reason=reason.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    after = _ban_state(ban)
    if system is not None:
        after["revocation_case"] = system.case_id
    audit_record(actor=actor, action="eligibility.ban_create", obj=ban, after=after, reason=reason.strip())
    return ban


# --- reference registers (issue 13) ---------------------------------------------------------------


def _edition_state(edition: RegisterEdition) -> dict[str, Any]:
    return {
        "register": edition.register,
        "label": edition.label,
        "status": edition.status,
        "effective_from": edition.effective_from.isoformat() if edition.effective_from else None,
        "effective_to": edition.effective_to.isoformat() if edition.effective_to else None,
        "entries": len(edition.entries),
        "revision": edition.revision,
    }


@transaction.atomic
def registers_install_default(*, actor=None) -> list[RegisterEdition]:
    """Publish the shipped editions of every register that has none yet (idempotent)."""
    from .registers import check_entries, read_defaults

    installed = []
    defaults = read_defaults()
    # The classifications first: the catalogues are checked against them.
    for register in Register.values:
        if RegisterEdition.objects.filter(
            register=register, status__in=[RegisterEdition.Status.PUBLISHED, RegisterEdition.Status.RETIRED]
        ).exists():
            continue
        editions = sorted(defaults.get(register, []), key=lambda e: e["effective_from"])
        previous = None
        for doc in editions:
            effective_from = doc["effective_from"]
            entries = check_entries(
                register,
                [{"code": str(c), "en": en, "zh": zh} for c, en, zh in doc["entries"]],
                on=effective_from,
            )
            edition = RegisterEdition.objects.create(
                register=register,
                label=doc["label"],
                status=RegisterEdition.Status.PUBLISHED,
                effective_from=effective_from,
                source=doc.get("source", ""),
                entries=entries,
                published_at=timezone.now(),
            )
            if previous is not None:
                previous.effective_to = effective_from
                previous.status = RegisterEdition.Status.RETIRED
                previous.save(update_fields=["effective_to", "status"])
            audit_record(
                actor=actor,
                action="eligibility.register_install_default",
                obj=edition,
                after=_edition_state(edition),
            )
            installed.append(edition)
            previous = edition
    return installed


def _free_edition_label(register: str, base: str) -> str:
    label, n = base[:50], 1
    while RegisterEdition.objects.filter(register=register, label=label).exists():
        n += 1
        label = f"{base[:50]}-{n}"
    return label


@transaction.atomic
def register_draft_create(*, actor, register: str, label: str = "") -> RegisterEdition:
    """A new draft edition of `register`, a copy of its newest published edition."""
    _require_policy_admin(actor)
    if register not in Register.values:
        raise ValidationError({"register": [_("This register does not exist.")]})
    based_on = (
        RegisterEdition.objects.filter(
            register=register, status__in=[RegisterEdition.Status.PUBLISHED, RegisterEdition.Status.RETIRED]
        )
        .order_by("-effective_from", "-id")
        .first()
    )
    label = (label or "").strip()
    if label:
        if len(label) > 60:
            raise ValidationError({"label": [_("The edition's name is longer than 60 characters.")]})
        if RegisterEdition.objects.filter(register=register, label=label).exists():
            raise ValidationError({"label": [_("Another edition of this register already has this name.")]})
    else:
        label = _free_edition_label(register, f"{timezone.localdate():%Y.%m.%d}-draft")
    draft = RegisterEdition.objects.create(
        register=register,
        label=label,
        status=RegisterEdition.Status.DRAFT,
        source=based_on.source if based_on else "",
        entries=list(based_on.entries) if based_on else [],
        based_on=based_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="eligibility.register_draft_create",
        obj=draft,
        after=_edition_state(draft),
        reason=f"copy of {based_on.label}" if based_on else "",
    )
    return draft


@transaction.atomic
def register_draft_update(
    *, actor, draft: RegisterEdition, entries: list[dict[str, str]], label: str, source: str
) -> RegisterEdition:
    """Replace a draft edition's entries, name and source; bad entries store nothing and say which."""
    from .registers import check_entries

    _require_policy_admin(actor)
    draft = RegisterEdition.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise ValidationError(_("A published edition cannot be changed; create a new draft."))
    label = (label or "").strip()
    if not label or len(label) > 60:
        raise ValidationError({"label": [_("Give the edition a name of at most 60 characters.")]})
    if RegisterEdition.objects.filter(register=draft.register, label=label).exclude(pk=draft.pk).exists():
        raise ValidationError({"label": [_("Another edition of this register already has this name.")]})
    checked = check_entries(draft.register, entries)
    before = _edition_state(draft)
    before_codes = {e["code"] for e in draft.entries}
    draft.entries = checked
    draft.label = label
    draft.source = (source or "").strip()[:2000]
    draft.revision += 1
    draft.save(update_fields=["entries", "label", "source", "revision"])
    codes = {e["code"] for e in checked}
    audit_record(
        actor=actor,
        action="eligibility.register_draft_update",
        obj=draft,
        before=before,
        after=_edition_state(draft)
        | {"added": sorted(codes - before_codes)[:200], "removed": sorted(before_codes - codes)[:200]},
    )
    return draft


@transaction.atomic
def register_publish(*, actor, draft: RegisterEdition, effective_from: date | None = None) -> RegisterEdition:
    """Publish a draft edition from `effective_from`; the edition it follows closes then.

    Until that date the edition in force stays the one applied: a new catalogue is never applied early.
    """
    from .registers import check_entries

    _require_policy_admin(actor)
    draft = RegisterEdition.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise ValidationError(_("Only a draft can be published."))
    current = (
        RegisterEdition.objects.select_for_update()
        .filter(register=draft.register, status=RegisterEdition.Status.PUBLISHED, effective_to__isnull=True)
        .order_by("-effective_from", "-id")
        .first()
    )
    effective_from = _effective_date(
        effective_from,
        current=current,
        past=_("An edition cannot take effect in the past."),
        not_after=_("The date must be after %(date)s, when the current edition took effect."),
    )
    check_entries(draft.register, draft.entries, on=effective_from)
    _publish_over(
        actor=actor,
        draft=draft,
        current=current,
        effective_from=effective_from,
        state=_edition_state,
        action="eligibility.register",
    )
    return draft


@transaction.atomic
def register_draft_delete(*, actor, draft: RegisterEdition) -> None:
    _require_policy_admin(actor)
    draft = RegisterEdition.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise ValidationError(_("A published edition cannot be deleted."))
    audit_record(
        actor=actor, action="eligibility.register_draft_delete", obj=draft, before=_edition_state(draft)
    )
    draft.delete()


# --- nominating bodies (R11) ----------------------------------------------------------------------

NOMINATING_BODY_FIELDS = ("code", "name_en", "name_zh", "methods", "agency", "status")


def nomination_methods(*, on: date | None = None) -> dict[str, dict[str, str]]:
    """The nomination methods the policy in force names (contribution fact nomination_method)."""
    version = policy_version_in_force(on=on)
    spec = (version.document.get("facts") or {}).get("contribution", {}).get("nomination_method") or {}
    return dict(spec.get("choices") or {})


def _body_state(body: NominatingBody) -> dict[str, Any]:
    return {
        "code": body.code,
        "name_en": body.name_en,
        "name_zh": body.name_zh,
        "methods": list(body.methods),
        "agency": body.agency_id,
        "status": body.status,
    }


@transaction.atomic
def nominating_body_save(*, actor, body: NominatingBody | None = None, **values: Any) -> NominatingBody:
    """Register a nominating body or adjust one (names, methods, agency account, active/retired)."""
    _require_policy_admin(actor)
    unknown = set(values) - set(NOMINATING_BODY_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    methods = values.get("methods")
    if methods is not None:
        known = nomination_methods()
        bad = [m for m in methods if m not in known]
        if bad or not methods:
            raise ValidationError({"methods": [_("Choose one or more of the policy's nomination methods.")]})
        values["methods"] = sorted(set(methods))
    if body is None:
        body = NominatingBody(**values)
        before = None
    else:
        body = NominatingBody.objects.select_for_update().get(pk=body.pk)
        before = _body_state(body)
        for name, value in values.items():
            setattr(body, name, value)
    body.full_clean()
    body.save()
    audit_record(
        actor=actor,
        action="eligibility.nominating_body_create"
        if before is None
        else "eligibility.nominating_body_update",
        obj=body,
        before=before,
        after=_body_state(body),
    )
    return body

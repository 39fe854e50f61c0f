"""Every write of the applications app: profiles, drafts, documents, transitions, claims, inbox.

Each public function is atomic, checks who may do it, writes the audit row in the same
transaction and sends e-mail only after commit. Transitions lock the case row
(select_for_update) and save through ConcurrentTransitionMixin, so of two officers acting at
once exactly one wins and the other gets a TransitionConflict (HTTP 409) with the state unchanged.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from eligibility.selectors import (
    DocumentType,
    active_ban,
    channel_rules,
    is_nominating_body_staff_of,
    policy_version_in_force,
)
from eligibility.services import eligibility_assess, family_quota_release_place, family_quota_take_place
from privacy import consent_texts
from privacy import services as privacy_services
from privacy.models import Purpose
from residence.accounts.models import Office, Role, User, is_officer
from residence.accounts.verification import require_verified_email
from residence.audit.services import audit_record, audit_record_many
from residence.core.db import rows_update
from residence.core.tasks import publish_many_after_commit, send_email_task
from residence.core.validators import validate_fact_date_plausible, validate_no_nul, validate_visible_text
from verification.services import applications_complete_if_done, verification_requests_create

from . import extensions, uploads
from .access import (
    STAGE_ROLE,
    is_supervisor,
    office_covers,
    office_for_residence,
    officer_may_act,
)
from .channels import CHANNELS, facts_fields
from .errors import TransitionConflict
from .mentions import mentioned_addresses
from .models import (
    FAR_FUTURE,
    FINAL_STATUSES,
    STAGE_OF_STATUS,
    STAGE_POLICY_KEY,
    ApplicantProfile,
    Application,
    ApplicationDocument,
    Authorisation,
    CaseNote,
    Channel,
    Dependant,
    EvidenceRequest,
    Nomination,
    Notification,
    Stage,
    Status,
    StatusChange,
    TalentFacts,
    YearInChina,
    reference_for,
)
from .policy_facts import clean_policy_facts, policy_fact_specs, policy_facts_snapshot
from .reasons import decision_reasons

logger = logging.getLogger(__name__)

PROFILE_FIELDS = [
    "family_name",
    "given_names",
    "chinese_name",
    "sex",
    "birth_date",
    "nationality",
    "passport_number",
    "passport_expiry",
    "email",
    "phone",
    "address",
    "province",
    "city_code",
    "residence_permit_type",
    "residence_permit_number",
]
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)


# --- helpers -----------------------------------------------------------------------------------
def _state(obj, fields: Iterable[str]) -> dict[str, Any]:
    out = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value.isoformat() if isinstance(value, dt.date | dt.datetime) else value
        if hasattr(value, "pk"):
            out[name] = value.pk
        elif value is not None and not isinstance(value, str | int | bool | float | list | dict):
            out[name] = str(value)
    return out


def acts_for(user, owner_id: int) -> bool:
    """The owner themselves, or an intermediary the owner has authorised (and not revoked)."""
    if not user.is_authenticated:
        return False
    if user.pk == owner_id:
        return True
    for party in extensions.acting_parties:
        # A service window acts for the walk-in it filed until the person claims it (issue 15).
        if user.has_role(party.role):
            return party.acts_for(user=user, owner_id=owner_id)
    return (
        user.has_role(Role.INTERMEDIARY)
        and Authorisation.objects.filter(
            applicant_id=owner_id, intermediary=user, revoked_at__isnull=True
        ).exists()
    )


def _require_applicant_side(actor, application: Application) -> None:
    if not acts_for(actor, application.applicant.owner_id):
        # Someone else's case: do not confirm it exists.
        raise Http404


def _require_officer(actor, application: Application, *, stage: str | None = None) -> None:
    stage = stage or application.stage
    if not is_officer(actor):
        raise PermissionDenied(_("Only officers may do this."))
    if not (
        actor.is_superuser
        or office_covers(actor.office, province=application.province, city_code=application.city_code)
    ):
        raise Http404
    if not officer_may_act(actor, application, stage):
        role = STAGE_ROLE.get(stage)
        raise PermissionDenied(
            _("At this stage only a %(role)s of an office at the level the policy sets may act.")
            % {"role": Role(role).label if role else _("the system")}
        )


def _require_not_held_by_other(actor, application: Application) -> None:
    holder = application.claimed_by_id
    if (
        holder
        and holder != getattr(actor, "pk", None)
        and application.claimed_until
        and application.claimed_until > timezone.now()
    ):
        raise TransitionConflict(
            _("Another officer holds this case until %(until)s.")
            % {"until": timezone.localtime(application.claimed_until).strftime("%Y-%m-%d %H:%M")}
        )


def _lock(application: Application | int) -> Application:
    pk = application if isinstance(application, int) else application.pk
    try:
        return (
            Application.objects.select_for_update(of=("self",))
            .select_related("applicant", "office")
            .get(pk=pk)
        )
    except Application.DoesNotExist:
        raise Http404 from None


def _require_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [message]})
    return reason


def _set_stage_clock(application: Application, now: dt.datetime) -> None:
    """Deadline of the stage just entered, from the policy stored at submission (green is shorter)."""
    key = STAGE_POLICY_KEY.get(application.stage)
    days = (application.stage_deadline_days or {}).get(key) if key else None
    application.stage_entered_at = now
    application.paused_remaining = None
    application.stage_deadline = now + dt.timedelta(days=days) if days else FAR_FUTURE


CLOCK_FIELDS = [
    "stage",
    "stage_entered_at",
    "stage_deadline",
    "paused_remaining",
    "claimed_by",
    "claimed_until",
    "queue_band",
]


def _transition(application: Application, method: str, **options) -> None:
    """Run one @transition on a locked row, save, record history and audit, notify after commit.

    Options as ``_transitions``: ``actor``, ``reason``, ``reasons`` (a decision's structured
    reasons, kept on the timeline row and in the audit entry), ``extra_fields``, ``notify`` and
    ``clock`` ("restart" starts the new stage's deadline, "pause" stops it (evidence owed),
    "resume" continues it with the time that was left, "keep" leaves it).
    """
    _transitions([application], method, **options)


def _transitions(
    applications: list[Application],
    method: str,
    *,
    actor,
    reason: str = "",
    reasons: dict[str, Any] | None = None,
    extra_fields: Iterable[str] = (),
    notify: bool = True,
    clock: str = "restart",
) -> None:
    """``_transition`` for many locked rows at once: one UPDATE, one INSERT per kind of row."""
    now = timezone.now()
    changes, audits = [], []
    for application in applications:
        bound = getattr(application, method)
        if not can_proceed(bound):
            raise TransitionConflict(
                _("This cannot be done while the case is “%(status)s”. Reload it to see its current state.")
                % {"status": Status(application.status).label}
            )
        before = {"status": application.status, "stage": application.stage}
        from_status, from_stage = application.status, application.stage
        bound()
        # The one place a status's queue is set: every transition goes through this helper.
        application.stage = STAGE_OF_STATUS[application.status]
        if clock == "restart":
            _set_stage_clock(application, now)
        elif clock == "pause":
            application.paused_remaining = max(application.stage_deadline - now, dt.timedelta(0))
            application.stage_deadline = FAR_FUTURE
        elif clock == "resume":
            remaining = application.paused_remaining or dt.timedelta(0)
            application.stage_deadline = now + remaining
            application.paused_remaining = None
        # Overdue cases come first in the queue (the escalation sweep sets this as deadlines pass).
        application.queue_band = 0 if application.stage_deadline < now else 1
        if application.stage != from_stage:
            # A new stage is a new queue: whoever held the case lets it go.
            application.claimed_by = None
            application.claimed_until = None
        changes.append(
            StatusChange(
                application=application,
                from_status=from_status,
                to_status=application.status,
                from_stage=from_stage,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                reason=reason,
                reasons=reasons or {},
                at=now,
            )
        )
        after = {"status": application.status, "stage": application.stage}
        if reasons:
            after["reasons"] = reasons
        audits.append(
            {
                "actor": actor,
                "action": f"applications.{method}",
                "obj": application,
                "before": before,
                "after": after,
                "reason": reason,
            }
        )
    fields = ["status", *CLOCK_FIELDS, *extra_fields, "updated_at"]
    if len(applications) == 1:
        try:
            # The FSM's own save also refuses a row whose status changed under us.
            applications[0].save(update_fields=fields)
        except ConcurrentTransition:
            raise TransitionConflict() from None
    else:
        for application in applications:
            application.updated_at = now
        rows_update(Application, applications, fields)  # the caller holds their row locks
    StatusChange.objects.bulk_create(changes)
    audit_record_many(audits)
    if notify:
        _notify_many(applications, reason=reason)


def _recipients_of(applications: list[Application]) -> dict[int, list[User]]:
    """Per case, its applicant's account and every intermediary they authorise (one query)."""
    owners = {application.applicant.owner_id for application in applications}
    intermediaries: dict[int, list[User]] = {}
    for authorisation in Authorisation.objects.filter(
        applicant_id__in=owners, revoked_at__isnull=True
    ).select_related("intermediary"):
        intermediaries.setdefault(authorisation.applicant_id, []).append(authorisation.intermediary)
    return {
        application.pk: [application.applicant.owner, *intermediaries.get(application.applicant.owner_id, [])]
        for application in applications
    }


def _notify(application: Application, *, status: str, reason: str) -> None:
    """Inbox rows in the same transaction (the inbox is state); e-mail only after commit."""
    _notify_many([application], reason=reason, status=status)


def _notify_many(applications: list[Application], *, reason: str, status: str | None = None) -> None:
    from .notifications import status_email

    recipients = _recipients_of(applications)
    notifications, mails = [], []
    for application in applications:
        current = status or application.status
        reference = str(application)
        for user in recipients[application.pk]:
            notifications.append(
                Notification(recipient=user, application=application, status=current, reason=reason)
            )
            if not user.is_active:
                # A walk-in's placeholder owner (counters): the inbox row moves to the person who
                # claims the case; its address receives nothing.
                continue
            mails.append(
                (
                    user.email,
                    *status_email(
                        status=current, reference=reference, reason=reason, language=user.preferred_language
                    ),
                )
            )
    Notification.objects.bulk_create(notifications)

    publish_many_after_commit(
        send_email_task, [{"to": [email], "subject": subject, "body": body} for email, subject, body in mails]
    )


# --- profiles -----------------------------------------------------------------------------------
def _clean_profile(profile: ApplicantProfile) -> None:
    profile.passport_number = (profile.passport_number or "").replace(" ", "").upper()
    profile.nationality = (profile.nationality or "").upper()
    profile.full_clean()


@transaction.atomic
def profile_create(*, actor, owner: User | None = None, **fields: Any) -> ApplicantProfile:
    """A new applicant profile owned by ``owner`` (default: the actor; an intermediary names their client)."""
    owner = owner or actor
    if not acts_for(actor, owner.pk):
        raise PermissionDenied(_("You may not create profiles for this person."))
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in unknown})
    profile = ApplicantProfile(owner=owner, **fields)
    _clean_profile(profile)
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        raise ValidationError(
            {"passport_number": [_("An active profile with this passport number already exists.")]}
        ) from None
    audit_record(
        actor=actor, action="applications.profile_create", obj=profile, after=_state(profile, PROFILE_FIELDS)
    )
    return profile


@transaction.atomic
def profile_update(*, actor, profile: ApplicantProfile, **fields: Any) -> ApplicantProfile:
    if not acts_for(actor, profile.owner_id):
        raise Http404
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in unknown})
    profile = ApplicantProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.applications.exclude(status__in=EDITABLE_STATUSES).exclude(status=Status.WITHDRAWN).exists():
        raise ValidationError(
            {
                "non_field_errors": [
                    _(
                        "This profile belongs to an application under examination; it can no longer be changed."
                    )
                ]
            }
        )
    before = _state(profile, PROFILE_FIELDS)
    for name, value in fields.items():
        setattr(profile, name, value)
    _clean_profile(profile)
    try:
        with transaction.atomic():
            profile.save(update_fields=[*fields, "updated_at"])
    except IntegrityError:
        raise ValidationError(
            {"passport_number": [_("An active profile with this passport number already exists.")]}
        ) from None
    audit_record(
        actor=actor,
        action="applications.profile_update",
        obj=profile,
        before=before,
        after=_state(profile, PROFILE_FIELDS),
    )
    return profile


# --- authorisations (R20) ------------------------------------------------------------------------
@transaction.atomic
def authorisation_grant(*, actor, intermediary_email: str) -> Authorisation:
    """The applicant (actor) lets an intermediary act for them; the moment of consent is recorded."""
    if not actor.has_role(Role.APPLICANT):
        raise PermissionDenied(_("Only applicants authorise intermediaries."))
    intermediary = User.objects.filter(
        email__iexact=(intermediary_email or "").strip(), is_active=True
    ).first()
    if intermediary is None or not intermediary.has_role(Role.INTERMEDIARY):
        raise ValidationError(
            {"intermediary_email": [_("No intermediary is registered with this e-mail address.")]}
        )
    existing = Authorisation.objects.filter(
        applicant=actor, intermediary=intermediary, revoked_at__isnull=True
    ).first()
    if existing:
        return existing
    authorisation = Authorisation.objects.create(applicant=actor, intermediary=intermediary)
    audit_record(
        actor=actor,
        action="applications.authorisation_grant",
        obj=authorisation,
        after={"intermediary": intermediary.email, "consented_at": authorisation.consented_at.isoformat()},
    )
    # The consent itself, to the text shown beside the form (its version, language and time).
    privacy_services.consent_record(
        person=actor, purpose=Purpose.INTERMEDIARY, given_by=actor, authorisation=authorisation
    )
    return authorisation


@transaction.atomic
def authorisation_revoke(*, actor, authorisation: Authorisation) -> Authorisation:
    if authorisation.applicant_id != actor.pk:
        raise Http404
    authorisation = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    if authorisation.revoked_at is None:
        authorisation.revoked_at = timezone.now()
        authorisation.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="applications.authorisation_revoke",
            obj=authorisation,
            after={"revoked_at": authorisation.revoked_at.isoformat()},
        )
        privacy_services.consents_end(actor=actor, authorisation=authorisation)
    return authorisation


# --- drafts -------------------------------------------------------------------------------------
@transaction.atomic
def application_create(*, actor, profile: ApplicantProfile, channel: str) -> Application:
    """A draft in ``channel`` for ``profile``, with an empty facts row and a reference number."""
    if not acts_for(actor, profile.owner_id) or not profile.is_active:
        raise Http404
    if channel not in CHANNELS:
        raise ValidationError({"channel": [_("Choose one of the channels.")]})
    application = Application.objects.create(channel=channel, applicant=profile, created_by=actor)
    application.reference = reference_for(application.pk, timezone.localdate().year)
    application.save(update_fields=["reference"])
    CHANNELS[channel].model._default_manager.create(application=application)
    audit_record(
        actor=actor,
        action="applications.create",
        obj=application,
        after={"channel": channel, "applicant": profile.pk},
    )
    return application


def _validated_years(years_in_china: Any) -> list[tuple[int, int]]:
    rows: list[tuple[int, int]] = []
    errors = []
    this_year = timezone.localdate().year
    try:
        items = [
            (int(year), int(days))
            for year, days in (
                (item["year"], item["days"]) if isinstance(item, dict) else item for item in years_in_china
            )
        ]
    except (TypeError, ValueError, KeyError):
        raise ValidationError({"years_in_china": [_("Give each year and its number of days.")]}) from None
    seen = set()
    for year, days in items:
        if not (1950 <= year <= this_year):
            errors.append(_("%(year)s is not a past or current year.") % {"year": year})
        elif not (0 <= days <= 366):
            errors.append(_("Days in %(year)s must be between 0 and 366.") % {"year": year})
        elif year in seen:
            errors.append(_("%(year)s is given twice.") % {"year": year})
        seen.add(year)
        rows.append((year, days))
    if errors:
        raise ValidationError({"years_in_china": errors})
    return rows


def engine_facts(application: Application, facts_row) -> dict[str, Any]:
    """The facts row as the engine takes it: a stored policy fact that the version in force no
    longer defines is left out (the engine refuses unknown facts), so a draft kept across a new
    policy version can still be checked and submitted."""
    facts = facts_row.to_engine_facts()
    if facts_row.extra_facts:
        known = policy_fact_specs(application, facts_row=facts_row)
        for name in set(facts_row.extra_facts) - set(known) - set(facts_row.typed_engine_facts()):
            facts.pop(name, None)
    return facts


def _facts_typed(model, facts: dict[str, Any]) -> dict[str, Any]:
    """Each fact as its field's type, or a ValidationError per field: a JSON client can send a number
    for a date, a boolean for a number or a NUL byte, which the model fields would turn into a 500."""
    typed: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in facts.items():
        field = model._meta.get_field(name)
        try:
            if isinstance(value, list | tuple | dict):
                raise ValidationError(_("A single value is expected."))
            if isinstance(value, str):
                validate_no_nul(value)
                if isinstance(field, models.CharField | models.TextField):
                    validate_visible_text(value)
            if isinstance(value, bool) and not isinstance(field, models.BooleanField):
                raise ValidationError(_("Enter a value of this field's kind, not true or false."))
            if (
                isinstance(field, models.DateField)
                and value is not None
                and not isinstance(value, str | dt.date)
            ):
                raise ValidationError(_("Enter a date as YYYY-MM-DD."))
            if field.is_relation and isinstance(value, models.Model):
                # A form gives the registry row itself; it is stored by its code.
                value = getattr(value, field.target_field.attname)
            value = field.to_python(value)
            if isinstance(value, float | Decimal) and not (
                value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
            ):
                raise ValidationError(_("Enter a finite number."))
            if isinstance(field, models.DateField) and value is not None:
                validate_fact_date_plausible(value)
        except ValidationError as error:
            errors[name] = error.messages
        except (TypeError, ValueError, ArithmeticError):
            errors[name] = [_("Enter a valid value.")]
        else:
            typed[name] = value
    if errors:
        raise ValidationError(errors)
    return typed


@transaction.atomic
def application_update(
    *,
    actor,
    application: Application,
    facts: dict[str, Any] | None = None,
    years_in_china: list | None = None,
    applicant_statement: str | None = None,
) -> Application:
    """Save the draft's facts (partial updates allowed: drafts may be incomplete until submission)."""
    _require_applicant_side(actor, application)
    application = _lock(application)
    if application.status not in EDITABLE_STATUSES:
        raise TransitionConflict(_("Only a draft or a returned application can be changed."))
    spec = CHANNELS[application.channel]
    facts_row = getattr(application, spec.related_name)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if facts:
        editable = set(facts_fields(application.channel))
        # A name that is not a column may be a fact the policy version defines (policy_facts).
        extra = {name: value for name, value in facts.items() if name not in editable}
        facts = {name: value for name, value in facts.items() if name in editable}
        extra = (
            clean_policy_facts(policy_fact_specs(application, facts_row=facts_row), extra) if extra else {}
        )
        facts = _facts_typed(spec.model, facts)
        before.update(_state(facts_row, facts))
        for name, value in facts.items():
            field = spec.model._meta.get_field(name)
            # A registry reference (the nominating body) arrives as its code; full_clean checks it exists.
            setattr(facts_row, field.attname if isinstance(field, models.ForeignKey) else name, value)
        if extra:
            stored = dict(facts_row.extra_facts or {})
            before["extra_facts"] = dict(stored)
            for name, value in extra.items():
                if value is None:
                    stored.pop(name, None)
                else:
                    stored[name] = value
            facts_row.extra_facts = stored
            after["extra_facts"] = stored
        facts_row.full_clean(exclude=["application"])
        # A foreign key is set by its column (attname); "extra_facts" only when policy facts came.
        changed = [f.attname for f in spec.model._meta.concrete_fields if f.name in facts] + (
            ["extra_facts"] if extra else []
        )
        facts_row.save(update_fields=changed)
        after.update(_state(facts_row, facts))
        green = draft_green_channel(application)
        if green != application.green_channel:
            before["green_channel"] = application.green_channel
            application.green_channel = green
            application.save(update_fields=["green_channel", "updated_at"])
            after["green_channel"] = green
    if years_in_china is not None:
        if not spec.uses_years_in_china:
            raise ValidationError({"years_in_china": [_("This channel does not ask for days in China.")]})
        rows = _validated_years(years_in_china)
        before["years_in_china"] = list(application.years_in_china.values_list("year", "days"))
        application.years_in_china.all().delete()
        YearInChina.objects.bulk_create(
            [YearInChina(application=application, year=y, days=d) for y, d in rows]
        )
        after["years_in_china"] = rows
    if applicant_statement is not None:
        before["applicant_statement"] = application.applicant_statement
        # Stored as typed; templates escape it on display.
        application.applicant_statement = applicant_statement
        application.full_clean(
            exclude=[f.name for f in Application._meta.fields if f.name != "applicant_statement"]
        )
        application.save(update_fields=["applicant_statement", "updated_at"])
        after["applicant_statement"] = applicant_statement
    audit_record(actor=actor, action="applications.update", obj=application, before=before, after=after)
    return application


@transaction.atomic
def dependant_add(
    *, actor, application: Application, profile: ApplicantProfile, relationship: str, unmarried: bool = True
) -> Dependant:
    _require_applicant_side(actor, application)
    if not acts_for(actor, profile.owner_id):
        raise Http404
    application = _lock(application)
    if application.status not in EDITABLE_STATUSES:
        raise TransitionConflict(_("Only a draft or a returned application can be changed."))
    if profile.pk == application.applicant_id:
        raise ValidationError({"profile": [_("The principal applicant cannot be their own dependant.")]})
    if relationship not in Dependant.Relationship.values:
        raise ValidationError({"relationship": [_("Choose spouse or child.")]})
    if relationship == Dependant.Relationship.CHILD:
        if profile.age_on(timezone.localdate()) >= 18:
            raise ValidationError({"profile": [_("A child must be under 18 to be included as a dependant.")]})
        if not unmarried:
            raise ValidationError({"unmarried": [_("A child included as a dependant must be unmarried.")]})
    if (
        relationship == Dependant.Relationship.SPOUSE
        and application.dependants.filter(relationship=relationship).exists()
    ):
        raise ValidationError({"relationship": [_("Only one spouse can be included.")]})
    dependant, created = Dependant.objects.get_or_create(
        application=application,
        profile=profile,
        defaults={"relationship": relationship, "unmarried": unmarried},
    )
    if created:
        audit_record(
            actor=actor,
            action="applications.dependant_add",
            obj=application,
            after={"dependant": profile.pk, "relationship": relationship},
        )
    return dependant


@transaction.atomic
def dependant_remove(*, actor, dependant: Dependant) -> None:
    application = dependant.application
    _require_applicant_side(actor, application)
    application = _lock(application)
    if application.status not in EDITABLE_STATUSES:
        raise TransitionConflict(_("Only a draft or a returned application can be changed."))
    audit_record(
        actor=actor,
        action="applications.dependant_remove",
        obj=application,
        before={"dependant": dependant.profile_id},
    )
    dependant.delete()


# --- documents ----------------------------------------------------------------------------------
@transaction.atomic
def document_upload(
    *, actor, application: Application, document_type: str, file, dependant: Dependant | None = None
) -> ApplicationDocument:
    """Store a checked upload as the next version of its type; earlier versions stay, superseded."""
    _require_applicant_side(actor, application)
    if dependant is not None and dependant.application_id != application.pk:
        raise ValidationError({"dependant": [_("This person is not a dependant of the application.")]})
    # The photo is printed on the card: refuse one too small for it now, not at issue.
    checked = uploads.check_upload(file, photo=(document_type or "").strip() == "photo")
    application = _lock(application)
    if application.status not in (*EDITABLE_STATUSES, Status.EVIDENCE_REQUESTED):
        raise TransitionConflict(
            _(
                "Documents can be added to a draft, a returned application or in answer to an evidence request."
            )
        )
    document_type = (document_type or "").strip()
    known = {d.code for d in required_documents_for(application)} | {"other"}
    if document_type not in known:
        raise ValidationError(
            {"document_type": [_("Choose one of the document types this application asks for.")]}
        )
    current = ApplicationDocument.objects.filter(
        application=application, dependant=dependant, document_type=document_type
    )
    version = (current.aggregate(v=Max("version"))["v"] or 0) + 1
    current.filter(superseded=False).update(superseded=True)
    document = ApplicationDocument(
        application=application,
        dependant=dependant,
        document_type=document_type,
        original_name=(getattr(file, "name", "") or "upload")[-200:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        version=version,
        uploaded_by=actor,
    )
    try:
        # What is stored is the checked copy (images re-encoded), never the bytes as sent.
        document.file.save(checked.extension, ContentFile(checked.data), save=False)
    except OSError:
        # The disk or the object store (residence.storage.StorageUnavailable) failed: the
        # transaction rolls back, so no row points at a file that is not there.
        logger.exception("upload of application %s could not be stored", application.pk)
        raise ValidationError(
            {"file": [_("Your file could not be stored just now and was not saved. Please try again later.")]}
        ) from None
    document.save()
    audit_record(
        actor=actor,
        action="applications.document_upload",
        obj=application,
        after={"document": document.pk, "type": document_type, "version": version, "sha256": checked.sha256},
    )
    return document


def draft_green_channel(application: Application) -> bool:
    """Whether the facts as they stand open the green channel (a registered programme, R7/R14).

    Submission decides it for good; until then the applicant must see the green checklist,
    upload choices and deadline from the moment the programme code is entered, or the documents
    submission will ask for could not be uploaded.
    """
    spec = CHANNELS[application.channel]
    if spec.always_green:
        return True
    facts_row = getattr(application, spec.related_name)
    try:
        assessment = eligibility_assess(
            channel=application.channel,
            facts=engine_facts(application, facts_row),
            as_of=timezone.localdate(),
        )
    except ValidationError:
        # Facts that cannot be evaluated yet open nothing; submission reports them.
        return False
    return bool(assessment.result.green_channel)


def green_channel_for(application: Application) -> bool:
    """The channel's kind: stored once submitted; while drafting, from the facts and the registry."""
    if application.status in EDITABLE_STATUSES:
        return draft_green_channel(application)
    return application.green_channel


def channel_rules_for(application: Application, *, green_channel: bool | None = None):
    """The policy's documents, deadlines and office levels for this case (green or standard)."""
    if application.status in EDITABLE_STATUSES:
        # A draft is assessed under the version in force when it is submitted: show that one.
        version = policy_version_in_force()
    else:
        version = application.policy_version or policy_version_in_force()
    green = green_channel_for(application) if green_channel is None else green_channel
    return channel_rules(policy_version=version, channel=application.channel, green_channel=green)


# A former Chinese national applies on their own long residence (Opinions art. 12): nobody sponsors
# them, so the family route's sponsor and kinship papers give way to proof of the former nationality.
SPONSOR_DOCUMENT_CODES = ("kinship_certificate", "sponsor_identity")


def _former_nationality_proof():
    return DocumentType(
        code="former_nationality_proof",
        name_en="Proof of former Chinese nationality (former Chinese passport, household register or certificate of loss of nationality)",
        name_zh="曾具有中国国籍的证明（原中国护照、户口簿或退籍证明）",
    )


def is_former_national(application: Application) -> bool:
    from .models import FamilyFacts

    if application.channel != Channel.FAMILY:
        return False
    facts = getattr(application, "family_facts", None)
    return facts is not None and facts.relationship == FamilyFacts.Relationship.FORMER_NATIONAL


def required_documents_for(application: Application, *, green_channel: bool | None = None) -> list:
    """The document types the policy asks of this channel (green channel: fewer)."""
    documents = list(channel_rules_for(application, green_channel=green_channel).required_documents)
    if is_former_national(application):
        documents = [d for d in documents if d.code not in SPONSOR_DOCUMENT_CODES]
        documents.insert(min(2, len(documents)), _former_nationality_proof())
    return documents


# What each dependant brings of their own; the rest of the case's documents are the principal's.
DEPENDANT_DOCUMENT_CODES = ("passport", "photo")


def documents_required_of(application: Application, *, green_channel: bool | None = None) -> list[tuple]:
    """(document type, dependant or None) for every document the case needs: the principal's, then each dependant's."""
    required = required_documents_for(application, green_channel=green_channel)
    needed: list[tuple] = [(doc, None) for doc in required]
    for dependant in application.dependants.select_related("profile").order_by("pk"):
        needed += [(doc, dependant) for doc in required if doc.code in DEPENDANT_DOCUMENT_CODES]
    return needed


def missing_documents(application: Application, *, green_channel: bool | None = None) -> list[tuple]:
    """(document type, dependant or None) for each required document without a current upload."""
    have = set(
        ApplicationDocument.objects.filter(application=application, superseded=False).values_list(
            "document_type", "dependant_id"
        )
    )
    return [
        (doc, dependant)
        for doc, dependant in documents_required_of(application, green_channel=green_channel)
        if (doc.code, dependant.pk if dependant else None) not in have
    ]


def missing_documents_text(missing: list[tuple]) -> str:
    """The missing documents as one list in the reader's language ("Passport (NOVAK Tom)", 、 in Chinese)."""
    names = []
    for doc, dependant in missing:
        name = doc.name_zh if _is_zh() else doc.name_en
        if dependant is not None:
            name = _("%(document)s (%(person)s)") % {"document": name, "person": dependant.profile}
        names.append(name)
    return pgettext("list separator", ", ").join(names)


# --- submission ---------------------------------------------------------------------------------
def _facts_errors(application: Application) -> dict[str, list[str]]:
    spec = CHANNELS[application.channel]
    facts_row = getattr(application, spec.related_name)
    errors: dict[str, list[str]] = {}
    try:
        facts_row.full_clean(exclude=["application"])
    except ValidationError as error:
        errors.update(error.message_dict)
    for name, message in facts_row.completeness_errors().items():
        errors.setdefault(name, []).append(str(message))
    if (
        spec.uses_years_in_china
        and application.channel != Channel.TALENT
        and not application.years_in_china.exists()
    ):
        errors.setdefault("years_in_china", []).append(
            _("Give the days you spent in China in each of the last years.")
        )
    try:
        application.applicant.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(f"profile.{name}", []).extend(messages)
    for dependant in application.dependants.select_related("profile"):
        if (
            dependant.relationship == Dependant.Relationship.CHILD
            and dependant.profile.age_on(timezone.localdate()) >= 18
        ):
            errors.setdefault("dependants", []).append(
                _("%(name)s is 18 or older and cannot be included as a child.") % {"name": dependant.profile}
            )
    return errors


@transaction.atomic
def application_submit(*, actor, application: Application, declaration: bool) -> Application:
    """Check facts, documents and bans, assess eligibility once (stored, never recomputed), route to an office."""
    _require_applicant_side(actor, application)
    application = _lock(application)
    if application.status not in EDITABLE_STATUSES:
        raise TransitionConflict(_("This application has already been submitted."))
    require_verified_email(actor)
    if not declaration:
        raise ValidationError({"declaration": [_("Confirm that the information is true and complete.")]})
    errors = _facts_errors(application)
    if errors:
        raise ValidationError(errors)
    profile = application.applicant
    today = timezone.localdate()
    ban = active_ban(
        passport_number=profile.passport_number,
        nationality=profile.nationality,
        birth_date=profile.birth_date,
        on=today,
    )
    if ban is not None:
        raise ValidationError(
            {
                "non_field_errors": [
                    _("You may not apply before %(until)s: %(reason)s")
                    % {"until": ban.until.isoformat(), "reason": ban.reason}
                ]
            }
        )
    # One person across passports (R22, identity's registered check): a ban under another passport
    # refuses this submission too; a possible duplicate is flagged for the intake officer.
    for check in extensions.submission_checks:
        check(actor=actor, application=application)
    facts_row = getattr(application, CHANNELS[application.channel].related_name)
    assessment = eligibility_assess(
        channel=application.channel, facts=engine_facts(application, facts_row), as_of=today
    )
    green = bool(assessment.result.green_channel) or CHANNELS[application.channel].always_green
    rules = channel_rules(
        policy_version=assessment.policy_version, channel=application.channel, green_channel=green
    )
    application.policy_version = assessment.policy_version
    application.green_channel = green
    given = policy_facts_snapshot(application, facts_row, policy_version=assessment.policy_version)
    if given:
        # The facts the policy version defines beyond the columns, as they were judged (R6).
        assessment.snapshot["policy_facts"] = given
    missing = missing_documents(application, green_channel=green)
    if missing:
        raise ValidationError(
            {
                "documents": [
                    _("Upload these documents first: %(names)s") % {"names": missing_documents_text(missing)}
                ]
            }
        )
    if application.channel == Channel.CONTRIBUTION:
        _nomination_open(application, facts_row, policy_version=assessment.policy_version, actor=actor)
    office = office_for_residence(province=profile.province, city_code=profile.city_code)
    application.eligibility_snapshot = assessment.snapshot
    application.priority = 0 if green else 1
    application.office = office
    application.province = profile.province
    application.city_code = profile.city_code
    application.nationality = profile.nationality
    application.office_levels = dict(rules.office_levels)
    application.stage_deadline_days = dict(rules.stage_deadline_days)
    application.submitted_at = timezone.now()
    application.declaration_accepted_at = application.submitted_at
    _transition(
        application,
        "submit",
        actor=actor,
        extra_fields=[
            "policy_version",
            "eligibility_snapshot",
            "green_channel",
            "priority",
            "office",
            "province",
            "city_code",
            "nationality",
            "office_levels",
            "stage_deadline_days",
            "submitted_at",
            "declaration_accepted_at",
        ],
    )
    # The declaration is also the consent to processing (a resubmission after a return keeps the
    # consent already given to the same text).
    if not application.consents.filter(
        withdrawn_at__isnull=True, text_version=consent_texts.current(Purpose.APPLICATION).version
    ).exists():
        privacy_services.consent_record(
            person=profile.owner, purpose=Purpose.APPLICATION, given_by=actor, application=application
        )
    return application


def _policy_table_value(policy_version, table: str, key: str, default: int) -> int:
    values = (
        ((policy_version.document.get("reference") or {}).get("tables") or {}).get(table, {}).get("values")
    )
    value = (values or {}).get(key, default)
    return int(value) if isinstance(value, int | float) else default


def _nomination_open(application: Application, facts_row, *, policy_version, actor) -> Nomination:
    """Ask the nominating body to confirm (R11); a nomination it already confirmed stands."""
    method = facts_row.nomination_method
    needed = _policy_table_value(policy_version, "nomination_min_endorsers", method, 0)
    if len(facts_row.endorser_lines()) < needed:
        raise ValidationError(
            {
                "endorsers": [
                    _("A nomination by this method names at least %(n)s experts, one a line.") % {"n": needed}
                ]
            }
        )
    days = _policy_table_value(policy_version, "nomination_answer_days", method, 30)
    due_on = timezone.localdate() + dt.timedelta(days=days)
    nomination = Nomination.objects.select_for_update().filter(application=application).first()
    if (
        nomination is not None
        and nomination.state == Nomination.State.CONFIRMED
        and (nomination.body_id == facts_row.nominating_body.pk and nomination.method == method)
    ):
        return nomination
    if nomination is None:
        nomination = Nomination(application=application)
    before = {"state": nomination.state, "body": nomination.body_id} if nomination.pk else None
    nomination.body = facts_row.nominating_body
    nomination.method = method
    nomination.state = Nomination.State.PENDING
    nomination.due_on = due_on
    nomination.reference = ""
    nomination.note = ""
    nomination.answered_by = None
    nomination.answered_at = None
    nomination.save(
        update_fields=["body", "method", "state", "due_on", "reference", "note", "answered_by", "answered_at"]
        if nomination.pk
        else None
    )
    audit_record(
        actor=actor,
        action="applications.nomination_open",
        obj=nomination,
        before=before,
        after={"state": nomination.state, "body": nomination.body_id, "due_on": due_on.isoformat()},
    )
    return nomination


@transaction.atomic
def nomination_answer(
    *, actor, nomination: Nomination, confirmed: bool, reference: str, note: str = ""
) -> Nomination:
    """The nominating body confirms or declines, with its reference; the case then moves on if it was waiting."""
    nomination = Nomination.objects.select_for_update().select_related("body").get(pk=nomination.pk)
    if not is_nominating_body_staff_of(actor, nomination.body):
        raise Http404
    if nomination.state == Nomination.State.LAPSED:
        raise TransitionConflict(
            _("The deadline for this nomination passed on %(due)s; the case went on without an answer.")
            % {"due": nomination.due_on.isoformat()}
        )
    if nomination.state != Nomination.State.PENDING:
        raise TransitionConflict(_("This nomination has already been answered."))
    reference = (reference or "").strip()
    note = (note or "").strip()
    if not reference or len(reference) > 60:
        raise ValidationError(
            {"reference": [_("Give your reference for this answer (60 characters at most).")]}
        )
    if not confirmed and not note:
        raise ValidationError({"note": [_("Say why the body declines the nomination.")]})
    validate_visible_text(reference)
    before = {"state": nomination.state}
    nomination.state = Nomination.State.CONFIRMED if confirmed else Nomination.State.DECLINED
    nomination.reference = reference
    nomination.note = note[:4000]
    nomination.answered_by = actor
    nomination.answered_at = timezone.now()
    nomination.save(update_fields=["state", "reference", "note", "answered_by", "answered_at"])
    audit_record(
        actor=actor,
        action="applications.nomination_answer",
        obj=nomination,
        before=before,
        after={"state": nomination.state, "reference": reference},
        reason=note,
    )
    # In the same transaction: a case whose checks are all answered moves on to review with the answer.
    applications_complete_if_done(application_ids=[nomination.application_id])
    return nomination


def nominations_lapse_due(*, today: dt.date | None = None) -> int:
    """Lapse every nomination whose body did not answer by its deadline (beat); returns how many.

    The outcome: the nomination is "no answer by the deadline" (the body can no longer answer
    it), the applicant and their intermediary are told in the inbox, and the case no longer waits:
    once its checks have their results it goes on to review, where the officer sees the lapsed
    nomination and decides (ask for other evidence, or refuse for want of a confirmed nomination).
    The applicant is not refused for the body's silence. One short transaction per nomination.
    """
    today = today or timezone.localdate()
    due = Nomination.objects.filter(state=Nomination.State.PENDING, due_on__lt=today).exclude(
        application__status__in=[*FINAL_STATUSES, Status.DRAFT, Status.RETURNED]
    )
    count = 0
    for pk in due.order_by("due_on", "pk").values_list("pk", flat=True):
        count += _nomination_lapse(pk=pk, today=today)
    return count


@transaction.atomic
def _nomination_lapse(*, pk: int, today: dt.date) -> int:
    nomination = (
        Nomination.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("application__applicant__owner", "body")
        .filter(pk=pk, state=Nomination.State.PENDING, due_on__lt=today)
        .first()
    )
    if nomination is None:
        return 0  # answered meanwhile, or being lapsed by another run
    from .notifications import NOMINATION_LAPSED

    nomination.state = Nomination.State.LAPSED
    nomination.save(update_fields=["state"])
    reason = _("%(body)s did not answer by %(due)s.") % {
        "body": nomination.body.name,
        "due": nomination.due_on.isoformat(),
    }
    audit_record(
        actor=None,
        action="applications.nomination_lapse",
        obj=nomination,
        before={"state": Nomination.State.PENDING},
        after={"state": nomination.state, "due_on": nomination.due_on.isoformat()},
        reason=reason,
    )
    _notify(nomination.application, status=NOMINATION_LAPSED, reason=reason)
    applications_complete_if_done(application_ids=[nomination.application_id])
    return 1


def talent_visa_record(*, application_id: int, check) -> bool:
    """Fill a talent case with its R visa's talent category and approval reference (R7).

    Called by the verification app, in the transaction that records an answered talent-visa check:
    a match fills the facts from the immigration administration's record, with the agency and
    when (the applicant never types them); a later answer that no longer matches (a re-run) takes
    them back. Returns whether anything changed.
    """
    facts_row = TalentFacts.objects.select_for_update().filter(application_id=application_id).first()
    if facts_row is None:
        return False
    matched = check.status == "verified"
    if not matched and facts_row.talent_visa_verified_at is None:
        return False  # nothing was filled: nothing to take back
    fields = check.answer_fields or {}

    def record(name: str) -> str:
        return str((fields.get(name) or {}).get("record") or "") if matched else ""

    before = {
        "talent_visa_category": facts_row.talent_visa_category,
        "talent_visa_approval_ref": facts_row.talent_visa_approval_ref,
    }
    facts_row.talent_visa_category = record("talent_category")[:40]
    facts_row.talent_visa_approval_ref = record("approval_ref")[:60]
    facts_row.talent_visa_source = check.agency if matched else ""
    facts_row.talent_visa_verified_at = (check.completed_at or timezone.now()) if matched else None
    facts_row.save(
        update_fields=[
            "talent_visa_category",
            "talent_visa_approval_ref",
            "talent_visa_source",
            "talent_visa_verified_at",
        ]
    )
    audit_record(
        actor=None,
        action="applications.talent_visa_record",
        obj=facts_row,
        before=before,
        after={
            "talent_visa_category": facts_row.talent_visa_category,
            "talent_visa_approval_ref": facts_row.talent_visa_approval_ref,
            "source": check.agency,
            "check": check.pk,
        },
        reason="the R visa matched the immigration administration's record"
        if matched
        else f"the R visa no longer matches the immigration administration's record ({check.status})",
    )
    return True


def _is_zh() -> bool:
    return (get_language() or "en").startswith("zh")


@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str = "") -> Application:
    _require_applicant_side(actor, application)
    application = _lock(application)
    was_waiting = application.status == Status.AWAITING_QUOTA
    _transition(application, "withdraw", actor=actor, reason=(reason or "").strip())
    privacy_services.consents_end(actor=actor, application=application, reason=(reason or "").strip())
    if was_waiting:
        family_quota_release_place(actor=actor, application_id=application.pk)
    return application


# --- intake -------------------------------------------------------------------------------------
def verification_checks_for(application: Application) -> list:
    """The cross-agency checks of this case; entering verification writes them (verification app)."""
    return verification_requests_create(application=application)


@transaction.atomic
def application_accept(*, actor, application: Application) -> Application:
    """Intake finds the case complete; it moves on to verification, and straight to review when there are no checks."""
    application = _lock(application)
    _require_officer(actor, application, stage=Stage.INTAKE)
    _require_not_held_by_other(actor, application)
    for gate in extensions.acceptance_gates:
        # Possible duplicates decided (identity, R22); in person at a window or office: passport
        # original, photo, fingerprints (counters, issue 15).
        gate(application)
    if application.status == Status.SUBMITTED:
        missing = missing_documents(application)
        if missing:
            raise ValidationError(
                {
                    "documents": [
                        _("Documents are missing: %(codes)s") % {"codes": missing_documents_text(missing)}
                    ]
                }
            )
    _transition(application, "accept", actor=actor, notify=False)
    _transition(application, "start_verification", actor=actor, notify=False)
    if not verification_checks_for(application):
        _transition(
            application,
            "complete_verification",
            actor=None,
            reason=_("No cross-agency checks for this channel."),
        )
    else:
        _notify(application, status=application.status, reason="")
    return application


@transaction.atomic
def application_verification_completed(*, application: Application | int) -> Application:
    """Called by the verification app when every check of the case has a result."""
    pk = application if isinstance(application, int) else application.pk
    moved = applications_verification_completed(application_ids=[pk])
    return moved[0] if moved else _lock(pk)


@transaction.atomic
def applications_verification_completed(*, application_ids: Iterable[int]) -> list[Application]:
    """Move cases whose checks all have results on to review, in one transaction; returns those moved.

    Idempotent: the last results of a case can arrive together, and each may ask; under the row
    locks only the first finds the case still in verification and moves it on. The rows are
    locked in id order, as every batch writer locks them.
    """
    applications = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant__owner", "office")
        .filter(pk__in=list(application_ids), status=Status.VERIFYING)
        # A contribution case also waits for its nominating body's answer (R11).
        .exclude(nomination__state=Nomination.State.PENDING)
        .order_by("pk")
    )
    if applications:
        _transitions(applications, "complete_verification", actor=None)
    return applications


@transaction.atomic
def application_return(
    *, actor, application: Application, reason: str, criteria: Iterable[str] = ()
) -> Application:
    reason = _require_reason(reason, _("Say what the applicant must correct."))
    application = _lock(application)
    _require_officer(actor, application, stage=Stage.INTAKE)
    _require_not_held_by_other(actor, application)
    reasons = decision_reasons(action="return", application=application, text=reason, criteria=criteria)
    _transition(application, "return_to_applicant", actor=actor, reason=reason, reasons=reasons)
    return application


# --- review -------------------------------------------------------------------------------------
@transaction.atomic
def application_request_evidence(*, actor, application: Application, message: str) -> EvidenceRequest:
    message = _require_reason(message, _("Say which evidence is needed."))
    application = _lock(application)
    _require_officer(actor, application, stage=Stage.REVIEW)
    _require_not_held_by_other(actor, application)
    _transition(application, "request_evidence", actor=actor, reason=message, clock="pause")
    return EvidenceRequest.objects.create(application=application, message=message, requested_by=actor)


@transaction.atomic
def application_answer_evidence(*, actor, application: Application, answer: str) -> Application:
    """The applicant answers the open request (documents uploaded before count as part of it); the clock resumes."""
    _require_applicant_side(actor, application)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": [_("Write an answer to the request.")]})
    application = _lock(application)
    if application.status != Status.EVIDENCE_REQUESTED:
        raise TransitionConflict(_("No evidence is requested for this application."))
    request = application.evidence_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()
    if request is not None:
        request.answer = answer
        request.answered_by = actor
        request.answered_at = timezone.now()
        request.full_clean(exclude=["application", "requested_by", "answered_by"])
        request.save(update_fields=["answer", "answered_by", "answered_at"])
    _transition(application, "submit_evidence", actor=actor, reason=answer, clock="resume")
    return application


@transaction.atomic
def application_recommend(
    *,
    actor,
    application: Application,
    recommendation: str,
    reason: str = "",
    criteria: Iterable[str] = (),
    grounds: Iterable[str] = (),
) -> Application:
    """The reviewer recommends approval or refusal (a refusal needs its reason and a criterion not met
    or a listed ground)."""
    if recommendation not in ("approve", "refuse"):
        raise ValidationError({"recommendation": [_("Recommend approve or refuse.")]})
    if recommendation == "refuse":
        reason = _require_reason(reason, _("Give the reason for recommending refusal."))
    application = _lock(application)
    _require_officer(actor, application, stage=Stage.REVIEW)
    _require_not_held_by_other(actor, application)
    method = "recommend_approval" if recommendation == "approve" else "recommend_refusal"
    reasons = decision_reasons(
        action=method, application=application, text=reason, criteria=criteria, grounds=grounds
    )
    application.recommended_by = actor
    application.recommendation_reason = (reason or "").strip()
    _transition(
        application,
        method,
        actor=actor,
        reason=application.recommendation_reason,
        reasons=reasons,
        extra_fields=["recommended_by", "recommendation_reason"],
    )
    return application


# --- decision -----------------------------------------------------------------------------------
def _require_decider(actor, application: Application) -> None:
    _require_officer(actor, application, stage=Stage.APPROVAL)
    _require_not_held_by_other(actor, application)
    if application.recommended_by_id and application.recommended_by_id == actor.pk:
        raise PermissionDenied(_("You recommended this case; another approver must decide it."))


def _decide_dependants(
    application: Application, decisions: dict[int, str] | None, *, principal_approved: bool, reason: str
) -> None:
    decisions = decisions or {}
    now = timezone.now()
    for dependant in application.dependants.all():
        if principal_approved:
            decision = decisions.get(dependant.pk, Dependant.Decision.APPROVED)
            if decision not in (Dependant.Decision.APPROVED, Dependant.Decision.REFUSED):
                raise ValidationError({"dependant_decisions": [_("Each dependant is approved or refused.")]})
        else:
            decision = Dependant.Decision.REFUSED
        dependant.decision = decision
        dependant.decided_at = now
        dependant.decision_reason = reason if decision == Dependant.Decision.REFUSED else ""
        dependant.save(update_fields=["decision", "decided_at", "decision_reason"])


@transaction.atomic
def application_approve(
    *,
    actor,
    application: Application,
    reason: str = "",
    dependant_decisions: dict[int, str] | None = None,
    criteria: Iterable[str] = (),
) -> Application:
    """Approve; a family case first takes a place in the year's quota, or waits for one."""
    application = _lock(application)
    _require_decider(actor, application)
    reasons = decision_reasons(action="approve", application=application, text=reason, criteria=criteria)
    unknown = set(dependant_decisions or {}) - set(application.dependants.values_list("pk", flat=True))
    if unknown:
        raise ValidationError(
            {
                "dependant_decisions": [
                    _("These are not dependants of the application: %(ids)s") % {"ids": sorted(unknown)}
                ]
            }
        )
    application.decided_by = actor
    application.decision_reason = (reason or "").strip()
    if application.channel == Channel.FAMILY:
        got_place = family_quota_take_place(
            actor=actor,
            application_id=application.pk,
            region=application.province,
            year=timezone.localdate().year,
            submitted_at=application.submitted_at or timezone.now(),
        )
        if not got_place:
            _decide_dependants(
                application, dependant_decisions, principal_approved=True, reason=application.decision_reason
            )
            _transition(
                application,
                "wait_for_quota",
                actor=actor,
                reason=application.decision_reason,
                reasons=reasons,
                extra_fields=["decided_by", "decision_reason"],
            )
            return application
    _decide_dependants(
        application, dependant_decisions, principal_approved=True, reason=application.decision_reason
    )
    application.decided_at = timezone.now()
    _transition(
        application,
        "approve",
        actor=actor,
        reason=application.decision_reason,
        reasons=reasons,
        extra_fields=["decided_by", "decision_reason", "decided_at"],
    )
    return application


@transaction.atomic
def application_refuse(
    *,
    actor,
    application: Application,
    reason: str,
    criteria: Iterable[str] = (),
    grounds: Iterable[str] = (),
) -> Application:
    """Refuse, citing at least one criterion the case does not meet or a listed ground (R6)."""
    reason = _require_reason(reason, _("Give the reason for the refusal."))
    application = _lock(application)
    _require_decider(actor, application)
    reasons = decision_reasons(
        action="refuse", application=application, text=reason, criteria=criteria, grounds=grounds
    )
    application.decided_by = actor
    application.decision_reason = reason
    application.decided_at = timezone.now()
    _decide_dependants(application, None, principal_approved=False, reason=reason)
    _transition(
        application,
        "refuse",
        actor=actor,
        reason=reason,
        reasons=reasons,
        extra_fields=["decided_by", "decision_reason", "decided_at"],
    )
    return application


@transaction.atomic
def application_quota_place_granted(*, application_id: int, actor=None) -> Application | None:
    """A waiting family case got its quota place (signal from eligibility): it is approved now."""
    application = Application.objects.select_for_update().filter(pk=application_id).first()
    if application is None or application.status != Status.AWAITING_QUOTA:
        return application
    application.decided_at = timezone.now()
    _transition(
        application,
        "grant_quota_place",
        actor=actor,
        reason=_("A family quota place was granted."),
        extra_fields=["decided_at"],
    )
    return application


@transaction.atomic
def application_card_issued(*, application: Application | int, actor) -> Application:
    """Seam for the cards issue: the card of an approved case was made."""
    application = _lock(application)
    _transition(application, "issue_card", actor=actor)
    return application


# --- claims -------------------------------------------------------------------------------------
def _claim_minutes() -> int:
    return int(getattr(settings, "APPLICATIONS_CLAIM_MINUTES", 240))


@transaction.atomic
def application_claim(*, actor, application: Application) -> Application:
    """Hold the case for a while so no one else works it at the same time; the hold lapses on its own."""
    application = _lock(application)
    _require_officer(actor, application)
    _require_not_held_by_other(actor, application)
    before = {"claimed_by": application.claimed_by_id}
    application.claimed_by = actor
    application.claimed_until = timezone.now() + dt.timedelta(minutes=_claim_minutes())
    application.save(update_fields=["claimed_by", "claimed_until"])
    audit_record(
        actor=actor,
        action="applications.claim",
        obj=application,
        before=before,
        after={"claimed_by": actor.pk, "claimed_until": application.claimed_until.isoformat()},
    )
    return application


@transaction.atomic
def application_release(*, actor, application: Application) -> Application:
    application = _lock(application)
    if not is_officer(actor):
        raise PermissionDenied(_("Only officers may do this."))
    if not (
        actor.is_superuser
        or office_covers(actor.office, province=application.province, city_code=application.city_code)
    ):
        raise Http404
    if application.claimed_by_id not in (None, actor.pk) and not is_supervisor(actor):
        raise PermissionDenied(_("Only the officer holding the case or a supervisor may release it."))
    before = {"claimed_by": application.claimed_by_id}
    application.claimed_by = None
    application.claimed_until = None
    application.save(update_fields=["claimed_by", "claimed_until"])
    audit_record(
        actor=actor, action="applications.release", obj=application, before=before, after={"claimed_by": None}
    )
    return application


@transaction.atomic
def applications_assign(*, actor, application_ids: list[int], officer: User) -> list[Application]:
    """A supervisor gives cases to an officer who may act on them (all or none)."""
    from .selectors import officers_for_assignment

    if not is_supervisor(actor):
        raise PermissionDenied(_("Only supervisors may assign cases."))
    if not application_ids:
        raise ValidationError({"application_ids": [_("Tick the cases to give to an officer.")]})
    if officer is None or (
        not actor.is_superuser
        and not officers_for_assignment(supervisor=actor).filter(pk=officer.pk).exists()
    ):
        raise ValidationError(
            {"officer": [_("Choose an officer of your office or an office below it; nothing was assigned.")]}
        )
    until = timezone.now() + dt.timedelta(minutes=_claim_minutes())
    assigned = []
    for pk in sorted(set(application_ids)):
        application = _lock(pk)
        if not (
            actor.is_superuser
            or office_covers(actor.office, province=application.province, city_code=application.city_code)
        ):
            raise Http404
        if not officer_may_act(officer, application):
            raise ValidationError(
                {
                    "officer": [
                        _(
                            "%(officer)s may not act on %(ref)s at its current stage (the stage's role, "
                            "area or office level); nothing was assigned."
                        )
                        % {"officer": officer, "ref": application}
                    ]
                }
            )
        before = {"claimed_by": application.claimed_by_id}
        application.claimed_by = officer
        application.claimed_until = until
        application.save(update_fields=["claimed_by", "claimed_until"])
        audit_record(
            actor=actor,
            action="applications.assign",
            obj=application,
            before=before,
            after={"claimed_by": officer.pk, "claimed_until": until.isoformat()},
        )
        assigned.append(application)
    return assigned


# --- inbox --------------------------------------------------------------------------------------
@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


# --- oversight: overdue cases escalate to the office's supervisors (R24) --------------------------
ESCALATION_BATCH = 500


def _office_of_case(application: Application, offices: dict[int, Office]) -> Office | None:
    """The office handling the case: the one fixed at submission, else the nearest by area."""
    if application.office_id in offices:
        return offices[application.office_id]
    for level, match in (
        (Office.Level.MUNICIPAL, lambda o: o.city_code == application.city_code),
        (Office.Level.PROVINCIAL, lambda o: o.province == application.province),
        (Office.Level.NATIONAL, lambda o: True),
    ):
        for office in sorted(offices.values(), key=lambda o: o.pk):
            if office.level == level and match(office):
                return office
    return None


def escalation_recipients(office, supervisors: dict, offices: dict) -> tuple:
    """(the office told, its supervisors): ``office``, or the nearest parent that has supervisors."""
    while office is not None and not supervisors.get(office.pk):
        office = offices.get(office.parent_id)
    return office, (supervisors.get(office.pk, []) if office else [])


def highest_escalations(made: list[tuple]) -> list[tuple]:
    """Of (escalation, case, ...) rows, the highest level of each case: a case found past both
    levels at once is told once, of the higher one."""
    highest: dict[int, tuple] = {}
    for row in made:
        if row[1].pk not in highest or row[0].level > highest[row[1].pk][0].level:
            highest[row[1].pk] = row
    return list(highest.values())


@transaction.atomic
def overdue_cases_escalate(*, now: dt.datetime | None = None, limit: int = ESCALATION_BATCH) -> list:
    """Tell the supervisors of each overdue case's office, at the deadline and again past the margin.

    Once per case, visit of a stage and level. The cases are locked first (skipping any locked by
    an officer's action at this moment: the next sweep takes them) and the escalations already
    made are read after the locks, so a second sweep running at the same time finds this one's;
    the unique constraint is the last guard. The office's supervisors are its approvers,
    management officers and holders of the assign permission; an office without any passes the
    case up to its parent. The inbox rows are written here, the e-mails after commit.
    """
    from .models import Escalation
    from .notifications import OVERDUE, OVERDUE_PAST_MARGIN, escalation_email
    from .selectors import QUEUE_STAGES, supervisors_by_office

    now = now or timezone.now()
    past_margin = now - dt.timedelta(days=settings.ESCALATION_MARGIN_DAYS)
    # The queues show overdue cases first.
    Application.objects.filter(stage__in=QUEUE_STAGES, stage_deadline__lt=now, queue_band=1).update(
        queue_band=0
    )
    Application.objects.filter(queue_band=0).exclude(stage__in=QUEUE_STAGES, stage_deadline__lt=now).update(
        queue_band=1
    )
    started = Coalesce("stage_entered_at", "submitted_at", "created_at")
    done = Escalation.objects.filter(
        application=OuterRef("pk"), stage=OuterRef("stage"), stage_started=OuterRef("started")
    )
    ids = list(
        Application.objects.filter(stage__in=QUEUE_STAGES, stage_deadline__lt=now)
        .annotate(
            started=started,
            told=Exists(done.filter(level=Escalation.Level.DEADLINE)),
            told_again=Exists(done.filter(level=Escalation.Level.MARGIN)),
        )
        .filter(Q(told=False) | Q(told_again=False, stage_deadline__lt=past_margin))
        .order_by("stage_deadline", "id")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return []
    cases = list(
        Application.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(pk__in=ids, stage__in=QUEUE_STAGES, stage_deadline__lt=now)
        .annotate(started=started)
        .order_by("id")
    )
    existing = set(
        Escalation.objects.filter(application__in=cases).values_list(
            "application_id", "stage", "stage_started", "level"
        )
    )
    offices = {office.pk: office for office in Office.objects.all()}
    supervisors = supervisors_by_office(offices)
    made: list[tuple[Escalation, Application, Office | None, list[User]]] = []
    for case in cases:
        told_office, told = escalation_recipients(_office_of_case(case, offices), supervisors, offices)
        levels = [Escalation.Level.DEADLINE]
        if case.stage_deadline < past_margin:
            levels.append(Escalation.Level.MARGIN)
        for level in levels:
            if (case.pk, case.stage, case.started, level) in existing:
                continue
            escalation = Escalation(
                application=case,
                stage=case.stage,
                stage_started=case.started,
                level=level,
                deadline=case.stage_deadline,
                office=told_office,
                created_at=now,
            )
            made.append((escalation, case, told_office, told))
    Escalation.objects.bulk_create([row[0] for row in made])
    Escalation.supervisors.through.objects.bulk_create(
        [
            Escalation.supervisors.through(escalation_id=escalation.pk, user_id=user.pk)
            for escalation, _case, _office, told in made
            for user in told
        ]
    )
    # A case escalated at both levels at once (found late) is told once, of the higher level.
    notifications, mails = [], []
    for escalation, case, told_office, told in highest_escalations(made):
        status = OVERDUE_PAST_MARGIN if escalation.level == Escalation.Level.MARGIN else OVERDUE
        for user in told:
            notifications.append(
                Notification(recipient=user, application=case, status=status, created_at=now)
            )
            with translation.override(user.preferred_language):
                office_name = str(told_office)
            subject, body = escalation_email(
                status=status,
                reference=str(case),
                stage=case.stage,
                deadline=case.stage_deadline,
                office=office_name,
                language=user.preferred_language,
            )
            mails.append({"to": [user.email], "subject": subject, "body": body})
    Notification.objects.bulk_create(notifications)
    audit_record_many(
        [
            {
                "actor": None,
                "action": "applications.escalate",
                "obj": case,
                "after": {
                    "level": escalation.level,
                    "stage": escalation.stage,
                    "deadline": escalation.deadline.isoformat(),
                    "office": told_office.pk if told_office else None,
                    "supervisors": [user.pk for user in told],
                },
            }
            for escalation, case, told_office, told in made
        ]
    )
    publish_many_after_commit(send_email_task, mails)
    return [row[0] for row in made]


# --- case notes ---------------------------------------------------------------------------------
def _require_case_officer(actor, application: Application) -> None:
    """An officer whose office's area holds the case; anyone else gets a 404 (notes are internal)."""
    if not is_officer(actor) or application.submitted_at is None:
        raise Http404
    if not (
        actor.is_superuser
        or office_covers(actor.office, province=application.province, city_code=application.city_code)
    ):
        raise Http404


def _note_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write the note.")]})
    if len(body) > 4000:
        raise ValidationError({"body": [_("A note has at most 4000 characters.")]})
    validate_no_nul(body)
    return body


def _mentioned_officers(application: Application, body: str, *, author) -> list[User]:
    """The officers a note mentions, each of whom must be an officer of the case's area."""
    addresses = mentioned_addresses(body)
    if not addresses:
        return []
    any_of = models.Q()
    for address in addresses:
        any_of |= models.Q(email__iexact=address)
    found = {
        user.email.lower(): user
        for user in User.objects.filter(any_of, is_active=True)
        .select_related("office")
        .prefetch_related("groups")
    }
    outside = []
    officers = []
    for address in addresses:
        user = found.get(address)
        if (
            user is None
            or not is_officer(user)
            or not (
                user.is_superuser
                or office_covers(user.office, province=application.province, city_code=application.city_code)
            )
        ):
            outside.append(address)
        elif user.pk != author.pk:
            officers.append(user)
    if outside:
        # The same answer for an unknown address and for an officer of another area: a note does
        # not reveal who works where.
        raise ValidationError(
            {
                "body": [
                    _("Only officers of this case's area can be mentioned; not: %(who)s")
                    % {"who": ", ".join(outside)}
                ]
            }
        )
    return officers


def _tell_mentioned(application: Application, officers: list[User]) -> None:
    from .notifications import NOTE_MENTION

    Notification.objects.bulk_create(
        [Notification(recipient=user, application=application, status=NOTE_MENTION) for user in officers]
    )


@transaction.atomic
def case_note_add(*, actor, application: Application, body: str) -> CaseNote:
    """An internal note on a case; the officers it @mentions are told in their inbox."""
    _require_case_officer(actor, application)
    body = _note_body(body)
    officers = _mentioned_officers(application, body, author=actor)
    note = CaseNote.objects.create(application=application, author=actor, body=body)
    note.mentions.set(officers)
    _tell_mentioned(application, officers)
    audit_record(
        actor=actor,
        action="applications.case_note_add",
        # Filed under the note, not the case, so the applicant's data export (which lists the
        # entries about their case) does not reveal that officers wrote internal notes.
        obj=note,
        after={"application": application.pk, "body": body, "mentions": [user.pk for user in officers]},
    )
    return note


@transaction.atomic
def case_note_edit(*, actor, note: CaseNote, body: str) -> CaseNote:
    """The author corrects a note within the grace period; newly mentioned officers are told."""
    note = CaseNote.objects.select_for_update().select_related("application").get(pk=note.pk)
    application = note.application
    _require_case_officer(actor, application)
    if note.author_id != actor.pk:
        raise PermissionDenied(_("Only the officer who wrote a note may correct it."))
    if timezone.now() > note.editable_until:
        raise ValidationError(
            {
                "body": [
                    _(
                        "A note can be corrected only within %(minutes)s minutes of writing it; "
                        "add a new note instead."
                    )
                    % {"minutes": settings.APPLICATIONS_NOTE_EDIT_MINUTES}
                ]
            }
        )
    body = _note_body(body)
    officers = _mentioned_officers(application, body, author=actor)
    already = set(note.mentions.values_list("pk", flat=True))
    before = {"body": note.body, "mentions": sorted(already)}
    note.body = body
    note.edited_at = timezone.now()
    note.save(update_fields=["body", "edited_at"])
    note.mentions.set(officers)
    _tell_mentioned(application, [user for user in officers if user.pk not in already])
    audit_record(
        actor=actor,
        action="applications.case_note_edit",
        obj=note,
        before=before,
        after={"application": application.pk, "body": body, "mentions": sorted(user.pk for user in officers)},
    )
    return note


# --- operations of several steps, shared by the pages and the API --------------------------------
# Each is one transaction: a refusal of its last step undoes the first (no profile without its
# place in the application, no statement saved by a refused submission, no file kept by a refused
# answer), and the page and the API cannot compose the steps differently.
@transaction.atomic
def application_submit_with_statement(
    *, actor, application: Application, declaration: bool, applicant_statement: str | None = None
) -> Application:
    """The review step: the applicant's statement (when given) saved, then the application submitted."""
    if applicant_statement is not None:
        application = application_update(
            actor=actor, application=application, applicant_statement=applicant_statement
        )
    return application_submit(actor=actor, application=application, declaration=declaration)


@transaction.atomic
def dependant_add_with_profile(
    *, actor, application: Application, relationship: str, unmarried: bool = True, **profile_fields: Any
) -> Dependant:
    """A spouse or child: their own profile (owned by whoever owns the principal's) and their place
    in the application."""
    profile = profile_create(actor=actor, owner=application.applicant.owner, **profile_fields)
    return dependant_add(
        actor=actor, application=application, profile=profile, relationship=relationship, unmarried=unmarried
    )


@transaction.atomic
def application_answer_evidence_with_file(
    *, actor, application: Application, answer: str, file=None
) -> Application:
    """The applicant's answer to the open request, with a file filed as an "other" document first."""
    if file:
        document_upload(actor=actor, application=application, document_type="other", file=file)
    return application_answer_evidence(actor=actor, application=application, answer=answer)


@transaction.atomic
def application_create_with_profile(
    *, actor, channel: str, owner: User | None = None, profile: ApplicantProfile | None = None, **fields: Any
) -> Application:
    """Step 1 of a new application: the applicant's profile created (or, when changed, updated), then
    the draft for it."""
    if profile is None:
        profile = profile_create(actor=actor, owner=owner, **fields)
    elif fields:
        profile = profile_update(actor=actor, profile=profile, **fields)
    return application_create(actor=actor, profile=profile, channel=channel)

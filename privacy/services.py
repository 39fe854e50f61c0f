"""Every write of the privacy app: consents, correction requests, legal holds, retention periods, access log.

Each public function is atomic and writes its audit row in the same transaction; e-mail goes out
after commit. The applications app calls ``consent_record`` and ``consents_end`` from its own
services (submission, authorisations, withdrawal), so a consent is written in the transaction of
what it is a consent to.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from residence.accounts.jurisdiction import require_covers, user_covers
from residence.accounts.models import Role
from residence.audit.services import audit_record
from residence.core.tasks import publish_after_commit, send_email_task
from residence.core.validators import validate_no_nul

from . import consent_texts
from .models import (
    CaseAccess,
    Consent,
    CorrectionRequest,
    LegalHold,
    Purpose,
    RetentionCategory,
    RetentionPeriod,
)

# Officers who answer correction requests of their area (any officer working on cases).
CORRECTION_ROLES = (Role.INTAKE_OFFICER, Role.REVIEWER, Role.APPROVER, Role.MANAGEMENT_OFFICER)
# Officers who may place and release a legal hold: the supervisors of the area.
HOLD_ROLES = (Role.APPROVER, Role.MANAGEMENT_OFFICER)
# Staff whose reads of a case are logged (everyone who is not the person or acting for them).
STAFF_ROLES = (
    Role.INTAKE_OFFICER,
    Role.REVIEWER,
    Role.APPROVER,
    Role.MANAGEMENT_OFFICER,
    Role.POLICY_ADMIN,
    Role.AGENCY_STAFF,
    Role.AGENCY_SUPERVISOR,
    Role.SYSTEM_ADMIN,
)


def _language() -> str:
    return "zh-hans" if (get_language() or "en").startswith("zh") else "en"


def _clean_text(value: str, *, field: str, message: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    if len(value) > max_length:
        raise ValidationError({field: [_("Write at most %(count)d characters.") % {"count": max_length}]})
    try:
        validate_no_nul(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    return value


# --- consents -----------------------------------------------------------------------------------
def consent_record(
    *,
    person,
    purpose: str,
    given_by,
    application=None,
    authorisation=None,
    grantee=None,
    language: str | None = None,
) -> Consent:
    """Record a consent to the current text of ``purpose`` (call inside the caller's transaction)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("consent_record must be called inside the transaction of what it consents to")
    text = consent_texts.current(purpose)
    consent = Consent.objects.create(
        person=person,
        purpose=purpose,
        text_version=text.version,
        language=language or _language(),
        given_by=given_by,
        application=application,
        authorisation=authorisation,
        grantee=grantee,
    )
    audit_record(
        actor=given_by,
        action="privacy.consent_give",
        obj=consent,
        after={
            "purpose": purpose,
            "text_version": text.version,
            "language": consent.language,
            "application": getattr(application, "pk", None),
            "authorisation": getattr(authorisation, "pk", None),
        },
    )
    return consent


def consents_end(*, actor, application=None, authorisation=None, reason: str = "") -> int:
    """Mark the consents of a withdrawn application or a revoked authorisation as withdrawn."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("consents_end must be called inside the transaction of the withdrawal")
    rows = Consent.objects.filter(withdrawn_at__isnull=True)
    if application is not None:
        rows = rows.filter(application=application, purpose=Purpose.APPLICATION)
    elif authorisation is not None:
        rows = rows.filter(authorisation=authorisation)
    else:
        return 0
    now = timezone.now()
    ended = list(rows.select_for_update())
    for consent in ended:
        consent.withdrawn_at = now
        consent.save(update_fields=["withdrawn_at"])
        audit_record(
            actor=actor,
            action="privacy.consent_withdraw",
            obj=consent,
            after={"withdrawn_at": now.isoformat(), "purpose": consent.purpose},
            reason=reason,
        )
    return len(ended)


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, confirm_withdraw_application: bool = False) -> Consent:
    """The person withdraws a consent; what that means depends on its purpose (consent_texts)."""
    from applications import services as application_services
    from applications.models import WITHDRAWABLE

    if not actor.is_authenticated or consent.person_id != actor.pk:
        raise Http404
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ValidationError({"consent": [_("This consent was already withdrawn.")]})
    if consent.purpose == Purpose.INTERMEDIARY and consent.authorisation_id:
        # Revoking the authorisation ends the intermediary's access at once and closes this consent.
        application_services.authorisation_revoke(actor=actor, authorisation=consent.authorisation)
    elif consent.purpose == Purpose.APPLICATION and consent.application_id:
        application = consent.application
        if application.status not in WITHDRAWABLE:
            raise ValidationError(
                {
                    "consent": [
                        _(
                            "This application has been decided or closed, so it can no longer be withdrawn; its "
                            "records are kept for the published retention period because the law requires it."
                        )
                    ]
                }
            )
        if not confirm_withdraw_application:
            raise ValidationError(
                {
                    "consent": [
                        _(
                            "Withdrawing this consent withdraws the application %(reference)s. Tick the box to "
                            "confirm that you want to withdraw the application."
                        )
                        % {"reference": application}
                    ]
                }
            )
        application_services.application_withdraw(
            actor=actor, application=application, reason=_("Consent to processing withdrawn.")
        )
    else:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        audit_record(
            actor=actor,
            action="privacy.consent_withdraw",
            obj=consent,
            after={"withdrawn_at": consent.withdrawn_at.isoformat(), "purpose": consent.purpose},
        )
    consent.refresh_from_db()
    return consent


# --- correction requests (PIPL art. 46) ----------------------------------------------------------
def _area_of_person(person, application=None) -> tuple[str, str]:
    from applications.models import ApplicantProfile

    if application is not None and application.province:
        return application.province, application.city_code
    profile = (
        application.applicant
        if application is not None
        else ApplicantProfile.objects.filter(owner=person).order_by("-updated_at", "-id").first()
    )
    if profile is None:
        raise ValidationError(
            {
                "what": [
                    _(
                        "We hold no applicant profile for you yet, so there is nothing to correct here; your "
                        "account's own details you can change yourself."
                    )
                ]
            }
        )
    return profile.province, profile.city_code


@transaction.atomic
def correction_request_create(*, actor, what: str, correction: str, application=None) -> CorrectionRequest:
    if not actor.is_authenticated:
        raise PermissionDenied
    if application is not None and application.applicant.owner_id != actor.pk:
        raise Http404
    what = _clean_text(what, field="what", message=_("Say which information is wrong."), max_length=300)
    correction = _clean_text(
        correction, field="correction", message=_("Say what it should be."), max_length=2000
    )
    province, city_code = _area_of_person(actor, application)
    request = CorrectionRequest.objects.create(
        person=actor,
        application=application,
        province=province,
        city_code=city_code,
        what=what,
        correction=correction,
    )
    audit_record(
        actor=actor,
        action="privacy.correction_request",
        obj=request,
        after={"application": getattr(application, "pk", None), "province": province},
    )
    return request


def may_answer_corrections(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(*CORRECTION_ROLES)))


@transaction.atomic
def correction_request_answer(
    *, actor, request: CorrectionRequest, outcome: str, answer: str
) -> CorrectionRequest:
    from django.utils import translation

    if not may_answer_corrections(actor) or not user_covers(
        actor, province=request.province, city_code=request.city_code
    ):
        raise Http404
    request = CorrectionRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    if request.status != CorrectionRequest.Status.OPEN:
        raise ValidationError({"outcome": [_("This request has already been answered.")]})
    if outcome not in (CorrectionRequest.Status.CORRECTED, CorrectionRequest.Status.REFUSED):
        raise ValidationError({"outcome": [_("Say whether the information was corrected.")]})
    answer = _clean_text(
        answer, field="answer", message=_("Tell the person what was done and why."), max_length=2000
    )
    request.status, request.answer = outcome, answer
    request.answered_by, request.answered_at = actor, timezone.now()
    request.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    audit_record(
        actor=actor,
        action="privacy.correction_answer",
        obj=request,
        before={"status": CorrectionRequest.Status.OPEN},
        after={"status": outcome},
        reason=answer,
    )
    with translation.override(request.person.preferred_language):
        subject = _("Your request for a correction has been answered")
        body = _("%(outcome)s: %(answer)s\n\nSee the Personal information page of the portal.") % {
            "outcome": CorrectionRequest.Status(outcome).label,
            "answer": answer,
        }
    publish_after_commit(send_email_task, to=[request.person.email], subject=str(subject), body=str(body))
    return request


# --- legal holds ----------------------------------------------------------------------------------
def may_hold(user, application) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.has_role(*HOLD_ROLES) and user_covers(
        user, province=application.province, city_code=application.city_code
    )


@transaction.atomic
def legal_hold_place(*, actor, application, reason: str) -> LegalHold:
    from applications.models import Application

    application = Application.objects.select_for_update().get(pk=application.pk)
    require_covers(actor, province=application.province, city_code=application.city_code)
    if not may_hold(actor, application):
        raise PermissionDenied(_("Only approvers and management officers of the case's area place holds."))
    reason = _clean_text(reason, field="reason", message=_("Give the reason for the hold."), max_length=2000)
    if LegalHold.objects.filter(application=application, released_at__isnull=True).exists():
        raise ValidationError({"reason": [_("This case is already on hold.")]})
    hold = LegalHold.objects.create(application=application, reason=reason, placed_by=actor)
    audit_record(
        actor=actor,
        action="privacy.legal_hold_place",
        obj=hold,
        after={"application": application.pk},
        reason=reason,
    )
    return hold


@transaction.atomic
def legal_hold_release(*, actor, hold: LegalHold, reason: str) -> LegalHold:
    hold = LegalHold.objects.select_for_update().select_related("application").get(pk=hold.pk)
    application = hold.application
    require_covers(actor, province=application.province, city_code=application.city_code)
    if not may_hold(actor, application):
        raise PermissionDenied(_("Only approvers and management officers of the case's area release holds."))
    reason = _clean_text(
        reason, field="reason", message=_("Give the reason for the release."), max_length=2000
    )
    if hold.released_at is not None:
        raise ValidationError({"reason": [_("This hold was already released.")]})
    hold.released_by, hold.released_at, hold.release_reason = actor, timezone.now(), reason
    hold.save(update_fields=["released_by", "released_at", "release_reason"])
    audit_record(
        actor=actor,
        action="privacy.legal_hold_release",
        obj=hold,
        after={"application": application.pk},
        reason=reason,
    )
    return hold


# --- retention periods (policy data) -------------------------------------------------------------
@transaction.atomic
def retention_period_set(*, actor, category: str, days: int, basis: str = "") -> RetentionPeriod:
    if not (actor.is_superuser or actor.has_role(Role.POLICY_ADMIN)):
        raise PermissionDenied(_("Only policy administrators set retention periods."))
    if category not in RetentionCategory.values:
        raise ValidationError({"category": [_("Choose one of the kinds of records.")]})
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 36500:
        raise ValidationError({"days": [_("Give a number of days between 1 and 36500.")]})
    period = RetentionPeriod.objects.select_for_update().filter(category=category).first()
    before = {"days": period.days} if period else None
    if period is None:
        period = RetentionPeriod(category=category)
    period.days, period.basis = days, (basis or period.basis or "").strip()
    period.save()
    audit_record(
        actor=actor, action="privacy.retention_period_set", obj=period, before=before, after={"days": days}
    )
    return period


# --- who looked at a case ----------------------------------------------------------------------------
def is_staff_reader(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(*STAFF_ROLES)))


def case_access_record(*, user, application_id: int, view_name: str, now: dt.datetime | None = None) -> bool:
    """Log that a member of staff read a case this hour (True when the database was asked, False when
    the cache already knew the hour's row).

    Not an audit entry: this is a read, and there can be many; one row per user, case and hour is
    enough to answer who looked. The cache remembers the hour's row so repeated reads cost one
    cache lookup; the unique constraint makes a race (or a cold cache) harmless.
    """
    from django.core.cache import cache

    now = now or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    key = f"privacy:access:{application_id}:{user.pk}:{hour:%Y%m%d%H}"
    if cache.get(key):
        return False
    CaseAccess.objects.bulk_create(
        [
            CaseAccess(
                application_id=application_id,
                user=user,
                office_id=user.office_id,
                agency_id=user.agency_id,
                hour=hour,
                first_view=view_name[:80],
            )
        ],
        ignore_conflicts=True,
    )
    # Remembered only once the row is written, so a failed INSERT is tried again at the next read.
    cache.set(key, 1, timeout=3700)
    return True

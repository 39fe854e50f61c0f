"""Lodging and deciding an administrative reconsideration (行政复议); every write is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.access import LEVEL_RANK, office_covers
from applications.models import Application, Notification, Status
from cards.models import Card, RevocationCase
from residence.accounts.models import Office, Role, User
from residence.audit.services import audit_record, audit_record_many
from residence.core.tasks import publish_after_commit, publish_many_after_commit, send_email_task

from .models import (
    Reconsideration,
    ReconsiderationDocument,
    ReconsiderationEscalation,
    ReconsiderationEvidenceRequest,
)

logger = logging.getLogger(__name__)

# How many files may go with a lodging or with one answer to an evidence request.
MAX_DOCUMENTS = 5

OUTCOMES = {
    "upheld": "uphold",
    "overturned": "overturn",
    "varied": "vary",
    "remitted": "remit",
}


def _acts_for(user, owner_id: int) -> bool:
    from applications.services import acts_for

    return acts_for(user, owner_id)


def period_end(decided_at: dt.datetime) -> dt.date:
    """The last day on which a reconsideration may be lodged (local date of the decision + period)."""
    return timezone.localdate(decided_at) + dt.timedelta(days=settings.RECONSIDERATION_PERIOD_DAYS)


def higher_office(first: Office | None, *, province: str) -> Office:
    """The office one level above the one that decided: municipal -> provincial -> national.

    A national decision is reconsidered by the national administration itself (there is nothing
    above it); the officers who took part in the first decision are still excluded.
    """
    level = first.level if first is not None else Office.Level.MUNICIPAL
    if level == Office.Level.MUNICIPAL:
        office = (
            Office.objects.filter(level=Office.Level.PROVINCIAL, province=province).order_by("id").first()
        )
        if office is not None:
            return office
    office = Office.objects.filter(level=Office.Level.NATIONAL).order_by("id").first()
    if office is None:
        raise ValidationError(_("No office is set up to decide reconsiderations."))
    return office


def _first_decision(*, application: Application | None, revocation: RevocationCase | None):
    """(person, decided_at, first deciders, first office, province) of the decision challenged."""
    if application is not None:
        if application.status != Status.REFUSED or application.decided_at is None:
            raise ValidationError(_("Only a refusal can be reconsidered."))
        deciders = {application.decided_by_id, application.recommended_by_id} - {None}
        first_office = application.decided_by.office if application.decided_by_id else application.office
        return (
            application.applicant.owner,
            application.decided_at,
            deciders,
            first_office,
            application.province,
        )
    if revocation.state != RevocationCase.State.REVOKED or revocation.decided_at is None:
        raise ValidationError(_("Only a revocation can be reconsidered."))
    card = revocation.card
    deciders = {revocation.decided_by_id, revocation.opened_by_id} - {None}
    first_office = revocation.decided_by.office if revocation.decided_by_id else None
    return card.profile.owner, revocation.decided_at, deciders, first_office, card.province


@transaction.atomic
def reconsideration_lodge(
    *,
    actor,
    grounds: str,
    application: Application | None = None,
    revocation: RevocationCase | None = None,
    files=(),
) -> Reconsideration:
    """The person, or their authorised intermediary, asks a higher office to reconsider.

    ``files`` (up to MAX_DOCUMENTS) are checked by content like application documents and stored
    privately with the case.
    """
    if (application is None) == (revocation is None):
        raise ValidationError(_("Choose the one decision to be reconsidered."))
    if application is not None:
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("applicant__owner", "decided_by__office", "office")
            .get(pk=application.pk)
        )
        owner_id = application.applicant.owner_id
    else:
        revocation = (
            RevocationCase.objects.select_for_update(of=("self",))
            .select_related("card__profile__owner", "decided_by__office")
            .get(pk=revocation.pk)
        )
        owner_id = revocation.card.profile.owner_id
    if not _acts_for(actor, owner_id):
        # Someone else's decision: do not confirm it exists.
        raise Http404
    grounds = (grounds or "").strip()
    if not grounds:
        raise ValidationError({"grounds": [_("Give the grounds for the reconsideration.")]})
    checked_files = _check_files(files)
    person, decided_at, deciders, first_office, province = _first_decision(
        application=application, revocation=revocation
    )
    last_day = period_end(decided_at)
    if timezone.localdate() > last_day:
        raise ValidationError(
            _("The period for asking for reconsideration ran out on %(date)s.")
            % {"date": last_day.isoformat()}
        )
    pending = Reconsideration.objects.exclude(state=Reconsideration.State.REMITTED)
    if (application is not None and pending.filter(application=application).exists()) or (
        revocation is not None and Reconsideration.objects.filter(revocation=revocation).exists()
    ):
        raise ValidationError(_("A reconsideration of this decision has already been lodged."))
    now = timezone.now()
    office = higher_office(first_office, province=province)
    first_decider = application.decided_by_id if application is not None else revocation.decided_by_id
    try:
        with transaction.atomic():
            case = Reconsideration.objects.create(
                application=application,
                revocation=revocation,
                lodged_by=actor,
                person=person,
                grounds=grounds,
                lodged_at=now,
                office=office,
                first_decided_by_id=first_decider,
                deadline=now + dt.timedelta(days=settings.RECONSIDERATION_DECISION_DAYS),
            )
    except IntegrityError:
        # Two lodgings at once: the constraint kept one.
        raise ValidationError(_("A reconsideration of this decision has already been lodged.")) from None
    documents = _store_files(actor=actor, case=case, checked_files=checked_files)
    audit_record(
        actor=actor,
        action="reconsideration.lodge",
        obj=case,
        after={
            "application": application.pk if application else None,
            "revocation": revocation.pk if revocation else None,
            "office": office.pk,
            "deadline": case.deadline.isoformat(),
            "first_deciders": sorted(deciders),
            "documents": [{"id": d.pk, "sha256": d.sha256} for d in documents],
        },
        reason=grounds,
    )
    return case


def _check_files(files) -> list:
    """Every file checked by content before anything is written: one bad file refuses them all."""
    from applications import uploads

    files = [f for f in (files or ()) if f]
    if len(files) > MAX_DOCUMENTS:
        raise ValidationError({"files": [_("Attach at most %(count)d files.") % {"count": MAX_DOCUMENTS}]})
    checked = []
    for file in files:
        try:
            checked.append((file, uploads.check_upload(file)))
        except ValidationError as error:
            name = (getattr(file, "name", "") or "")[-100:]
            messages = [str(m) for m in error.message_dict.get("file", error.messages)]
            raise ValidationError(
                {"files": [_("%(name)s: %(problem)s") % {"name": name, "problem": " ".join(messages)}]}
            ) from None
    return checked


def _store_files(*, actor, case: Reconsideration, checked_files, request=None) -> list:
    documents = []
    for file, checked in checked_files:
        document = ReconsiderationDocument(
            reconsideration=case,
            evidence_request=request,
            original_name=(getattr(file, "name", "") or "upload")[-200:],
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
        )
        try:
            # The checked copy (images re-encoded), never the bytes as sent.
            document.file.save(checked.extension, ContentFile(checked.data), save=False)
        except OSError:
            logger.exception("upload for reconsideration %s could not be stored", case.pk)
            raise ValidationError(
                {
                    "files": [
                        _("Your file could not be stored just now and was not saved. Please try again later.")
                    ]
                }
            ) from None
        document.save()
        documents.append(document)
    return documents


# --- evidence requests: the deciding office asks, the person answers ---------------------------------
def _tell_person(case: Reconsideration, *, status: str) -> None:
    """The person's inbox row now, their e-mail after commit (and their intermediary's, if they lodged)."""
    from . import notifications

    link = reverse("reconsideration:detail", args=[case.pk])
    recipients = {case.person_id: case.person}
    if case.lodged_by_id != case.person_id:
        recipients[case.lodged_by_id] = case.lodged_by
    mails = []
    for user in recipients.values():
        Notification.objects.create(recipient=user, status=status, reference=str(case), link_path=link)
        if user.email:
            subject, body = notifications.person_email(
                status=status, reference=str(case), language=user.preferred_language
            )
            mails.append({"to": [user.email], "subject": subject, "body": body})
    publish_many_after_commit(send_email_task, mails)


@transaction.atomic
def reconsideration_request_evidence(
    *, actor, case: Reconsideration, message: str
) -> ReconsiderationEvidenceRequest:
    """An officer of the deciding office asks the person for evidence; the deadline clock stops
    (as an application's stage clock does while evidence is owed) with the time left kept."""
    from applications.models import FAR_FUTURE

    from . import notifications

    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": [_("Say which evidence is needed.")]})
    case = _lock(case)
    _require_decider(actor, case)
    if case.state != Reconsideration.State.LODGED:
        raise ValidationError(_("This reconsideration has already been decided."))
    if case.evidence_requests.filter(answered_at__isnull=True).exists():
        raise ValidationError(_("Evidence is already requested; wait for the answer."))
    now = timezone.now()
    before = {"deadline": case.deadline.isoformat()}
    case.paused_remaining = max(case.deadline - now, dt.timedelta(0))
    case.deadline = FAR_FUTURE
    case.save(update_fields=["paused_remaining", "deadline"])
    request = ReconsiderationEvidenceRequest.objects.create(
        reconsideration=case, message=message, requested_by=actor, requested_at=now
    )
    audit_record(
        actor=actor,
        action="reconsideration.request_evidence",
        obj=case,
        before=before,
        after={"request": request.pk, "paused_remaining": case.paused_remaining.total_seconds()},
        reason=message,
    )
    _tell_person(case, status=notifications.EVIDENCE_REQUESTED)
    return request


@transaction.atomic
def reconsideration_answer_evidence(
    *, actor, case: Reconsideration, answer: str, files=()
) -> Reconsideration:
    """The person (or their intermediary) answers the open request; the clock resumes with the time left."""
    from . import notifications

    case = _lock(case)
    if not _acts_for(actor, case.person_id):
        raise Http404
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": [_("Write an answer to the request.")]})
    request = (
        ReconsiderationEvidenceRequest.objects.select_for_update()
        .filter(reconsideration=case, answered_at__isnull=True)
        .first()
    )
    if request is None or case.state != Reconsideration.State.LODGED:
        raise ValidationError(_("No evidence is requested for this reconsideration."))
    checked_files = _check_files(files)
    now = timezone.now()
    request.answer = answer
    request.answered_by = actor
    request.answered_at = now
    request.full_clean(exclude=["reconsideration", "requested_by", "answered_by"])
    request.save(update_fields=["answer", "answered_by", "answered_at"])
    documents = _store_files(actor=actor, case=case, checked_files=checked_files, request=request)
    remaining = case.paused_remaining or dt.timedelta(0)
    case.deadline = now + remaining
    case.paused_remaining = None
    case.save(update_fields=["deadline", "paused_remaining"])
    audit_record(
        actor=actor,
        action="reconsideration.answer_evidence",
        obj=case,
        after={
            "request": request.pk,
            "deadline": case.deadline.isoformat(),
            "documents": [{"id": d.pk, "sha256": d.sha256} for d in documents],
        },
        reason=answer,
    )
    _tell_person(case, status=notifications.EVIDENCE_RECEIVED)
    return case


def _took_part(case: Reconsideration, user) -> bool:
    if case.application_id:
        application = case.application
        return user.pk in {application.decided_by_id, application.recommended_by_id}
    revocation = case.revocation
    return user.pk in {revocation.decided_by_id, revocation.opened_by_id}


def _require_decider(actor, case: Reconsideration) -> None:
    if not (actor.is_authenticated and (actor.is_superuser or actor.has_role(Role.APPROVER))):
        raise PermissionDenied(_("Only an approver may decide a reconsideration."))
    if actor.pk in {case.person_id, case.lodged_by_id}:
        raise PermissionDenied(_("You cannot decide your own reconsideration."))
    if _took_part(case, actor):
        raise PermissionDenied(_("You took part in the first decision; another officer must decide."))
    office = actor.office
    if not actor.is_superuser and (
        office is None
        or LEVEL_RANK.get(office.level, -1) < LEVEL_RANK.get(case.office.level, 99)
        or not office_covers(office, province=case.office.province, city_code=case.office.city_code)
    ):
        raise PermissionDenied(_("This reconsideration is decided by %(office)s.") % {"office": case.office})


def _lock(case: Reconsideration) -> Reconsideration:
    return (
        Reconsideration.objects.select_for_update(of=("self",))
        .select_related("office", "application", "revocation__card", "revocation__ban")
        .get(pk=case.pk)
    )


@transaction.atomic
def reconsideration_suspend_revocation(*, actor, case: Reconsideration, reason: str) -> Reconsideration:
    """The deciding office orders that the revoked card is treated as valid until it decides."""
    case = _lock(case)
    _require_decider(actor, case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for suspending the revocation.")]})
    if case.revocation_id is None or case.state != Reconsideration.State.LODGED:
        raise ValidationError(_("Only a pending reconsideration of a revocation can suspend it."))
    if case.suspends_revocation:
        raise ValidationError(_("The revocation is already suspended."))
    _restore_card(actor=actor, case=case, reason=reason)
    case.suspends_revocation = True
    case.save(update_fields=["suspends_revocation"])
    audit_record(actor=actor, action="reconsideration.suspend_revocation", obj=case, reason=reason)
    return case


def _restore_card(*, actor, case: Reconsideration, reason: str) -> None:
    card = Card.objects.select_for_update().get(pk=case.revocation.card_id)
    if card.status != Card.Status.REVOKED:
        return
    card.restore()
    card.save(update_fields=["status", "ended_at"])
    audit_record(
        actor=actor,
        action="cards.card_restore",
        obj=card,
        before={"status": Card.Status.REVOKED},
        after={"status": card.status},
        reason=reason,
    )


def _lift_ban(*, actor, case: Reconsideration, reason: str, until: dt.date | None = None) -> None:
    ban = case.revocation.ban
    if ban is None:
        return
    before = ban.until.isoformat()
    ban.until = until or timezone.localdate()  # a ban ending today no longer applies
    ban.save(update_fields=["until"])
    audit_record(
        actor=actor,
        action="eligibility.ban_lift" if until is None else "eligibility.ban_vary",
        obj=ban,
        before={"until": before},
        after={"until": ban.until.isoformat()},
        reason=reason,
    )


def _revoke_again(*, actor, case: Reconsideration, reason: str) -> None:
    """Upholding a suspended revocation: the card is invalid again."""
    card = Card.objects.select_for_update().get(pk=case.revocation.card_id)
    if card.status == Card.Status.REVOKED:
        return
    card.revoke()
    card.save(update_fields=["status", "ended_at"])
    audit_record(
        actor=actor,
        action="cards.card_revoke",
        obj=card,
        before={"status": Card.Status.ISSUED},
        after={"status": card.status},
        reason=reason,
    )


@transaction.atomic
def reconsideration_decide(
    *,
    actor,
    case: Reconsideration,
    outcome: str,
    reason: str,
    legal_basis: str = "",
    ban_until: dt.date | None = None,
) -> Reconsideration:
    """Upheld, overturned, varied or remitted; the first case follows in the same transaction."""
    from applications.services import _transition

    if outcome not in OUTCOMES:
        raise ValidationError({"outcome": [_("Choose upheld, overturned, varied or remitted.")]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reasons for the decision.")]})
    case = _lock(case)
    _require_decider(actor, case)
    if case.state != Reconsideration.State.LODGED:
        raise ValidationError(_("This reconsideration has already been decided."))
    if case.evidence_requests.filter(answered_at__isnull=True).exists():
        # As for applications: the person is owed the time to answer what was asked.
        raise ValidationError(_("The evidence asked for has not been answered yet; decide once it is."))
    if outcome == "varied" and case.revocation_id and ban_until is None:
        raise ValidationError({"ban_until": [_("Give the new end of the ban.")]})
    getattr(case, OUTCOMES[outcome])()
    case.decided_by = actor
    case.decided_at = timezone.now()
    case.decision_reason = reason
    case.legal_basis = legal_basis.strip() or settings.RECONSIDERATION_LEGAL_BASIS
    case.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "legal_basis"])
    audit_record(
        actor=actor,
        action="reconsideration.decide",
        obj=case,
        before={"state": Reconsideration.State.LODGED},
        after={"state": case.state, "legal_basis": case.legal_basis},
        reason=reason,
    )
    publish_after_commit(_letter_task(), case_id=case.pk)
    if case.application_id:
        application = Application.objects.select_for_update().get(pk=case.application_id)
        target = settings.RECONSIDERATION_APPLICATION_RETURNS_TO.get(outcome)
        if target:
            # The case returns to the stage the policy names; its history stays as it was.
            _transition(application, f"reopen_for_{target}", actor=actor, reason=reason)
    else:
        if outcome in ("overturned", "remitted"):
            _restore_card(actor=actor, case=case, reason=reason)
            _lift_ban(actor=actor, case=case, reason=reason)
            if outcome == "remitted":
                revocation = RevocationCase.objects.select_for_update().get(pk=case.revocation_id)
                revocation.reopen()
                revocation.save(update_fields=["state"])
                audit_record(actor=actor, action="cards.revocation_reopen", obj=revocation, reason=reason)
        elif outcome == "varied":
            _lift_ban(actor=actor, case=case, reason=reason, until=ban_until)
            _revoke_again(actor=actor, case=case, reason=reason)
        else:
            _revoke_again(actor=actor, case=case, reason=reason)
    return case


def _letter_task():
    from .tasks import reconsideration_letter_render_task

    return reconsideration_letter_render_task


@transaction.atomic
def reconsideration_letter_render(*, case_id: int) -> Reconsideration:
    """Write the outcome letter once (idempotent: a second run finds it written)."""
    from .letters import letter_pdf

    case = (
        Reconsideration.objects.select_for_update(of=("self",))
        .select_related("office", "application__applicant", "revocation__card")
        .get(pk=case_id)
    )
    if case.letter or case.state == Reconsideration.State.LODGED:
        return case
    pdf = letter_pdf(case)
    case.letter.save("letter", ContentFile(pdf), save=False)
    case.letter_sha256 = hashlib.sha256(pdf).hexdigest()
    case.save(update_fields=["letter", "letter_sha256"])
    audit_record(actor=None, action="reconsideration.letter", obj=case, after={"sha256": case.letter_sha256})
    return case


# --- oversight: overdue reconsiderations escalate (R24) ---------------------------------------------
ESCALATION_BATCH = 500


@transaction.atomic
def overdue_reconsiderations_escalate(
    *, now: dt.datetime | None = None, limit: int = ESCALATION_BATCH
) -> list:
    """Tell the deciding office's supervisors of each open reconsideration past its deadline, and
    again past the margin (ESCALATION_MARGIN_DAYS, the same as for applications).

    Once per reconsideration and level. As for applications: the open cases are locked first
    (skipping any locked by a decision at this moment: the next sweep takes them), the escalations
    already made are read after the locks, and the unique constraint is the last guard. The
    supervisors are found as for applications, keeping those who may decide a reconsideration (its
    approvers); an office without any passes the case up to its parent. A case found past both levels at once is told once, of the higher level. The inbox rows
    link to the reconsideration's page; the e-mails go after commit.
    """
    from applications.selectors import supervisors_by_office
    from applications.services import escalation_recipients, highest_escalations

    from . import notifications

    now = now or timezone.now()
    past_margin = now - dt.timedelta(days=settings.ESCALATION_MARGIN_DAYS)
    done = ReconsiderationEscalation.objects.filter(reconsideration=OuterRef("pk"))
    open_overdue = Reconsideration.objects.filter(state=Reconsideration.State.LODGED, deadline__lt=now)
    ids = list(
        open_overdue.annotate(
            told=Exists(done.filter(level=ReconsiderationEscalation.Level.DEADLINE)),
            told_again=Exists(done.filter(level=ReconsiderationEscalation.Level.MARGIN)),
        )
        .filter(Q(told=False) | Q(told_again=False, deadline__lt=past_margin))
        .order_by("deadline", "id")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return []
    cases = list(
        open_overdue.select_for_update(of=("self",), skip_locked=True).filter(pk__in=ids).order_by("id")
    )
    existing = set(
        ReconsiderationEscalation.objects.filter(reconsideration__in=cases).values_list(
            "reconsideration_id", "level"
        )
    )
    offices = {office.pk: office for office in Office.objects.all()}
    # Of the office's supervisors, those who may open and decide a reconsideration: its approvers
    # (a management officer could not open the page the notice links to).
    found = supervisors_by_office(offices)
    approvers = set(
        User.objects.filter(
            Q(groups__name=str(Role.APPROVER)) | Q(is_superuser=True),
            pk__in=[user.pk for users in found.values() for user in users],
        ).values_list("pk", flat=True)
    )
    supervisors = {
        office_id: told
        for office_id, users in found.items()
        if (told := [user for user in users if user.pk in approvers])
    }
    made: list[tuple[ReconsiderationEscalation, Reconsideration, Office | None, list[User]]] = []
    for case in cases:
        told_office, told = escalation_recipients(offices.get(case.office_id), supervisors, offices)
        levels = [ReconsiderationEscalation.Level.DEADLINE]
        if case.deadline < past_margin:
            levels.append(ReconsiderationEscalation.Level.MARGIN)
        for level in levels:
            if (case.pk, level) in existing:
                continue
            escalation = ReconsiderationEscalation(
                reconsideration=case, level=level, deadline=case.deadline, office=told_office, created_at=now
            )
            made.append((escalation, case, told_office, told))
    ReconsiderationEscalation.objects.bulk_create([row[0] for row in made])
    ReconsiderationEscalation.supervisors.through.objects.bulk_create(
        [
            ReconsiderationEscalation.supervisors.through(
                reconsiderationescalation_id=escalation.pk, user_id=user.pk
            )
            for escalation, _case, _office, told in made
            for user in told
        ]
    )
    inbox, mails = [], []
    for escalation, case, _told_office, told in highest_escalations(made):
        status = (
            notifications.OVERDUE_PAST_MARGIN
            if escalation.level == ReconsiderationEscalation.Level.MARGIN
            else notifications.OVERDUE
        )
        link = reverse("reconsideration:detail", args=[case.pk])
        for user in told:
            inbox.append(
                Notification(
                    recipient=user,
                    status=status,
                    reference=str(case),
                    link_path=link,
                    created_at=now,
                )
            )
            with translation.override(user.preferred_language):
                office_name = str(offices[case.office_id])
            subject, body = notifications.escalation_email(
                status=status,
                reference=str(case),
                deadline=case.deadline,
                office=office_name,
                language=user.preferred_language,
            )
            mails.append({"to": [user.email], "subject": subject, "body": body})
    Notification.objects.bulk_create(inbox)
    audit_record_many(
        [
            {
                "actor": None,
                "action": "reconsideration.escalate",
                "obj": case,
                "after": {
                    "level": escalation.level,
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

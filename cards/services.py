"""Every write of the cards app: issue, documents, institutions and their keys, verification
queries, renewal and replacement, revocation with a ban, presence records and residence review.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.models import ApplicantProfile, Application, Notification, Status
from applications.notifications import CARD_REVOKED
from applications.services import application_card_issued
from applications.uploads import check_photo
from benefits.services import holder_card_number_set, holder_profile_clear, holder_profile_set
from eligibility import services as eligibility_services
from eligibility.engine.dates import anniversary, whole_years
from eligibility.selectors import policy_version_in_force, residence_min_days
from residence.accounts.jurisdiction import require_covers
from residence.accounts.models import Office, Role
from residence.audit.services import audit_record
from residence.core.tasks import publish_after_commit, send_email_task

from . import extensions, numbers
from .models import (
    Card,
    CardDocument,
    CardRequest,
    CardSequence,
    Institution,
    InstitutionApiKey,
    PresenceRecord,
    ResidenceAlert,
    RevocationCase,
    VerificationQuery,
)
from .residence import days_in_china_by_year, standing
from .selectors import holder_area_q

logger = logging.getLogger(__name__)

# The legal basis printed on revocation decisions, per ground.
REVOCATION_BASIS = {
    "national_security": (
        "Exit and Entry Administration Law art. 49(1); Opinions (2016) art. 22",
        "《出境入境管理法》第四十九条第一项；《意见》第二十二条",
    ),
    "deportation": (
        "Exit and Entry Administration Law art. 49(2); Opinions (2016) art. 22",
        "《出境入境管理法》第四十九条第二项；《意见》第二十二条",
    ),
    "fraud": (
        "Exit and Entry Administration Law art. 49(3); Opinions (2016) art. 22",
        "《出境入境管理法》第四十九条第三项；《意见》第二十二条",
    ),
    "insufficient_residence": (
        "Exit and Entry Administration Law art. 49(4); Opinions (2016) art. 22",
        "《出境入境管理法》第四十九条第四项；《意见》第二十二条",
    ),
    "talent_program_terminated": (
        "Opinions (2016) art. 22; the talent program's termination notice",
        "《意见》第二十二条；引才计划终止通知",
    ),
}


def _require_role(actor, *roles: str) -> None:
    if not (actor is not None and actor.is_authenticated and actor.has_role(*roles)):
        raise PermissionDenied(_("Your role does not allow this."))


def _require_area(actor, card: Card) -> None:
    """The holder lives in the actor's area (the rule of `cards.selectors.holder_area_q`)."""
    require_covers(actor, province=card.profile.province, city_code=card.profile.city_code)


def validity_years(*, policy_version, birth_date: dt.date, on: dt.date) -> int:
    """The policy's card validity: one figure for adults, a shorter one for holders under 18."""
    years = policy_version.compiled().card_validity_years
    return int(years["minor"] if whole_years(birth_date, on) < 18 else years["adult"])


# --- numbers ------------------------------------------------------------------------------------
def card_number_draw(*, province: str, nationality: str, birth_date: dt.date, sex: str) -> str:
    """The next free number for this province, nationality and birth date (row-locked)."""
    stem = numbers.stem(province=province, nationality=nationality, birth_date=birth_date)
    CardSequence.objects.get_or_create(stem=stem)
    sequence = CardSequence.objects.select_for_update().get(stem=stem)
    odd = sex != "F"
    last = sequence.last_odd if odd else sequence.last_even
    nxt = last + 2 if last else (1 if odd else 2)
    if nxt > numbers.SEQUENCE_MAX:
        raise ValidationError(_("No card number is left for this birth date in this province."))
    if odd:
        sequence.last_odd = nxt
    else:
        sequence.last_even = nxt
    sequence.save(update_fields=["last_odd" if odd else "last_even"])
    return numbers.compose(province=province, nationality=nationality, birth_date=birth_date, sequence=nxt)


# --- issue ----------------------------------------------------------------------------------------
def _authority(office: Office | None) -> tuple[str, str]:
    if office is None:
        office = Office.objects.filter(level=Office.Level.NATIONAL).order_by("id").first()
    if office is None:
        return ("National Immigration Administration", "国家移民管理局")
    return office.name_en, office.name_zh


def _card_state(card: Card) -> dict:
    return {
        "number": card.number,
        "status": card.status,
        "issued_on": card.issued_on.isoformat(),
        "expires_on": card.expires_on.isoformat(),
    }


def _issue(
    *,
    actor,
    profile,
    photo: bytes,
    photo_content_type: str,
    province: str,
    office: Office | None,
    kind: str,
    application=None,
    previous: Card | None = None,
    reason: str = "",
) -> Card:
    today = timezone.localdate()
    policy_version = policy_version_in_force(on=today)
    years = validity_years(policy_version=policy_version, birth_date=profile.birth_date, on=today)
    authority_en, authority_zh = _authority(office)
    card = Card(
        number=card_number_draw(
            province=province, nationality=profile.nationality, birth_date=profile.birth_date, sex=profile.sex
        ),
        kind=kind,
        profile=profile,
        application=application,
        previous=previous,
        family_name=profile.family_name,
        given_names=profile.given_names,
        chinese_name=profile.chinese_name,
        sex=profile.sex,
        birth_date=profile.birth_date,
        nationality=profile.nationality,
        passport_number=profile.passport_number,
        province=province,
        photo_content_type=photo_content_type,
        issued_on=today,
        expires_on=anniversary(today, years),
        authority_en=authority_en,
        authority_zh=authority_zh,
        policy_version=policy_version,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    card.photo.save("photo", ContentFile(photo), save=False)
    card.save()
    audit_record(actor=actor, action="cards.card_issue", obj=card, after=_card_state(card), reason=reason)
    document_queue(kind=CardDocument.Kind.CARD, recipient=profile.owner, card=card)
    return card


def application_photo(application) -> tuple[bytes, str] | None:
    """The applicant's current photo among the application's documents, checked, or None."""
    document = (
        application.documents.filter(document_type="photo", dependant__isnull=True, superseded=False)
        .order_by("-version", "-id")
        .first()
    )
    if document is None:
        return None
    with document.file.open("rb") as handle:
        checked = check_photo(handle.read())
    return checked.data, checked.content_type


@transaction.atomic
def card_issue_for_application(*, application_id: int, actor=None) -> Card | None:
    """Make the card of an approved application and move it to "card issued"; idempotent."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("applicant__owner", "office")
        .get(pk=application_id)
    )
    existing = Card.objects.filter(application=application).first()
    if existing is not None or application.status != Status.APPROVED:
        return existing
    if any(hold(application) for hold in extensions.issuance_holds):
        # The card is made once its fee is paid; the payments app calls again then.
        return None
    photo = application_photo(application)
    if photo is None:
        raise ValidationError({"photo": [_("The application has no photo to print on the card.")]})
    profile = application.applicant
    card = _issue(
        actor=actor,
        profile=profile,
        photo=photo[0],
        photo_content_type=photo[1],
        province=application.province or profile.province,
        office=application.office,
        kind=Card.Kind.FIRST,
        application=application,
    )
    application_card_issued(application=application, actor=actor)
    # The holder's situation, read by the benefits catalogue's "What my card lets me do" (R17).
    holder_profile_set(
        actor=actor,
        user=profile.owner,
        is_working=application.channel in ("talent", "work"),
        is_minor=whole_years(profile.birth_date, timezone.localdate()) < 18,
        card_number=card.number,
    )
    document_queue(
        kind=CardDocument.Kind.APPROVAL_LETTER, recipient=profile.owner, card=card, application=application
    )
    return card


@transaction.atomic
def refusal_letter_issue(*, application_id: int, actor=None) -> CardDocument | None:
    """Queue the refusal letter of a refused application; idempotent."""
    application = Application.objects.select_related("applicant__owner").get(pk=application_id)
    if application.status != Status.REFUSED:
        return None
    existing = CardDocument.objects.filter(
        application=application, kind=CardDocument.Kind.REFUSAL_LETTER
    ).first()
    if existing is not None:
        return existing
    document = document_queue(
        kind=CardDocument.Kind.REFUSAL_LETTER, recipient=application.applicant.owner, application=application
    )
    audit_record(
        actor=actor, action="cards.refusal_letter_issue", obj=document, after={"application": application.pk}
    )
    return document


# --- documents ------------------------------------------------------------------------------------
def document_queue(*, kind: str, recipient, card=None, application=None, revocation=None) -> CardDocument:
    """A pending document, rendered by the worker once this transaction has committed."""
    from .tasks import card_document_render_task

    document = CardDocument.objects.create(
        kind=kind, recipient=recipient, card=card, application=application, revocation=revocation
    )
    publish_after_commit(card_document_render_task, document_id=document.pk)
    return document


def card_document_render(*, document_id: int) -> CardDocument:
    """Render one document into private storage. Rendering happens outside the row lock, because
    it takes far longer than the write."""
    from .context import context_for

    document = CardDocument.objects.select_related("card", "application", "revocation").get(pk=document_id)
    if document.state == CardDocument.State.READY:
        return document
    from .documents import render_pdf

    try:
        pdf = render_pdf(document.kind, context_for(document))
    except Exception as error:
        with transaction.atomic():
            locked = CardDocument.objects.select_for_update().get(pk=document_id)
            locked.state = CardDocument.State.FAILED
            locked.error = repr(error)[:2000]
            locked.save(update_fields=["state", "error"])
            audit_record(actor=None, action="cards.document_fail", obj=locked, reason=locked.error)
        raise
    with transaction.atomic():
        locked = CardDocument.objects.select_for_update().get(pk=document_id)
        if locked.state == CardDocument.State.READY:
            return locked
        locked.file.save("document", ContentFile(pdf), save=False)
        locked.size = len(pdf)
        locked.sha256 = hashlib.sha256(pdf).hexdigest()
        locked.state = CardDocument.State.READY
        locked.error = ""
        locked.rendered_at = timezone.now()
        locked.save(update_fields=["file", "size", "sha256", "state", "error", "rendered_at"])
        audit_record(
            actor=None,
            action="cards.document_render",
            obj=locked,
            after={"sha256": locked.sha256, "size": locked.size},
        )
    return locked


# --- institutions and their keys ------------------------------------------------------------------
@transaction.atomic
def institution_create(*, actor, name_en: str, name_zh: str, kind: str) -> Institution:
    _require_role(actor, Role.SYSTEM_ADMIN)
    name_en, name_zh = (name_en or "").strip(), (name_zh or "").strip()
    errors = {}
    if not name_en:
        errors["name_en"] = [_("Enter the institution's English name.")]
    if not name_zh:
        errors["name_zh"] = [_("Enter the institution's Chinese name.")]
    if kind not in Institution.Kind.values:
        errors["kind"] = [_("Choose the kind of institution.")]
    if errors:
        raise ValidationError(errors)
    institution = Institution.objects.create(name_en=name_en, name_zh=name_zh, kind=kind, created_by=actor)
    audit_record(
        actor=actor,
        action="cards.institution_create",
        obj=institution,
        after={"name_en": name_en, "kind": kind},
    )
    return institution


def hash_key(raw: str) -> str:
    # Keys are 256 random bits, so a plain SHA-256 cannot be reversed by guessing.
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def institution_api_key_issue(*, actor, institution: Institution) -> tuple[InstitutionApiKey, str]:
    """A new key; the returned text is the only time anyone sees it."""
    if actor is not None:
        _require_role(actor, Role.SYSTEM_ADMIN)
    if not institution.is_active:
        raise ValidationError(_("This institution is not active."))
    prefix = secrets.token_hex(4)
    raw = f"{prefix}.{secrets.token_urlsafe(32)}"
    key = InstitutionApiKey.objects.create(
        institution=institution, prefix=prefix, key_hash=hash_key(raw), created_by=actor
    )
    audit_record(actor=actor, action="cards.api_key_issue", obj=key, after={"institution": institution.pk})
    return key, raw


@transaction.atomic
def institution_api_key_revoke(*, actor, api_key: InstitutionApiKey) -> InstitutionApiKey:
    _require_role(actor, Role.SYSTEM_ADMIN)
    api_key = InstitutionApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="cards.api_key_revoke", obj=api_key, after={"revoked": True})
    return api_key


def api_key_authenticate(raw: str) -> InstitutionApiKey | None:
    prefix = (raw or "").split(".", 1)[0][:12]
    key = (
        InstitutionApiKey.objects.select_related("institution")
        .filter(prefix=prefix, revoked_at__isnull=True, institution__is_active=True)
        .first()
    )
    if key is None or not secrets.compare_digest(key.key_hash, hash_key(raw)):
        return None
    return key


@transaction.atomic
def card_verify(*, api_key: InstitutionApiKey, number: str, birth_date: dt.date) -> VerificationQuery:
    """Answer an institution's question and log it; an unknown number and a wrong birth date give the
    same answer, so the API cannot be used to find out who holds a card."""
    normalised = numbers.normalise(number)
    answer, card = _answer(Card.objects.filter(number=normalised).first(), birth_date)
    query = VerificationQuery.objects.create(
        institution=api_key.institution,
        api_key=api_key,
        card=card,
        number_asked=normalised[:40],
        birth_date_asked=birth_date,
        answer=answer,
    )
    InstitutionApiKey.objects.filter(pk=api_key.pk).update(last_used_at=query.asked_at)
    return query


def _answer(card: Card | None, birth_date: dt.date, today: dt.date | None = None) -> tuple[str, Card | None]:
    if card is None or card.birth_date != birth_date:
        return VerificationQuery.Answer.NO_MATCH, None
    status = card.status_on(today or timezone.localdate())
    return (VerificationQuery.Answer.VALID if status == Card.Status.ISSUED else status), card


class TooManyChecks(ValidationError):
    """A bulk request beyond CARDS_VERIFY_BULK_MAX."""


def too_many_checks(limit: int, count: int) -> str:
    return _("At most %(limit)s checks can be sent in one request; this one has %(count)s. Split it.") % {
        "limit": limit,
        "count": count,
    }


@transaction.atomic
def card_verify_many(
    *, api_key: InstitutionApiKey, checks: list[tuple[str, dt.date]]
) -> list[VerificationQuery]:
    """Many checks in one request, answered and logged one by one exactly as card_verify does (one
    VerificationQuery each), with one read of the cards and one insert of the log."""
    limit = settings.CARDS_VERIFY_BULK_MAX
    if len(checks) > limit:
        raise TooManyChecks(too_many_checks(limit, len(checks)))
    asked = [(numbers.normalise(number), birth_date) for number, birth_date in checks]
    cards = {card.number: card for card in Card.objects.filter(number__in={number for number, _b in asked})}
    now, today = timezone.now(), timezone.localdate()
    queries = []
    for number, birth_date in asked:
        answer, card = _answer(cards.get(number), birth_date, today)
        queries.append(
            VerificationQuery(
                institution=api_key.institution,
                api_key=api_key,
                card=card,
                number_asked=number[:40],
                birth_date_asked=birth_date,
                answer=answer,
                asked_at=now,
            )
        )
    VerificationQuery.objects.bulk_create(queries)
    InstitutionApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return queries


# --- renewal and replacement ----------------------------------------------------------------------
@transaction.atomic
def card_request_create(*, actor, card: Card, kind: str, reason: str, statement: str = "") -> CardRequest:
    card = Card.objects.select_for_update().select_related("profile").get(pk=card.pk)
    if card.profile.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the holder can ask for a new card."))
    if kind not in CardRequest.Kind.values:
        raise ValidationError({"kind": [_("Choose renewal or replacement.")]})
    if reason not in CardRequest.Reason.values:
        raise ValidationError({"reason": [_("Choose a reason.")]})
    today = timezone.localdate()
    if card.current_status not in (Card.Status.ISSUED, Card.Status.EXPIRED) or (
        kind == CardRequest.Kind.REPLACEMENT and card.current_status != Card.Status.ISSUED
    ):
        raise ValidationError(_("A new card can only be asked for in place of your current card."))
    if kind == CardRequest.Kind.RENEWAL and not card.in_renewal_window(today):
        raise ValidationError(
            {
                "kind": [
                    _("Renewal can be asked for from %(date)s, six months before the card expires.")
                    % {"date": card.renewal_opens_on.isoformat()}
                ]
            }
        )
    if RevocationCase.objects.filter(card=card, state=RevocationCase.State.OPEN).exists():
        raise ValidationError(
            _("A revocation case about this card is open; no new card can be asked for now.")
        )
    try:
        with transaction.atomic():
            request = CardRequest.objects.create(
                card=card, kind=kind, reason=reason, statement=(statement or "").strip(), requested_by=actor
            )
    except IntegrityError:
        raise ValidationError(_("You have already asked for a new card; it is being handled.")) from None
    audit_record(
        actor=actor, action="cards.request_create", obj=request, after={"kind": kind, "reason": reason}
    )
    for hook in extensions.request_opened_hooks:
        hook(request=request, actor=actor)  # payments: the fee due on request becomes an order
    return request


def _lock_request(request: CardRequest) -> CardRequest:
    request = (
        CardRequest.objects.select_for_update().select_related("card__profile__owner").get(pk=request.pk)
    )
    if request.state != CardRequest.State.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    return request


@transaction.atomic
def card_request_issue(*, actor, request: CardRequest, photo: bytes | None = None) -> Card:
    """Issue the new card; the old one is replaced (invalid) in the same transaction."""
    _require_role(actor, Role.MANAGEMENT_OFFICER)
    request = _lock_request(request)
    _require_area(actor, request.card)
    for hold in extensions.request_issue_holds:
        # Before any write: a request whose fee is unpaid leaves everything as it was.
        if message := hold(request):
            raise ValidationError(message)
    old = Card.objects.select_for_update().get(pk=request.card_id)
    if old.status not in (Card.Status.ISSUED, Card.Status.EXPIRED):
        raise ValidationError(_("The card is no longer current; this request cannot be met."))
    if photo is not None:
        checked = check_photo(photo)
        photo, content_type = checked.data, checked.content_type
    else:
        with old.photo.open("rb") as handle:
            photo = handle.read()
        content_type = old.photo_content_type
    before = _card_state(old)
    if old.status == Card.Status.ISSUED:
        old.replace()
    else:
        old.ended_at = old.ended_at or timezone.now()
    old.save(update_fields=["status", "ended_at"])
    audit_record(actor=actor, action="cards.card_replace", obj=old, before=before, after=_card_state(old))
    new = _issue(
        actor=actor,
        profile=old.profile,
        photo=photo,
        photo_content_type=content_type,
        province=old.province,
        office=actor.office,
        kind=Card.Kind.RENEWAL if request.kind == CardRequest.Kind.RENEWAL else Card.Kind.REPLACEMENT,
        previous=old,
        reason=str(request),
    )
    request.issue(by=actor, new_card=new)
    request.save(update_fields=["state", "decided_by", "decided_at", "new_card"])
    audit_record(actor=actor, action="cards.request_issue", obj=request, after={"new_card": new.number})
    # The benefits catalogue's holder situation names the card now in force.
    holder_card_number_set(actor=actor, user=old.profile.owner, card_number=new.number)
    return new


@transaction.atomic
def card_request_refuse(*, actor, request: CardRequest, reason: str) -> CardRequest:
    _require_role(actor, Role.MANAGEMENT_OFFICER)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for the refusal.")]})
    request = _lock_request(request)
    _require_area(actor, request.card)
    request.refuse(by=actor, reason=reason.strip())
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
    audit_record(actor=actor, action="cards.request_refuse", obj=request, reason=request.decision_reason)
    return request


# --- revocation -----------------------------------------------------------------------------------
@transaction.atomic
def revocation_open(*, actor, card: Card, ground: str, evidence: str) -> RevocationCase:
    """A management officer (or residence tracking, actor None) opens a case; the card stays valid."""
    if actor is not None:
        _require_role(actor, Role.MANAGEMENT_OFFICER)
    if ground not in RevocationCase.Ground.values:
        raise ValidationError({"ground": [_("Choose one of the grounds for revocation.")]})
    if not (evidence or "").strip():
        raise ValidationError({"evidence": [_("Describe the evidence for revocation.")]})
    card = Card.objects.select_for_update().select_related("profile").get(pk=card.pk)
    if actor is not None:
        _require_area(actor, card)
    if card.status not in (Card.Status.ISSUED, Card.Status.EXPIRED):
        raise ValidationError(_("Only a current card can be revoked."))
    basis_en, basis_zh = REVOCATION_BASIS[ground]
    try:
        with transaction.atomic():
            case = RevocationCase.objects.create(
                card=card,
                ground=ground,
                evidence=evidence.strip(),
                opened_by=actor,
                legal_basis=f"{basis_zh}\n{basis_en}",
            )
    except IntegrityError:
        raise ValidationError(_("A revocation case about this card is already open.")) from None
    audit_record(
        actor=actor, action="cards.revocation_open", obj=case, after={"ground": ground, "card": card.number}
    )
    return case


def _revocation_reasons(case: RevocationCase, *, text: str) -> dict:
    """A revocation's structured reasons (R6): the card's policy version, the listed ground it rests
    on (with its legal basis) and the approver's text; the same shape as a case decision's."""
    from .context import GROUND_ZH

    basis_zh, _newline, basis_en = case.legal_basis.partition("\n")
    policy_version = case.card.policy_version
    with translation.override("en"):
        ground_en = str(RevocationCase.Ground(case.ground).label)
    return {
        "policy_version": policy_version.label if policy_version else "",
        "criteria": [],
        "grounds": [
            {
                "id": case.ground,
                "label": {"en": ground_en, "zh": GROUND_ZH.get(case.ground, "")},
                "legal_basis": {"en": basis_en, "zh": basis_zh},
            }
        ],
        "text": text,
    }


@transaction.atomic
def revocation_decide(*, actor, case: RevocationCase, decision: str, reason: str) -> RevocationCase:
    """An approver who did not open the case decides it. Revoked: the card is invalid, the ban is
    set and the holder's letter is queued, all in this one transaction."""
    _require_role(actor, Role.APPROVER)
    if decision not in ("revoke", "cancel"):
        raise ValidationError({"decision": [_("Decide to revoke or to cancel.")]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reasons for the decision.")]})
    case = RevocationCase.objects.select_for_update().select_related("card__profile__owner").get(pk=case.pk)
    _require_area(actor, case.card)
    if case.state != RevocationCase.State.OPEN:
        raise ValidationError(_("This case has already been decided."))
    if case.opened_by_id is not None and case.opened_by_id == actor.pk:
        raise PermissionDenied(_("You opened this case; another person must decide it."))
    case.decided_by = actor
    case.decided_at = timezone.now()
    case.decision_reason = reason
    case.reasons = _revocation_reasons(case, text=reason)
    if decision == "cancel":
        case.cancel()
        case.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "reasons"])
        audit_record(
            actor=actor,
            action="cards.revocation_cancel",
            obj=case,
            after={"reasons": case.reasons},
            reason=reason,
        )
        return case
    card = Card.objects.select_for_update().get(pk=case.card_id)
    before = _card_state(card)
    card.revoke()
    card.save(update_fields=["status", "ended_at"])
    audit_record(
        actor=actor,
        action="cards.card_revoke",
        obj=card,
        before=before,
        after=_card_state(card),
        reason=reason,
    )
    # Through the module, so a test can make the ban store fail and see the revocation roll back.
    ban = eligibility_services.ban_create(
        # The ban follows from the approver's decision, not from a ban officer's own act.
        actor=eligibility_services.revocation_actor(decided_by=actor, case_id=case.pk),
        passport_number=card.passport_number,
        nationality=card.nationality,
        birth_date=card.birth_date,
        ground=case.ground,
        until=None,
        reason=reason,
    )
    case.revoke(ban=ban)
    case.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "reasons", "ban"])
    audit_record(
        actor=actor,
        action="cards.revocation_decide",
        obj=case,
        after={"state": case.state, "ban_until": ban.until.isoformat(), "reasons": case.reasons},
        reason=reason,
    )
    owner = case.card.profile.owner
    # No card, no national treatment: "What my card lets me do" no longer lists items for them.
    holder_profile_clear(actor=actor, user=owner, reason=reason)
    document_queue(kind=CardDocument.Kind.REVOCATION_LETTER, recipient=owner, card=card, revocation=case)
    # The inbox row every other decision writes, in the decision's transaction.
    Notification.objects.create(
        recipient=owner, application_id=card.application_id, status=CARD_REVOKED, reason=reason
    )
    publish_after_commit(
        send_email_task,
        to=[owner.email],
        subject="永久居留资格已被取消 / Your permanent residence has been revoked",
        body=(
            f"Card {card.number}: revoked on {case.decided_at:%Y-%m-%d}. The decision, with its reasons, "
            "legal basis and your right to ask for reconsideration, is in the portal under My card.\n"
            f"你的永久居留资格已于{case.decided_at:%Y-%m-%d}取消，永久居留身份证{card.number}随之失效。决定书（含理由、法律依据及"
            "申请行政复议的权利）见门户网站“我的证件”。"
        ),
    )
    return case


# --- expiry -----------------------------------------------------------------------------------------
def cards_expire_due(*, today: dt.date | None = None) -> int:
    """Mark issued cards past their date as expired; one short transaction per card."""
    today = today or timezone.localdate()
    count = 0
    for pk in Card.objects.filter(status=Card.Status.ISSUED, expires_on__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            card = Card.objects.select_for_update().get(pk=pk)
            if card.status != Card.Status.ISSUED:
                continue
            card.expire()
            card.save(update_fields=["status", "ended_at"])
            audit_record(actor=None, action="cards.card_expire", obj=card, after=_card_state(card))
            count += 1
    return count


# --- presence and residence -----------------------------------------------------------------------
def _current_card_for(number: str, *, actor=None) -> Card | None:
    """The card with this number; for an officer, only in their area (otherwise as if unknown)."""
    cards = Card.objects.select_related("profile").filter(number=numbers.normalise(number))
    if actor is not None:
        cards = cards.filter(holder_area_q(actor))
    return cards.first()


@transaction.atomic
def presence_record_add(
    *, actor, card: Card, direction: str, on: dt.date, port: str = "", source: str
) -> tuple[PresenceRecord, bool]:
    """Record one crossing; the same crossing twice is recorded once."""
    if direction not in PresenceRecord.Direction.values:
        raise ValidationError({"direction": [_("The direction is entry or exit.")]})
    if on > timezone.localdate():
        raise ValidationError({"on": [_("A crossing cannot be in the future.")]})
    record, created = PresenceRecord.objects.get_or_create(
        profile_id=card.profile_id,
        on=on,
        direction=direction,
        defaults={
            "card": card,
            "port": (port or "")[:100],
            "source": source,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    if created:
        audit_record(
            actor=actor,
            action="cards.presence_record",
            obj=record,
            after={"direction": direction, "on": on.isoformat()},
        )
    return record, created


def presence_record_from_check(*, card_number: str, direction: str, on: dt.date, port: str = "") -> bool:
    """Hook for the verification app's entry/exit check: record the crossing of a card holder.
    Returns False when the number is not a card of this portal (nothing is recorded)."""
    card = _current_card_for(card_number)
    if card is None:
        return False
    presence_record_add(
        actor=None, card=card, direction=direction, on=on, port=port, source=PresenceRecord.Source.CHECK
    )
    _review_later(card.profile_id)
    return True


def _review_later(profile_id: int) -> None:
    from .tasks import residence_review_task

    publish_after_commit(residence_review_task, profile_id=profile_id)


@dataclass
class ImportResult:
    created: int = 0
    duplicates: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def presence_import_csv(*, actor, data: bytes) -> ImportResult:
    """Import crossings from CSV (card_number, direction, date, port). All or nothing: one bad line
    and nothing is recorded, with every bad line reported."""
    _require_role(actor, Role.MANAGEMENT_OFFICER)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": [_("The file is not UTF-8 text.")]}) from None
    reader = csv.DictReader(io.StringIO(text))
    expected = {"card_number", "direction", "date"}
    if not reader.fieldnames or not expected <= {f.strip() for f in reader.fieldnames}:
        raise ValidationError(
            {"file": [_("The first line must name the columns card_number, direction, date and port.")]}
        )
    rows, result = [], ImportResult()
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        card = _current_card_for(row.get("card_number", ""), actor=actor)
        try:
            on = dt.date.fromisoformat(row.get("date", ""))
        except ValueError:
            on = None
        if card is None:
            result.errors.append((line, _("No card has this number.")))
        elif row.get("direction") not in PresenceRecord.Direction.values:
            result.errors.append((line, _("The direction is entry or exit.")))
        elif on is None or on > timezone.localdate():
            result.errors.append((line, _("The date is not a past date in the form YYYY-MM-DD.")))
        else:
            rows.append((card, row["direction"], on, row.get("port", "")))
        if len(rows) + len(result.errors) > 100_000:
            result.errors.append((line, _("The file has too many lines; split it.")))
            break
    if result.errors:
        return result
    profiles = set()
    with transaction.atomic():
        for card, direction, on, port in rows:
            _record, created = presence_record_add(
                actor=actor,
                card=card,
                direction=direction,
                on=on,
                port=port,
                source=PresenceRecord.Source.IMPORT,
            )
            result.created += created
            result.duplicates += not created
            profiles.add(card.profile_id)
        audit_record(
            actor=actor,
            action="cards.presence_import",
            after={"created": result.created, "duplicates": result.duplicates},
        )
        for profile_id in profiles:
            _review_later(profile_id)
    return result


def residence_standings(*, profile, today: dt.date | None = None) -> list:
    """The holder's standing in each year of their current card, most recent first."""
    today = today or timezone.localdate()
    card = (
        Card.objects.filter(profile=profile, status__in=[Card.Status.ISSUED, Card.Status.EXPIRED])
        .order_by("-issued_on", "-id")
        .first()
    )
    if card is None:
        return []
    first = (
        Card.objects.filter(profile=profile)
        .order_by("issued_on", "id")
        .values_list("issued_on", flat=True)[0]
    )
    min_days = residence_min_days(on=today)
    crossings = list(PresenceRecord.objects.filter(profile=profile).values_list("on", "direction"))
    counted = days_in_china_by_year(crossings, start=first, end=today)
    return [
        standing(
            year=year,
            days_in_china=days,
            min_days=min_days,
            counted_from=first,
            today=today,
            warning_margin=settings.CARDS_RESIDENCE_WARNING_MARGIN_DAYS,
        )
        for year, days in sorted(counted.items(), reverse=True)
    ]


@transaction.atomic
def residence_review(*, profile_id: int, today: dt.date | None = None) -> list[ResidenceAlert]:
    """Warn the holder near the margin; when the rule is broken, open a revocation case for a
    management officer to look at (the card stays valid until an approver decides)."""
    today = today or timezone.localdate()
    profile = ApplicantProfile.objects.select_for_update().select_related("owner").get(pk=profile_id)
    card = (
        Card.objects.filter(profile=profile, status=Card.Status.ISSUED).order_by("-issued_on", "-id").first()
    )
    if card is None:
        return []
    raised = []
    margin = settings.CARDS_RESIDENCE_WARNING_MARGIN_DAYS
    for year_standing in residence_standings(profile=profile, today=today):
        kind = None
        if year_standing.broken:
            kind = ResidenceAlert.Kind.BREACH
        elif year_standing.warn(margin):
            kind = ResidenceAlert.Kind.WARNING
        if (
            kind is None
            or ResidenceAlert.objects.filter(profile=profile, year=year_standing.year, kind=kind).exists()
        ):
            continue
        alert = ResidenceAlert(
            profile=profile,
            card=card,
            year=year_standing.year,
            kind=kind,
            days_in_china=year_standing.days_in_china,
            days_abroad_left=year_standing.days_abroad_left,
        )
        if kind == ResidenceAlert.Kind.BREACH:
            open_case = RevocationCase.objects.filter(card=card, state=RevocationCase.State.OPEN).first()
            alert.revocation = open_case or revocation_open(
                actor=None,
                card=card,
                ground=RevocationCase.Ground.INSUFFICIENT_RESIDENCE,
                evidence=(
                    f"Residence tracking: {year_standing.days_in_china} days in China in {year_standing.year}; "
                    f"the rule asks for {year_standing.min_days}.\n"
                    f"居住跟踪：{year_standing.year}年在华{year_standing.days_in_china}天，"
                    f"规定不少于{year_standing.min_days}天。"
                ),
            )
        alert.save()
        audit_record(actor=None, action=f"cards.residence_{kind}", obj=alert, after={"year": alert.year})
        raised.append(alert)
        if kind == ResidenceAlert.Kind.WARNING:
            left = year_standing.days_abroad_left
            year = year_standing.year
            publish_after_commit(
                send_email_task,
                to=[profile.owner.email],
                subject="居住天数提醒 / Your days abroad this year",
                body=(
                    f"You can spend {left} more days outside China in {year} and keep your permanent residence.\n"
                    f"{year}年你在境外还可停留{left}天，超过将不符合永久居留的居住要求。"
                ),
            )
    return raised


def revocation_open_for_case(
    *, actor, application_id: int, ground: str, evidence: str
) -> RevocationCase | None:
    """Open a revocation of the holder's current card (issued or expired) of one case, or None when
    there is none: daily management's finding becomes a revocation (R21 -> R22), registered with
    verification (verification.extensions) so that verification never imports cards."""
    card = (
        Card.objects.filter(
            application_id=application_id, status__in=[Card.Status.ISSUED, Card.Status.EXPIRED]
        )
        .order_by("-id")
        .first()
    )
    if card is None:
        return None
    return revocation_open(actor=actor, card=card, ground=ground, evidence=evidence)

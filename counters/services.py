"""Every write of the service windows: walk-in filings and their claim, in-person intake, card handover.

Each function is atomic, checks who may act, and writes the audit row (naming the window and the
staff member) in the same transaction; e-mail goes through the outbox after commit. The case itself
is written by the applications services, as if the applicant filed online: the window's staff act
for the walk-in's placeholder owner (`applications.services.acts_for`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications import services as application_services
from applications.models import Application, Notification, Stage
from privacy import services as privacy_services
from privacy.models import Consent, Purpose
from residence.accounts.models import Office, Role, User
from residence.audit.services import audit_record
from residence.core.tasks import publish_after_commit, publish_many_after_commit, send_email_task

from . import selectors
from .models import CardCollection, IntakeRecord, WalkIn

# No 0/O or 1/I/L: the code is read off an e-mail and typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # about 59 bits: with the attempt limit below, guessing is hopeless
CLAIM_ATTEMPTS = 5
CLAIM_ATTEMPT_WINDOW = 15 * 60


def _window_state(actor) -> dict:
    office = actor.office
    return {"window": office.code if office else None, "staff": actor.email}


def _require_counter_staff(actor) -> Office:
    if not selectors.is_counter_staff(actor):
        raise PermissionDenied(_("Only the staff of a service window may do this."))
    return actor.office


# --- claim codes ------------------------------------------------------------------------------------
def _code_hash(code: str) -> str:
    """Keyed, so the table alone does not let anyone test codes; deterministic, so a code finds its row."""
    normalised = (code or "").replace(" ", "").replace("-", "").upper()
    return hmac.new(
        settings.SECRET_KEY.encode(), f"walk-in:{normalised}".encode(), hashlib.sha256
    ).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _formatted(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _send_code(walk_in: WalkIn, code: str) -> None:
    window = walk_in.window
    claim_url = settings.SITE_URL.rstrip("/") + reverse("counters:claim")
    subject = _("Your application %(reference)s: take it over in your account") % {
        "reference": walk_in.application.reference
    }
    body = _(
        "The service window %(window)s filed application %(reference)s for you.\n\n"
        "To see and follow it in your own account, sign in (or register) and enter this one-time code at "
        "%(url)s:\n\n    %(code)s\n\nThe code can be used once and expires on %(expires)s. "
        "If you did not visit a service window, ignore this message."
    ) % {
        "window": window.name,
        "reference": walk_in.application.reference,
        "url": claim_url,
        "code": _formatted(code),
        "expires": timezone.localtime(walk_in.code_expires_at).strftime("%Y-%m-%d"),
    }
    publish_after_commit(send_email_task, to=[walk_in.profile.email], subject=subject, body=body)


def _code_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.COUNTER_CLAIM_CODE_DAYS)


# --- walk-in filing ---------------------------------------------------------------------------------
@transaction.atomic
def walk_in_open(*, actor, channel: str, consent: bool, **profile_fields) -> WalkIn:
    """A walk-in's profile (found again or new) and draft, their consent, and a claim code by e-mail."""
    window = _require_counter_staff(actor)
    if not consent:
        raise ValidationError(
            {"consent": [_("The applicant must agree to the window filing for them; record their consent.")]}
        )
    profile = selectors.walk_in_profile_find(
        user=actor,
        passport_number=profile_fields.get("passport_number", ""),
        nationality=profile_fields.get("nationality", ""),
    )
    if profile is not None:
        holder = profile.owner
        walk_in = WalkIn.objects.select_for_update().get(holder=holder)
        if walk_in.application and walk_in.application.status not in application_services.EDITABLE_STATUSES:
            raise ValidationError(
                {"passport_number": [_("This window already filed an application for this passport.")]}
            )
        return walk_in
    # The placeholder owner: no password, inactive, an address that cannot receive mail (RFC 2606).
    holder = User.objects.create_user(
        email=f"walk-in-{uuid.uuid4().hex}@counter.invalid",
        full_name=" ".join(
            part
            for part in (profile_fields.get("family_name", ""), profile_fields.get("given_names", ""))
            if part
        )[:200],
        is_active=False,
    )
    holder.set_unusable_password()
    holder.save(update_fields=["password"])
    code = _new_code()
    walk_in = WalkIn.objects.create(
        window=window, staff=actor, holder=holder, code_hash=_code_hash(code), code_expires_at=_code_expiry()
    )
    profile = application_services.profile_create(actor=actor, owner=holder, **profile_fields)
    application = application_services.application_create(actor=actor, profile=profile, channel=channel)
    walk_in.profile, walk_in.application = profile, application
    walk_in.save(update_fields=["profile", "application"])
    privacy_services.consent_record(
        person=holder, purpose=Purpose.COUNTER, given_by=actor, application=application, grantee=actor
    )
    audit_record(
        actor=actor,
        action="counters.walk_in_open",
        obj=walk_in,
        after={
            **_window_state(actor),
            "application": application.pk,
            "profile": profile.pk,
            "code_expires_at": walk_in.code_expires_at.isoformat(),
        },
    )
    _send_code(walk_in, code)
    return walk_in


@transaction.atomic
def walk_in_code_reissue(*, actor, walk_in: WalkIn) -> WalkIn:
    """A new code (the old one stops working), e.g. when the first e-mail was lost or expired."""
    _require_counter_staff(actor)
    walk_in = (
        WalkIn.objects.select_for_update(of=("self",))
        .select_related("profile", "application", "window")
        .get(pk=walk_in.pk)
    )
    if walk_in.window_id != actor.office_id or walk_in.claimed_at is not None:
        from django.http import Http404

        raise Http404
    code = _new_code()
    walk_in.code_hash, walk_in.code_expires_at = _code_hash(code), _code_expiry()
    walk_in.save(update_fields=["code_hash", "code_expires_at"])
    audit_record(
        actor=actor,
        action="counters.walk_in_code_reissue",
        obj=walk_in,
        after={**_window_state(actor), "code_expires_at": walk_in.code_expires_at.isoformat()},
    )
    _send_code(walk_in, code)
    return walk_in


def _attempts_key(actor) -> str:
    return f"counters:claim-attempts:{actor.pk}"


def _refuse_claim(actor, message: str) -> ValidationError:
    # Counted in the cache, not the database: a refused claim writes nothing.
    key = _attempts_key(actor)
    cache.add(key, 0, CLAIM_ATTEMPT_WINDOW)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, CLAIM_ATTEMPT_WINDOW)
    return ValidationError({"code": [message]})


def walk_in_claim(*, actor, code: str) -> WalkIn:
    """The person enters their code: the profile and case become theirs, as if filed online."""
    if not actor.is_authenticated or not actor.has_role(Role.APPLICANT):
        raise PermissionDenied(_("Sign in with an applicant account to take over an application."))
    if (cache.get(_attempts_key(actor)) or 0) >= CLAIM_ATTEMPTS:
        raise ValidationError({"code": [_("Too many wrong codes. Wait 15 minutes, then try again.")]})
    with transaction.atomic():
        walk_in = (
            WalkIn.objects.select_for_update(of=("self",))
            .select_related("profile", "application", "window")
            .filter(code_hash=_code_hash(code))
            .first()
        )
        # One answer for an unknown code and another's used one: nothing tells which codes exist.
        if walk_in is None or walk_in.claimed_at is not None:
            raise _refuse_claim(
                actor, _("This code is not valid or has already been used. Check it and try again.")
            )
        if walk_in.code_expires_at <= timezone.now():
            raise _refuse_claim(actor, _("This code has expired. Ask the service window for a new one."))
        holder_id = walk_in.holder_id
        now = timezone.now()
        profile = walk_in.profile
        type(profile).objects.filter(pk=profile.pk).update(owner=actor)
        moved_consents = Consent.objects.filter(person_id=holder_id).update(person=actor)
        Notification.objects.filter(recipient_id=holder_id).update(recipient=actor)
        walk_in.claimed_by, walk_in.claimed_at = actor, now
        walk_in.save(update_fields=["claimed_by", "claimed_at"])
        audit_record(
            actor=actor,
            action="counters.walk_in_claim",
            obj=walk_in,
            after={
                "window": walk_in.window.code,
                "staff": walk_in.staff_id,
                "application": walk_in.application_id,
                "profile": profile.pk,
                "consents_moved": moved_consents,
            },
        )
    cache.delete(_attempts_key(actor))
    return walk_in


# --- in-person intake -------------------------------------------------------------------------------
@transaction.atomic
def intake_record(
    *, actor, application: Application, passport_checked: bool, photo_taken: bool, fingerprints_taken: bool
) -> IntakeRecord:
    """The in-person checks are done: who did them, where and when (no biometric data is kept)."""
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if not selectors.may_record_intake(actor, application):
        from django.http import Http404

        raise Http404
    if application.stage != Stage.INTAKE:
        raise ValidationError(
            {"non_field_errors": [_("The in-person intake is recorded while the case is at intake.")]}
        )
    missing = [
        label
        for done, label in (
            (passport_checked, _("identity checked against the passport original")),
            (photo_taken, _("photo taken")),
            (fingerprints_taken, _("fingerprints taken")),
        )
        if not done
    ]
    if missing:
        raise ValidationError(
            {
                "non_field_errors": [
                    _("Record all three checks; not done: %(checks)s.") % {"checks": ", ".join(missing)}
                ]
            }
        )
    if IntakeRecord.objects.filter(application=application).exists():
        raise ValidationError(
            {"non_field_errors": [_("The in-person intake of this case is already recorded.")]}
        )
    if actor.office is None:
        raise PermissionDenied(_("Your account is not attached to an office or window."))
    record = IntakeRecord.objects.create(
        application=application,
        passport_checked=True,
        photo_taken=True,
        fingerprints_taken=True,
        place=actor.office,
        operator=actor,
    )
    audit_record(
        actor=actor,
        action="counters.intake_record",
        obj=application,
        after={**_window_state(actor), "recorded_at": record.recorded_at.isoformat()},
    )
    return record


def intake_require(application: Application) -> None:
    """For application_accept: refuse to leave intake before the in-person checks, unless waived."""
    if selectors.intake_waived(application):
        return
    if not IntakeRecord.objects.filter(application_id=application.pk).exists():
        raise ValidationError(
            {
                "intake": [
                    _(
                        "Record the in-person intake first: identity checked against the passport original, "
                        "photo and fingerprints taken."
                    )
                ]
            }
        )


# --- card collection --------------------------------------------------------------------------------
def _collection_place(card) -> Office | None:
    walk_in = WalkIn.objects.filter(application_id=card.application_id).select_related("window").first()
    if walk_in is not None:
        return walk_in.window
    return card.application.office if card.application_id else None


@transaction.atomic
def collection_open(*, card) -> CardCollection | None:
    """A new card waits at the window that filed it, else at the office that handled the case."""
    place = _collection_place(card)
    if place is None:
        return None
    collection, created = CardCollection.objects.get_or_create(card=card, defaults={"place": place})
    if created:
        audit_record(
            actor=None,
            action="counters.collection_open",
            obj=collection,
            after={"place": place.code, "card": card.pk},
        )
    return collection


@transaction.atomic
def collection_record(
    *,
    actor,
    collection: CardCollection,
    collector: str,
    id_checked: bool,
    authorised_name: str = "",
    authorised_id_number: str = "",
    letter_reference: str = "",
) -> CardCollection:
    """The card is handed over, to its holder or to a person they authorised by letter, ID checked."""
    collection = (
        CardCollection.objects.select_for_update(of=("self",))
        .select_related("card", "card__application", "place")
        .get(pk=collection.pk)
    )
    if not selectors.may_hand_over(actor, collection):
        from django.http import Http404

        raise Http404
    if collection.collected_at is not None:
        raise ValidationError({"non_field_errors": [_("This card was already collected.")]})
    if collection.card.status != "issued":
        raise ValidationError({"non_field_errors": [_("Only a valid card can be handed over.")]})
    errors: dict[str, list[str]] = {}
    if collector not in CardCollection.Collector.values:
        errors["collector"] = [_("Say who collects the card.")]
    if not id_checked:
        errors["id_checked"] = [_("Check the collector's identity document before handing the card over.")]
    fields = {
        "authorised_name": (authorised_name or "").strip(),
        "authorised_id_number": (authorised_id_number or "").strip(),
        "letter_reference": (letter_reference or "").strip(),
    }
    if collector == CardCollection.Collector.AUTHORISED:
        for name, value in fields.items():
            if not value:
                errors[name] = [_("Required when an authorised person collects the card.")]
    else:
        fields = dict.fromkeys(fields, "")
    if errors:
        raise ValidationError(errors)
    collection.collected_at = timezone.now()
    collection.handed_over_by = actor
    collection.collector = collector
    collection.id_checked = True
    for name, value in fields.items():
        setattr(collection, name, value)
    collection.save(update_fields=["collected_at", "handed_over_by", "collector", "id_checked", *fields])
    audit_record(
        actor=actor,
        action="counters.collection_record",
        obj=collection,
        after={
            **_window_state(actor),
            "card": collection.card_id,
            "collector": collector,
            "letter_reference": fields["letter_reference"],
        },
    )
    return collection


@transaction.atomic
def collections_flag_uncollected(*, now: dt.datetime | None = None) -> int:
    """Beat: flag the cards waiting longer than the policy's period and tell their holders."""
    now = now or timezone.now()
    flagged, mails = 0, []
    candidates = (
        selectors.collections_overdue(now=now, days=0)
        .select_for_update(of=("self",), skip_locked=True)
        .select_related("card", "card__policy_version", "card__profile", "place")
    )
    for collection in candidates:
        days = selectors.counter_rules(collection.card.policy_version).collection_days
        if collection.awaiting_since > now - dt.timedelta(days=days):
            continue
        collection.flagged_uncollected_at = now
        collection.save(update_fields=["flagged_uncollected_at"])
        audit_record(
            actor=None,
            action="counters.collection_flag_uncollected",
            obj=collection,
            after={"place": collection.place.code, "days": days},
        )
        profile = collection.card.profile
        language = getattr(profile.owner, "preferred_language", "en")
        with translation.override(language):
            mails.append(
                {
                    "to": [profile.email],
                    "subject": _("Your permanent residence card is waiting for you"),
                    "body": _(
                        "Your card %(number)s has been waiting for collection at %(place)s since %(since)s. "
                        "Please collect it (bring your passport), or send a person you authorise by letter. "
                        "Address: %(address)s; phone: %(phone)s."
                    )
                    % {
                        "number": collection.card.number,
                        "place": collection.place.name,
                        "since": timezone.localtime(collection.awaiting_since).strftime("%Y-%m-%d"),
                        "address": collection.place.address or "-",
                        "phone": collection.place.phone or "-",
                    },
                }
            )
        flagged += 1
    publish_many_after_commit(send_email_task, mails)
    return flagged

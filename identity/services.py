"""Every write of the identity app: the index row of a profile, matches at a new profile and at
submission (a ban that follows the person, a "possible duplicate" flag), and the officer's decision."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residence.accounts.models import is_officer
from residence.audit.services import audit_record

from . import matching, selectors
from .models import IdentityDecision, IdentityKey, IdentityMatch


def identity_key_refresh(*, profile) -> IdentityKey:
    """Write the profile's index row (derived data: not audited, rewritten whenever the profile is)."""
    values = {
        "name_key": matching.name_key(profile.family_name, profile.given_names),
        "birth_date": profile.birth_date,
        "sex": profile.sex or "",
        "nationality": profile.nationality or "",
    }
    key, created = IdentityKey.objects.get_or_create(
        profile=profile, defaults={**values, "person": profile.pk}
    )
    if not created:
        for name, value in values.items():
            setattr(key, name, value)
        key.save(update_fields=[*values, "updated_at"])
    return key


def _match_fields(candidate: selectors.Candidate) -> dict:
    return {
        "level": candidate.match.level,
        "score": candidate.match.score,
        "name_score": candidate.match.name_score,
        "birth_date_match": candidate.match.dob,
    }


@transaction.atomic
def identity_resolve_profile(*, profile) -> list[IdentityMatch]:
    """At every new or changed profile: index it and record whom it may be (no case yet, nobody asked)."""
    identity_key_refresh(profile=profile)
    if not profile.birth_date:
        return []
    found = selectors.candidates_for(person=selectors.person_of(profile), exclude_profile_id=profile.pk)
    decided = selectors.decisions_for(profile_id=profile.pk, candidate_ids=[c.key.profile_id for c in found])
    IdentityMatch.objects.filter(profile=profile, application__isnull=True).delete()
    return IdentityMatch.objects.bulk_create(
        [
            IdentityMatch(
                profile=profile,
                candidate_id=c.key.profile_id,
                decision=decided.get(c.key.profile_id),
                **_match_fields(c),
            )
            for c in found
        ]
    )


def _ban_message(ban) -> str:
    return _("You may not apply before %(until)s. Ground: %(ground)s.") % {
        "until": ban.until.isoformat(),
        "ground": ban.get_ground_display(),
    }


@transaction.atomic
def identity_check_at_submission(*, actor, application) -> list[IdentityMatch]:
    """Inside the submission's transaction: refuse it when the person has an active ban under another
    passport (a strong match, or a profile an officer linked); flag possible duplicates for intake."""
    profile = application.applicant
    key = identity_key_refresh(profile=profile)
    today = timezone.localdate()
    found = selectors.candidates_for(person=selectors.person_of(profile), exclude_profile_id=profile.pk)
    decided = selectors.decisions_for(profile_id=profile.pk, candidate_ids=[c.key.profile_id for c in found])
    # Never asked twice: a pair already decided "different" is no match; "same" is a link.
    undecided = [c for c in found if c.key.profile_id not in decided]
    strong_people = {c.key.person for c in undecided if c.match.level == matching.STRONG}
    people = {key.person} | strong_people
    ban = selectors.active_ban_of_profiles(profile_ids=selectors.profile_ids_of_people(people), on=today)
    if ban is not None:
        raise ValidationError({"non_field_errors": [_ban_message(ban)]})
    flags = IdentityMatch.objects.bulk_create(
        [
            IdentityMatch(
                profile=profile, candidate_id=c.key.profile_id, application=application, **_match_fields(c)
            )
            for c in undecided
            if c.key.person != key.person
        ]
    )
    if flags:
        audit_record(
            actor=actor,
            action="identity.possible_duplicate",
            obj=application,
            after={"candidates": [f.candidate_id for f in flags], "levels": [f.level for f in flags]},
        )
    return flags


def identity_require_decided(*, application) -> None:
    """Intake accepts a case only once each of its possible duplicates has been decided."""
    if selectors.pending_flags_for_application(application=application).exists():
        raise ValidationError(
            {"non_field_errors": [_("Decide the possible duplicate first: is it the same person or not?")]}
        )


def _require_intake_officer(actor, application) -> None:
    from applications.access import officer_may_act
    from applications.models import Stage
    from residence.accounts.jurisdiction import require_covers

    if not is_officer(actor):
        raise PermissionDenied(_("Only officers may do this."))
    require_covers(actor, province=application.province, city_code=application.city_code)
    if application.stage != Stage.INTAKE:
        raise ValidationError(
            _("This case is no longer at intake: the duplicate can no longer be decided here.")
        )
    if not officer_may_act(actor, application, Stage.INTAKE):
        raise PermissionDenied(
            _("Only an intake officer of this case's office may decide a possible duplicate.")
        )


def _merge_people(first_id: int, second_id: int) -> int:
    """Link two profiles as one person: every profile of either person takes the lower person id."""
    keys = {
        k.profile_id: k
        for k in IdentityKey.objects.select_for_update().filter(profile_id__in=[first_id, second_id])
    }
    people = {k.person for k in keys.values()} | {pid for pid in (first_id, second_id) if pid not in keys}
    person = min(people)
    IdentityKey.objects.filter(person__in=people).exclude(person=person).update(person=person)
    return person


@transaction.atomic
def identity_decide(*, actor, flag: IdentityMatch, verdict: str, reason: str) -> IdentityDecision:
    """The intake officer says whether a flagged pair is one person. Same: the records are linked and
    a ban on either applies (the case goes back to the applicant with it). Different: with a reason.
    Asked once per pair: every flag of the pair, in any case, carries the decision."""
    from applications.models import Application
    from applications.services import application_return

    if verdict not in IdentityDecision.Verdict.values:
        raise ValidationError({"verdict": [_("Choose “same person” or “different people”.")]})
    reason = (reason or "").strip()
    if verdict == IdentityDecision.Verdict.DIFFERENT and not reason:
        raise ValidationError({"reason": [_("Say why these are different people.")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("Keep the reason under 2,000 characters.")]})
    application = Application.objects.select_for_update().get(pk=flag.application_id)
    _require_intake_officer(actor, application)
    flag = IdentityMatch.objects.select_for_update().get(pk=flag.pk)
    first, second = selectors.pair(flag.profile_id, flag.candidate_id)
    if (
        flag.decision_id is not None
        or IdentityDecision.objects.filter(first_id=first, second_id=second).exists()
    ):
        raise ValidationError(_("This pair has already been decided."))
    decision = IdentityDecision.objects.create(
        first_id=first,
        second_id=second,
        verdict=verdict,
        reason=reason,
        application=application,
        decided_by=actor,
    )
    IdentityMatch.objects.filter(
        profile_id__in=[first, second], candidate_id__in=[first, second], decision__isnull=True
    ).update(decision=decision)
    after = {"first": first, "second": second, "verdict": verdict, "application": application.pk}
    ban = None
    if verdict == IdentityDecision.Verdict.SAME:
        person = _merge_people(first, second)
        after["person"] = person
        ban = selectors.active_ban_of_profiles(
            profile_ids=selectors.profile_ids_of_people({person}), on=timezone.localdate()
        )
        if ban is not None:
            after["ban"] = ban.pk
    audit_record(actor=actor, action="identity.decide", obj=decision, after=after, reason=reason)
    if ban is not None:
        # The ban applies: the case cannot go on, and submitting it again is refused while it lasts.
        application_return(
            actor=actor,
            application=application,
            reason=_("The same person is banned from applying. %(ban)s") % {"ban": _ban_message(ban)},
        )
    return decision

"""Identity at submission and the intake officer's decision: block, flag, decide, never ask twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from applications import services as application_services
from applications.models import Application, Status
from identity import services
from identity.models import IdentityDecision, IdentityKey, IdentityMatch
from residence.audit.models import AuditEntry
from tests.applications.factories import ProfileFactory, complete_draft, intake_done, submitted

pytestmark = pytest.mark.django_db


def new_passport(**fields):
    values = {
        "family_name": "Ivanoff",
        "given_names": "Alexander",
        "sex": "M",
        "nationality": "RUS",
        "birth_date": dt.date(1980, 3, 4),
        "passport_number": "RU2222222",
    }
    return ProfileFactory(**{**values, **fields})


def submit(application):
    return application_services.application_submit(
        actor=application.applicant.owner, application=application, declaration=True
    )


def test_a_strong_match_with_an_active_ban_refuses_submission_under_a_new_passport(banned):
    _, ban = banned
    draft = complete_draft(new_passport())
    with pytest.raises(ValidationError) as refused:
        submit(draft)
    message = " ".join(refused.value.messages)
    assert ban.until.isoformat() in message and "Fraud" in message
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.submitted_at is None
    assert not IdentityMatch.objects.filter(application=draft).exists()


def test_the_day_and_month_swapped_and_the_names_in_the_other_order_still_meet_the_ban(banned):
    draft = complete_draft(
        new_passport(family_name="Alexandr", given_names="Ivanov", birth_date=dt.date(1980, 4, 3))
    )
    with pytest.raises(ValidationError):
        submit(draft)
    assert Application.objects.get(pk=draft.pk).status == Status.DRAFT


def test_an_expired_ban_does_not_block(banned):
    _, ban = banned
    ban.until = dt.date(2000, 1, 1)
    ban.save(update_fields=["until"])
    application = submitted(new_passport())
    assert application.status == Status.SUBMITTED


def test_a_possible_match_flags_the_case_and_intake_cannot_accept_it_before_deciding(banned, ivan):
    # Another nationality's passport: strong name and date, but an officer decides.
    application = submitted(new_passport(nationality="KAZ"))
    flag = IdentityMatch.objects.get(application=application)
    assert flag.candidate == banned[0] and flag.level == IdentityMatch.Level.POSSIBLE
    assert AuditEntry.objects.filter(
        action="identity.possible_duplicate", object_id=str(application.pk)
    ).exists()
    with pytest.raises(ValidationError):
        intake_done(application, ivan)
        application_services.application_accept(actor=ivan, application=application)
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_same_person_links_the_records_and_the_ban_applies(banned, ivan):
    old, ban = banned
    application = submitted(new_passport(nationality="KAZ"))
    flag = IdentityMatch.objects.get(application=application)
    decision = services.identity_decide(actor=ivan, flag=flag, verdict="same", reason="")
    assert decision.verdict == IdentityDecision.Verdict.SAME
    application.refresh_from_db()
    assert application.status == Status.RETURNED
    keys = IdentityKey.objects.filter(profile__in=[old, application.applicant])
    assert len({k.person for k in keys}) == 1
    assert AuditEntry.objects.filter(action="identity.decide").count() == 1
    # Submitting again is refused by the link, whatever the matcher says.
    with pytest.raises(ValidationError) as refused:
        submit(application)
    assert ban.until.isoformat() in " ".join(refused.value.messages)


def test_different_people_needs_a_reason_and_the_pair_is_never_asked_again(office_tree, ivan):
    first = submitted(
        ProfileFactory(
            family_name="Wang", given_names="Wei", sex="M", nationality="SGP", birth_date=dt.date(1985, 4, 2)
        )
    )
    second_profile = ProfileFactory(
        family_name="Wang", given_names="Wen", sex="M", nationality="SGP", birth_date=dt.date(1985, 4, 2)
    )
    second = submitted(second_profile)
    flag = IdentityMatch.objects.get(application=second)
    assert flag.candidate_id == first.applicant_id
    with pytest.raises(ValidationError):
        services.identity_decide(actor=ivan, flag=flag, verdict="different", reason="  ")
    with pytest.raises(ValidationError):
        services.identity_decide(actor=ivan, flag=flag, verdict="maybe", reason="x")
    assert not IdentityDecision.objects.exists()

    services.identity_decide(actor=ivan, flag=flag, verdict="different", reason="Different fathers' names")
    with pytest.raises(ValidationError):
        services.identity_decide(actor=ivan, flag=flag, verdict="same", reason="")
    assert IdentityDecision.objects.count() == 1
    # A later case of the same person meets the same candidate: not flagged again.
    application_services.application_withdraw(actor=second_profile.owner, application=second)
    again = submitted(second_profile)
    assert not IdentityMatch.objects.filter(application=again).exists()
    intake_done(again, ivan)
    application_services.application_accept(actor=ivan, application=again)


def test_an_officer_of_another_area_cannot_decide_and_nothing_changes(banned, sam):
    application = submitted(new_passport(nationality="KAZ"))
    flag = IdentityMatch.objects.get(application=application)
    with pytest.raises(PermissionDenied):
        services.identity_decide(actor=sam, flag=flag, verdict="same", reason="")
    assert not IdentityDecision.objects.exists()
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_a_decision_after_intake_is_refused(banned, ivan, office_tree):
    application = submitted(new_passport(nationality="KAZ"))
    flag = IdentityMatch.objects.get(application=application)
    application_services.application_withdraw(actor=application.applicant.owner, application=application)
    with pytest.raises(ValidationError):
        services.identity_decide(actor=ivan, flag=flag, verdict="same", reason="")
    assert not IdentityDecision.objects.exists()


def test_every_new_or_changed_profile_is_indexed_and_resolved(banned):
    old, _ = banned
    profile = application_services.profile_create(
        actor=ProfileFactory().owner,
        family_name="Ivanoff",
        given_names="Alexander",
        sex="M",
        nationality="RUS",
        birth_date=dt.date(1980, 3, 4),
        passport_number="RU3333333",
        passport_expiry=timezone.localdate() + dt.timedelta(days=900),
        email="a@example.org",
        address="1 Road",
        province="CN-GD",
        city_code="440100",
    )
    key = IdentityKey.objects.get(profile=profile)
    assert (key.name_key, key.birth_date, key.person) == (
        "aleksander ivanov",
        dt.date(1980, 3, 4),
        profile.pk,
    )
    match = IdentityMatch.objects.get(profile=profile, application__isnull=True)
    assert match.candidate == old and match.level == IdentityMatch.Level.STRONG
    application_services.profile_update(actor=profile.owner, profile=profile, family_name="Petrov")
    assert not IdentityMatch.objects.filter(profile=profile, application__isnull=True).exists()

"""The functions the applications app calls: policy in force, channel rules, registry, assessment, bans."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from eligibility.models import Ban, PolicyVersion
from eligibility.selectors import active_ban, channel_rules, policy_version_in_force, talent_program_status
from eligibility.services import ban_create, eligibility_assess
from residence.audit.models import AuditEntry
from tests.eligibility.factories import BanFactory, TalentProgramFactory, policy_admin

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)


def investor(**changes):
    facts = {
        "amount_usd": "500000",
        "method": "direct",
        "first_investment_date": "2020-01-01",
        "enterprise_address_code": "510100",  # Chengdu: western region
        "industry_code": "C3011",  # cement: not encouraged
        "tax_record_good": True,
    }
    return facts | changes


def test_the_default_policy_is_installed_and_in_force():
    version = policy_version_in_force(on=TODAY)
    assert version.label == "2016.1-default"
    assert version.status == PolicyVersion.Status.PUBLISHED
    assert version.effective_from == date(2016, 2, 18)


def test_no_policy_is_in_force_before_the_first_one():
    with pytest.raises(PolicyVersion.DoesNotExist):
        policy_version_in_force(on=date(2000, 1, 1))


def test_compiled_policy_is_cached_per_version():
    version = policy_version_in_force(on=TODAY)
    assert version.compiled() is PolicyVersion.objects.get(pk=version.pk).compiled()


def test_channel_rules_give_the_shorter_green_channel_list_and_deadlines():
    version = policy_version_in_force(on=TODAY)
    standard = channel_rules(policy_version=version, channel="talent", green_channel=False)
    green = channel_rules(policy_version=version, channel="talent", green_channel=True)
    assert len(green.required_documents) < len(standard.required_documents)
    assert green.required_documents[0].code == "passport"
    assert green.required_documents[0].name_zh == "护照"
    assert set(standard.stage_deadline_days) == {"intake", "verification", "review", "approval"}
    assert green.stage_deadline_days["review"] < standard.stage_deadline_days["review"]
    assert standard.office_levels == {"intake": "municipal", "review": "provincial", "approval": "national"}


def test_assessment_snapshot_is_json_safe_and_names_the_version():
    assessment = eligibility_assess(channel="investment", facts=investor(), as_of=TODAY)
    assert assessment.result.outcome == "eligible"
    snapshot = json.loads(json.dumps(assessment.snapshot))
    assert snapshot["policy_version_id"] == assessment.policy_version.pk
    assert snapshot["policy_version_label"] == "2016.1-default"
    assert snapshot["criteria"]


def test_usd_499999_in_the_west_is_not_enough():
    assessment = eligibility_assess(channel="investment", facts=investor(amount_usd="499999"), as_of=TODAY)
    assert assessment.result.outcome == "not_eligible"
    assert assessment.result.what_if


def test_a_registered_program_opens_the_green_channel():
    TalentProgramFactory(code="nkp-2015")
    assessment = eligibility_assess(channel="talent", facts={"talent_program_code": "nkp-2015"}, as_of=TODAY)
    assert assessment.result.outcome == "eligible"
    assert assessment.result.green_channel
    assert assessment.snapshot["talent_program"]["registered"] is True


def test_the_applicant_cannot_claim_registration_themselves():
    assessment = eligibility_assess(
        channel="talent",
        facts={"talent_program_code": "made-up", "talent_program_registered": True},
        as_of=TODAY,
    )
    assert not assessment.result.green_channel
    assert "not a registered" in assessment.snapshot["talent_program"]["reason"]["en"]


def test_an_expired_program_does_not_count_and_says_why():
    TalentProgramFactory(code="old", valid_from=date(2010, 1, 1), valid_to=date(2020, 1, 1))
    status = talent_program_status(code="old", on=TODAY)
    assert not status.registered
    assert "expired on 2020-01-01" in status.reason["en"]
    assert "到期" in status.reason["zh"]


def test_a_retired_program_does_not_count():
    TalentProgramFactory(code="gone", status="retired")
    assert not talent_program_status(code="gone", on=TODAY).registered


def test_a_program_not_yet_valid_does_not_count():
    TalentProgramFactory(code="future", valid_from=date(2026, 1, 1))
    status = talent_program_status(code="future", on=TODAY)
    assert not status.registered
    assert "only from 2026-01-01" in status.reason["en"]


def test_badly_typed_facts_are_a_validation_error_not_a_crash():
    with pytest.raises(ValidationError) as error:
        eligibility_assess(channel="investment", facts=investor(amount_usd="lots"), as_of=TODAY)
    assert "amount_usd" in error.value.message_dict


def test_an_unknown_channel_is_a_validation_error():
    with pytest.raises(ValidationError):
        eligibility_assess(channel="lottery", facts={}, as_of=TODAY)


def test_a_published_document_cannot_be_changed_or_deleted():
    version = policy_version_in_force(on=TODAY)
    version.document = {**version.document, "family_quota": {"annual": 1}}
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        PolicyVersion.objects.get(pk=version.pk).delete()
    assert PolicyVersion.objects.get(pk=version.pk).document["family_quota"] == {"annual": 5000}


# --- bans ------------------------------------------------------------------------------------------


def test_a_banned_person_is_matched_by_passport_nationality_and_birth_date():
    ban = BanFactory(
        passport_number="E1234567", nationality="USA", birth_date=date(1980, 5, 1), until=date(2030, 1, 1)
    )
    assert (
        active_ban(passport_number=" e1234567 ", nationality="usa", birth_date=date(1980, 5, 1), on=TODAY)
        == ban
    )


def test_a_ban_ends_on_its_date():
    BanFactory(passport_number="E1", until=date(2026, 1, 1))
    assert active_ban(
        passport_number="E1", nationality="USA", birth_date=date(1980, 5, 1), on=date(2025, 12, 31)
    )
    assert (
        active_ban(passport_number="E1", nationality="USA", birth_date=date(1980, 5, 1), on=date(2026, 1, 1))
        is None
    )


def test_another_person_with_the_same_passport_number_is_not_banned():
    BanFactory(passport_number="E2", nationality="USA", birth_date=date(1980, 5, 1))
    assert active_ban(passport_number="E2", nationality="CAN", birth_date=date(1980, 5, 1), on=TODAY) is None
    assert active_ban(passport_number="E2", nationality="USA", birth_date=date(1981, 5, 1), on=TODAY) is None


def test_ban_create_defaults_the_end_date_from_the_policy_and_is_audited():
    officer = policy_admin()
    ban = ban_create(
        actor=officer,
        passport_number="x 99",
        nationality="de",
        birth_date=date(1970, 1, 1),
        ground="fraud",
        until=None,
        reason="Forged marriage certificate",
    )
    assert ban.passport_number == "X99"
    assert ban.nationality == "DE"
    assert (ban.until.year - ban.created_at.year) == 5  # ban_years.fraud in the default policy
    assert AuditEntry.objects.filter(action="eligibility.ban_create", object_id=str(ban.pk)).exists()


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("ground", {"ground": "rudeness"}),
        ("nationality", {"nationality": "1"}),
        ("reason", {"reason": " "}),
        ("until", {"until": date(2000, 1, 1)}),
        ("passport_number", {"passport_number": ""}),
    ],
)
def test_ban_create_refuses_bad_input_and_stores_nothing(field, changes):
    arguments = {
        "actor": policy_admin(),
        "passport_number": "E3",
        "nationality": "USA",
        "birth_date": date(1980, 1, 1),
        "ground": "fraud",
        "until": date(2031, 1, 1),
        "reason": "Fraud",
    } | changes
    with pytest.raises(ValidationError) as error:
        ban_create(**arguments)
    assert field in error.value.message_dict
    assert not Ban.objects.exists()
    assert not AuditEntry.objects.filter(action="eligibility.ban_create").exists()


@pytest.mark.parametrize("roles", [None, [], ["approver"], ["applicant"]])
def test_ban_create_refuses_an_actor_without_a_ban_role_and_stores_nothing(roles):
    from tests.factories import UserFactory

    actor = None if roles is None else UserFactory(roles=roles)
    with pytest.raises(PermissionDenied):
        ban_create(
            actor=actor,
            passport_number="E4",
            nationality="USA",
            birth_date=date(1980, 1, 1),
            ground="fraud",
            until=date(2031, 1, 1),
            reason="Fraud",
        )
    assert not Ban.objects.exists()
    assert not AuditEntry.objects.filter(action="eligibility.ban_create").exists()


def test_ban_create_on_a_decided_revocation_is_recorded_against_the_approver():
    from eligibility.services import revocation_actor
    from tests.factories import UserFactory

    approver = UserFactory(roles=["approver"])
    ban = ban_create(
        actor=revocation_actor(decided_by=approver, case_id=7),
        passport_number="E5",
        nationality="USA",
        birth_date=date(1980, 1, 1),
        ground="fraud",
        until=None,
        reason="Forged tax records",
    )
    assert ban.created_by == approver
    entry = AuditEntry.objects.get(action="eligibility.ban_create", object_id=str(ban.pk))
    assert entry.actor == approver and entry.after["revocation_case"] == 7


def test_only_policy_admins_create_drafts(alice):
    from eligibility.services import policy_draft_create

    with pytest.raises(PermissionDenied):
        policy_draft_create(actor=alice)
    assert PolicyVersion.objects.count() == 1

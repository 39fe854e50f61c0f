from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from applications.models import Application, Authorisation, Status, StatusChange
from cards.models import Card, RevocationCase
from cards.services import revocation_decide, revocation_open
from eligibility.selectors import active_ban
from reconsideration.models import Reconsideration
from reconsideration.services import (
    reconsideration_decide,
    reconsideration_lodge,
    reconsideration_suspend_revocation,
)
from residence.audit.models import AuditEntry
from tests.cards.factories import approved_application, office_gd, profile_for
from tests.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused(holder):
    """A refusal decided by a provincial approver."""
    application = approved_application(profile_for(holder), status=Status.REFUSED)
    gd = application.office
    application.decided_by = UserFactory(roles=["approver"], office=gd)
    application.recommended_by = UserFactory(roles=["reviewer"], office=gd)
    application.decided_at = timezone.now()
    application.decision_reason = "The salary threshold is not met."
    application.save()
    return application


@pytest.fixture
def national_approver(db):
    return UserFactory(roles=["approver"], office=OfficeFactory())


@pytest.fixture
def revoked(card, mona, arthur):
    arthur.office = office_gd()
    arthur.save()
    case = revocation_open(actor=mona, card=card, ground="fraud", evidence="Forged tax records.")
    return revocation_decide(actor=arthur, case=case, decision="revoke", reason="Forged.")


def _counts():
    return (Reconsideration.objects.count(), AuditEntry.objects.count(), StatusChange.objects.count())


def test_the_person_lodges_a_reconsideration_decided_one_level_up(refused, holder):
    case = reconsideration_lodge(actor=holder, application=refused, grounds="My salary was misread.")
    assert case.office.level == "national"  # a provincial refusal goes to the national administration
    assert case.state == Reconsideration.State.LODGED and case.person == holder
    assert case.deadline.date() == (case.lodged_at + dt.timedelta(days=60)).date()
    assert AuditEntry.objects.filter(action="reconsideration.lodge", object_id=str(case.pk)).exists()


def test_a_municipal_decision_goes_to_the_province(refused, holder):
    city = OfficeFactory(code="gz", level="municipal", province="CN-GD", city_code="440100")
    refused.decided_by.office = city
    refused.decided_by.save()
    case = reconsideration_lodge(actor=holder, application=refused, grounds="Misread.")
    assert (case.office.level, case.office.province) == ("provincial", "CN-GD")


def test_an_authorised_intermediary_may_lodge_for_the_person(refused, holder):
    agent = UserFactory(roles=["intermediary"])
    Authorisation.objects.create(applicant=holder, intermediary=agent)
    case = reconsideration_lodge(actor=agent, application=refused, grounds="Misread.")
    assert (case.lodged_by, case.person) == (agent, holder)


def test_someone_else_cannot_lodge_and_learns_nothing(refused):
    stranger = UserFactory(roles=["applicant"])
    before = _counts()
    with pytest.raises(Http404):
        reconsideration_lodge(actor=stranger, application=refused, grounds="Misread.")
    assert _counts() == before


def test_a_late_application_is_refused_with_the_date_it_ran_out(refused, holder, settings):
    refused.decided_at = timezone.now() - dt.timedelta(days=settings.RECONSIDERATION_PERIOD_DAYS + 1)
    refused.save()
    last_day = timezone.localdate(refused.decided_at) + dt.timedelta(
        days=settings.RECONSIDERATION_PERIOD_DAYS
    )
    before = _counts()
    with pytest.raises(ValidationError) as error:
        reconsideration_lodge(actor=holder, application=refused, grounds="Misread.")
    assert last_day.isoformat() in str(error.value)
    assert _counts() == before


def test_applying_twice_for_the_same_decision_is_refused(refused, holder):
    reconsideration_lodge(actor=holder, application=refused, grounds="Misread.")
    before = _counts()
    with pytest.raises(ValidationError, match="already been lodged"):
        reconsideration_lodge(actor=holder, application=refused, grounds="Again.")
    assert _counts() == before


def test_only_a_refusal_can_be_reconsidered(holder):
    application = approved_application(profile_for(holder))
    before = _counts()
    with pytest.raises(ValidationError, match="Only a refusal"):
        reconsideration_lodge(actor=holder, application=application, grounds="x")
    assert _counts() == before


def test_empty_grounds_are_refused(refused, holder):
    before = _counts()
    with pytest.raises(ValidationError):
        reconsideration_lodge(actor=holder, application=refused, grounds="  ")
    assert _counts() == before


def test_overturning_a_refusal_returns_the_case_to_approval_with_its_history(
    refused, holder, national_approver
):
    case = reconsideration_lodge(actor=holder, application=refused, grounds="Misread.")
    reconsideration_decide(actor=national_approver, case=case, outcome="overturned", reason="Salary met.")
    application = Application.objects.get(pk=refused.pk)
    assert application.status == Status.RECOMMENDED_APPROVAL and application.stage == "approval"
    change = StatusChange.objects.get(application=application)
    assert (change.from_status, change.to_status) == (Status.REFUSED, Status.RECOMMENDED_APPROVAL)
    case.refresh_from_db()
    assert case.state == "overturned" and "Administrative Reconsideration Law" in case.legal_basis


def test_remitting_a_refusal_sends_it_back_to_review(refused, holder, national_approver):
    case = reconsideration_lodge(actor=holder, application=refused, grounds="Misread.")
    reconsideration_decide(actor=national_approver, case=case, outcome="remitted", reason="Look again.")
    assert Application.objects.get(pk=refused.pk).status == Status.IN_REVIEW


def test_upholding_a_refusal_leaves_it_refused(refused, holder, national_approver):
    case = reconsideration_lodge(actor=holder, application=refused, grounds="Misread.")
    reconsideration_decide(actor=national_approver, case=case, outcome="upheld", reason="Correct.")
    assert Application.objects.get(pk=refused.pk).status == Status.REFUSED
    assert StatusChange.objects.count() == 0


def test_an_officer_who_took_part_in_the_first_decision_cannot_decide(refused, holder):
    case = reconsideration_lodge(actor=holder, application=refused, grounds="Misread.")
    reviewer = refused.recommended_by
    reviewer.groups.add(*UserFactory(roles=["approver"]).groups.all())
    reviewer.office = OfficeFactory()
    reviewer.save()
    before = _counts()
    with pytest.raises(PermissionDenied, match="took part"):
        reconsideration_decide(actor=reviewer, case=case, outcome="overturned", reason="x")
    case.refresh_from_db()
    assert case.state == "lodged" and _counts() == before


def test_an_officer_at_the_level_that_decided_cannot_decide(refused, holder):
    case = reconsideration_lodge(actor=holder, application=refused, grounds="Misread.")
    provincial = UserFactory(roles=["approver"], office=refused.office)
    before = _counts()
    with pytest.raises(PermissionDenied):
        reconsideration_decide(actor=provincial, case=case, outcome="overturned", reason="x")
    assert Reconsideration.objects.get(pk=case.pk).state == "lodged" and _counts() == before


def test_no_one_decides_their_own_reconsideration(refused, holder):
    holder.groups.add(*UserFactory(roles=["approver"]).groups.all())
    holder.office = OfficeFactory()
    holder.save()
    case = reconsideration_lodge(actor=holder, application=refused, grounds="Misread.")
    before = _counts()
    with pytest.raises(PermissionDenied, match="your own"):
        reconsideration_decide(actor=holder, case=case, outcome="overturned", reason="x")
    assert Reconsideration.objects.get(pk=case.pk).state == "lodged" and _counts() == before


def test_a_decided_reconsideration_cannot_be_decided_again(refused, holder, national_approver):
    case = reconsideration_lodge(actor=holder, application=refused, grounds="Misread.")
    reconsideration_decide(actor=national_approver, case=case, outcome="upheld", reason="Correct.")
    before = _counts()
    with pytest.raises(ValidationError, match="already been decided"):
        reconsideration_decide(actor=national_approver, case=case, outcome="overturned", reason="x")
    assert Reconsideration.objects.get(pk=case.pk).state == "upheld" and _counts() == before


def test_lodging_does_not_suspend_a_revocation(revoked, holder):
    reconsideration_lodge(actor=holder, revocation=revoked, grounds="The records were genuine.")
    assert Card.objects.get(pk=revoked.card_id).current_status == Card.Status.REVOKED


def test_the_deciding_office_may_suspend_the_revocation(revoked, holder, national_approver):
    case = reconsideration_lodge(actor=holder, revocation=revoked, grounds="Genuine.")
    reconsideration_suspend_revocation(actor=national_approver, case=case, reason="Serious doubt.")
    assert Card.objects.get(pk=revoked.card_id).current_status == Card.Status.ISSUED
    reconsideration_decide(actor=national_approver, case=case, outcome="upheld", reason="Forged after all.")
    assert Card.objects.get(pk=revoked.card_id).current_status == Card.Status.REVOKED


def test_overturning_a_revocation_restores_the_card_and_lifts_the_ban(revoked, holder, national_approver):
    card = Card.objects.get(pk=revoked.card_id)
    case = reconsideration_lodge(actor=holder, revocation=revoked, grounds="Genuine.")
    reconsideration_decide(actor=national_approver, case=case, outcome="overturned", reason="Genuine.")
    card = Card.objects.get(pk=card.pk)
    assert card.current_status == Card.Status.ISSUED and card.ended_at is None
    assert not active_ban(
        passport_number=card.passport_number,
        nationality=card.nationality,
        birth_date=card.birth_date,
        on=timezone.localdate(),
    )
    assert {"cards.card_restore", "eligibility.ban_lift", "reconsideration.decide"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_remitting_a_revocation_reopens_it_for_a_new_decision(revoked, holder, national_approver):
    case = reconsideration_lodge(actor=holder, revocation=revoked, grounds="Genuine.")
    reconsideration_decide(actor=national_approver, case=case, outcome="remitted", reason="Hear the holder.")
    assert RevocationCase.objects.get(pk=revoked.pk).state == RevocationCase.State.OPEN


def test_varying_a_revocation_shortens_the_ban_and_keeps_the_card_revoked(revoked, holder, national_approver):
    case = reconsideration_lodge(actor=holder, revocation=revoked, grounds="Too harsh.")
    until = timezone.localdate() + dt.timedelta(days=365)
    reconsideration_decide(
        actor=national_approver, case=case, outcome="varied", reason="One year.", ban_until=until
    )
    revoked.ban.refresh_from_db()
    assert revoked.ban.until == until
    assert Card.objects.get(pk=revoked.card_id).status == Card.Status.REVOKED


def test_the_officer_who_revoked_cannot_decide_the_reconsideration(revoked, holder, arthur):
    arthur.office = OfficeFactory()
    arthur.save()
    case = reconsideration_lodge(actor=holder, revocation=revoked, grounds="Genuine.")
    before = _counts()
    with pytest.raises(PermissionDenied):
        reconsideration_decide(actor=arthur, case=case, outcome="overturned", reason="x")
    assert Card.objects.get(pk=revoked.card_id).status == Card.Status.REVOKED and _counts() == before

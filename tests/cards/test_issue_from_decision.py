"""The applications state machine drives the cards app: approval makes a card, refusal a letter."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications.models import Application, Status
from cards.models import Card, CardDocument
from cards.services import revocation_decide, revocation_open
from tests.factories import UserFactory

from .factories import approved_application, office_gd, photo_bytes, profile_for
from .pdftools import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(db):
    return UserFactory(
        email="arthur.gd@example.org", full_name="Arthur Li", roles=["approver"], office=office_gd()
    )


def recommended(holder, status=Status.RECOMMENDED_APPROVAL):
    application = approved_application(profile_for(holder), status=status)
    Application.objects.filter(pk=application.pk).update(stage="approval")
    return Application.objects.get(pk=application.pk)


def test_an_approvers_decision_issues_the_card_and_moves_the_case_to_card_issued(
    holder, approver, django_capture_on_commit_callbacks
):
    from applications.services import application_approve

    application = recommended(holder)
    with django_capture_on_commit_callbacks(execute=True):
        application_approve(actor=approver, application=application, reason="All conditions met.")
    card = Card.objects.get(application=application)
    assert Application.objects.get(pk=application.pk).status == Status.CARD_ISSUED
    assert card.issued_by == approver
    kinds = set(card.documents.values_list("kind", "state"))
    assert kinds == {("card", "ready"), ("approval_letter", "ready")}


def test_a_refusal_makes_a_letter_with_the_reasons_and_the_right_of_review(
    holder, approver, django_capture_on_commit_callbacks
):
    from applications.services import application_refuse

    application = recommended(holder, status=Status.RECOMMENDED_REFUSAL)
    with django_capture_on_commit_callbacks(execute=True):
        application_refuse(
            actor=approver,
            application=application,
            reason="The salary evidence was not provided.",
            grounds=["facts_not_confirmed"],
        )
    assert not Card.objects.exists()
    letter = CardDocument.objects.get(kind=CardDocument.Kind.REFUSAL_LETTER)
    with letter.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "The salary evidence was not provided." in text
    assert "MARTIN Alice Claire" in text and "马丽丝" in text
    assert "行政复议" in text and "administrative reconsideration" in text
    assert "Legal basis" in text


def test_a_photo_that_is_too_small_stops_the_card(holder, django_capture_on_commit_callbacks):
    from cards.services import card_issue_for_application

    application = approved_application(profile_for(holder), photo=photo_bytes(120, 160))
    with pytest.raises(ValidationError):
        card_issue_for_application(application_id=application.pk)
    assert not Card.objects.exists()
    assert Application.objects.get(pk=application.pk).status == Status.APPROVED


def test_issuing_twice_makes_one_card(holder):
    from cards.services import card_issue_for_application

    application = approved_application(profile_for(holder))
    first = card_issue_for_application(application_id=application.pk)
    assert card_issue_for_application(application_id=application.pk) == first
    assert Card.objects.count() == 1


def test_a_holder_under_18_gets_a_five_year_card(django_capture_on_commit_callbacks):
    from cards.services import card_issue_for_application

    child = UserFactory(roles=["applicant"])
    today = timezone.localdate()
    application = approved_application(
        profile_for(child, birth_date=today.replace(year=today.year - 10), passport_number="CH1234567")
    )
    card = card_issue_for_application(application_id=application.pk)
    assert card.expires_on.year - card.issued_on.year == 5


def test_after_revocation_the_person_cannot_submit_a_new_application_until_the_ban_ends(
    card, mona, arthur, monkeypatch
):
    import applications.services as application_services
    from applications.services import application_submit

    case = revocation_open(
        actor=mona, card=card, ground="insufficient_residence", evidence="40 days in 2025."
    )
    revocation_decide(
        actor=arthur, case=case, decision="revoke", reason="Fewer than 90 days in China in 2025."
    )
    draft = Application.objects.create(
        channel="work",
        applicant=card.profile,
        created_by=card.profile.owner,
        province="CN-GD",
        city_code="440100",
    )
    # The facts of the new draft are beside the point: the ban check is what must refuse it.
    monkeypatch.setattr(application_services, "_facts_errors", lambda application: {})
    with pytest.raises(ValidationError) as refused:
        application_submit(actor=card.profile.owner, application=draft, declaration=True)
    assert "You may not apply before" in str(refused.value)
    assert Application.objects.get(pk=draft.pk).status == Status.DRAFT


def test_issuing_a_card_records_the_holders_situation_for_the_benefits_catalogue(
    holder, approver, django_capture_on_commit_callbacks
):
    from applications.services import application_approve
    from benefits.selectors import holder_situation

    application = recommended(holder)
    with django_capture_on_commit_callbacks(execute=True):
        application_approve(actor=approver, application=application, reason="All conditions met.")
    card = Card.objects.get(application=application)
    situation = holder_situation(user=holder)
    assert situation is not None
    assert situation.card_number == card.number

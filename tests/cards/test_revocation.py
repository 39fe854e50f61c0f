from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cards.models import Card, CardDocument, RevocationCase
from cards.services import revocation_decide, revocation_open
from eligibility.models import Ban
from eligibility.selectors import active_ban
from residence.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_officer_who_opened_a_case_cannot_decide_it(card, mona):
    from tests.factories import OfficeFactory, UserFactory

    both = UserFactory(roles=["management_officer", "approver"], office=OfficeFactory())
    case = revocation_open(actor=both, card=card, ground="fraud", evidence="Forged tax records.")
    with pytest.raises(PermissionDenied):
        revocation_decide(actor=both, case=case, decision="revoke", reason="Forged.")
    case.refresh_from_db()
    card = Card.objects.get(pk=card.pk)
    assert (case.state, card.status, Ban.objects.count()) == ("open", "issued", 0)


def test_a_management_officer_cannot_decide_only_an_approver_can(card, mona, mark):
    case = revocation_open(actor=mona, card=card, ground="fraud", evidence="Forged tax records.")
    with pytest.raises(PermissionDenied):
        revocation_decide(actor=mark, case=case, decision="revoke", reason="Forged.")
    card = Card.objects.get(pk=card.pk)
    assert card.status == Card.Status.ISSUED


def test_an_applicant_cannot_open_a_case(card, holder):
    with pytest.raises(PermissionDenied):
        revocation_open(actor=holder, card=card, ground="fraud", evidence="x")
    assert RevocationCase.objects.count() == 0


def test_an_open_case_leaves_the_card_valid(card, mona):
    revocation_open(actor=mona, card=card, ground="deportation", evidence="Deportation order 2025-17.")
    card = Card.objects.get(pk=card.pk)
    assert card.current_status == Card.Status.ISSUED


def test_revocation_makes_the_card_invalid_and_sets_the_ban_in_one_transaction(
    card, mona, arthur, django_capture_on_commit_callbacks
):
    case = revocation_open(actor=mona, card=card, ground="fraud", evidence="Forged tax records.")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        revocation_decide(
            actor=arthur, case=case, decision="revoke", reason="The tax certificates were forged."
        )
        # Inside the decision's transaction: the card is revoked and the ban in force together.
        assert Card.objects.get(pk=card.pk).status == Card.Status.REVOKED
        assert active_ban(
            passport_number=card.passport_number,
            nationality=card.nationality,
            birth_date=card.birth_date,
            on=timezone.localdate(),
        )
    case.refresh_from_db()
    ban = case.ban
    today = timezone.localdate()
    assert ban.ground == "fraud" and ban.until.year == today.year + 5  # policy: 5 years for fraud
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "cards.revocation_open",
        "cards.card_revoke",
        "cards.revocation_decide",
        "eligibility.ban_create",
    }
    letter = CardDocument.objects.get(kind=CardDocument.Kind.REVOCATION_LETTER)
    assert letter.state == CardDocument.State.READY and letter.recipient == card.profile.owner


def test_a_failing_ban_rolls_the_revocation_back(card, mona, arthur, monkeypatch):
    import eligibility.services

    case = revocation_open(actor=mona, card=card, ground="fraud", evidence="Forged tax records.")

    def broken(**kwargs):
        raise ValidationError("ban store unavailable")

    monkeypatch.setattr(eligibility.services, "ban_create", broken)
    with pytest.raises(ValidationError):
        revocation_decide(actor=arthur, case=case, decision="revoke", reason="Forged.")
    card = Card.objects.get(pk=card.pk)
    case.refresh_from_db()
    assert (card.status, case.state) == ("issued", "open")


def test_a_cancelled_case_leaves_the_card_valid_and_sets_no_ban(card, mona, arthur):
    case = revocation_open(actor=mona, card=card, ground="fraud", evidence="Anonymous tip.")
    revocation_decide(actor=arthur, case=case, decision="cancel", reason="The tip was unfounded.")
    card = Card.objects.get(pk=card.pk)
    case.refresh_from_db()
    assert (card.status, case.state, Ban.objects.count()) == ("issued", "cancelled", 0)


def test_a_decided_case_cannot_be_decided_again(card, mona, arthur):
    case = revocation_open(actor=mona, card=card, ground="fraud", evidence="Anonymous tip.")
    revocation_decide(actor=arthur, case=case, decision="cancel", reason="Unfounded.")
    with pytest.raises(ValidationError):
        revocation_decide(actor=arthur, case=case, decision="revoke", reason="Changed my mind.")
    card = Card.objects.get(pk=card.pk)
    assert card.status == "issued"


def test_only_one_case_per_card_is_open_at_a_time(card, mona, mark):
    revocation_open(actor=mona, card=card, ground="fraud", evidence="One.")
    with pytest.raises(ValidationError):
        revocation_open(actor=mark, card=card, ground="deportation", evidence="Two.")
    assert RevocationCase.objects.count() == 1


def test_after_revocation_the_card_no_longer_brings_national_treatment(
    card, mona, arthur, client, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from benefits.selectors import holder_situation

    owner = card.profile.owner
    assert holder_situation(user=owner).card_number == card.number
    case = revocation_open(actor=mona, card=card, ground="fraud", evidence="Forged tax records.")
    with django_capture_on_commit_callbacks(execute=True):
        revocation_decide(actor=arthur, case=case, decision="revoke", reason="Forged.")

    assert holder_situation(user=owner) is None
    assert AuditEntry.objects.filter(action="benefits.holder_profile_clear", reason="Forged.").count() == 1
    client.force_login(owner)
    page = client.get(reverse("benefits:my_card")).content.decode()
    assert "no permanent residence card on record" in page


def test_a_cancelled_case_leaves_the_holder_situation_alone(card, mona, arthur):
    from benefits.selectors import holder_situation

    case = revocation_open(actor=mona, card=card, ground="fraud", evidence="Forged tax records.")
    revocation_decide(actor=arthur, case=case, decision="cancel", reason="The records were genuine.")
    assert holder_situation(user=card.profile.owner).card_number == card.number


def test_a_revocation_case_state_changes_only_through_its_transitions(card, mona):
    from django_fsm import TransitionNotAllowed

    case = revocation_open(actor=mona, card=card, ground="fraud", evidence="Forged tax records.")
    with pytest.raises(AttributeError):
        case.state = RevocationCase.State.REVOKED
    case.cancel()
    with pytest.raises(TransitionNotAllowed):
        case.revoke(ban=None)
    assert RevocationCase.objects.get(pk=case.pk).state == RevocationCase.State.OPEN  # nothing saved

"""The in-person intake before a case leaves intake, and the handover of cards at the window."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404

from applications import services as application_services
from applications.models import Application, Status, StatusChange
from cards import services as card_services
from counters import services
from counters.models import CardCollection, IntakeRecord
from counters.selectors import intake_waived
from residence.audit.models import AuditEntry
from tests.applications.factories import ProfileFactory, submitted
from tests.cards.factories import approved_application
from tests.factories import UserFactory

from .conftest import in_days

pytestmark = pytest.mark.django_db

CHECKS = {"passport_checked": True, "photo_taken": True, "fingerprints_taken": True}


def test_a_case_cannot_leave_intake_without_the_in_person_checks_and_nothing_is_written(ivan):
    application = submitted(ProfileFactory())
    entries, changes = AuditEntry.objects.count(), StatusChange.objects.count()
    with pytest.raises(ValidationError) as error:
        application_services.application_accept(actor=ivan, application=application)
    assert "in-person intake" in error.value.message_dict["intake"][0]
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    assert (AuditEntry.objects.count(), StatusChange.objects.count()) == (entries, changes)


def test_the_intake_officer_records_the_checks_then_accepts(ivan):
    application = submitted(ProfileFactory())
    record = services.intake_record(actor=ivan, application=application, **CHECKS)
    assert (record.operator, record.place.code) == (ivan, "gd-gz")
    assert AuditEntry.objects.get(action="counters.intake_record").after["staff"] == ivan.email
    application_services.application_accept(actor=ivan, application=application)
    assert Application.objects.get(pk=application.pk).status != Status.SUBMITTED


def test_an_incomplete_record_is_refused_and_writes_nothing(ivan):
    application = submitted(ProfileFactory())
    with pytest.raises(ValidationError) as error:
        services.intake_record(actor=ivan, application=application, **{**CHECKS, "fingerprints_taken": False})
    assert "fingerprints" in " ".join(error.value.messages)
    assert not IntakeRecord.objects.exists()
    assert not AuditEntry.objects.filter(action="counters.intake_record").exists()


def test_the_green_channel_is_waived_by_the_default_policy(ivan):
    application = submitted(ProfileFactory())
    assert not intake_waived(application)
    Application.objects.filter(pk=application.pk).update(green_channel=True)
    application = Application.objects.get(pk=application.pk)
    assert intake_waived(application)
    # The intake no longer stops it (the green checklist's own documents still do, here).
    with pytest.raises(ValidationError) as error:
        application_services.application_accept(actor=ivan, application=application)
    assert "intake" not in error.value.message_dict and "documents" in error.value.message_dict


def test_others_cannot_record_the_intake(cody, alice, sam, rita):
    application = submitted(ProfileFactory())
    for user in (cody, alice, sam, rita):
        with pytest.raises(Http404):
            services.intake_record(actor=user, application=application, **CHECKS)
    assert not IntakeRecord.objects.exists()


def test_the_intake_page_records_the_checks(client, ivan):
    application = submitted(ProfileFactory())
    client.force_login(ivan)
    response = client.post(
        f"/counters/intake/{application.pk}/", {"passport_checked": "on", "photo_taken": "on"}
    )
    assert response.status_code == 400 and not IntakeRecord.objects.exists()
    response = client.post(
        f"/counters/intake/{application.pk}/",
        {"passport_checked": "on", "photo_taken": "on", "fingerprints_taken": "on"},
    )
    assert response.status_code == 302 and IntakeRecord.objects.filter(application=application).exists()


# --- card collection ---------------------------------------------------------------------------------
@pytest.fixture
def card(office_tree):
    application = approved_application(ProfileFactory())
    return card_services.card_issue_for_application(application_id=application.pk)


@pytest.fixture
def gd_counter(card):
    return UserFactory(email="gwen@example.org", roles=["counter_staff"], office=card.application.office)


def test_an_issued_card_awaits_collection_where_the_case_was_handled(card):
    collection = CardCollection.objects.get(card=card)
    assert collection.place == card.application.office and collection.collected_at is None


def test_the_holder_collects_the_card_with_the_id_checked(card, gd_counter):
    collection = services.collection_record(
        actor=gd_counter, collection=card.collection, collector="holder", id_checked=True
    )
    assert collection.collected_at and collection.handed_over_by == gd_counter
    assert AuditEntry.objects.get(action="counters.collection_record").after["window"] == "gd"


def test_an_authorised_person_needs_the_letter_details_and_a_refusal_writes_nothing(card, gd_counter):
    with pytest.raises(ValidationError) as error:
        services.collection_record(
            actor=gd_counter, collection=card.collection, collector="authorised", id_checked=True
        )
    assert {"authorised_name", "authorised_id_number", "letter_reference"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError):
        services.collection_record(
            actor=gd_counter, collection=card.collection, collector="holder", id_checked=False
        )
    assert CardCollection.objects.get(card=card).collected_at is None
    assert not AuditEntry.objects.filter(action="counters.collection_record").exists()
    collection = services.collection_record(
        actor=gd_counter,
        collection=card.collection,
        collector="authorised",
        id_checked=True,
        authorised_name="Li Ming",
        authorised_id_number="440101199001011234",
        letter_reference="AUTH-2026-7",
    )
    assert collection.letter_reference == "AUTH-2026-7"


def test_a_card_is_handed_over_once(card, gd_counter):
    services.collection_record(
        actor=gd_counter, collection=card.collection, collector="holder", id_checked=True
    )
    with pytest.raises(ValidationError):
        services.collection_record(
            actor=gd_counter, collection=card.collection, collector="holder", id_checked=True
        )


def test_other_windows_and_applicants_cannot_hand_over(card, cody, cora, alice):
    for user in (cody, cora, alice):
        with pytest.raises(Http404):
            services.collection_record(
                actor=user, collection=card.collection, collector="holder", id_checked=True
            )


def test_a_management_officer_of_the_area_may_hand_over(card, mona):
    assert services.collection_record(
        actor=mona, collection=card.collection, collector="holder", id_checked=True
    ).collected_at


def test_an_uncollected_card_is_flagged_after_the_policy_period_and_the_holder_told(
    card, django_capture_on_commit_callbacks
):
    CardCollection.objects.filter(card=card).update(awaiting_since=in_days(-89))
    assert services.collections_flag_uncollected() == 0
    CardCollection.objects.filter(card=card).update(awaiting_since=in_days(-91))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.collections_flag_uncollected() == 1
    assert CardCollection.objects.get(card=card).flagged_uncollected_at
    assert mail.outbox[-1].to == [card.profile.email] and card.number in mail.outbox[-1].body
    # Once only.
    assert services.collections_flag_uncollected() == 0

"""The services: who may write what, the state machine, versions, and what bad input does."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from benefits import services
from benefits.models import BenefitComment, BenefitItem, BenefitItemVersion, Category, Kind
from residence.audit.models import AuditEntry

from .conftest import item_values

pytestmark = pytest.mark.django_db


def snapshot(item: BenefitItem) -> tuple:
    item = BenefitItem.objects.get(pk=item.pk)
    return (item.state, item.content(), item.lock_version, item.published_version_id, item.versions.count())


def test_staff_draft_an_item_of_their_own_agency_and_it_is_audited(sam, tax):
    item = services.benefit_item_create(actor=sam, values=item_values())
    assert item.agency == tax
    assert item.state == BenefitItem.State.DRAFT
    assert item.created_by == sam
    assert AuditEntry.objects.filter(action="benefits.create", object_id=str(item.pk)).exists()


def test_a_supervisor_may_draft_too(sue):
    assert services.benefit_item_create(actor=sue, values=item_values()).state == BenefitItem.State.DRAFT


def test_policy_admins_and_applicants_cannot_draft(paula, applicant):
    for user in (paula, applicant):
        with pytest.raises(PermissionDenied):
            services.benefit_item_create(actor=user, values=item_values())
    assert not BenefitItem.objects.exists()


def test_a_draft_needs_a_title(sam):
    with pytest.raises(ValidationError) as error:
        services.benefit_item_create(actor=sam, values=item_values(title_en="  ", title_zh=""))
    assert "title_en" in error.value.message_dict
    assert not BenefitItem.objects.exists()


def test_oversized_text_is_refused_with_a_clear_error(sam):
    with pytest.raises(ValidationError) as error:
        services.benefit_item_create(
            actor=sam, values=item_values(title_en="x" * 201, description_en="y" * 10_001)
        )
    assert "title_en" in error.value.message_dict
    assert "at most 10000 characters" in error.value.message_dict["description_en"][0]
    assert not BenefitItem.objects.exists()


def test_a_service_must_use_a_service_category(sam):
    with pytest.raises(ValidationError) as error:
        services.benefit_item_create(
            actor=sam, values=item_values(kind=Kind.SERVICE, category=Category.TAXATION)
        )
    assert "category" in error.value.message_dict


def test_unknown_fields_cannot_be_set(sam):
    with pytest.raises(ValidationError):
        services.benefit_item_create(actor=sam, values=item_values(state="published"))
    assert not BenefitItem.objects.exists()


def test_the_supervisor_publishes_version_one(published, sue):
    version = published.published_version
    assert published.state == BenefitItem.State.PUBLISHED
    assert version.number == 1
    assert version.published_by == sue
    assert version.value("title_zh") == "专项附加扣除"
    assert not published.has_pending_changes


def test_staff_cannot_publish_and_nothing_changes(draft, sam):
    before = snapshot(draft)
    with pytest.raises(PermissionDenied):
        services.benefit_item_publish(actor=sam, item=draft)
    assert snapshot(draft) == before


def test_another_agency_gets_a_404_for_every_write_and_nothing_changes(published, hank, hera):
    before = snapshot(published)
    for user in (hank, hera):
        with pytest.raises(Http404):
            services.benefit_item_update(actor=user, item=published, values={"title_en": "Hacked"})
        with pytest.raises(Http404):
            services.benefit_item_publish(actor=user, item=published)
        with pytest.raises(Http404):
            services.benefit_item_withdraw(actor=user, item=published)
        with pytest.raises(Http404):
            services.benefit_comment_create(actor=user, item=published, body="hi")
    assert snapshot(published) == before


def test_policy_admins_edit_nobodys_items_but_comment(published, paula):
    before = snapshot(published)
    with pytest.raises(PermissionDenied):
        services.benefit_item_update(actor=paula, item=published, values={"title_en": "Changed"})
    with pytest.raises(PermissionDenied):
        services.benefit_item_publish(actor=paula, item=published)
    with pytest.raises(PermissionDenied):
        services.benefit_item_withdraw(actor=paula, item=published)
    assert snapshot(published) == before
    comment = services.benefit_comment_create(actor=paula, item=published, body="Please cite the article.")
    assert comment.author == paula


def test_agency_staff_cannot_comment(published, sam):
    with pytest.raises(PermissionDenied):
        services.benefit_comment_create(actor=sam, item=published, body="Self-review")
    assert not BenefitComment.objects.exists()


def test_publishing_needs_each_translation_to_say_what_the_english_says(sam, sue):
    item = services.benefit_item_create(actor=sam, values=item_values(description_zh="", legal_basis_en=""))
    with pytest.raises(ValidationError) as error:
        services.benefit_item_publish(actor=sue, item=item)
    assert set(error.value.message_dict) == {"description_zh", "legal_basis_en"}
    item.refresh_from_db()
    assert item.state == BenefitItem.State.DRAFT
    assert not BenefitItemVersion.objects.exists()


def test_an_effective_date_before_the_legal_basis_existed_is_allowed(sam, sue):
    import datetime as dt

    item = services.benefit_item_create(actor=sam, values=item_values(effective_date=dt.date(1990, 1, 1)))
    assert services.benefit_item_publish(actor=sue, item=item).effective_date == dt.date(1990, 1, 1)


def test_editing_a_published_item_keeps_the_public_version_until_the_revision_is_published(
    published, sam, sue
):
    services.benefit_item_update(
        actor=sam, item=published, values={"description_en": "Claim deductions for education and rent."}
    )
    published.refresh_from_db()
    assert published.has_pending_changes
    assert published.published_version.number == 1
    assert published.published_version.value("description_en") == "Claim deductions for children's education."

    version = services.benefit_item_publish(actor=sue, item=published)
    assert version.number == 2
    assert version.changed_fields == ["description_en"]
    assert (
        BenefitItemVersion.objects.get(item=published, number=1).value("description_en")
        == "Claim deductions for children's education."
    )


def test_reverting_a_revision_leaves_nothing_to_publish(published, sam, sue):
    original = published.value("description_en")
    services.benefit_item_update(actor=sam, item=published, values={"description_en": "Other"})
    services.benefit_item_update(actor=sam, item=published, values={"description_en": original})
    published.refresh_from_db()
    assert not published.has_pending_changes
    with pytest.raises(services.StateConflict):
        services.benefit_item_publish(actor=sue, item=published)
    assert published.versions.count() == 1


def test_a_version_is_immutable(published):
    version = published.published_version
    version.category = "finance"
    with pytest.raises(RuntimeError):
        version.save()
    # Its texts too: the translation rows are as frozen as the version.
    english = version.translations.get(language="en")
    english.title = "Rewritten history"
    with pytest.raises(RuntimeError):
        english.save()


def test_a_withdrawn_item_cannot_be_edited_or_published(published, sam, sue):
    services.benefit_item_withdraw(actor=sue, item=published, reason="Replaced")
    before = snapshot(published)
    with pytest.raises(services.StateConflict):
        services.benefit_item_update(actor=sam, item=published, values={"title_en": "Back"})
    with pytest.raises(services.StateConflict):
        services.benefit_item_publish(actor=sue, item=published)
    with pytest.raises(services.StateConflict):
        services.benefit_item_withdraw(actor=sue, item=published)
    assert snapshot(published) == before
    assert AuditEntry.objects.filter(action="benefits.withdraw", reason="Replaced").exists()


def test_a_draft_cannot_be_withdrawn(draft, sue):
    with pytest.raises(services.StateConflict):
        services.benefit_item_withdraw(actor=sue, item=draft)
    draft.refresh_from_db()
    assert draft.state == BenefitItem.State.DRAFT


def test_an_edit_against_an_older_copy_is_refused(draft, sam):
    services.benefit_item_update(actor=sam, item=draft, values={"title_en": "First"}, lock_version=0)
    with pytest.raises(services.StateConflict):
        services.benefit_item_update(actor=sam, item=draft, values={"title_en": "Second"}, lock_version=0)
    draft.refresh_from_db()
    assert draft.value("title_en") == "First"


def test_nul_bytes_are_dropped_from_text(sam):
    item = services.benefit_item_create(actor=sam, values=item_values(title_en="Tax\x00 card"))
    assert item.value("title_en") == "Tax card"

"""The agency workspace screens, what my card lets me do, coverage for the administration, demo data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from benefits import demo, selectors, services
from benefits.models import TREATMENT_AREAS, BenefitItem, BenefitItemVersion, Category, HolderProfile
from residence.accounts.demo import seed_organisations, seed_users

from .conftest import item_values

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    data = {k: ("" if v is None else v) for k, v in item_values().items()}
    return data | {"kind": "treatment", "applies_to": "all", "link": "", "save": "1"} | overrides


def test_staff_draft_through_the_form_and_see_it_under_drafts(client, sam):
    client.force_login(sam)
    response = client.post(reverse("benefits:workspace_new"), form_data())
    item = BenefitItem.objects.get()
    assert response.url == reverse("benefits:workspace_item", args=[item.pk])
    assert item.value("title_en") in client.get(reverse("benefits:workspace")).content.decode()


def test_the_preview_shows_both_languages_and_saves_nothing(client, sam):
    client.force_login(sam)
    response = client.post(reverse("benefits:workspace_new"), form_data(preview="1", save=""))
    html = response.content.decode()
    assert "Preview in each language" in html
    assert "换领境外驾驶证" in html and "Convert a foreign driving licence" in html
    assert not BenefitItem.objects.exists()


def test_the_form_refuses_an_empty_title_and_oversized_text_with_clear_errors(client, sam):
    client.force_login(sam)
    html = client.post(
        reverse("benefits:workspace_new"), form_data(title_en="", title_zh="")
    ).content.decode()
    assert "Give the item a title, in English or another language." in html
    html = client.post(
        reverse("benefits:workspace_new"), form_data(description_en="x" * 10_001)
    ).content.decode()
    assert "Ensure this value has at most 10000 characters" in html
    assert not BenefitItem.objects.exists()


def test_publishing_without_a_translation_tells_the_supervisor_what_is_missing(client, sam, sue):
    item = services.benefit_item_create(actor=sam, values=item_values(description_zh=""))
    client.force_login(sue)
    response = client.post(reverse("benefits:workspace_publish", args=[item.pk]), follow=True)
    assert "Publishing needs this in Chinese too, as the English has it." in response.content.decode()
    assert BenefitItem.objects.get(pk=item.pk).state == "draft"


def test_a_withdrawn_item_cannot_be_opened_for_editing(client, published, sam, sue):
    services.benefit_item_withdraw(actor=sue, item=published)
    client.force_login(sam)
    response = client.post(
        reverse("benefits:workspace_edit", args=[published.pk]), form_data(title_en="Back"), follow=True
    )
    assert "A withdrawn item cannot be edited." in response.content.decode()
    assert BenefitItem.objects.get(pk=published.pk).value("title_en") != "Back"


def test_staff_see_the_administrations_comments(client, published, sam, paula):
    services.benefit_comment_create(actor=paula, item=published, body="Cite article 6 of the IIT Law.")
    client.force_login(sam)
    assert (
        "Cite article 6 of the IIT Law."
        in client.get(reverse("benefits:workspace_item", args=[published.pk])).content.decode()
    )


def test_a_holder_sees_the_items_that_apply_to_their_situation(
    client, applicant, published, hr_published, sam, sue
):
    minors = services.benefit_item_create(
        actor=sam,
        values=item_values(
            category=Category.CHILDRENS_SCHOOLING,
            applies_to="minors",
            title_en="School for minors",
            title_zh="未成年人入学",
        ),
    )
    services.benefit_item_publish(actor=sue, item=minors)
    client.force_login(applicant)
    assert "no permanent residence card on record" in client.get(reverse("benefits:my_card")).content.decode()

    services.holder_profile_set(actor=None, user=applicant, is_working=True, is_minor=False)
    html = client.get(reverse("benefits:my_card")).content.decode()
    assert hr_published.value("title_en") in html  # working holders
    assert published.value("title_en") in html  # all holders
    assert "School for minors" not in html

    services.holder_profile_set(actor=None, user=applicant, is_working=False, is_minor=True)
    data = client.get(reverse("api_benefits_my_items")).json()
    assert data["situation"]["applies_to"] == ["all", "not_working", "minors"]
    assert {r["translations"]["en"]["title"] for r in data["results"]} == {
        published.value("title_en"),
        "School for minors",
    }


def test_my_card_needs_a_login(client):
    assert client.get(reverse("benefits:my_card")).status_code == 302
    assert client.get(reverse("api_benefits_my_items")).status_code == 403


def test_the_holder_situation_seam(applicant):
    assert selectors.holder_situation(user=applicant) is None
    services.holder_profile_set(
        actor=None, user=applicant, is_working=False, is_minor=False, card_number="9344", source="cards"
    )
    situation = selectors.holder_situation(user=applicant)
    assert situation == selectors.HolderSituation(is_working=False, is_minor=False, card_number="9344")
    assert HolderProfile.objects.get(user=applicant).source == "cards"


def test_coverage_marks_areas_nobody_published_and_items_not_updated_for_a_year(
    client, published, hr_published, sam, paula
):
    services.benefit_item_create(
        actor=sam, values=item_values(category=Category.CUSTOMS)
    )  # a draft is no coverage
    BenefitItem.objects.filter(pk=hr_published.pk).update(
        published_at=timezone.now() - dt.timedelta(days=400)
    )
    report = selectors.coverage()
    gaps = {row.category for row in report.gaps}
    assert Category.CUSTOMS in gaps and Category.EMPLOYMENT_SOCIAL_INSURANCE not in gaps
    assert Category.TAXATION not in gaps  # not an article 16-17 area: never a gap
    assert [i.pk for i in report.stale] == [hr_published.pk]

    client.force_login(paula)
    html = client.get(reverse("benefits:coverage")).content.decode()
    assert "nothing published" in html and hr_published.value("title_en") in html
    data = client.get(reverse("api_benefits_coverage")).json()
    customs = next(r for r in data["rows"] if r["category"] == "customs")
    assert customs["is_gap"] and customs["by_agency"] == {"sta": {"published": 0, "drafts": 1}}


def test_coverage_is_for_policy_administrators_only(client, sam, applicant):
    for user in (sam, applicant):
        client.force_login(user)
        assert client.get(reverse("benefits:coverage")).status_code == 404
        assert client.get(reverse("api_benefits_coverage")).status_code == 403


def test_the_demo_covers_every_category_and_is_idempotent():
    seed_organisations()
    seed_users("a-demo-password-1")
    demo.seed()
    counts = (BenefitItem.objects.count(), BenefitItemVersion.objects.count())
    demo.seed()
    assert (BenefitItem.objects.count(), BenefitItemVersion.objects.count()) == counts
    published = set(selectors.published_versions().values_list("category", flat=True))
    assert set(Category.values) <= published
    assert not selectors.coverage().gaps
    assert set(TREATMENT_AREAS) <= published
    assert BenefitItem.objects.filter(state="draft").count() >= 2
    assert BenefitItem.objects.filter(state="withdrawn").count() == 1
    assert BenefitItemVersion.objects.filter(number=2).exists()
    assert selectors.holder_situation(user=HolderProfile.objects.get().user).is_working
    for version in selectors.published_versions():
        assert (
            version.value("title_en")
            and version.value("title_zh")
            and version.value("description_en")
            and version.value("description_zh")
        )

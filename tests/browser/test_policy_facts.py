"""An applicant fills a fact the policy version defines (no column behind it) on the facts step."""

from __future__ import annotations

import pytest

from applications.models import WorkFacts
from tests.applications.factories import ProfileFactory, complete_draft
from tests.applications.test_policy_facts import NEWCOMER, publish_patent_version
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import ARTIFACTS
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check_both_widths(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        page.screenshot(path=str(ARTIFACTS / f"policy_facts_{name}_{width}.png"), full_page=True)


def test_the_applicant_fills_a_policy_defined_fact_in_english_and_chinese(page):
    publish_patent_version()
    owner = UserFactory(email="ines.pf@example.org", full_name="Ines Duarte", roles=["applicant"])
    application = complete_draft(ProfileFactory(owner=owner, email=owner.email), facts=NEWCOMER)

    log_in(page, owner.email)
    page.goto(f"/applications/{application.pk}/steps/facts/")
    field = page.get_by_label("Invention patents granted in China")
    assert "From 0 to 500." in page.content()
    field.fill("900")
    page.get_by_role("button", name="Save as draft and leave").click()
    page.wait_for_load_state()
    assert "is outside the allowed range 0..500" in page.content()
    assert WorkFacts.objects.get(application=application).extra_facts == {}
    _check_both_widths(page, "error_en")
    page.get_by_label("Invention patents granted in China").fill("5")
    page.get_by_role("button", name="Save as draft and leave").click()
    page.wait_for_load_state()
    assert WorkFacts.objects.get(application=application).extra_facts == {"patents_granted": 5}

    page.goto(f"/applications/{application.pk}/steps/facts/")
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    field = page.get_by_label("在华获授权发明专利数")
    assert field.input_value() == "5"
    assert "取值范围 0 至 500。" in page.content()
    _check_both_widths(page, "zh")
    field.fill("7")
    page.locator("button[name=then][value=draft]").click()
    page.wait_for_load_state()
    assert WorkFacts.objects.get(application=application).extra_facts == {"patents_granted": 7}
    # The summary shows it with its Chinese label.
    page.goto(f"/applications/{application.pk}/")
    assert "在华获授权发明专利数" in page.content()
    _check_both_widths(page, "summary_zh")

"""A policy administrator raises the investment minimum in the portal; the public self-check follows it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, log_in
from tests.eligibility.factories import policy_admin as _policy_admin


def policy_admin(**kwargs):
    # A transactional test before this one may have flushed the role groups the migrations made.
    from django.contrib.auth.models import Group

    Group.objects.get_or_create(name="policy_admin")
    return _policy_admin(**kwargs)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_investor(page, amount: str) -> str:
    page.goto("/eligibility/check/investment/")
    page.locator("#id_amount_usd").fill(amount)
    page.locator("#id_method").select_option("direct")
    page.locator("#id_first_investment_date").fill("2018-01-01")
    page.locator("#id_enterprise_address_code").fill("510100")
    page.locator("#id_industry_code").fill("C3011")
    page.locator("#id_tax_record_good").select_option("yes")
    page.get_by_role("button", name="Check", exact=True).click()
    outcome = page.get_by_test_id("outcome").inner_text()
    assert_accessible(page)
    return outcome


def test_a_published_threshold_changes_the_next_public_self_check(page, browser, live_server):
    from eligibility.services import policy_install_default

    policy_install_default()
    policy_admin(email="paula@example.org")

    public = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    public.goto("/eligibility/check/")
    assert_accessible(public)
    assert check_investor(public, "500000") == "Eligible"

    log_in(page, "paula@example.org")
    page.goto("/policy/")
    assert_accessible(page)
    page.get_by_role("button", name="New draft from the version in force").click()
    assert_accessible(page)
    page.get_by_role("link", name="Change thresholds").click()
    assert_accessible(page)
    page.locator("#id_investment__amount_500k_western__value").fill("600000")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("The draft was saved.").wait_for()
    page.get_by_role("button", name="Publish this version").click()
    page.get_by_text("is published").wait_for()
    assert page.get_by_test_id("status").inner_text() == "Published"
    assert_accessible(page)

    assert check_investor(public, "500000") == "Not eligible"
    assert (
        "600,000" in public.locator("#result").inner_text()
        or "600000" in public.locator("#result").inner_text()
    )
    public.goto("/routes/investment/")
    assert "600000" in public.content() or "600,000" in public.content() or "Conditions" in public.content()
    assert_accessible(public)
    public.context.close()


def test_the_route_pages_and_policy_pages_are_accessible_on_a_phone_and_in_chinese(phone_page):
    from eligibility.services import policy_install_default

    policy_install_default()
    policy_admin(email="paula@example.org")
    phone_page.goto("/routes/")
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="中文").click()
    phone_page.goto("/routes/family/")
    assert "家庭团聚" in phone_page.content()
    assert_accessible(phone_page)
    for path in ("/eligibility/check/", "/eligibility/check/talent/"):
        phone_page.goto(path)
        assert_accessible(phone_page)

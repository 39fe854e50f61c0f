"""Comparing two policy versions through Chromium: a policy administrator compares the version in
force with a stricter draft, in English and Chinese, at desktop and phone width, with axe on the
result and on a refused request, and downloads the comparison."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from applications.models import Status
from eligibility.selectors import policy_version_in_force
from tests.applications.factories import offices
from tests.browser.conftest import assert_accessible, log_in, log_in_zh
from tests.cards.factories import profile_for
from tests.conftest import ARTIFACTS
from tests.factories import UserFactory
from tests.figures.test_policy_comparison import draft_with_investment_minimum, investors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def versions(db):
    tree = offices()
    profile = profile_for(UserFactory(roles=["applicant"]))
    admin = UserFactory(roles=["policy_admin"])
    investors(profile, tree["gd"], [(500000, Status.APPROVED)] * 12 + [(400000, Status.REFUSED)] * 3)
    investors(profile, tree["gd"], [(700000, Status.APPROVED)] * 12)
    investors(profile, tree["gd"], [(700000, Status.CARD_ISSUED)] * 10, green=True)
    return admin, policy_version_in_force(), draft_with_investment_minimum(admin, 600000, "2026 draft: 600k")


def choose(page, a, b, start="2024-07-01", end="2024-12-31"):
    page.locator("#id_version_a").select_option(str(a.pk))
    page.locator("#id_version_b").select_option(str(b.pk))
    page.locator("#id_start").fill(start)
    page.locator("#id_end").fill(end)
    page.locator("form[method=get] button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(
    "language, width", [("en", 1280), ("zh-hans", 1280), ("en", 375), ("zh-hans", 375)], ids=str
)
def test_an_administrator_compares_a_draft_with_the_version_in_force(
    browser, live_server, versions, language, width
):
    admin, in_force, draft = versions
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 900},
        locale="en-GB" if language == "en" else "zh-CN",
    )
    page = context.new_page()
    (log_in if language == "en" else log_in_zh)(page, admin.email)
    page.goto("/statistics/policy-comparison/")
    assert page.locator("h1").inner_text() == (
        "Compare policy versions" if language == "en" else "比较政策版本"
    )
    assert_accessible(page)
    choose(page, in_force, draft)
    table = page.locator("#table-compare-route-caption").locator("xpath=..")
    investment = table.locator("tbody tr").nth(2)  # talent, work, investment...
    cells = investment.locator("td").all_inner_texts()
    # 37 cases; 34 eligible now, 22 under the draft: the 12 investors of 500,000 move out.
    assert cells[:5] == ["37", "34", "22", "12", "0"]
    small = "fewer than 10" if language == "en" else "少于 10"
    assert small in cells[6]  # the 3 refusals
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"policy-comparison-{language}-{width}.png"), full_page=True)
    # The same version twice is refused on the form, with nothing shown.
    choose(page, in_force, in_force)
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#table-compare-route-caption").count() == 0
    assert_accessible(page)
    context.close()


def test_the_comparison_downloads_as_csv(browser, live_server, versions):
    admin, in_force, draft = versions
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    page = context.new_page()
    log_in(page, admin.email)
    page.goto("/home/")
    page.get_by_role("link", name="Compare policy versions").first.click()
    choose(page, in_force, draft)
    page.get_by_label("Purpose of the download").fill("The effect of a 600,000 minimum on 2024 investors.")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the comparison").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    investment = next(r for r in rows if r["group"] == "investment")
    assert (investment["eligible_a"], investment["eligible_b"], investment["lost"]) == ("34", "22", "12")
    context.close()


def test_the_expert_sees_no_drafts_and_a_draft_is_a_clear_message(browser, live_server, versions):
    _admin, in_force, draft = versions
    expert = UserFactory(roles=["policy_expert"])
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 900}, locale="en-GB"
    )
    page = context.new_page()
    log_in(page, expert.email)
    page.goto(
        f"/statistics/policy-comparison/?version_a={in_force.pk}&version_b={draft.pk}"
        "&start=2024-07-01&end=2024-12-31"
    )
    assert "There is no such policy version" in page.locator(".error-summary").inner_text()
    assert draft.label not in page.locator("#id_version_b").inner_text()
    assert_accessible(page)
    context.close()

"""Benefits registry in a browser: staff draft, the supervisor publishes, the public finds it in
both languages and in the feed, and another agency cannot touch it."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import AgencyFactory, OfficeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    tax = AgencyFactory(code="sta", name_en="State Taxation Administration", name_zh="国家税务总局")
    hr = AgencyFactory(
        code="mohrss",
        name_en="Ministry of Human Resources and Social Security",
        name_zh="人力资源和社会保障部",
    )
    return {
        "sam": UserFactory(email="sam@tax.example", roles=["agency_staff"], agency=tax),
        "sue": UserFactory(email="sue@tax.example", roles=["agency_supervisor"], agency=tax),
        "hank": UserFactory(email="hank@hr.example", roles=["agency_staff"], agency=hr),
        "paula": UserFactory(email="paula@policy.example", roles=["policy_admin"], office=OfficeFactory()),
    }


def log_out(page) -> None:
    page.context.clear_cookies()


def test_staff_draft_the_supervisor_publishes_and_the_public_finds_it(page, people, live_server):
    log_in(page, "sam@tax.example")
    page.get_by_role("link", name="Agency workspace").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Draft a new item").click()
    page.get_by_label("Category").select_option("taxation")
    page.get_by_label("Applies to").select_option("working")
    page.get_by_label("Title (English)").fill("Special additional deductions for individual income tax")
    page.get_by_label("Title (Chinese)").fill("个人所得税专项附加扣除")
    page.get_by_label("Description (English)").fill(
        "Tax residents claim deductions for children's education and rent."
    )
    page.get_by_label("Description (Chinese)").fill("税收居民可享受子女教育、住房租金等专项附加扣除。")
    page.get_by_role("button", name="Preview").click()
    assert page.get_by_role("heading", name="Preview in each language").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/benefits/workspace/\d+/$"))
    item_url = page.url
    item_id = re.search(r"/workspace/(\d+)/", item_url).group(1)
    assert page.get_by_text("Draft saved.").is_visible()
    assert page.get_by_role("button", name="Publish").count() == 0  # staff cannot publish
    assert_accessible(page)

    log_out(page)
    log_in(page, "sue@tax.example")
    page.goto(item_url)
    page.get_by_role("button", name="Publish").click()
    assert page.get_by_text("Published.").is_visible()
    assert_accessible(page)

    log_out(page)
    page.goto("/benefits/")
    assert_accessible(page)
    page.get_by_label("Search in English or Chinese").fill("专项附加扣除")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name="Special additional deductions for individual income tax").click()
    assert page.url.endswith(f"/benefits/{item_id}/")
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Special additional deductions for individual income tax"
    )
    assert_accessible(page)

    page.goto("/benefits/")
    page.get_by_label("Search in English or Chinese").fill("deductions")
    page.get_by_role("button", name="Search", exact=True).click()
    assert page.get_by_role(
        "link", name="Special additional deductions for individual income tax"
    ).is_visible()

    # The same item in Chinese.
    page.get_by_role("button", name="中文").click()
    page.goto(f"/benefits/{item_id}/")
    assert page.get_by_role("heading", level=1).inner_text() == "个人所得税专项附加扣除"
    assert_accessible(page)
    page.get_by_role("button", name="English").click()

    feed = page.request.get(f"{live_server.url}/benefits/feed/")
    assert feed.ok and "Special additional deductions for individual income tax" in feed.text()

    # Staff of another agency cannot touch it.
    log_in(page, "hank@hr.example")
    for path in (f"/benefits/workspace/{item_id}/", f"/benefits/workspace/{item_id}/edit/"):
        response = page.goto(path)
        assert response.status == 404
    response = page.request.post(f"{live_server.url}/benefits/workspace/{item_id}/withdraw/")
    assert response.status in (403, 404)  # no CSRF token or not theirs: refused either way
    page.goto(f"/benefits/{item_id}/")
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Special additional deductions for individual income tax"
    )


def test_the_catalogue_reads_well_on_a_phone(phone_page, people):
    phone_page.goto("/benefits/")
    assert phone_page.get_by_role("heading", level=1).is_visible()
    assert_accessible(phone_page)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320

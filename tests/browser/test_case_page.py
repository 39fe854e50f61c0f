"""The officer's case page in Chromium: the summary first, and no document fetched until asked (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from residence.accounts.models import Role
from tests.applications.factories import ProfileFactory, officer, offices, submitted
from tests.browser.conftest import assert_accessible, log_in, log_in_zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/shots/officer")


@pytest.fixture
def case(settings, tmp_path):
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }
    tree = offices()
    officer("intake_officer", tree["gd-gz"], email="ivan@example.org")
    return submitted(ProfileFactory())


def test_the_case_page_loads_without_fetching_a_document_and_shows_one_when_asked(
    case, page, browser, live_server
):
    log_in(page, "ivan@example.org")
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "/documents/" in r.url else None)
    page.goto(f"/cases/{case.pk}/", wait_until="load")
    assert fetched == [], "documents were fetched with the page"
    summary = page.locator("section.case-summary")
    assert summary.get_by_role("heading", name="Summary").is_visible()
    assert summary.get_by_role("link", name="Accept: the application is complete").is_visible()
    assert_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "case-en-1280.png"), full_page=True)
    # Opening one preview fetches that image only, and it shows.
    page.get_by_text("Show the image here").first.click()
    image = page.locator("details.doc-preview[open] img").first
    image.wait_for(state="visible")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert len(fetched) == 1
    page.screenshot(path=str(SHOTS / "case-preview-en-1280.png"), full_page=True)

    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}, locale="zh-CN"
    )
    phone = context.new_page()
    log_in_zh(phone, "ivan@example.org")
    phone.goto(f"/cases/{case.pk}/")
    assert phone.locator("section.case-summary").get_by_role("heading", name="摘要").is_visible()
    assert_accessible(phone)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.screenshot(path=str(SHOTS / "case-375.png"), full_page=True)
    context.close()

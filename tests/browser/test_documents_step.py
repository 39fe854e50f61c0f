"""The documents step in Chromium: each upload replaces its own section, the page is never reloaded,
and the photo's rules are on the page before the first attempt (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from applications import services
from residence.accounts.models import Role
from tests.applications.factories import WORK_FACTS, ProfileFactory, png_bytes
from tests.browser.conftest import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/shots/documents")


@pytest.fixture
def draft(settings, tmp_path):
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }
    profile = ProfileFactory(owner__email="alice@example.org")
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    services.application_update(
        actor=profile.owner,
        application=application,
        facts=WORK_FACTS,
        years_in_china=[(timezone.localdate().year - i, 300) for i in range(1, 6)],
    )
    return application


def _file(size=(600, 740)) -> dict:
    return {"name": "scan.png", "mimeType": "image/png", "buffer": png_bytes(size)}


def test_every_upload_on_one_page_without_reloading_it(draft, page, browser, live_server):
    log_in(page, "alice@example.org")
    page.goto(f"/applications/{draft.pk}/steps/documents/")
    photo = page.locator("section.document-slot:has(input[value=photo])")
    assert "at least 300 × 370 pixels" in photo.locator("p.help").inner_text()
    assert_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "documents-en-1280.png"), full_page=True)
    # A marker on the window survives only if the page is never reloaded.
    page.evaluate("window.__stay = 1")
    navigations = []
    page.on(
        "framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None
    )

    # A photo too small: its error in its section, before anything else is uploaded.
    photo.locator("input[type=file]").set_input_files(_file((40, 40)))
    photo.get_by_role("button", name="Upload").click()
    page.locator("section.document-slot:has(input[value=photo]) .field-error").wait_for()
    assert (
        "40 × 40" in page.locator("section.document-slot:has(input[value=photo]) .field-error").inner_text()
    )

    sections = page.locator("main section.document-slot")
    total = sections.count()
    for index in range(total):
        section = sections.nth(index)
        slot = section.get_attribute("id")
        section.locator("input[type=file]").set_input_files(_file())
        section.get_by_role("button", name="Upload").click()
        page.locator(f"#{slot} p.message").wait_for()
        assert page.locator(f"#{slot} .badge.ok").count() == 1
    assert page.evaluate("window.__stay") == 1 and navigations == []
    assert page.locator("#documents-progress").inner_text() == "Every document is uploaded"
    assert draft.documents.count() == total
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "documents-uploaded-en-1280.png"), full_page=True)

    # Without JavaScript the same forms work, a reload per file.
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 800},
        locale="en-GB",
        java_script_enabled=False,
    )
    nojs = context.new_page()
    log_in(nojs, "alice@example.org")
    nojs.goto(f"/applications/{draft.pk}/steps/documents/")
    section = nojs.locator("section.document-slot:has(input[value=passport])")
    section.locator("input[type=file]").set_input_files(_file())
    with nojs.expect_navigation():
        section.get_by_role("button", name="Upload a new version").click()
    assert nojs.get_by_text("The document is uploaded.").is_visible()
    assert draft.documents.filter(document_type="passport").count() == 2
    context.close()

    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}, locale="zh-CN"
    )
    phone = context.new_page()
    from tests.browser.conftest import log_in_zh

    log_in_zh(phone, "alice@example.org")
    phone.goto(f"/applications/{draft.pk}/steps/documents/")
    assert (
        "至少 300 × 370 像素"
        in phone.locator("section.document-slot:has(input[value=photo]) p.help").inner_text()
    )
    assert_accessible(phone)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.screenshot(path=str(SHOTS / "documents-zh-375.png"), full_page=True)
    context.close()

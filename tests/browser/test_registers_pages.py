"""The registers and nominating-body pages, looked at in both languages at desktop and phone width."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _groups():
    from django.contrib.auth.models import Group

    for name in ("policy_admin", "nominating_body_staff", "applicant"):
        Group.objects.get_or_create(name=name)


def _session(browser, live_server, width, language, email):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, locale="en-GB"
    )
    page = context.new_page()
    log_in(page, email)
    if language != "en-GB":
        page.get_by_role("button", name="中文").click()
        page.wait_for_load_state()
    return page, context


@pytest.mark.parametrize(("language", "width"), [("en-GB", 1280), ("zh-CN", 375)])
def test_the_registers_and_a_nomination_read_well(browser, live_server, language, width):
    from eligibility.models import Register
    from eligibility.registers import edition_in_force
    from eligibility.services import policy_install_default
    from tests.applications.factories import ProfileFactory, submitted
    from tests.eligibility.factories import nominating_body, policy_admin

    _groups()
    policy_install_default()
    policy_admin(email="paula@example.org")
    _, mei = nominating_body("most", staff_email="mei@most.example.org")
    submitted(
        ProfileFactory(),
        channel="contribution",
        facts={
            "nominating_body": "most",
            "nomination_method": "central_agency",
            "field": "science",
            "summary": "Thirty years of work on rice genetics.",
        },
    )
    edition = edition_in_force(Register.ENCOURAGED_INDUSTRIES)
    ARTIFACTS.mkdir(exist_ok=True)
    tag = f"{language}-{width}"

    page, context = _session(browser, live_server, width, language, "paula@example.org")
    for path, name in (
        ("/policy/registers/", "registers"),
        (f"/policy/registers/editions/{edition.pk}/", "edition"),
        ("/policy/nominating-bodies/", "bodies"),
    ):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, path
        assert_accessible(page)
        page.screenshot(path=str(ARTIFACTS / f"registers-{name}-{tag}.png"), full_page=True)
    page.goto("/policy/registers/")
    page.get_by_role("button", name="New edition of" if language == "en-GB" else "新建").first.click()
    assert "/policy/registers/editions/" in page.url
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / f"registers-draft-{tag}.png"), full_page=True)
    context.close()

    page, context = _session(browser, live_server, width, language, mei.email)
    page.goto("/nominations/")
    assert_accessible(page)
    page.locator("main table a").first.click()
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / f"nomination-{tag}.png"), full_page=True)
    context.close()

"""The verification pages in Chromium: the monitor, a case's checks, the management queue; axe on each."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from applications import services as application_services
from applications.models import Application
from residence.accounts.models import Role
from tests.applications.factories import ProfileFactory, intake_done, officer, offices, submitted
from tests.browser.conftest import assert_accessible, log_in, log_in_zh
from tests.factories import UserFactory
from tests.verification.conftest import SECRET, Simulator
from verification import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/shots/verify")


@pytest.fixture
def world(settings, tmp_path):
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    simulator = Simulator()
    settings.VERIFICATION_BASE_URL = simulator.url
    settings.VERIFICATION_DEFAULT_SECRET = SECRET
    settings.VERIFICATION_TIMEOUT_SECONDS = 1.0
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }
    tree = offices()
    ivan = officer("intake_officer", tree["gd-gz"], email="ivan@example.org")
    rita = officer("reviewer", tree["gd"], email="rita@example.org")
    mona = officer("management_officer", tree["gd"], email="mona@example.org")
    admin = UserFactory(email="root@example.org", roles=["system_admin"], is_staff=True, is_superuser=True)
    case = submitted(ProfileFactory(passport_number="TESTMISMATCH"))
    intake_done(case, ivan)
    application_services.application_accept(actor=ivan, application=case)
    resident = submitted(
        ProfileFactory(passport_number="CA123456", family_name="Costa", given_names="Rafael")
    )
    Application.objects.filter(pk=resident.pk).update(status="card_issued", stage="closed")
    services.management_rechecks_start()
    yield {"case": case, "rita": rita, "mona": mona, "admin": admin}
    simulator.stop()


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_an_administrator_sees_figures_per_agency_and_the_failing_checks(world, page, phone_page):
    log_in(page, "root@example.org")
    page.goto("/verification/monitor/")
    assert page.get_by_role("heading", name="Verification monitor").is_visible()
    assert page.get_by_role("row", name="State Taxation Administration").is_visible()
    assert_accessible(page)
    shoot(page, "monitor-en-1280")
    log_in(phone_page, "root@example.org")
    phone_page.goto("/verification/monitor/")
    assert_accessible(phone_page)
    shoot(phone_page, "monitor-en-320")


def test_a_reviewer_sees_each_check_with_what_was_stated_and_what_the_record_says(
    world, page, browser, live_server
):
    log_in(page, "rita@example.org")
    page.goto(f"/verification/applications/{world['case'].pk}/")
    assert page.get_by_role("heading", name="Income-tax record Mismatch").is_visible()
    assert_accessible(page)
    shoot(page, "case-checks-en-1280")
    page.get_by_label("Reason for asking again").first.fill("The applicant sent a corrected return")
    page.get_by_role("button", name="Run this check again").first.click()
    assert page.get_by_text("The check was sent to the agency again.").is_visible()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="zh-CN"
    )
    zh = context.new_page()
    log_in_zh(zh, "rita@example.org")
    zh.goto(f"/verification/applications/{world['case'].pk}/")
    assert zh.get_by_text("个人所得税记录").first.is_visible()
    assert_accessible(zh)
    shoot(zh, "case-checks-zh-1280")
    context.close()


def test_a_management_officer_works_the_queue_of_findings(world, page, phone_page):
    log_in(page, "mona@example.org")
    page.goto("/verification/management/")
    assert_accessible(page)
    shoot(page, "management-queue-en-1280")
    page.get_by_role("link", name="COSTA Rafael").click()
    assert (
        page.get_by_role("heading", name="Evidence").first.is_visible()
        or page.get_by_text("Evidence").first.is_visible()
    )
    assert_accessible(page)
    shoot(page, "management-case-en-1280")
    log_in(phone_page, "mona@example.org")
    phone_page.goto(page.url)
    assert_accessible(phone_page)
    shoot(phone_page, "management-case-en-320")
    page.get_by_label("What was done").fill("Interviewed the holder.")
    page.get_by_role("button", name="Close the case").click()
    assert page.get_by_text("The management case is closed.").is_visible()

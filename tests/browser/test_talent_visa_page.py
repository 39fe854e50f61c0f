"""The officer sees the talent visa's category and approval reference, filled from the immigration
records, with their source (R7, issue 13): English and Chinese, desktop and phone, axe on each."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from applications import services as application_services
from applications.models import TalentFacts
from residence.accounts.models import Role
from tests.applications.factories import ProfileFactory, intake_done, officer, offices, submitted
from tests.browser.conftest import assert_accessible, log_in, log_in_zh
from tests.conftest import ARTIFACTS
from tests.verification.conftest import SECRET, Simulator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TALENT = {
    "talent_visa_number": "R12345678",
    "employer_name": "Guangzhou Institute of Biomedicine",
    "work_province": "CN-GD",
    "annual_salary_cny": Decimal("600000"),
    "annual_income_tax_cny": Decimal("120000"),
    "education": "doctorate",
}


@pytest.fixture
def case(settings, tmp_path):
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
    officer("reviewer", tree["gd"], email="rita@example.org")
    application = submitted(ProfileFactory(passport_number="TESTMATCH1"), channel="talent", facts=TALENT)
    intake_done(application, ivan)
    application_services.application_accept(actor=ivan, application=application)
    yield application
    simulator.stop()


def test_the_officer_sees_the_visa_facts_with_their_source(case, browser, live_server):
    facts = TalentFacts.objects.get(application=case)
    assert facts.talent_visa_verified_at is not None  # the check ran and matched
    for locale, width in (("en-GB", 1280), ("en-GB", 375), ("zh-CN", 1280), ("zh-CN", 375)):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}, locale=locale
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        (log_in if locale == "en-GB" else log_in_zh)(page, "rita@example.org")
        page.goto(f"/cases/{case.pk}/")
        name = "Talent visa (R visa)" if locale == "en-GB" else "人才签证（R字签证）"
        panel = page.get_by_role("region", name=name)
        assert panel.get_by_text(facts.talent_visa_approval_ref).is_visible()
        source = (
            "Source: National Immigration Administration" if locale == "en-GB" else "来源：国家移民管理局"
        )
        assert panel.get_by_text(source).is_visible()
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"talent-visa-{locale}-{width}.png"), full_page=True)
        context.close()

"""The person's privacy page in a real browser: consents, exports, who looked; English and Chinese, desktop and phone."""

from __future__ import annotations

import json

import pytest

from applications import services as application_services
from applications.models import Authorisation
from privacy import services as privacy_services
from privacy.models import Consent
from tests.applications.factories import ProfileFactory, officer, offices, submitted
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import ARTIFACTS
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db, settings, tmp_path):
    from django.contrib.auth.models import Group
    from django.core.cache import cache

    from eligibility.services import policy_install_default
    from residence.accounts.models import Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    policy_install_default()
    cache.clear()  # the hour's access-log marks of an earlier run (ids repeat after a flush)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }


def _look(page, name: str) -> None:
    """Accessible at desktop and phone width; a screenshot of each to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        page.screenshot(path=str(ARTIFACTS / f"privacy-{name}-{width}.png"), full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"


def test_a_person_sees_their_consents_downloads_their_data_and_sees_which_office_looked(page):
    alice = UserFactory(email="alice.pipl@example.org", full_name="Alice Martin", roles=["applicant"])
    agent = UserFactory(
        email="agent.pipl@example.org", full_name="Canton Visa Services", roles=["intermediary"]
    )
    application = submitted(ProfileFactory(owner=alice))
    application_services.authorisation_grant(actor=alice, intermediary_email=agent.email)
    intake = officer("intake_officer", offices()["gd-gz"], email="intake.pipl@example.org")
    privacy_services.case_access_record(
        user=intake, application_id=application.pk, view_name="applications:case"
    )

    log_in(page, alice.email)
    page.goto("/privacy/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your personal information"
    assert page.get_by_text("Text application-2026-1, given on").is_visible()
    assert "the intermediary can no longer see or act on your records" in page.content()
    views = page.get_by_role("table", name="Offices that looked at your cases")
    assert "Guangzhou" in views.inner_text() and application.reference in views.inner_text()
    assert "intake.pipl@example.org" not in page.content()
    _look(page, "en")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as JSON (machine-readable)").click()
    with open(download.value.path(), encoding="utf-8") as handle:
        data = json.load(handle)
    assert (
        data["account"]["email"] == alice.email
        and data["applications"][0]["reference"] == application.reference
    )
    # Rendered on request (the first render in a process loads the CJK font): allow it time.
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("link", name="Download as PDF (readable, in Chinese and English)").click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # Withdrawing the intermediary's consent ends their authorisation at once.
    consent = Consent.objects.get(purpose="intermediary")
    page.locator(f"form[action='/privacy/consents/{consent.pk}/withdraw/'] button").click()
    assert page.get_by_text("Your consent was withdrawn.").is_visible()
    assert Authorisation.objects.get().revoked_at is not None
    # The application's consent needs the box ticked: refused with the reason otherwise.
    app_consent = Consent.objects.get(purpose="application")
    page.locator(f"form[action='/privacy/consents/{app_consent.pk}/withdraw/'] button").click()
    assert "withdraws the application" in page.content()
    assert Consent.objects.get(pk=app_consent.pk).withdrawn_at is None

    # An empty correction request says what is missing; a full one goes to the office.
    page.get_by_role("button", name="Send the request").click()
    assert "This field is required." in page.content()
    page.get_by_label("Which information is wrong").fill("Address")
    page.get_by_label("What it should say").fill("2 Tianhe Road, Guangzhou")
    page.get_by_role("button", name="Send the request").click()
    assert page.get_by_text("Your request was sent to the office that handles your case.").is_visible()

    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "您的个人信息"
    assert "广州" in page.get_by_role("table", name="查阅过您案件的机关").inner_text()
    assert "撤回后授权立即终止" in page.content()
    _look(page, "zh")

"""A management officer sees a credit-platform finding with its source and opens a revocation case
from it in one step (R21 -> R22, issue 13): English and Chinese, desktop and phone, axe on each."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from cards.models import RevocationCase
from residence.accounts.models import Role
from tests.browser.conftest import assert_accessible, log_in, log_in_zh
from tests.cards.factories import issued_card
from tests.conftest import ARTIFACTS
from tests.factories import OfficeFactory, UserFactory
from tests.verification.conftest import SECRET, Simulator
from verification import services
from verification.models import ManagementCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    UserFactory(email="mona@example.org", roles=["management_officer"], office=OfficeFactory())
    card = issued_card(UserFactory(roles=["applicant"]), passport_number="TESTCREDBAD")
    services.management_rechecks_start()
    yield {"case": ManagementCase.objects.get(application_id=card.application_id), "card": card}
    simulator.stop()


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"management-revocation-{name}.png"), full_page=True)


def new_page(browser, live_server, *, width: int, locale: str):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, locale=locale
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_the_officer_sees_the_finding_and_opens_a_revocation_from_it_in_one_step(world, browser, live_server):
    url = f"/verification/management/{world['case'].pk}/"
    for width in (1280, 375):
        context, page = new_page(browser, live_server, width=width, locale="en-GB")
        log_in(page, "mona@example.org")
        page.goto(url)
        finding = page.get_by_role(
            "region", name="Credit record — National Credit Information Sharing Platform"
        )
        assert finding.is_visible()
        assert page.get_by_text("Source: National Credit Information Sharing Platform, answered").is_visible()
        assert page.get_by_role("row", name="Judgment defaulter who refuses to comply").is_visible()
        assert_accessible(page)
        shoot(page, f"en-{width}")
        if width == 1280:
            # No ground chosen: the form says so, nothing is opened.
            page.get_by_role("button", name="Open a revocation case on this finding").click()
            assert page.get_by_role("alert").get_by_text("Ground for revocation").is_visible()
            assert_accessible(page)
            assert not RevocationCase.objects.exists()
        context.close()

    context, page = new_page(browser, live_server, width=375, locale="zh-CN")
    log_in_zh(page, "mona@example.org")
    page.goto(url)
    assert page.get_by_role("heading", name="信用记录 — 全国信用信息共享平台").is_visible()
    assert page.get_by_role("row", name="失信被执行人").is_visible()
    assert_accessible(page)
    shoot(page, "zh-375")
    page.get_by_label("取消资格的事由").select_option("fraud")
    page.get_by_role("button", name="根据此发现立案取消资格").click()
    assert page.get_by_text("已根据该发现立案取消资格").is_visible()
    revocation = RevocationCase.objects.get()
    assert page.url.endswith(f"/cards/revocations/{revocation.pk}/")
    assert revocation.card == world["card"] and revocation.ground == "fraud"
    assert "严重失信记录：失信被执行人" in revocation.evidence  # in the officer's language
    assert_accessible(page)
    shoot(page, "zh-375-opened")
    context.close()

    context, page = new_page(browser, live_server, width=1280, locale="zh-CN")
    log_in_zh(page, "mona@example.org")
    page.goto(url)
    assert page.get_by_text("已根据第1项发现立案取消资格。").is_visible()
    assert page.get_by_role("button", name="根据此发现立案取消资格").count() == 0
    assert_accessible(page)
    shoot(page, "zh-1280")
    context.close()

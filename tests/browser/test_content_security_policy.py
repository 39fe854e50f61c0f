"""Key pages run under the Content-Security-Policy without a single violation: nothing inline is
refused because nothing inline is there (issue 19). Chromium reports every refusal on the console
and as a securitypolicyviolation event; both are collected."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in
from tests.conftest import ARTIFACTS
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(autouse=True)
def _reference_data(transactional_db, settings, tmp_path):
    from django.contrib.auth.models import Group

    from eligibility.services import policy_install_default
    from residence.accounts.models import Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    policy_install_default()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }


def visit(page, path: str, seen: list[str]) -> None:
    response = page.goto(path)
    assert response.status == 200, path
    assert "script-src 'self'" in response.headers["content-security-policy"], path
    page.wait_for_load_state("networkidle")
    seen.extend(f"{path}: {v}" for v in page.evaluate("window.__cspViolations"))


def test_key_pages_run_without_a_csp_violation(browser, live_server):
    from cards.tokens import verification_token
    from tests.applications.factories import ProfileFactory, complete_draft, officer, offices
    from tests.cards.factories import issued_card

    # Not verified yet: the review page shows the notice with its resend button, which is looked at too.
    applicant = UserFactory(email="csp.applicant@example.org", roles=["applicant"], email_verified_at=None)
    draft = complete_draft(ProfileFactory(owner=applicant))
    ivan = officer("intake_officer", offices()["gd-gz"], email="csp.ivan@example.org")
    card = issued_card(UserFactory(email="csp.holder@example.org", full_name="Holder", roles=["applicant"]))

    seen: list[str] = []
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            seen.append(f"console: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    visit(page, "/", seen)
    visit(page, "/accounts/login/", seen)
    visit(page, "/eligibility/check/work/", seen)
    visit(page, f"/cards/verify/{verification_token(card.number)}/", seen)
    visit(page, "/api/docs/", seen)
    log_in(page, applicant.email)
    visit(page, "/home/", seen)
    for step in ("profile", "facts", "documents", "review"):
        visit(page, f"/applications/{draft.pk}/steps/{step}/", seen)
    assert page.get_by_role("button", name="Resend the verification e-mail").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "csp-review-unverified.png"), full_page=True)
    page.get_by_role("button", name="Resend the verification e-mail").click()
    page.wait_for_load_state()
    assert "We sent a new verification link" in page.locator(".messages").inner_text()
    seen.extend(page.evaluate("window.__cspViolations"))
    page.get_by_role("button", name="Log out").click()
    log_in(page, ivan.email)
    visit(page, "/cases/", seen)
    context.close()
    assert not seen, "\n".join(seen)

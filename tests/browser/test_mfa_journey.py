"""Staff second factor in Chromium: enrolment and log-in with an authenticator app, with a recovery
code, and with a passkey on Chromium's virtual authenticator (WebAuthn over CDP); in English and
Chinese, on a desktop and a 375 px phone, every page checked by axe."""

from __future__ import annotations

import base64
import re
from urllib.parse import urlparse

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from residence.audit.models import AuditEntry
from residence.mfa.models import WebAuthnDevice
from tests.browser.conftest import assert_accessible
from tests.conftest import ARTIFACTS
from tests.factories import PASSWORD
from tests.mfa_helpers import device_code, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Both languages and both widths, each page checked in each (the machine is shared: two variants).
VARIANTS = [("en", 1280), ("zh-hans", 375)]


@pytest.fixture(params=VARIANTS, ids=[f"{lang}-{width}" for lang, width in VARIANTS])
def screen(request, browser, live_server):
    language, width = request.param
    # WebAuthn needs a secure context and a domain for its relying party: localhost is both.
    base_url = live_server.url.replace("127.0.0.1", "localhost")
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": width, "height": 900},
        locale="zh-CN" if language != "en" else "en-GB",
    )
    # Generous: eight engineers share two cores, and a slow page is not what this tests.
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.variant = f"{language}-{width}"
    page.language = language
    page.width = width
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"mfa-failed-{request.node.name}.png"), full_page=True)
    context.close()


def check(page, name: str) -> None:
    """Accessible, no sideways scrolling on the phone, and a screenshot to look at."""
    page.wait_for_load_state()
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.width + 1, f"{page.url} is {width} px wide"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"mfa-{page.variant}-{name}.png"), full_page=True)


def path(page) -> str:
    return urlparse(page.url).path


def password_step(page, email: str) -> None:
    page.goto("/accounts/login/")
    if page.language != "en" and page.locator("html").get_attribute("lang") != "zh-Hans":
        page.get_by_role("button", name="中文").click()
        page.wait_for_load_state()
    page.locator("[name=username]").fill(email)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def log_out(page) -> None:
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state()


def test_an_officer_enrols_an_app_then_logs_in_with_a_code_and_with_a_recovery_code(screen, rita):
    page = screen
    password_step(page, rita.email)
    assert path(page) == "/accounts/mfa/setup/"
    assert page.locator("html").get_attribute("lang") == ("zh-Hans" if page.language != "en" else "en")
    check(page, "enrol")
    # Staff reach nothing else before the second factor.
    page.goto("/cases/")
    assert path(page) == "/accounts/mfa/setup/"

    secret = page.locator("[data-secret]").get_attribute("data-secret")
    page.locator("main [name=token]").fill(
        "000000" if totp_code(base64.b32decode(secret)) != "000000" else "111111"
    )
    page.locator("main form button[type=submit]").click()
    assert page.locator(".field-error").count() == 1
    check(page, "enrol-wrong-code")
    page.wait_for_timeout(1100)  # django-otp makes the next try after a wrong code wait a second
    page.locator("main [name=token]").fill(totp_code(base64.b32decode(secret)))
    page.locator("main form button[type=submit]").click()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    check(page, "recovery-codes")
    page.locator("main a.button").click()
    page.wait_for_url(re.compile(r"/cases/$"))  # where the officer was going

    log_out(page)
    password_step(page, rita.email)
    assert path(page) == "/accounts/mfa/"
    check(page, "verify")
    page.locator("main [name=token]").fill(device_code(rita.email))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/home/$"))

    log_out(page)
    password_step(page, rita.email)
    page.locator("main [name=token]").fill(codes[3])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/home/$"))
    assert page.locator(".message-warning").count() == 1  # "9 are left"
    check(page, "after-recovery-code")
    actions = set(AuditEntry.objects.filter(actor=rita).values_list("action", flat=True))
    assert {"mfa.enrol", "mfa.enrol_failed", "mfa.verify", "mfa.recovery_code_used"} <= actions
    assert TOTPDevice.objects.get(user=rita).confirmed


def _virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, authenticator["authenticatorId"]


def test_an_officer_enrols_a_passkey_and_logs_in_with_it(screen, nadia):
    page = screen
    cdp, authenticator_id = _virtual_authenticator(page)
    password_step(page, nadia.email)
    assert path(page) == "/accounts/mfa/setup/"
    page.locator("[data-passkey-action=register] [data-passkey-start]").click()
    page.wait_for_url(re.compile(r"/accounts/mfa/recovery-codes/new/"))
    assert page.locator(".recovery-codes code").count() == 10
    check(page, "passkey-recovery-codes")
    page.locator("main a.button").click()
    page.wait_for_url(re.compile(r"/home/$"))
    device = WebAuthnDevice.objects.get(user=nadia)
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]
    assert len(credentials) == 1

    page.goto("/accounts/mfa/devices/")
    check(page, "devices")
    assert page.get_by_text(device.name).count() >= 1

    log_out(page)
    password_step(page, nadia.email)
    assert path(page) == "/accounts/mfa/"
    check(page, "verify-with-passkey")
    page.locator("[data-passkey-action=login] [data-passkey-start]").click()
    page.wait_for_url(re.compile(r"/home/$"))
    page.goto("/cases/")
    assert path(page) == "/cases/"
    device.refresh_from_db()
    assert device.last_used_at is not None
    entries = AuditEntry.objects.filter(actor=nadia, action="mfa.verify")
    assert entries.filter(after__device="passkey").exists()


def test_a_passkey_the_authenticator_no_longer_holds_leaves_the_officer_at_the_second_factor(screen, nadia):
    page = screen
    if page.variant != "en-1280":
        pytest.skip("one variant is enough for the refusal")
    cdp, authenticator_id = _virtual_authenticator(page)
    password_step(page, nadia.email)
    page.locator("[data-passkey-action=register] [data-passkey-start]").click()
    page.wait_for_url(re.compile(r"/accounts/mfa/recovery-codes/new/"))
    page.locator("main a.button").click()
    log_out(page)
    cdp.send("WebAuthn.clearCredentials", {"authenticatorId": authenticator_id})
    password_step(page, nadia.email)
    page.locator("[data-passkey-action=login] [data-passkey-start]").click()
    status = page.locator("[data-passkey-status]")
    status.wait_for(state="visible")
    assert status.inner_text()
    assert path(page) == "/accounts/mfa/"
    check(page, "passkey-refused")

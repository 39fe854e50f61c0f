"""Second factors in tests: TOTP codes computed from a device's key, as an authenticator app does,
and the browser steps after the password (enrolment or verification) for staff log-ins."""

from __future__ import annotations

import base64
import time
from urllib.parse import urlparse

from django_otp.oath import TOTP

ENROL_PATH = "/accounts/mfa/setup/"
VERIFY_PATH = "/accounts/mfa/"


def totp_code(key: bytes, *, after_t: int = -1) -> str:
    """The code an authenticator app shows now; waits for the next 30 s step if ``after_t`` was used."""
    totp = TOTP(key)
    while totp.t() <= after_t:
        # A code is accepted once only (django-otp keeps the last step): wait for a new one.
        time.sleep(max(0.2, 30 - time.time() % 30 + 0.1))
        totp = TOTP(key)
    return f"{totp.token():06d}"


def device_code(email: str) -> str:
    """A code of the user's confirmed TOTP device (from its key in the database) not yet used.

    The device accepts the step before and after its own (``tolerance``); when the current step was
    used already, the next one is taken, as a phone a few seconds fast would show, instead of
    waiting up to 30 s. Only when that one was used too does it wait for the clock.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True).order_by("id").first()
    assert device is not None, f"{email} has no authenticator app"
    now = TOTP(device.bin_key).t()
    for offset in range(-device.tolerance, device.tolerance + 1):
        step = now + device.drift + offset
        if step > device.last_t and offset >= 0:
            return f"{TOTP(device.bin_key, drift=step - now).token():06d}"
    return totp_code(device.bin_key, after_t=device.last_t)


def second_factor_in_browser(page, email: str, click=None) -> None:
    """After the password: enrol an authenticator app (first log-in) or enter its code."""
    click = click or (lambda locator: locator.click())
    path = urlparse(page.url).path
    if path == ENROL_PATH:
        secret = page.locator("[data-secret]").get_attribute("data-secret")
        page.locator("main [name=token]").fill(totp_code(base64.b32decode(secret)))
        click(page.locator("main form button[type=submit]"))
        assert page.locator(".recovery-codes").count(), f"{email}: no recovery codes at {page.url}"
        click(page.locator("main a.button"))
    elif path == VERIFY_PATH:
        page.locator("main [name=token]").fill(device_code(email))
        click(page.locator("main form button[type=submit]"))
    assert urlparse(page.url).path not in (ENROL_PATH, VERIFY_PATH), f"{email}: second factor refused"

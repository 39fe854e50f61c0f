"""The staff second factor (issue 19, ASVS L2): enrolment, verification, recovery codes, tokens,
re-authentication before decisions, session lifetime, and their audit entries.

These log in through the pages (password, then the factor), never through ``force_login``'s
shortcut, except where a test needs a session in a given state (``force_login(user, verified=False)``
or a session whose factor is old).
"""

from __future__ import annotations

import base64
import re
import time

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from applications import services as application_services
from applications.models import Application, Status
from residence.audit.models import AuditEntry
from residence.mfa import services as mfa_services
from residence.mfa import session as mfa_session
from residence.mfa.models import WebAuthnDevice
from tests.applications.factories import ProfileFactory, accept_and_verify, intake_done, submitted
from tests.factories import PASSWORD, UserFactory
from tests.mfa_helpers import device_code, totp_code

pytestmark = pytest.mark.django_db


def actions(user) -> list[str]:
    return list(AuditEntry.objects.filter(actor=user).order_by("id").values_list("action", flat=True))


def password_login(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return response


def enrol_totp(client, user) -> list[str]:
    """Enrol an authenticator app through the page; returns the recovery codes shown."""
    page = client.get(reverse("mfa:enrol")).content.decode()
    secret = re.search(r'data-secret="([A-Z2-7=]+)"', page).group(1)
    response = client.post(reverse("mfa:enrol"), {"token": totp_code(base64.b32decode(secret))})
    assert response.status_code == 200
    return re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.content.decode())


def stale_factor(client, seconds: float | None = None) -> None:
    session = client.session
    session[mfa_session.MFA_AT] = time.time() - (seconds or settings.MFA_REAUTH_SECONDS + 1)
    session.save()


@pytest.fixture
def officer_at_approval(ivan, rita, nadia):
    application = accept_and_verify(submitted(ProfileFactory()), ivan)
    application_services.application_recommend(
        actor=rita, application=application, recommendation="approve", reason="Fine."
    )
    return Application.objects.get(pk=application.pk)


# --- who must use a second factor ----------------------------------------------------------------------
def test_every_staff_role_must_use_a_second_factor_and_applicants_need_not(office_tree):
    from residence.accounts.models import Role

    for role in set(Role.values) - {Role.APPLICANT, Role.INTERMEDIARY}:
        assert mfa_services.is_staff_account(UserFactory(roles=[role])), role
    assert mfa_services.is_staff_account(UserFactory(is_staff=True))
    assert mfa_services.is_staff_account(UserFactory(is_superuser=True))
    assert not mfa_services.is_staff_account(UserFactory(roles=["applicant"]))
    assert not mfa_services.is_staff_account(UserFactory(roles=["intermediary"]))


def test_an_officer_without_a_second_factor_is_sent_to_enrol_and_reaches_nothing_until_then(client, rita):
    password_login(client, rita)
    for path in (reverse("home"), reverse("applications:queue"), reverse("cards:revocations"), "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("mfa:enrol")), path
    api = client.get(reverse("api_queue"))
    assert api.status_code == 403
    assert "second factor" in api.json()["detail"]
    # Leaving and choosing a language stay open.
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302


def test_enrolment_shows_a_qr_code_and_the_key_and_a_wrong_code_changes_nothing(client, rita):
    password_login(client, rita)
    page = client.get(reverse("mfa:enrol")).content.decode()
    assert "<svg" in page and 'role="img"' in page
    secret = re.search(r'data-secret="([A-Z2-7=]+)"', page).group(1)
    device = TOTPDevice.objects.get(user=rita)
    assert base64.b32decode(secret) == device.bin_key and not device.confirmed
    wrong = f"{(int(totp_code(device.bin_key)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa:enrol"), {"token": wrong})
    assert response.status_code == 400
    assert "not right" in response.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("applications:queue")).status_code == 302
    assert "mfa.enrol_failed" in actions(rita)


def test_an_officer_enrols_an_authenticator_app_gets_recovery_codes_and_is_let_in(client, rita):
    password_login(client, rita)
    codes = enrol_totp(client, rita)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=rita).confirmed
    assert client.get(reverse("applications:queue")).status_code == 200
    assert client.get(reverse("api_queue")).status_code == 200
    assert {"mfa.enrol", "mfa.recovery_codes_generate"} <= set(actions(rita))


def test_recovery_codes_are_kept_only_as_digests(client, rita):
    password_login(client, rita)
    codes = enrol_totp(client, rita)
    stored = set(StaticToken.objects.filter(device__user=rita).values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & set(codes) and not stored & {c.replace("-", "") for c in codes}
    assert stored == {mfa_services.recovery_code_digest(c) for c in codes}


# --- log-in with the second factor ---------------------------------------------------------------------
def test_after_the_password_an_enrolled_officer_gives_a_code_and_the_same_code_never_works_twice(
    client, rita
):
    password_login(client, rita)
    enrol_totp(client, rita)
    client.post(reverse("logout"))

    response = password_login(client, rita)
    follow = client.get(response["Location"])
    assert follow["Location"].startswith(reverse("mfa:verify"))
    code = device_code(rita.email)
    response = client.post(reverse("mfa:verify"), {"token": code, "next": reverse("applications:queue")})
    assert response.status_code == 302 and response["Location"] == reverse("applications:queue")
    assert client.get(reverse("applications:queue")).status_code == 200
    assert "mfa.verify" in actions(rita)

    # The same code again, in a new log-in within its 30 seconds: refused (replay).
    client.post(reverse("logout"))
    password_login(client, rita)
    response = client.post(reverse("mfa:verify"), {"token": code})
    assert response.status_code == 400
    assert client.get(reverse("applications:queue")).status_code == 302
    assert actions(rita)[-1] == "mfa.verify_failed"


def test_a_recovery_code_lets_the_officer_in_once(client, rita):
    password_login(client, rita)
    codes = enrol_totp(client, rita)
    client.post(reverse("logout"))

    password_login(client, rita)
    response = client.post(reverse("mfa:verify"), {"token": codes[0].upper()}, follow=True)
    assert response.status_code == 200
    assert "9 are left" in response.content.decode()
    assert client.get(reverse("applications:queue")).status_code == 200
    assert "mfa.recovery_code_used" in actions(rita)
    assert mfa_services.recovery_codes_left(rita) == 9

    client.post(reverse("logout"))
    password_login(client, rita)
    assert client.post(reverse("mfa:verify"), {"token": codes[0]}).status_code == 400
    assert client.get(reverse("applications:queue")).status_code == 302


def test_each_log_in_and_each_verification_gets_a_new_session_key(client, rita):
    client.get(reverse("login"))
    client.cookies[settings.SESSION_COOKIE_NAME] = "an-attacker-chose-this"
    password_login(client, rita)
    after_password = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after_password != "an-attacker-chose-this"
    enrol_totp(client, rita)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != after_password


def test_an_unverified_session_cannot_add_a_second_factor_of_its_own(client, rita):
    TOTPDevice.objects.create(user=rita, name="phone", confirmed=True)
    password_login(client, rita)
    response = client.get(reverse("mfa:enrol"))
    assert response["Location"].startswith(reverse("mfa:verify"))
    assert client.post(reverse("mfa:passkey_register_options")).status_code == 403
    assert TOTPDevice.objects.filter(user=rita).count() == 1


def test_an_applicant_may_opt_in_and_is_then_asked_for_the_factor_at_each_log_in(client, alice):
    password_login(client, alice)
    assert client.get(reverse("applications:list")).status_code == 200  # not required
    enrol_totp(client, alice)
    client.post(reverse("logout"))
    password_login(client, alice)
    assert client.get(reverse("applications:list"))["Location"].startswith(reverse("mfa:verify"))
    client.post(reverse("mfa:verify"), {"token": device_code(alice.email)})
    assert client.get(reverse("applications:list")).status_code == 200


def test_a_passkey_answer_that_is_not_one_is_refused_and_audited(client, rita):
    WebAuthnDevice.objects.create(
        user=rita, name="key", confirmed=True, credential_id="AAAA", public_key=b"\x00"
    )
    password_login(client, rita)
    options = client.post(reverse("mfa:passkey_login_options"))
    assert options.status_code == 200 and options.json()["allowCredentials"][0]["id"] == "AAAA"
    response = client.post(
        reverse("mfa:passkey_login"),
        {"credential": {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert client.get(reverse("applications:queue")).status_code == 302
    assert actions(rita)[-1] == "mfa.verify_failed"
    # Without a challenge first (or with junk), a clear 400.
    assert (
        client.post(reverse("mfa:passkey_login"), "not json", content_type="application/json").status_code
        == 400
    )


# --- API tokens ------------------------------------------------------------------------------------
def test_a_token_is_issued_to_staff_only_against_a_second_factor(rita):
    api = APIClient()
    url = reverse("api_token")
    response = api.post(url, {"email": rita.email, "password": PASSWORD}, format="json")
    assert response.status_code == 403  # no second factor yet: enrol in the browser first
    device = TOTPDevice.objects.create(user=rita, name="phone", confirmed=True)
    response = api.post(url, {"email": rita.email, "password": PASSWORD}, format="json")
    assert response.status_code == 400 and "otp" in response.json()["errors"]
    assert not Token.objects.filter(user=rita).exists()
    code = totp_code(device.bin_key)
    response = api.post(url, {"email": rita.email, "password": PASSWORD, "otp": code}, format="json")
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=rita).key
    # The code is used up.
    assert (
        api.post(url, {"email": rita.email, "password": PASSWORD, "otp": code}, format="json").status_code
        == 400
    )


def test_an_applicant_without_a_second_factor_gets_a_token_with_the_password(alice):
    response = APIClient().post(
        reverse("api_token"), {"email": alice.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


# --- re-authentication before decisions ------------------------------------------------------------
def test_approving_with_an_old_second_factor_asks_to_confirm_and_changes_nothing(
    client, nadia, officer_at_approval
):
    application = officer_at_approval
    client.force_login(nadia)
    stale_factor(client)
    case_url = reverse("applications:case", args=[application.pk])
    response = client.post(
        reverse("applications:case_action", args=[application.pk, "approve"]),
        {"approve-reason": ""},
        HTTP_REFERER=f"http://testserver{case_url}",
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa:reauth"))
    assert Application.objects.get(pk=application.pk).status == Status.RECOMMENDED_APPROVAL

    confirm = client.post(response["Location"], {"token": device_code(nadia.email)})
    assert confirm.status_code == 302 and confirm["Location"] == case_url
    assert "mfa.reauth" in actions(nadia)
    response = client.post(
        reverse("applications:case_action", args=[application.pk, "approve"]), {"approve-reason": ""}
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == Status.APPROVED


def test_actions_that_decide_nothing_need_no_fresh_factor(client, ivan):
    application = submitted(ProfileFactory())
    intake_done(application, ivan)
    client.force_login(ivan)
    stale_factor(client)
    client.post(reverse("applications:case_action", args=[application.pk, "accept"]), {"accept-reason": ""})
    assert Application.objects.get(pk=application.pk).status != Status.SUBMITTED


def test_the_api_refuses_a_decision_without_a_fresh_factor_and_takes_a_code_in_the_header(
    nadia, officer_at_approval
):
    application = officer_at_approval
    TOTPDevice.objects.create(user=nadia, name="phone", confirmed=True)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=nadia).key}")
    url = reverse("api_application_action", args=[application.pk, "refuse"])
    response = api.post(url, {"reason": "Not enough.", "grounds": ["facts_not_confirmed"]}, format="json")
    assert response.status_code == 403 and "X-OTP" in response.json()["detail"]
    assert (
        api.post(
            url,
            {"reason": "Not enough.", "grounds": ["facts_not_confirmed"]},
            format="json",
            HTTP_X_OTP="000000",
        ).status_code
        == 403
    )
    assert Application.objects.get(pk=application.pk).status == Status.RECOMMENDED_APPROVAL
    time.sleep(1.1)  # django-otp makes the next try after a wrong code wait a second
    response = api.post(
        url,
        {"reason": "Not enough.", "grounds": ["facts_not_confirmed"]},
        format="json",
        HTTP_X_OTP=device_code(nadia.email),
    )
    assert response.status_code == 200
    assert Application.objects.get(pk=application.pk).status == Status.REFUSED
    assert {"mfa.reauth_failed", "mfa.reauth"} <= set(actions(nadia))


def test_a_fresh_session_factor_is_enough_for_the_api(client, nadia, officer_at_approval):
    client.force_login(nadia)
    url = reverse("api_application_action", args=[officer_at_approval.pk, "approve"])
    assert client.post(url, {}, content_type="application/json").status_code == 200


def test_the_admin_changes_roles_only_with_a_fresh_factor(client, sysadmin, rita):
    client.force_login(sysadmin)
    stale_factor(client)
    url = reverse("admin:accounts_user_change", args=[rita.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"email": rita.email, "groups": []})
    assert response["Location"].startswith(reverse("mfa:reauth"))
    assert rita.groups.exists()


def test_removing_a_second_factor_needs_a_fresh_one_and_is_audited(client, rita):
    client.force_login(rita)
    device = TOTPDevice.objects.get(user=rita)
    url = reverse("mfa:device_remove", args=["totp", device.pk])
    stale_factor(client)
    assert client.post(url)["Location"].startswith(reverse("mfa:reauth"))
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    client.post(reverse("mfa:reauth"), {"token": device_code(rita.email)})
    response = client.post(url)
    assert response["Location"] == reverse("mfa:enrol")  # staff left without one enrol again
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert "mfa.device_remove" in actions(rita)
    assert client.get(reverse("applications:queue")).status_code == 302


def test_nobody_removes_someone_elses_second_factor(client, rita, ivan):
    client.force_login(ivan)
    rita_device = TOTPDevice.objects.create(user=rita, name="phone", confirmed=True)
    assert client.post(reverse("mfa:device_remove", args=["totp", rita_device.pk])).status_code == 404
    assert TOTPDevice.objects.filter(pk=rita_device.pk).exists()


# --- session lifetime ------------------------------------------------------------------------------
def _age_session(client, *, idle: float = 0, age: float = 0) -> None:
    session = client.session
    now = time.time()
    session[mfa_session.SEEN_AT] = now - idle
    session[mfa_session.AUTH_AT] = now - max(age, idle)
    session.save()


def test_a_staff_session_ends_after_fifteen_idle_minutes_and_is_audited(client, rita):
    client.force_login(rita)
    _age_session(client, idle=14 * 60)
    assert client.get(reverse("applications:queue")).status_code == 200
    _age_session(client, idle=16 * 60)
    response = client.get(reverse("applications:queue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.filter(action="auth.session_timeout", actor=rita).get()
    assert entry.after["reason"] == "idle"


def test_a_staff_session_ends_after_eight_hours_however_active(client, rita):
    client.force_login(rita)
    _age_session(client, age=8 * 3600 + 1)
    response = client.get(reverse("api_queue"))
    assert response.status_code in (401, 403)
    assert AuditEntry.objects.get(action="auth.session_timeout", actor=rita).after["reason"] == "absolute"


def test_an_applicant_session_lives_longer(client, alice):
    client.force_login(alice)
    _age_session(client, idle=30 * 60, age=9 * 3600)
    assert client.get(reverse("applications:list")).status_code == 200
    _age_session(client, idle=2 * 3600 + 1)
    assert client.get(reverse("applications:list")).status_code == 302

"""API tokens expire, are listed and revoked by their owner, and every token and session of an account
ends when its password, roles or active state change (issue 19, item 5)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from residence.accounts.models import Role
from residence.audit.models import AuditEntry
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def obtain(email: str, password: str = PASSWORD):
    return APIClient().post(reverse("api_token"), {"email": email, "password": password}, format="json")


def api(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def is_logged_in(client: Client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 200 and not response.wsgi_request.user.is_anonymous


def test_a_token_comes_with_its_expiry_and_works_until_then(alice, settings):
    response = obtain(alice.email)
    assert response.status_code == 200
    token = Token.objects.get(user=alice)
    assert response.json()["token"] == token.key
    expires_at = datetime.fromisoformat(response.json()["expires_at"])
    assert expires_at == token.created + settings.API_TOKEN_LIFETIME
    assert api(token.key).get(reverse("api_me")).status_code == 200


def test_an_expired_token_is_refused_with_a_401_that_says_so_and_is_deleted(alice, settings):
    token = Token.objects.create(user=alice)
    Token.objects.filter(pk=token.pk).update(
        created=timezone.now() - settings.API_TOKEN_LIFETIME - timedelta(1)
    )
    response = api(token.key).get(reverse("api_me"))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Token")
    assert not Token.objects.filter(pk=token.pk).exists()
    assert AuditEntry.objects.filter(action="auth.token_expire", object_id=str(alice.pk)).count() == 1


def test_the_lifetime_is_a_setting(alice, settings):
    settings.API_TOKEN_LIFETIME = timedelta(minutes=5)
    token = Token.objects.create(user=alice)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(minutes=6))
    assert api(token.key).get(reverse("api_me")).status_code == 401


def test_an_unknown_token_is_a_401_too(alice):
    assert api("0" * 40).get(reverse("api_me")).status_code == 401


def test_asking_again_after_expiry_gives_a_new_token(alice, settings):
    old = Token.objects.create(user=alice)
    Token.objects.filter(pk=old.pk).update(created=timezone.now() - settings.API_TOKEN_LIFETIME)
    new = obtain(alice.email).json()["token"]
    assert new != old.key
    assert api(new).get(reverse("api_me")).status_code == 200


def test_the_owner_lists_their_tokens_without_the_keys(alice, bob):
    mine = Token.objects.create(user=alice)
    Token.objects.create(user=bob)
    rows = api(mine.key).get(reverse("api_tokens")).json()
    assert len(rows) == 1
    assert rows[0]["current"] is True
    assert mine.key not in str(rows)
    assert rows[0]["id"] == mine.key[:6] + "…"


def test_deleting_through_the_api_revokes_the_token_in_use(alice):
    token = Token.objects.create(user=alice)
    assert api(token.key).delete(reverse("api_tokens")).status_code == 204
    assert not Token.objects.filter(user=alice).exists()
    assert api(token.key).get(reverse("api_me")).status_code == 401
    assert AuditEntry.objects.filter(action="auth.token_revoke", actor=alice).count() == 1


def test_the_owner_sees_and_revokes_their_token_on_their_account_page(alice):
    token = Token.objects.create(user=alice)
    client = logged_in(alice)
    page = client.get(reverse("account_tokens")).content.decode()
    assert token.key[:6] in page
    assert token.key not in page
    response = client.post(reverse("account_token_revoke"), {"token": token.key[:6] + "…"})
    assert response.status_code == 302
    assert not Token.objects.filter(pk=token.pk).exists()


def test_someone_elses_token_cannot_be_revoked_from_the_page(alice, bob):
    token = Token.objects.create(user=bob)
    response = logged_in(alice).post(reverse("account_token_revoke"), {"token": token.key[:6]}, follow=True)
    assert "does not exist" in response.content.decode()
    assert Token.objects.filter(pk=token.pk).exists()
    assert not AuditEntry.objects.filter(action="auth.token_revoke").exists()


def credentials_ended(user, reason: str) -> bool:
    return AuditEntry.objects.filter(
        action="auth.credentials_end", object_id=str(user.pk), after__reasons__contains=[reason]
    ).exists()


def test_a_password_change_ends_every_token_and_other_session_but_keeps_the_one_that_changed_it(alice):
    Token.objects.create(user=alice)
    other, changer = logged_in(alice), logged_in(alice)
    response = changer.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a-New-pass-2026!", "new_password2": "a-New-pass-2026!"},
    )
    assert response.status_code == 302
    assert not Token.objects.filter(user=alice).exists()
    assert not is_logged_in(other)
    assert is_logged_in(changer)
    assert credentials_ended(alice, "password_change")


def test_a_password_reset_ends_every_token_and_session_and_verifies_the_address(alice, client):
    alice.email_verified_at = None
    alice.save(update_fields=["email_verified_at"])
    Token.objects.create(user=alice)
    session = logged_in(alice)
    client.post(reverse("password_reset"), {"email": alice.email})
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    url = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(alice)])
    form_url = client.get(url)["Location"]
    response = client.post(
        form_url, {"new_password1": "a-New-pass-2026!", "new_password2": "a-New-pass-2026!"}
    )
    assert response.status_code == 302
    assert not Token.objects.filter(user=alice).exists()
    assert not is_logged_in(session)
    assert credentials_ended(alice, "password_reset")
    alice.refresh_from_db()
    assert alice.email_verified_at is not None


@pytest.mark.parametrize(
    "change",
    [
        lambda user: user.groups.add(Group.objects.get(name=Role.INTERMEDIARY)),
        lambda user: user.groups.remove(Group.objects.get(name=Role.APPLICANT)),
        lambda user: Group.objects.get(name=Role.REVIEWER).user_set.add(user),
        lambda user: user.user_permissions.add(Permission.objects.get(codename="view_user")),
        lambda user: (setattr(user, "is_staff", True), user.save()),
        lambda user: (setattr(user, "is_active", False), user.save(update_fields=["is_active"])),
        lambda user: Group.objects.get(name=Role.APPLICANT).permissions.add(
            Permission.objects.get(codename="view_user")
        ),
    ],
    ids=[
        "group-added",
        "group-removed",
        "added-from-the-group",
        "permission",
        "staff",
        "deactivated",
        "group-perm",
    ],
)
def test_a_role_change_or_deactivation_ends_every_token_and_session(alice, change):
    Token.objects.create(user=alice)
    session = logged_in(alice)
    change(alice)
    assert not Token.objects.filter(user=alice).exists()
    assert not is_logged_in(session)
    assert AuditEntry.objects.filter(action="auth.credentials_end", object_id=str(alice.pk)).count() == 1


def test_a_role_change_in_the_admin_ends_the_persons_sessions(alice, sysadmin):
    session = logged_in(alice)
    alice.refresh_from_db()
    last_login = timezone.localtime(alice.last_login)
    admin = Client()
    admin.force_login(sysadmin)
    url = reverse("admin:accounts_user_change", args=[alice.pk])
    data = {
        "email": alice.email,
        "full_name": alice.full_name,
        "preferred_language": "en",
        "is_active": "on",
        "groups": [Group.objects.get(name=Role.INTERMEDIARY).pk],
        "last_login_0": last_login.date().isoformat(),
        "last_login_1": last_login.time().isoformat(),
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not is_logged_in(session)
    assert credentials_ended(alice, "role_change")


def test_logging_in_and_saving_other_fields_ends_nothing(alice):
    token = Token.objects.create(user=alice)
    session = logged_in(alice)
    alice.full_name = "Alice Renamed"
    alice.save()
    assert Token.objects.filter(pk=token.pk).exists()
    assert is_logged_in(session)
    assert not AuditEntry.objects.filter(action="auth.credentials_end").exists()


def test_a_new_account_with_its_roles_records_no_end_of_sessions():
    UserFactory(roles=[Role.APPLICANT])
    assert not AuditEntry.objects.filter(action="auth.credentials_end").exists()

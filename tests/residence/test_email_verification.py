"""Registration tells nobody whether an address is registered; a new account verifies its address by
e-mail before it can submit; password reset by e-mail (issue 19, level 2 features)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from residence.accounts.models import Role, User
from residence.accounts.verification import SALT, verification_url
from residence.audit.models import AuditEntry
from tests.applications.factories import ProfileFactory, complete_draft
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a-Long-pass-2026"


def register(client, **overrides):
    data = {"full_name": "Carol Diaz", "email": "carol@example.org", "password1": NEW_PASSWORD}
    data["password2"] = data["password1"]
    return client.post(reverse("register"), data | overrides)


def link_in(message) -> str:
    return re.search(r"https?://\S+/accounts/verify/\S+/", message.body).group(0)


def unverified_applicant(**kwargs) -> User:
    return UserFactory(roles=[Role.APPLICANT], email_verified_at=None, **kwargs)


def test_registering_sends_a_verification_link_and_answers_check_your_email(client):
    response = register(client)
    assert response.status_code == 302
    assert response.url == reverse("registration_sent")
    user = User.objects.get(email="carol@example.org")
    assert user.roles == {Role.APPLICANT}
    assert user.email_verified_at is None
    assert [m.to for m in mail.outbox] == [["carol@example.org"]]
    assert "/accounts/verify/" in mail.outbox[0].body
    # Not logged in by registering: a taken address could not be, so neither is a new one.
    assert client.get(reverse("home")).status_code == 302


def test_a_taken_address_gets_the_same_answer_and_its_owner_an_email(client, alice):
    response = register(client, email="ALICE@example.org", full_name="Mallory")
    assert response.status_code == 302
    assert response.url == reverse("registration_sent")
    assert User.objects.count() == 1
    (message,) = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "Someone tried to create a new account" in message.body
    assert "/accounts/password_reset/" in message.body
    assert AuditEntry.objects.filter(action="account.register_existing", object_id=str(alice.pk)).count() == 1
    page = client.get(response.url).content.decode()
    assert "already" not in page


def test_the_answer_page_is_the_same_for_a_new_and_a_taken_address(alice):
    new, taken = Client(), Client()
    first = new.get(register(new).url).content.decode()
    second = taken.get(register(taken, email=alice.email).url).content.decode()
    strip = re.compile(r"csrfmiddlewaretoken\" value=\"[^\"]+\"|<input[^>]+csrf[^>]+>")
    assert strip.sub("", first) == strip.sub("", second)


def test_registration_still_refuses_mismatched_or_weak_passwords(client):
    assert "do not match" in register(client, password2="other-pass-2026x").content.decode()
    assert register(client, password1="12345678901", password2="12345678901").status_code == 200
    assert not User.objects.exists()
    assert not mail.outbox


def test_the_link_verifies_the_address_and_is_audited(client):
    register(client)
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 302
    assert response.url == reverse("login")
    user = User.objects.get(email="carol@example.org")
    assert user.email_verified_at is not None
    assert AuditEntry.objects.filter(action="account.email_verify", object_id=str(user.pk)).count() == 1


def test_a_tampered_expired_or_foreign_link_verifies_nothing(client, settings):
    user = unverified_applicant()
    good = link_in_url = verification_url(user)
    token = good.rstrip("/").rsplit("/", 1)[1]
    expired = signing.dumps({"u": user.pk, "e": user.email}, salt=SALT, compress=True)
    settings.EMAIL_VERIFICATION_MAX_AGE = timedelta(seconds=-1)
    assert client.get(reverse("email_verify", args=[expired])).status_code == 400
    settings.EMAIL_VERIFICATION_MAX_AGE = timedelta(days=7)
    for bad in (token[:-2] + "xx", "not-a-token", signing.dumps({"u": user.pk, "e": "x@y.z"}, salt=SALT)):
        response = client.get(reverse("email_verify", args=[bad]))
        assert response.status_code == 400
        assert "not valid or has expired" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is None
    assert client.get(link_in_url).status_code == 302


def test_an_unverified_account_drafts_but_cannot_submit_and_is_told_why():
    user = unverified_applicant()
    application = complete_draft(ProfileFactory(owner=user))
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("applications:step", args=[application.pk, "review"]), {"declaration": "on", "statement": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Verify your e-mail address before you submit" in page
    assert "Resend the verification e-mail" in page
    application.refresh_from_db()
    assert application.status == "draft"
    assert not AuditEntry.objects.filter(action="application.submit").exists()


def test_the_api_refuses_the_submission_with_the_same_message():
    user = unverified_applicant()
    application = complete_draft(ProfileFactory(owner=user))
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(
        f"/api/applications/{application.pk}/submit/", {"declaration": True}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "Verify your e-mail address" in str(response.json()["errors"])
    application.refresh_from_db()
    assert application.status == "draft"


def test_resending_sends_a_new_link_once_a_minute_and_the_link_then_allows_submission():
    user = unverified_applicant()
    application = complete_draft(ProfileFactory(owner=user))
    client = Client()
    client.force_login(user)
    review = reverse("applications:step", args=[application.pk, "review"])
    response = client.post(reverse("email_verification_resend"), {"next": review}, follow=True)
    assert response.redirect_chain[-1][0] == review
    assert "We sent a new verification link" in response.content.decode()
    again = client.post(reverse("email_verification_resend"), {"next": review}, follow=True)
    assert "less than a minute ago" in again.content.decode()
    assert len(mail.outbox) == 1
    assert client.get(link_in(mail.outbox[0])).url == reverse("home")
    client.post(review, {"declaration": "on", "statement": ""})
    application.refresh_from_db()
    assert application.status == "submitted"


def test_resend_does_not_redirect_elsewhere(alice):
    client = Client()
    client.force_login(unverified_applicant())
    response = client.post(reverse("email_verification_resend"), {"next": "https://evil.example/"})
    assert response.url == reverse("home")


def test_password_reset_sends_a_link_in_the_persons_language_and_says_the_same_for_unknown_addresses(client):
    user = UserFactory(email="dana@example.org")
    known = client.post(reverse("password_reset"), {"email": user.email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.url == unknown.url == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["dana@example.org"]
    assert "/accounts/reset/" in message.body
    zh = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    zh.post(reverse("password_reset"), {"email": user.email})
    assert "重置" in mail.outbox[1].subject or "密码" in mail.outbox[1].subject


def test_a_verification_for_an_address_that_changed_is_refused():
    user = unverified_applicant(email="old@example.org")
    url = verification_url(user)
    user.email = "new@example.org"
    user.save()
    assert Client().get(url).status_code == 400
    with pytest.raises(ValidationError):
        from residence.accounts.verification import email_verify

        email_verify(token=url.rstrip("/").rsplit("/", 1)[1])

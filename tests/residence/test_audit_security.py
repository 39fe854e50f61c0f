"""Issue 19, item 6: security events reach the audit log (ASVS 16.3), without passport numbers in full."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from residence.audit.models import AuditEntry
from residence.audit.services import audit_record
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_login_is_recorded_with_the_address(client, alice):
    client.post(reverse("login"), {"username": alice.email, "password": PASSWORD})
    entry = AuditEntry.objects.get(action="auth.login")
    assert entry.actor == alice and entry.after["ip"] == "127.0.0.1"


def test_a_failed_login_is_recorded_without_the_password(client, alice):
    client.post(reverse("login"), {"username": alice.email, "password": "wrong-password"})
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.after["username"] == alice.email
    assert "wrong-password" not in str(entry.after)
    assert not AuditEntry.objects.filter(action="auth.login").exists()


def test_a_lockout_is_recorded(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": alice.email, "password": "wrong"})
    entry = AuditEntry.objects.get(action="auth.lockout")
    assert entry.after["username"] == alice.email


def test_a_token_issued_through_the_api_is_recorded_without_its_key(alice):
    response = APIClient().post(
        "/api/auth/token/", {"email": alice.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="auth.token_issue")
    assert entry.actor == alice
    assert response.json()["token"] not in str(entry.after) + entry.object_label


def since(mark: int):
    return AuditEntry.objects.filter(pk__gt=mark)


def last_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_a_password_change_is_recorded(alice):
    mark = last_id()
    alice.set_password("a new and long passphrase")
    alice.save()
    assert list(since(mark).values_list("action", "actor")) == [("auth.password_change", alice.pk)]


def test_saving_a_user_without_changing_the_password_records_no_password_change(alice):
    mark = last_id()
    alice.full_name = "Alice M."
    alice.save()
    assert not since(mark).filter(action="auth.password_change").exists()


def test_a_role_change_is_recorded(alice):
    mark = last_id()
    alice.groups.add(Group.objects.get(name="reviewer"))
    entry = since(mark).get(action="accounts.roles_change")
    assert entry.object_id == str(alice.pk) and entry.after == {"added": ["reviewer"]}


def test_a_change_made_in_the_admin_is_recorded(client, sysadmin):
    group = Group.objects.create(name="auditors")
    client.force_login(sysadmin)
    response = client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "auditors-2"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.change")
    assert (
        entry.actor == sysadmin and entry.after["object"] == "auditors-2" and entry.after["model"] == "group"
    )


def test_a_refused_request_is_recorded(client, sysadmin):
    with transaction.atomic():
        target = audit_record(actor=sysadmin, action="test.target")
    client.force_login(sysadmin)
    before = AuditEntry.objects.count()
    response = client.post(reverse("admin:audit_auditentry_delete", args=[target.pk]), {"post": "yes"})
    assert response.status_code == 403
    denied = AuditEntry.objects.get(action="access.denied")
    assert denied.actor == sysadmin and denied.after["method"] == "POST"
    assert denied.after["path"] == reverse("admin:audit_auditentry_delete", args=[target.pk])
    # The login of force_login is not counted; only the denial was added.
    assert AuditEntry.objects.count() == before + 1


def test_passport_numbers_are_masked_in_audit_details(alice):
    with transaction.atomic():
        entry = audit_record(
            actor=alice,
            action="test.profile",
            before={"passport_number": "E12345678"},
            after={"nested": [{"passport_number": "E87654321"}]},
        )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.before == {"passport_number": "******678"}
    assert stored.after == {"nested": [{"passport_number": "******321"}]}


def _someone_elses_application(bob):
    from applications import services
    from tests.applications.factories import ProfileFactory

    return services.application_create(actor=bob, profile=ProfileFactory(owner=bob), channel="work")


def test_a_request_for_someone_elses_record_is_a_404_and_recorded_as_denied(client, alice, bob):
    application = _someone_elses_application(bob)
    client.force_login(alice)
    url = reverse("applications:detail", args=[application.pk])
    assert client.get(url).status_code == 404
    denied = AuditEntry.objects.get(action="access.denied")
    assert denied.actor == alice and denied.after["status"] == 404 and denied.after["path"] == url
    assert denied.after["view"] == "applications:detail"


def test_enumerating_records_is_recorded_a_few_times_a_minute_not_once_a_request(client, alice, settings):
    from django.core.cache import cache

    cache.clear()
    settings.AUDIT_DENIED_PER_MINUTE = 3
    client.force_login(alice)
    for pk in range(900001, 900011):
        assert client.get(reverse("applications:detail", args=[pk])).status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", actor=alice).count() == 3


def test_a_mistyped_address_or_an_anonymous_404_is_not_an_access_attempt(client, alice, bob):
    application = _someone_elses_application(bob)
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code in (302, 404)
    client.force_login(alice)
    assert client.get("/no-such-page/").status_code == 404
    assert not AuditEntry.objects.filter(action="access.denied").exists()


def test_a_passport_number_under_another_key_is_masked_too(alice):
    with transaction.atomic():
        entry = audit_record(
            actor=alice,
            action="test.profile",
            after={"old_passport": "E12345678", "passport_expiry": "2030-01-01"},
        )
    assert entry.after == {"old_passport": "******678", "passport_expiry": "2030-01-01"}

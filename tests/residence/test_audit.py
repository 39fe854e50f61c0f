from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from residence.audit.models import AuditEntry, AuditLogImmutableError
from residence.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(alice):
    with transaction.atomic():
        return audit_record(actor=alice, action="test.action", obj=alice, after={"x": 1}, reason="because")


def test_an_entry_records_actor_action_object_and_request_id(entry, alice):
    assert entry.actor_label == alice.email
    assert entry.object_id == str(alice.pk)
    assert entry.after == {"x": 1}


def test_an_entry_cannot_be_changed_or_removed_through_the_orm(entry):
    entry.reason = "rewritten"
    with pytest.raises(AuditLogImmutableError):
        entry.save()
    with pytest.raises(AuditLogImmutableError):
        entry.delete()
    with pytest.raises(AuditLogImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(AuditLogImmutableError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "because"


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused(alice):
    # In autocommit the entry could outlive a change that is rolled back, so it is refused.
    with pytest.raises(RuntimeError):
        audit_record(actor=alice, action="x")
    assert not AuditEntry.objects.filter(action="x").exists()


def test_the_admin_offers_no_change_or_delete(client, sysadmin, entry):
    client.force_login(sysadmin)
    change = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    assert b'name="_save"' not in change.content
    delete = client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_postgresql_itself_refuses_raw_updates_and_deletes(postgres, entry):
    for sql in ("UPDATE audit_auditentry SET reason = 'x'", "DELETE FROM audit_auditentry"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).reason == "because"


def test_the_audit_page_is_a_404_for_applicants(client, alice):
    client.force_login(alice)
    assert client.get(reverse("audit_log")).status_code == 404


def test_the_audit_page_pages_by_keyset(client, sysadmin, alice):
    with transaction.atomic():
        for i in range(60):
            audit_record(actor=alice, action=f"bulk.{i}")
    client.force_login(sysadmin)
    first = client.get(reverse("audit_log"))
    assert len(first.context["entries"]) == 50
    second = client.get(reverse("audit_log"), {"before": first.context["next_before"]})
    seen = {e.pk for e in first.context["entries"]} | {e.pk for e in second.context["entries"]}
    assert len(seen) == AuditEntry.objects.count()

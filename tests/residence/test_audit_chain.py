"""Issue 19, item 7: the audit log is a hash chain that a command and a daily job verify.

Tampering is done as the table's owner would: on PostgreSQL the append-only trigger is switched off
inside the test's transaction first (the portal's runtime role cannot do that; see
test_audit_runtime_role.py).
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from residence.audit.chain import verify
from residence.audit.models import AuditChainHead, AuditEntry
from residence.audit.services import audit_record, audit_record_many
from residence.audit.tasks import audit_chain_verify_task

pytestmark = pytest.mark.django_db


@contextmanager
def as_owner_without_the_trigger():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks of the fixture's inserts must run before ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_update_delete")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_update_delete")


@pytest.fixture
def entries(alice):
    with transaction.atomic():
        made = [
            audit_record(actor=alice, action=f"test.step{i}", obj=alice, after={"i": i}) for i in range(3)
        ]
        made += audit_record_many(
            [
                {"actor": None, "action": "test.bulk", "after": {"n": n, "when": "2026-12-02"}}
                for n in range(3)
            ]
        )
    return made


def verify_command() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_each_entry_carries_the_hash_of_the_one_before_it(entries):
    stored = list(AuditEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("id"))
    for before, after in zip(stored, stored[1:], strict=False):
        assert after.prev_hash == before.hash
    assert all(len(e.hash) == 64 for e in stored)
    head = AuditChainHead.objects.get()
    assert (head.last_id, head.last_hash) == (stored[-1].pk, stored[-1].hash)


def test_an_untouched_chain_verifies(entries):
    assert "Audit chain intact" in verify_command()
    assert verify().checked == AuditEntry.objects.count()


def test_a_changed_entry_is_found_by_the_command(entries):
    target = entries[2]
    with as_owner_without_the_trigger() as cursor:
        cursor.execute("UPDATE audit_auditentry SET reason = 'rewritten' WHERE id = %s", [target.pk])
    with pytest.raises(CommandError, match=f"broken at entry #{target.pk}: its content does not match"):
        verify_command()


def test_a_removed_entry_is_found_by_the_command(entries):
    removed = entries[1]
    with as_owner_without_the_trigger() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [removed.pk])
    with pytest.raises(CommandError, match=f"broken at entry #{entries[2].pk}: its previous hash"):
        verify_command()


def test_entries_removed_from_the_end_are_found_by_the_command(entries):
    with as_owner_without_the_trigger() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id >= %s", [entries[-2].pk])
    with pytest.raises(CommandError, match=f"head names #{entries[-1].pk}"):
        verify_command()


def test_a_recomputed_hash_does_not_hide_a_change(entries):
    # Rewriting an entry and its own hash still breaks the link to the next entry.
    from residence.audit.chain import entry_digest

    target = AuditEntry.objects.get(pk=entries[1].pk)
    target.reason = "rewritten"
    forged = entry_digest(target, target.prev_hash)
    with as_owner_without_the_trigger() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET reason = 'rewritten', hash = %s WHERE id = %s", [forged, target.pk]
        )
    with pytest.raises(CommandError, match=f"broken at entry #{entries[2].pk}"):
        verify_command()


def test_the_daily_job_is_scheduled():
    assert settings.CELERY_BEAT_SCHEDULE["audit-chain-verify"]["task"] == audit_chain_verify_task.name


def test_the_daily_job_on_an_intact_chain_alerts_nobody(
    entries, sysadmin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_chain_verify_task()["ok"] is True
    assert not AuditEntry.objects.filter(action="audit.chain_broken").exists()
    assert mail.outbox == []


def test_the_daily_job_logs_records_and_mails_the_system_administrators_when_broken(
    entries, sysadmin, caplog, django_capture_on_commit_callbacks
):
    with as_owner_without_the_trigger() as cursor:
        cursor.execute("UPDATE audit_auditentry SET after = '{\"i\": 9}' WHERE id = %s", [entries[0].pk])
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        result = audit_chain_verify_task()
    assert result == {"ok": False, "checked": AuditEntry.objects.filter(pk__lt=entries[0].pk).count(),
                      "broken": entries[0].pk}  # fmt: skip
    assert f"Audit chain broken at entry #{entries[0].pk}" in caplog.text
    alert = AuditEntry.objects.get(action="audit.chain_broken")
    assert alert.after["entry"] == entries[0].pk
    assert [m.to for m in mail.outbox] == [[sysadmin.email]]
    assert f"#{entries[0].pk}" in mail.outbox[0].body


def test_chaining_costs_little_per_entry(alice, capsys):
    """Not a timed test: prints the cost of audit_record, for the note in the report."""
    with transaction.atomic():
        audit_record(actor=alice, action="warm.up")
        started = time.perf_counter()
        for i in range(200):
            audit_record(actor=alice, action="timing", after={"i": i})
        per_entry_ms = (time.perf_counter() - started) / 200 * 1000
    with capsys.disabled():
        print(f"\naudit_record with chaining: {per_entry_ms:.2f} ms per entry ({connection.vendor})")
    assert verify().ok

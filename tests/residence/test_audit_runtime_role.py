"""Issue 19, item 7: the role the portal runs as may only read and append to the audit log (PostgreSQL)."""

from __future__ import annotations

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from residence.audit.models import AuditEntry

ROLE = "portal_app_test"


@pytest.fixture
def runtime_role(postgres, transactional_db):
    with connection.cursor() as cursor:
        if _role_exists(cursor):  # left by an interrupted run
            cursor.execute(f"DROP OWNED BY {ROLE}")
            cursor.execute(f"DROP ROLE {ROLE}")
    call_command("db_runtime_role", role=ROLE, no_password=True)
    settings = connection.settings_dict
    conn = psycopg2.connect(
        dbname=settings["NAME"],
        user=ROLE,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )
    conn.autocommit = True
    yield conn
    conn.close()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {ROLE}")
        cursor.execute(f"DROP ROLE {ROLE}")


def _role_exists(cursor) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
    return cursor.fetchone() is not None


INSERT = (
    "INSERT INTO audit_auditentry (created_at, actor_label, action, object_id, object_label, reason,"
    " request_id, prev_hash, hash) VALUES (now(), 'system', 'test.by_runtime_role', '', '', '', '', '', '')"
    " RETURNING id"
)


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE audit_auditentry",
        "UPDATE audit_auditentry SET reason = 'rewritten'",
        "DELETE FROM audit_auditentry",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_update_delete",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
        "DROP TABLE audit_auditentry",
    ],
)
def test_the_runtime_role_cannot_change_or_remove_audit_entries(runtime_role, statement):
    with runtime_role.cursor() as cursor:
        cursor.execute(INSERT)
        (entry_id,) = cursor.fetchone()
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cursor.execute(statement)
    entry = AuditEntry.objects.get(pk=entry_id)
    assert entry.reason == "" and entry.action == "test.by_runtime_role"
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = 'audit_entry_no_update_delete'")
        assert cursor.fetchone() == ("O",)


def test_the_runtime_role_reads_and_appends_and_keeps_its_rights_elsewhere(runtime_role):
    with runtime_role.cursor() as cursor:
        cursor.execute(INSERT)
        cursor.execute("SELECT count(*) FROM audit_auditentry")
        assert cursor.fetchone()[0] == 1
        # The chain head and every other table keep the ordinary rights.
        cursor.execute("INSERT INTO audit_auditchainhead (id, last_id, last_hash) VALUES (1, 1, 'x')")
        cursor.execute("UPDATE audit_auditchainhead SET last_hash = 'y' WHERE id = 1")
        cursor.execute("UPDATE accounts_user SET full_name = full_name")

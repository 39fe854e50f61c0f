"""Create (or update) the database role the portal runs as, with INSERT and SELECT only on the audit log.

Run as the owner of the tables, after ``migrate`` (docker-compose's ``migrate`` service does both):

    DATABASE_URL=postgres://owner:...@db/portal manage.py db_runtime_role --role portal_app

The password comes from the environment (``--password-env``, default ``POSTGRES_APP_PASSWORD``), never
from the command line. The role gets the ordinary rights on every other table and sequence, and by
default privileges on tables the owner creates later; on ``audit_auditentry`` it may only SELECT and
INSERT, so it cannot UPDATE, DELETE or TRUNCATE entries, nor (not being the owner) disable the
trigger or alter the table.
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg2 import sql

AUDIT_TABLE = "audit_auditentry"


class Command(BaseCommand):
    help = "Create or update the portal's runtime database role (PostgreSQL), append-only on the audit log."

    def add_arguments(self, parser):
        parser.add_argument("--role", default="portal_app")
        parser.add_argument("--password-env", default="POSTGRES_APP_PASSWORD")
        parser.add_argument(
            "--no-password", action="store_true", help="a role without a password (trust or peer auth only)"
        )

    def handle(self, *args, role: str, password_env: str, no_password: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only; SQLite runs with the ORM guard.")
        password = None if no_password else os.environ.get(password_env)
        if not no_password and not password:
            raise CommandError(f"Set {password_env} to the runtime role's password (or pass --no-password).")
        name = sql.Identifier(role)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_database(), current_schema()")
            database, schema = (sql.Identifier(v) for v in cursor.fetchone())
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            verb = "ALTER" if cursor.fetchone() else "CREATE"
            statement = sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS").format(
                sql.SQL(verb), name
            )
            if password:
                statement += sql.SQL(" PASSWORD {}").format(sql.Literal(password))
            cursor.execute(statement)
            for grant in (
                "GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {role}",
                "GRANT USAGE ON SCHEMA {schema} TO {role}",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
                "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
                "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
                "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
                # The audit log: read and append, nothing else.
                "REVOKE ALL ON {audit} FROM {role}",
                "GRANT SELECT, INSERT ON {audit} TO {role}",
            ):
                cursor.execute(
                    sql.SQL(grant).format(
                        database=database, schema=schema, role=name, audit=sql.Identifier(AUDIT_TABLE)
                    )
                )
        done = "created" if verb == "CREATE" else "updated"
        self.stdout.write(f"Role {role} {done}: SELECT and INSERT only on {AUDIT_TABLE}.")

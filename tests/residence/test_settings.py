"""Settings come from the environment: embedded defaults, switches, and a production that fails loudly."""

from __future__ import annotations

import base64
import os
import subprocess
import sys

from django.conf import settings

from tests.deploy_check import deploy_check

PRINT_SETTINGS = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'residence.settings'); django.setup();"
    "from django.conf import settings as s;"
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL.split(':')[0], s.DEBUG)"
)


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "TESTING", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_nothing_set_it_runs_on_sqlite_and_a_filesystem_broker(tmp_path):
    result = run_python(PRINT_SETTINGS, DEBUG="1", VAR_DIR=str(tmp_path))
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem", "True"], result.stderr


def test_database_and_redis_urls_switch_to_postgresql_and_redis(tmp_path):
    result = run_python(
        PRINT_SETTINGS,
        DEBUG="1",
        VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://u@db:5432/x",
        REDIS_URL="redis://r:6379/0",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "redis", "True"], result.stderr


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = run_python(PRINT_SETTINGS, VAR_DIR=str(tmp_path), ALLOWED_HOSTS="pr.example.gov")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_check_deploy_with_no_warnings(tmp_path):
    result = deploy_check(
        # Stored files are encrypted: production needs its own key (residence.E001 without it).
        STORAGE_ENCRYPTION_KEYS="prod-2026:" + base64.b64encode(b"k" * 32).decode(),
        VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

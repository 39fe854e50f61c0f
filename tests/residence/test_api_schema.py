"""The OpenAPI schema is generated without warnings and validates against the OpenAPI spec."""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings


def test_the_openapi_schema_validates_with_no_warnings(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "schema.yml"),
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={"DEBUG": "1", "VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-5000:]

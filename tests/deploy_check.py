"""``manage.py check --deploy`` in a child process with a production-like environment."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

# Set by the test process or its browser tests; a deployment has none of them.
TEST_ONLY_VARIABLES = {
    "DEBUG",
    "TESTING",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "STORAGE_ENCRYPTION_KEYS",
    "CARDS_SIGNING_KEYS",
}


def deploy_check(**variables: str) -> subprocess.CompletedProcess:
    """Run the deploy check with production settings, then ``variables`` on top."""
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES} | {
        "DEBUG": "0",
        "SECRET_KEY": "k" * 20 + "-Xy9#pQ2$vT7&mL4!zR8^nB3*wJ6@cF1",
        "ALLOWED_HOSTS": "pr.example.gov",
        "VERIFICATION_SECRET": "s" * 40,
        "PAYMENTS_SECRET": "p" * 40,
        # A card signing key (residence.E003 without it): 32 bytes of "c", base64.
        "CARDS_SIGNING_KEYS": "prod-2026:" + "Y2Nj" * 10 + "Y2M=",
        **variables,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

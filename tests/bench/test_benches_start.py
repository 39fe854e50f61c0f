"""Each benchmark still starts and finishes at its small size (BENCH_SMALL=1); its figures are not judged."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
# The figure each bench ends with, and whether it needs PostgreSQL.
BENCHES = {
    "eligibility": ("engine_over_floor", False),
    "cards": ("card_over_floor", False),
    "queue": ("queue_api_over_floor", True),
    "verification": ("verification_over_floor", True),
    "identity": ("identity_match_p95_ms", True),
    "offline": ("bulk_verifications_per_second", True),
}
FIGURE = re.compile(r"^(\w+)=(-?[0-9.]+)$")


def test_every_bench_script_is_checked_here():
    scripts = {p.stem for p in (ROOT / "bench").glob("*.py") if not p.name.startswith("_")}
    assert scripts == set(BENCHES)


def bench_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "VERIFICATION_SECRET"}}
    env["BENCH_SMALL"] = "1"
    env.pop("DEBUG", None)
    if settings.USING_POSTGRES:
        db = settings.DATABASES["default"]
        user = db.get("USER") or "postgres"
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        env["DATABASE_URL"] = (
            f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
        )
        # Apart from other checkouts' runs on the same server.
        env["BENCH_DATABASE_PREFIX"] = f"{db['NAME']}_bench"
    return env


@pytest.mark.parametrize("name", sorted(BENCHES))
def test_the_bench_finishes_at_its_small_size_and_prints_its_figure(name, request):
    figure, needs_postgres = BENCHES[name]
    if needs_postgres:
        request.getfixturevalue("postgres")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / f"{name}.py")],
        cwd=ROOT,
        env=bench_environment(),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    figures = dict(m.groups() for line in result.stdout.splitlines() if (m := FIGURE.match(line.strip())))
    assert figure in figures, result.stdout[-2000:]

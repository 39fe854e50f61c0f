"""What every benchmark shares: the small mode, per-run secrets, and a database of its own.

Not a benchmark itself (`make bench` runs every bench/*.py whose name does not start with `_`).
"""

from __future__ import annotations

import os
import secrets
import sys
from urllib.parse import urlparse, urlunparse


def small() -> bool:
    """BENCH_SMALL=1 or --small: a size that only checks the bench still starts and finishes."""
    return os.environ.get("BENCH_SMALL") == "1" or "--small" in sys.argv


def process_secrets() -> dict[str, str]:
    """Fresh secrets for this run's own processes (production settings refuse to start without them)."""
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
        "VERIFICATION_SECRET": os.environ.get("VERIFICATION_SECRET") or secrets.token_urlsafe(32),
        "PAYMENTS_SECRET": os.environ.get("PAYMENTS_SECRET") or secrets.token_urlsafe(32),
    }


def postgres_server() -> str:
    """The PostgreSQL server of DATABASE_URL (or BENCH_PG), without a database name."""
    url = os.environ.get("BENCH_PG") or os.environ.get("DATABASE_URL", "")
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        raise SystemExit("set DATABASE_URL=postgres://... (this benchmark measures PostgreSQL)")
    return urlunparse(parsed._replace(path="", params="", query="", fragment="")).rstrip("/")


def database_name(name: str) -> str:
    """The bench's own database, apart from the portal's; BENCH_DATABASE_PREFIX keeps parallel runs apart."""
    prefix = os.environ.get("BENCH_DATABASE_PREFIX", "bench")
    return f"{prefix}_{name}{'_small' if small() else ''}"


def ensure_database(server: str, name: str, *, refill: bool = False) -> bool:
    """Create the database if needed; True when it was (re)created and must be filled."""
    import psycopg2

    conn = psycopg2.connect(f"{server}/postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cur.fetchone() is not None
            if exists and refill:
                cur.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = False
            if not exists:
                cur.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()
    return not exists

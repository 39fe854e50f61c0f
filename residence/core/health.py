"""Liveness of what the portal needs: the database, the broker and at least one worker."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection

from residence.celery import app as celery_app


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Exception as error:  # noqa: BLE001 - any failure of a dependency is reported, not raised
        detail, ok = f"{type(error).__name__}: {error}", False
    return {"ok": ok, "detail": detail, "ms": round((time.perf_counter() - started) * 1000, 1)}


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_broker() -> str:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return conn.transport.driver_name


def check_workers(timeout: float) -> str:
    # limit=1: one live worker is enough; answer as soon as it replies instead of waiting out the timeout.
    replies = celery_app.control.ping(timeout=timeout, limit=1)
    if not replies:
        raise RuntimeError("no worker answered")
    return ", ".join(sorted(name for reply in replies for name in reply))


# Figures from the apps (name -> callable returning a dict), shown beside the checks but never
# deciding the status. Each app registers its own in AppConfig.ready, so this shared package
# names no app (verification registers the state of its queue).
_FIGURES: dict[str, Callable[[], dict]] = {}


def register_figures(name: str, probe: Callable[[], dict]) -> None:
    _FIGURES[name] = probe


def health_report(*, worker_timeout: float) -> dict:
    checks = {
        "database": _timed(check_database),
        "broker": _timed(check_broker),
    }
    # Asking the workers goes through the broker; without one the answer is already known.
    checks["worker"] = (
        _timed(lambda: check_workers(worker_timeout))
        if checks["broker"]["ok"]
        else {"ok": False, "detail": "broker unavailable", "ms": 0.0}
    )
    status = "ok" if all(c["ok"] for c in checks.values()) else "unavailable"
    # Figures only: they never decide the status (database, broker and worker do).
    for name, probe in _FIGURES.items():
        checks[name] = _timed(probe)
    return {"status": status, "checks": checks}

"""Demo: start the daily-management re-checks of the demo's permanent residents (idempotent).

The application checks need no seeding: accepting a demo case writes them, and the worker asks the
agency simulator (started by `make run`) once it runs.
"""

from __future__ import annotations

from . import services


def seed() -> None:
    services.management_rechecks_start()

"""Fixtures of the verification tests: the agency simulator as a subprocess, cases in verification."""

from __future__ import annotations

import pytest

from tests.agency_simulator import SECRET, Simulator, free_port
from tests.applications.factories import ProfileFactory, submitted

# Kept importable from here: the verification tests and tests/browser import them by this path.
__all__ = ["SECRET", "Simulator", "free_port", "submitted_case"]


@pytest.fixture
def simulator(simulator_process, settings):
    """The simulator, faults cleared, and the portal's settings pointing at it with short timings."""
    simulator_process.ensure_running()
    simulator_process.reset()
    settings.VERIFICATION_BASE_URL = simulator_process.url
    settings.VERIFICATION_DEFAULT_SECRET = SECRET
    settings.VERIFICATION_TIMEOUT_SECONDS = 1.0
    settings.VERIFICATION_RETRY_BASE_SECONDS = 0.05
    settings.VERIFICATION_MAX_ATTEMPTS = 3
    settings.VERIFICATION_STUCK_AFTER_SECONDS = 300.0
    yield simulator_process
    simulator_process.reset()


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }


def submitted_case(passport: str = "TESTMATCH1", **kwargs):
    return submitted(ProfileFactory(passport_number=passport), **kwargs)

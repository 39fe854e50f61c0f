from __future__ import annotations

import pytest

from .factories import officer, offices


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }


@pytest.fixture
def office_tree(db):
    return offices()


@pytest.fixture
def ivan(office_tree):
    """Intake officer in Guangzhou."""
    return officer("intake_officer", office_tree["gd-gz"], email="ivan@example.org")


@pytest.fixture
def rita(office_tree):
    """Reviewer at the Guangdong provincial bureau."""
    return officer("reviewer", office_tree["gd"], email="rita@example.org")


@pytest.fixture
def nadia(office_tree):
    """Approver at the national administration."""
    return officer("approver", office_tree["nia"], email="nadia@example.org")


@pytest.fixture
def otto(office_tree):
    """Another national approver."""
    return officer("approver", office_tree["nia"], email="otto@example.org")


@pytest.fixture
def sam(office_tree):
    """An intake officer in Sichuan: another area."""
    return officer("intake_officer", office_tree["sc"], email="sam@example.org")

from __future__ import annotations

import pytest

from tests.identity.people import banned_ivanov, possible_duplicate_case


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }


@pytest.fixture
def banned(office_tree):
    return banned_ivanov()


@pytest.fixture
def flagged(banned):
    return possible_duplicate_case()

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }


@pytest.fixture
def banned(office_tree):
    """Aleksandr Ivanov (RUS, born 4 March 1980), banned for fraud under his old passport."""
    from eligibility.services import ban_create
    from tests.applications.factories import ProfileFactory

    profile = ProfileFactory(
        family_name="Ivanov",
        given_names="Aleksandr",
        sex="M",
        nationality="RUS",
        birth_date=dt.date(1980, 3, 4),
        passport_number="RU1111111",
    )
    ban = ban_create(
        actor=None,
        passport_number=profile.passport_number,
        nationality=profile.nationality,
        birth_date=profile.birth_date,
        ground="fraud",
        until=timezone.localdate() + dt.timedelta(days=700),
        reason="Forged employment contract",
    )
    return profile, ban

"""The people of the identity tests: a banned man and a later applicant who may be him."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from identity.models import IdentityMatch
from tests.applications.factories import ProfileFactory, submitted


def banned_ivanov():
    """Aleksandr Ivanov (RUS, born 4 March 1980), banned for fraud under his old passport."""
    from eligibility.services import ban_create
    from tests.eligibility.factories import policy_admin

    profile = ProfileFactory(
        family_name="Ivanov",
        given_names="Aleksandr",
        sex="M",
        nationality="RUS",
        birth_date=dt.date(1980, 3, 4),
        passport_number="RU1111111",
    )
    ban = ban_create(
        actor=policy_admin(),
        passport_number=profile.passport_number,
        nationality=profile.nationality,
        birth_date=profile.birth_date,
        ground="fraud",
        until=timezone.localdate() + dt.timedelta(days=700),
        reason="Forged employment contract",
    )
    return profile, ban


def possible_duplicate_case():
    """A case at intake in Guangzhou whose applicant, Alexander Ivanoff (KAZ, born 3 April 1980:
    day and month swapped), may be the banned Ivanov; returns the case and its flag."""
    profile = ProfileFactory(
        family_name="Ivanoff",
        given_names="Alexander",
        sex="M",
        nationality="KAZ",
        birth_date=dt.date(1980, 4, 3),
        passport_number="KZ5555555",
    )
    application = submitted(profile)
    return application, IdentityMatch.objects.get(application=application)

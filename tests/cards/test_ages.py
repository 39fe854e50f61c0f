"""Ages and anniversaries: cards, applications and the eligibility engine count them with one rule.

Someone born on 29 February completes a year on 28 February of a common year (Civil Code art. 202,
eligibility.engine.dates); cards' and applications' own copies counted it on 1 March, so the
engine called a holder an adult on a day the card's validity still treated them as a minor.
"""

from __future__ import annotations

import datetime as dt

import pytest

from applications.models import ApplicantProfile
from cards.services import validity_years
from eligibility.engine.dates import anniversary, whole_years
from eligibility.selectors import policy_version_in_force

LEAP_BIRTH = dt.date(2008, 2, 29)
EIGHTEENTH = dt.date(2026, 2, 28)


def test_one_rule_for_a_29_february_birthday():
    assert whole_years(LEAP_BIRTH, EIGHTEENTH) == 18
    assert whole_years(LEAP_BIRTH, EIGHTEENTH - dt.timedelta(days=1)) == 17
    assert anniversary(LEAP_BIRTH, 18) == EIGHTEENTH


def test_an_applicants_age_is_the_engines_whole_years():
    profile = ApplicantProfile(birth_date=LEAP_BIRTH)
    assert profile.age_on(EIGHTEENTH) == 18
    assert profile.age_on(EIGHTEENTH - dt.timedelta(days=1)) == 17


@pytest.mark.django_db
def test_a_card_issued_on_the_eighteenth_birthday_has_the_adults_validity():
    policy = policy_version_in_force()
    years = policy.compiled().card_validity_years
    assert validity_years(policy_version=policy, birth_date=LEAP_BIRTH, on=EIGHTEENTH) == years["adult"]
    day_before = EIGHTEENTH - dt.timedelta(days=1)
    assert validity_years(policy_version=policy, birth_date=LEAP_BIRTH, on=day_before) == years["minor"]

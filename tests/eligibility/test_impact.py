"""Policy impact (R5) on synthetic cases: per channel, how many results change and which way."""

from __future__ import annotations

from datetime import date

import pytest

from eligibility.impact import policy_impact
from eligibility.selectors import policy_version_in_force
from eligibility.services import policy_draft_create, policy_draft_update
from tests.eligibility.factories import policy_admin

pytestmark = pytest.mark.django_db


def investor(amount: str) -> dict:
    return {
        "amount_usd": amount,
        "method": "direct",
        "first_investment_date": "2018-01-01",
        "enterprise_address_code": "510100",  # Chengdu: western region
        "industry_code": "C3011",  # cement: not encouraged
        "tax_record_good": True,
    }


def test_a_higher_investment_minimum_turns_borderline_cases_down():
    admin = policy_admin()
    draft = policy_draft_create(actor=admin)
    document = draft.document
    branches = document["channels"]["investment"]["requirements"]["all"][3]["any"]
    branches[1]["all"][0]["value"] = 600000
    policy_draft_update(actor=admin, draft=draft, document=document)
    cases = [
        ("investment", investor("500000"), date(2024, 5, 1), "eligible"),
        ("investment", investor("700000"), date(2024, 5, 1), "eligible"),
        ("investment", investor("400000"), date(2024, 5, 1), "not_eligible"),
        ("family", {"relationship": "spouse"}, date(2024, 5, 1), "needs_judgement"),
    ]
    report = policy_impact(draft=draft, cases=cases)
    investment = report.channels["investment"]
    assert (investment.cases, investment.unchanged, investment.changed) == (3, 2, 1)
    assert investment.worse == 1 and investment.better == 0
    assert investment.change_rows() == [{"from": "eligible", "to": "not_eligible", "cases": 1}]
    assert report.channels["family"].unchanged == 1
    assert report.to_dict()["changed"] == 1


def test_cases_from_before_the_draft_takes_effect_are_still_judged():
    version = policy_version_in_force()
    report = policy_impact(
        draft=version, cases=[("investment", investor("500000"), date(2010, 1, 1), "eligible")]
    )
    assert report.channels["investment"].changed == 1  # held 3 years only by 2021: not eligible in 2010


def test_a_case_the_draft_cannot_read_counts_as_a_change():
    report = policy_impact(
        draft=policy_version_in_force(),
        cases=[("investment", {"shoe_size": 42}, date(2024, 1, 1), "eligible")],
    )
    assert report.channels["investment"].change_rows() == [
        {"from": "eligible", "to": "not_evaluated", "cases": 1}
    ]

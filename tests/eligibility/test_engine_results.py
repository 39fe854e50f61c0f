"""Results: determinism, missing and mistyped facts, judgement, explanations and snapshots."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from eligibility.engine import FactError, PolicyNotInEffect, evaluate, load_policy, read_policy_document
from eligibility.engine.dates import latest_start_for, whole_years
from tests.eligibility.engine_profiles import (
    POLICY,
    check,
    criterion,
    investor,
    market_talent,
    points_talent,
    spouse,
    worker,
)


def test_the_same_facts_give_the_same_snapshot_every_time():
    first = check("talent", points_talent(experience_years=9)).to_dict()
    again = evaluate(
        load_policy(read_policy_document()),
        channel="talent",
        facts=points_talent(experience_years=9),
        as_of=date(2025, 3, 1),
    ).to_dict()

    assert first == again


def test_snapshot_is_json_safe_and_cites_the_policy_version():
    snapshot = json.loads(json.dumps(check("work", worker()).to_dict()))

    assert snapshot["policy_version"] == POLICY.version
    assert snapshot["criteria"][0]["legal_basis"]["zh"]


@pytest.mark.parametrize(
    ("channel", "facts"),
    [
        ("family", spouse()),
        ("investment", investor(amount_usd=Decimal(10))),
        ("talent", points_talent(experience_years=9)),
        ("work", worker()),
    ],
)
def test_every_criterion_is_explained_in_english_and_chinese(channel, facts):
    for item in check(channel, facts).criteria:
        assert item.explanation["en"].strip()
        assert item.explanation["zh"].strip()
        assert item.outcome in {"met", "not_met", "unknown"}


def test_salary_explanation_names_the_multiple_the_reference_and_the_basis():
    result = check("talent", market_talent(annual_salary_cny=Decimal(480_000)))

    explanation = criterion(result, "market_salary_multiple").explanation
    assert "Annual salary CNY 480,000 is 2.19 × the local average annual wage" in explanation["en"]
    assert (
        "of Beijing (2023: CNY 218,300); the rule requires at least 6 ×. Basis: Opinions (2016) art. 8"
        in (explanation["en"])
    )
    assert "6倍" in explanation["zh"]


def test_contribution_always_needs_an_officers_judgement():
    result = check(
        "contribution", {"nominating_body": "CAS", "nomination_method": "expert_panel", "field": "science"}
    )

    assert result.outcome == "needs_judgement"
    assert result.green_channel is True
    assert result.criteria[0].id == "officer_judgement"


@pytest.mark.parametrize(
    ("channel", "facts", "missing"),
    [
        ("family", spouse(), "days_in_china_by_year"),
        ("investment", investor(), "tax_record_good"),
        ("talent", market_talent(), "annual_salary_cny"),
    ],
)
def test_a_missing_fact_gives_needs_judgement_instead_of_a_crash(channel, facts, missing):
    del facts[missing]

    result = check(channel, facts)

    assert result.outcome == "needs_judgement"
    assert any(item.outcome == "unknown" and missing in item.facts for item in result.criteria)


def test_missing_points_facts_leave_points_open_only_while_they_could_reach_the_pass_mark():
    facts = points_talent(experience_years=0, education="none", days_in_china_by_year=[])
    del facts["hsk_level"]

    # 40 points + at most 10 from HSK cannot reach 80, so the points route is simply not met.
    assert criterion(check("talent", facts), "talent_points_pass").outcome == "not_met"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("hsk_level", "5"),
        ("hsk_level", 7),
        ("annual_salary_cny", [1]),
        ("birth_date", datetime(1990, 1, 1, 12, 0)),  # noqa: DTZ001 - the point is that it is refused
        ("education", "kindergarten"),
        ("days_in_china_by_year", [200, "300"]),
        ("favourite_colour", "red"),
    ],
)
def test_a_fact_of_the_wrong_type_or_unknown_name_raises_fact_error(name, value):
    with pytest.raises(FactError) as raised:
        check("talent", market_talent(**{name: value}))

    assert raised.value.fact == name
    assert raised.value.message["zh"]


def test_evaluating_outside_the_policys_effective_period_is_refused():
    with pytest.raises(PolicyNotInEffect):
        check("work", worker(), as_of=date(2015, 1, 1))


def test_an_unknown_channel_is_refused():
    with pytest.raises(ValueError, match="tourism"):
        check("tourism", {})


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (date(2020, 3, 1), date(2025, 3, 1), 5),
        (date(2020, 3, 1), date(2025, 2, 28), 4),
        (date(2020, 2, 29), date(2025, 2, 28), 5),
        (date(2020, 2, 29), date(2024, 2, 28), 3),
        (date(2020, 2, 29), date(2024, 2, 29), 4),
    ],
)
def test_whole_years_count_anniversaries_and_29_february_as_the_civil_code_does(start, end, years):
    assert whole_years(start, end) == years


@pytest.mark.parametrize(
    "as_of", [date(2025, 2, 28), date(2024, 2, 29), date(2025, 3, 1), date(2025, 12, 31)]
)
def test_latest_start_for_is_the_last_day_that_completes_the_years(as_of):
    start = latest_start_for(5, as_of=as_of)

    assert whole_years(start, as_of) == 5
    assert whole_years(start + (date(2000, 1, 2) - date(2000, 1, 1)), as_of) == 4

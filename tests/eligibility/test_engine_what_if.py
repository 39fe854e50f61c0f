"""What-if suggestions: derived from the rules, and each one really makes the applicant eligible."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.eligibility.engine_profiles import (
    AS_OF,
    check,
    investor,
    market_talent,
    points_talent,
    spouse,
    worker,
)


def _apply_each(channel, facts):
    result = check(channel, facts)
    assert result.outcome == "not_eligible"
    assert result.what_if, "a failing profile should get at least one suggestion"
    for suggestion in result.what_if:
        assert check(channel, suggestion.apply(facts)).outcome == "eligible", suggestion.text["en"]
    return result.what_if


def test_salary_short_of_six_times_gets_the_exact_salary_needed():
    facts = market_talent(annual_salary_cny=Decimal(1_000_000), annual_income_tax_cny=Decimal(300_000))

    suggestions = _apply_each("talent", facts)

    assert any(s.text["en"] == "Annual salary at least CNY 1,309,800" for s in suggestions)
    assert any(s.changes[0].target == Decimal(1_309_800) for s in suggestions)


def test_spouse_one_day_short_is_told_when_the_marriage_rule_is_met():
    suggestions = _apply_each("family", spouse(marriage_date=date(2020, 3, 2)))

    (change,) = suggestions[0].changes
    assert change.fact == "marriage_date"
    assert change.eligible_from == date(2025, 3, 2)
    assert "1 more year" in change.text["en"]
    assert "还需1年" in change.text["zh"]


def test_residence_short_by_two_years_asks_for_two_more_years():
    suggestions = _apply_each("family", spouse(days_in_china_by_year=[300, 300, 300, 200, 300]))

    assert suggestions[0].text["en"] == "2 more consecutive year(s) with at least 270 days in China each"


def test_investor_gets_each_alternative_route_fewest_changes_first():
    suggestions = _apply_each("investment", investor(amount_usd=Decimal(600_000)))

    texts = [s.text["en"] for s in suggestions]
    assert texts[0] == "In an encouraged industry: yes"
    assert "Amount invested at least USD 2,000,000" in texts
    assert [len(s.changes) for s in suggestions] == sorted(len(s.changes) for s in suggestions)


def test_points_gap_closed_by_the_next_hsk_bracket_is_suggested():
    # 75 points, 5 short; HSK 3 -> 5 moves from 5 to 10 points.
    suggestions = _apply_each("talent", points_talent(experience_years=9, hsk_level=3, education="master"))

    assert "HSK level at least 5" in [s.text["en"] for s in suggestions]


def test_points_gap_no_single_move_closes_is_closed_by_a_pair():
    # 50 points, 30 short; the best single moves give 15, so two bracket moves are needed.
    suggestions = _apply_each("talent", market_talent(days_in_china_by_year=[]))

    pairs = [s for s in suggestions if s.points_after is not None and len(s.changes) == 2]
    assert pairs
    assert all(s.points_after >= 80 for s in pairs)
    assert {"education", "experience_years"} in [{c.fact for c in s.changes} for s in pairs]


def test_eligible_and_judgement_results_have_no_suggestions():
    assert check("family", spouse()).what_if == ()
    assert check("contribution", {"nominating_body": "CAS"}).what_if == ()


def test_suggestions_carry_both_languages():
    for suggestion in check("work", worker(start_date=date(2023, 1, 1))).what_if:
        assert suggestion.text["en"] and suggestion.text["zh"]
        for change in suggestion.changes:
            assert change.text["en"] and change.text["zh"]


days = st.lists(st.sampled_from([0, 150, 183, 200, 269, 270, 300, 366]), max_size=7)
money = st.integers(min_value=0, max_value=3_000_000).map(Decimal)
recent = st.integers(min_value=0, max_value=12 * 365).map(lambda n: AS_OF - timedelta(days=n))

family_facts = st.builds(
    spouse,
    marriage_date=recent,
    days_in_china_by_year=days,
    stable_income=st.booleans(),
    housing=st.booleans(),
)
investment_facts = st.builds(
    investor,
    amount_usd=money,
    region_class=st.sampled_from(["eastern", "central", "western", "poverty_county"]),
    encouraged_industry=st.booleans(),
    first_investment_date=recent,
    tax_record_good=st.booleans(),
)
talent_facts = st.builds(
    market_talent,
    annual_salary_cny=money,
    annual_income_tax_cny=money,
    education=st.sampled_from(["none", "secondary", "bachelor", "master", "doctorate"]),
    experience_years=st.integers(0, 30),
    hsk_level=st.integers(0, 6),
    priority_industry=st.booleans(),
    work_province=st.sampled_from(["CN-BJ", "CN-SC", "CN-HB", "CN-GD"]),
    days_in_china_by_year=days,
)
work_facts = st.builds(
    worker,
    start_date=recent,
    annual_salary_cny=money,
    annual_income_tax_cny=money,
    days_in_china_by_year=days,
    hsk_level=st.integers(0, 6),
    education=st.sampled_from(["none", "bachelor", "master", "doctorate"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=st.one_of(
        family_facts.map(lambda facts: ("family", facts)),
        investment_facts.map(lambda facts: ("investment", facts)),
        talent_facts.map(lambda facts: ("talent", facts)),
        work_facts.map(lambda facts: ("work", facts)),
    )
)
def test_every_suggestion_makes_a_failing_profile_eligible(case):
    channel, facts = case
    result = check(channel, facts)
    for suggestion in result.what_if:
        assert check(channel, suggestion.apply(facts)).outcome == "eligible", suggestion.text["en"]

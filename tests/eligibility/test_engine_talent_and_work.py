"""Talent (R7, R8) and work (R9): market route, points table, green channel, graduates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.eligibility.engine_profiles import (
    BEIJING_AVERAGE_WAGE,
    check,
    criterion,
    market_talent,
    points_talent,
    worker,
)

SIX_TIMES = 6 * BEIJING_AVERAGE_WAGE


@pytest.mark.parametrize(("salary", "expected"), [(SIX_TIMES, "met"), (SIX_TIMES - 1, "not_met")])
def test_market_talent_salary_of_six_times_the_local_average_passes_and_a_yuan_less_fails(salary, expected):
    result = check("talent", market_talent(annual_salary_cny=salary))

    assert criterion(result, "market_salary_multiple").outcome == expected


@pytest.mark.parametrize(
    ("tax", "expected"),
    [(SIX_TIMES / 5, "met"), (SIX_TIMES / 5 - 1, "not_met")],
)
def test_market_talent_tax_of_exactly_twenty_percent_passes(tax, expected):
    result = check("talent", market_talent(annual_income_tax_cny=tax))

    assert criterion(result, "market_tax_share").outcome == expected


def test_market_talent_meeting_every_rule_is_eligible():
    assert check("talent", market_talent()).outcome == "eligible"


@pytest.mark.parametrize(
    ("days", "expected"),
    [([183, 183, 183, 183], "met"), ([183, 183, 182, 183], "not_met"), ([366, 366, 366], "not_met")],
)
def test_market_talent_needs_four_years_of_183_days(days, expected):
    result = check("talent", market_talent(days_in_china_by_year=days))

    assert criterion(result, "market_residence").outcome == expected


def test_talent_at_the_pass_mark_is_eligible_and_five_points_less_is_not():
    at_mark = check("talent", points_talent())
    below = check("talent", points_talent(experience_years=9))

    assert (at_mark.points, at_mark.pass_mark, at_mark.outcome) == (80, 80, "eligible")
    assert (below.points, below.outcome) == (75, "not_eligible")


@pytest.mark.parametrize(
    ("salary", "points"),
    [(4 * BEIJING_AVERAGE_WAGE, 20), (4 * BEIJING_AVERAGE_WAGE - 1, 10), (2 * BEIJING_AVERAGE_WAGE, 10)],
)
def test_salary_multiple_brackets_are_half_open(salary, points):
    result = check("talent", points_talent(annual_salary_cny=salary))

    assert criterion(result, "points_salary_multiple").points == points


def test_registered_talent_program_is_eligible_through_the_green_channel():
    result = check("talent", market_talent(talent_program_registered=True, annual_salary_cny=Decimal(1)))

    assert result.outcome == "eligible"
    assert result.green_channel is True


def test_talent_without_a_program_is_not_green_channel():
    assert check("talent", market_talent()).green_channel is False


def test_wage_figure_missing_for_a_province_needs_judgement_not_a_guess():
    result = check("talent", market_talent(work_province="CN-XZ"))

    assert criterion(result, "market_salary_multiple").outcome == "unknown"
    assert result.outcome == "needs_judgement"


@pytest.mark.parametrize(
    ("start_date", "expected"),
    [(date(2021, 3, 1), "eligible"), (date(2021, 3, 2), "not_eligible")],
)
def test_work_four_years_in_post_passes_and_a_day_less_fails(start_date, expected):
    assert check("work", worker(start_date=start_date)).outcome == expected


@pytest.mark.parametrize("employer_type", ["private", "state_owned", "university", "sole_trader"])
def test_work_route_accepts_any_employer_type(employer_type):
    assert check("work", worker(employer_type=employer_type)).outcome == "eligible"


@pytest.mark.parametrize(
    ("tax", "expected"), [(Decimal(60_000), "eligible"), (Decimal("59999.99"), "not_eligible")]
)
def test_work_tax_share_boundary_is_twenty_percent(tax, expected):
    assert check("work", worker(annual_income_tax_cny=tax)).outcome == expected


@pytest.mark.parametrize(
    ("graduation_date", "expected"),
    [(date(2022, 3, 2), "eligible"), (date(2022, 3, 1), "not_eligible")],
)
def test_outstanding_graduate_within_three_years_of_graduation_is_eligible(graduation_date, expected):
    facts = worker(
        start_date=date(2024, 9, 1),
        days_in_china_by_year=[300],
        outstanding_graduate=True,
        chinese_degree=True,
        education="master",
        graduation_date=graduation_date,
    )

    assert check("work", facts).outcome == expected


def test_graduate_route_is_not_reported_for_other_workers():
    ids = {item.id for item in check("work", worker()).criteria}

    assert "graduate_recent" not in ids


# The market route's years of work are a fact of their own (issue 14), not the length of the
# residence list: four rows of 183 days no longer stand in for four years of work.
@pytest.mark.parametrize(
    ("since", "expected"),
    [(date(2021, 6, 1), "met"), (date(2021, 6, 2), "not_met")],
)
def test_market_talent_needs_four_years_of_work_in_china_of_its_own(since, expected):
    result = check("talent", market_talent(work_in_china_since=since), as_of=date(2025, 6, 1))
    assert criterion(result, "market_years_of_work").outcome == expected
    assert criterion(result, "market_residence").outcome == "met"
    assert result.outcome == ("eligible" if expected == "met" else "not_eligible")


def test_market_talent_without_the_years_of_work_is_left_to_an_officer_not_taken_from_the_stays():
    facts = market_talent()
    del facts["work_in_china_since"]
    result = check("talent", facts)
    assert criterion(result, "market_residence").outcome == "met"
    assert criterion(result, "market_years_of_work").outcome == "unknown"
    assert result.outcome == "needs_judgement"

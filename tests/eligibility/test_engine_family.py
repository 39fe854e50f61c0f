"""Family reunion (R12): boundaries of every default rule."""

from __future__ import annotations

from datetime import date

import pytest

from tests.eligibility.engine_profiles import check, criterion, minor_child, parent, spouse


@pytest.mark.parametrize(
    ("facts", "as_of", "expected"),
    [
        pytest.param(spouse(), date(2025, 3, 1), "eligible", id="married exactly five years"),
        pytest.param(
            spouse(marriage_date=date(2020, 3, 2)), date(2025, 3, 1), "not_eligible", id="one day short"
        ),
        pytest.param(
            spouse(marriage_date=date(2020, 2, 29)), date(2025, 2, 28), "eligible", id="29 Feb anniversary"
        ),
        pytest.param(
            spouse(marriage_date=date(2020, 2, 29)),
            date(2025, 2, 27),
            "not_eligible",
            id="29 Feb minus a day",
        ),
    ],
)
def test_spouse_married_exactly_five_years_passes_and_one_day_less_fails(facts, as_of, expected):
    assert check("family", facts, as_of=as_of).outcome == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([270, 270, 270, 270, 270], "eligible"),
        ([270, 270, 270, 270, 269], "not_eligible"),
        ([366, 300, 300, 300], "not_eligible"),
        ([269, 366, 366, 366, 366, 366], "not_eligible"),
    ],
)
def test_spouse_needs_five_consecutive_recent_years_of_270_days(days, expected):
    assert check("family", spouse(days_in_china_by_year=days)).outcome == expected


@pytest.mark.parametrize("fact", ["stable_income", "housing"])
def test_spouse_without_stable_income_or_housing_is_not_eligible(fact):
    result = check("family", spouse(**{fact: False}))

    assert result.outcome == "not_eligible"
    assert criterion(result, f"spouse_{fact}").outcome == "not_met"


def test_divorced_spouse_is_not_eligible():
    assert check("family", spouse(marital_status="divorced")).outcome == "not_eligible"


@pytest.mark.parametrize(
    ("birth_date", "expected"),
    [(date(1965, 3, 1), "eligible"), (date(1965, 3, 2), "not_eligible")],
)
def test_parent_turning_sixty_today_passes_and_a_day_younger_fails(birth_date, expected):
    assert check("family", parent(birth_date=birth_date)).outcome == expected


def test_parent_with_relatives_abroad_is_not_eligible():
    assert check("family", parent(relatives_abroad=True)).outcome == "not_eligible"


def test_parent_needs_270_days_in_each_of_five_years():
    assert check("family", parent(days_in_china_by_year=[300, 300, 269, 300, 300])).outcome == "not_eligible"


@pytest.mark.parametrize(
    ("birth_date", "marital_status", "expected"),
    [
        (date(2007, 3, 2), "single", "eligible"),
        (date(2007, 3, 1), "single", "not_eligible"),
        (date(2010, 1, 1), "married", "not_eligible"),
    ],
)
def test_minor_child_must_be_under_eighteen_and_unmarried(birth_date, marital_status, expected):
    facts = minor_child(birth_date=birth_date, marital_status=marital_status)

    assert check("family", facts).outcome == expected


@pytest.mark.parametrize(
    ("days", "expected"), [([270] * 5, "eligible"), ([270, 270, 270, 270, 269], "not_eligible")]
)
def test_former_national_needs_five_years_of_270_days(days, expected):
    facts = spouse(relationship="former_national", marriage_date=None, days_in_china_by_year=days)

    assert check("family", facts).outcome == expected


def test_rules_for_other_relationships_are_not_reported():
    ids = {item.id for item in check("family", parent()).criteria}

    assert "parent_age_60" in ids
    assert not ids & {"spouse_married_5_years", "child_under_18", "former_national_residence"}


def test_spouse_without_a_marriage_date_needs_judgement():
    result = check("family", spouse(marriage_date=None))

    assert result.outcome == "needs_judgement"
    assert criterion(result, "spouse_married_5_years").outcome == "unknown"


def test_family_cases_are_never_green_channel():
    assert check("family", spouse()).green_channel is False

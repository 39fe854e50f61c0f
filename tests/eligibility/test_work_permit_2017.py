"""The 2017 work-permit classification table as policy data: classes A/B/C, a scale, a derived fact."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from eligibility.engine import evaluate, load_policy, read_policy_document, validate_policy

AS_OF = date(2025, 3, 1)
TABLE = Path(__file__).resolve().parents[2] / "eligibility/policy/examples/work_permit_2017.yaml"


def work_permit_document() -> dict:
    doc = copy.deepcopy(read_policy_document())
    table = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    doc["facts"]["work"].update(table["facts"]["work"])
    doc["reference"]["tables"].update(table["reference"]["tables"])
    doc["channels"]["work"]["points"] = table["points"]
    doc["channels"]["work"]["requirements"] = table["requirements"]
    return doc


@pytest.fixture(scope="module")
def policy():
    return load_policy(work_permit_document())


def born(years: int) -> date:
    return date(AS_OF.year - years, 1, 1)


# A 40-year-old master's graduate earning 300,000 with 10 years' experience, 300 days in China
# last year, HSK 4, in Beijing, no renowned background:
# salary 14 + education 15 + experience 13 + working time 15 + Chinese 4 + region 0 + age 15 = 76.
BASE = {
    "birth_date": born(40),
    "annual_salary_cny": Decimal(300000),
    "education": "master",
    "experience_years": 10,
    "days_in_china_by_year": [300, 100, 50],
    "hsk_level": 4,
    "work_region": "CN-BJ",
    "renowned_background": False,
}


def test_the_table_is_valid_policy_data():
    assert validate_policy(work_permit_document()) == []


@pytest.mark.parametrize(
    ("changes", "points", "tier", "outcome"),
    [
        pytest.param({}, 76, "B", "eligible", id="76 is B"),
        # +5 renowned, +4 experience (14 years: 5 + 12 = 17), 76 + 5 + 4 = 85: exactly A.
        pytest.param(
            {"renowned_background": True, "experience_years": 14}, 85, "A", "eligible", id="85 is A"
        ),
        pytest.param(
            {"renowned_background": True, "experience_years": 13}, 84, "B", "eligible", id="84 is B"
        ),
        # Bachelor (-5), salary 150,000 (11, -3), 2 years' experience (5, -8): 76 - 16 = 60.
        pytest.param(
            {"education": "bachelor", "annual_salary_cny": Decimal(150000), "experience_years": 2},
            60,
            "B",
            "eligible",
            id="60 is B",
        ),
        pytest.param(
            {"education": "bachelor", "annual_salary_cny": Decimal(149999), "experience_years": 2},
            57,
            "C",
            "not_eligible",
            id="57 is C",
        ),
    ],
)
def test_the_points_name_the_class_exactly_at_its_boundaries(policy, changes, points, tier, outcome):
    result = evaluate(policy, channel="work", facts={**BASE, **changes}, as_of=AS_OF)

    assert (result.points, result.tier, result.outcome) == (points, tier, outcome)
    assert result.to_dict()["tier"] == tier


@pytest.mark.parametrize(
    ("years", "points"), [(0, 0), (1, 0), (2, 5), (3, 6), (10, 13), (17, 20), (18, 20), (40, 20)]
)
def test_work_experience_scores_on_its_linear_scale(policy, years, points):
    result = evaluate(policy, channel="work", facts={**BASE, "experience_years": years}, as_of=AS_OF)

    (line,) = [c for c in result.criteria if c.id == "wp_experience"]
    assert line.points == points


@pytest.mark.parametrize(
    ("days_last_year", "points"), [(89, 0), (90, 5), (179, 5), (180, 10), (269, 10), (270, 15)]
)
def test_working_time_is_derived_from_last_years_days_in_months_of_30_days(policy, days_last_year, points):
    facts = {**BASE, "days_in_china_by_year": [days_last_year, 366, 366]}

    result = evaluate(policy, channel="work", facts=facts, as_of=AS_OF)

    (line,) = [c for c in result.criteria if c.id == "wp_working_time"]
    assert line.points == points
    assert line.values["derived"] == days_last_year


def test_the_chinese_line_is_capped_at_five_points(policy):
    result = evaluate(policy, channel="work", facts={**BASE, "hsk_level": 6}, as_of=AS_OF)

    (line,) = [c for c in result.criteria if c.id == "wp_chinese"]
    assert line.points == 5


@pytest.mark.parametrize(
    ("age", "points"), [(17, 0), (18, 10), (25, 10), (26, 15), (45, 15), (46, 10), (60, 5), (61, 0)]
)
def test_age_scores_by_whole_years_as_published(policy, age, points):
    result = evaluate(policy, channel="work", facts={**BASE, "birth_date": born(age)}, as_of=AS_OF)

    (line,) = [c for c in result.criteria if c.id == "wp_age"]
    assert line.points == points


def test_a_western_post_scores_the_region_line(policy):
    result = evaluate(policy, channel="work", facts={**BASE, "work_region": "CN-SC"}, as_of=AS_OF)

    assert (result.points, result.tier) == (86, "A")


def test_a_derived_fact_cannot_be_given_directly(policy):
    from eligibility.engine import FactError

    with pytest.raises(FactError):
        evaluate(policy, channel="work", facts={**BASE, "days_in_china_last_year": 300}, as_of=AS_OF)


def test_a_missing_fact_leaves_the_class_open_rather_than_guessing(policy):
    facts = {key: value for key, value in BASE.items() if key != "experience_years"}

    result = evaluate(policy, channel="work", facts=facts, as_of=AS_OF)

    assert result.points == 63
    assert result.outcome == "eligible"  # B is reached without the open 20 points


def test_a_tier_that_the_table_does_not_define_is_refused():
    doc = work_permit_document()
    doc["channels"]["work"]["requirements"]["any"][0]["tier"] = "AA"

    errors = validate_policy(doc)

    assert [e.path for e in errors] == ["channels.work.requirements.any[0].tier"]
    assert "did you mean 'A'" in errors[0].message["en"]


def test_a_total_cap_cuts_the_sum(policy):
    doc = work_permit_document()
    doc["channels"]["work"]["points"]["cap"] = 80

    capped = load_policy(doc)
    facts = {**BASE, "renowned_background": True, "experience_years": 20, "work_region": "CN-SC"}

    assert evaluate(policy, channel="work", facts=facts, as_of=AS_OF).points == 98
    assert evaluate(capped, channel="work", facts=facts, as_of=AS_OF).points == 80


# --- reference tables past their last year ------------------------------------------------------

SALARIED = {
    "birth_date": date(1985, 1, 1),
    "annual_salary_cny": Decimal(1500000),
    "annual_income_tax_cny": Decimal(400000),
    "work_province": "CN-BJ",
    "education": "doctorate",
    "experience_years": 10,
    "hsk_level": 5,
    "priority_industry": True,
    "days_in_china_by_year": [300, 300, 300, 300, 300],
}


def test_a_figure_past_the_tables_last_year_is_used_with_a_warning():
    policy = load_policy(read_policy_document())

    stale = evaluate(policy, channel="talent", facts=SALARIED, as_of=date(2026, 6, 1))
    current = evaluate(policy, channel="talent", facts=SALARIED, as_of=date(2024, 6, 1))

    assert stale.outcome == current.outcome == "eligible"
    (warning,) = stale.warnings
    # The province by its name, never its code.
    assert "Beijing" in warning["en"] and "CN-BJ" not in warning["en"]
    assert "2023" in warning["en"] and "2025" in warning["en"]
    assert "北京市" in warning["zh"]
    assert "2023" in warning["zh"]
    assert stale.to_dict()["warnings"] == [warning]
    assert current.warnings == ()


def test_a_table_that_says_needs_judgement_leaves_the_rule_to_an_officer_past_its_last_year():
    doc = read_policy_document()
    doc["reference"]["tables"]["local_average_wage"]["past_last_year"] = "needs_judgement"
    policy = load_policy(doc)
    facts = {**SALARIED, "talent_program_registered": False, "education": "none", "hsk_level": 0}

    stale = evaluate(policy, channel="talent", facts=facts, as_of=date(2026, 6, 1))
    salary_rule = next(c for c in stale.criteria if c.id == "market_salary_multiple")

    assert salary_rule.outcome == "unknown"
    assert "officer" in stale.warnings[0]["en"]

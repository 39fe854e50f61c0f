"""Derived yearly facts over the days-per-year rows, and yearly stays given with their unit."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from eligibility.engine import evaluate, load_policy, read_policy_document, validate_policy
from eligibility.engine.schema import duration_days

AS_OF = date(2025, 3, 1)
DEFAULT = read_policy_document()

FAMILY_SPOUSE = {
    "relationship": "spouse",
    "sponsor_kind": "citizen",
    "marital_status": "married",
    "marriage_date": date(2015, 1, 1),
    "stable_income": True,
    "housing": True,
}


def _spouse_residence(doc):
    return doc["channels"]["family"]["requirements"]["any"][0]["all"][2]


@pytest.mark.parametrize(
    ("duration", "days"),
    [
        ({"amount": 9, "unit": "months"}, 270),
        ({"amount": 6, "unit": "months"}, 180),
        ({"amount": 1, "unit": "half_year"}, 183),
        ({"amount": 90, "unit": "days"}, 90),
        ({"amount": 1, "unit": "years"}, 365),
    ],
)
def test_a_duration_says_how_many_days_it_means(duration, days):
    assert duration_days(duration) == days


def test_a_stay_in_months_reads_as_30_day_months_and_keeps_the_default_outcome():
    doc = copy.deepcopy(DEFAULT)
    rule = _spouse_residence(doc)
    del rule["min_days"]
    rule["min_stay"] = {"amount": 9, "unit": "months"}
    policy, default = load_policy(doc), load_policy(DEFAULT)

    for days in (269, 270):
        facts = {**FAMILY_SPOUSE, "days_in_china_by_year": [days] * 5}
        assert (
            evaluate(policy, channel="family", facts=facts, as_of=AS_OF).outcome
            == evaluate(default, channel="family", facts=facts, as_of=AS_OF).outcome
        )
    assert (
        evaluate(
            policy, channel="family", facts={**FAMILY_SPOUSE, "days_in_china_by_year": [270] * 5}, as_of=AS_OF
        ).outcome
        == "eligible"
    )


def test_six_months_of_30_days_accepts_180_days_where_half_a_year_does_not():
    doc = copy.deepcopy(DEFAULT)
    rule = _spouse_residence(doc)
    del rule["min_days"]
    rule["min_stay"] = {"amount": 6, "unit": "months"}
    months = load_policy(doc)
    rule["min_stay"] = {"amount": 1, "unit": "half_year"}
    half_year = load_policy(doc)
    facts = {**FAMILY_SPOUSE, "days_in_china_by_year": [180] * 5}

    assert evaluate(months, channel="family", facts=facts, as_of=AS_OF).outcome == "eligible"
    assert evaluate(half_year, channel="family", facts=facts, as_of=AS_OF).outcome == "not_eligible"


def test_a_stay_given_twice_is_refused():
    doc = copy.deepcopy(DEFAULT)
    _spouse_residence(doc)["min_stay"] = {"amount": 9, "unit": "months"}

    errors = validate_policy(doc)

    assert [e.path for e in errors] == ["channels.family.requirements.any[0].all[2]"]


def _with_derived(aggregate: str, years: int, minimum: int) -> dict:
    doc = copy.deepcopy(DEFAULT)
    doc["facts"]["family"]["days_derived"] = {
        "type": "int",
        "unit": "days",
        "label": {"en": "Days (derived)", "zh": "天数（派生）"},
        "derive": {"from": "days_in_china_by_year", "aggregate": aggregate, "years": years},
    }
    doc["channels"]["family"]["requirements"]["any"][0]["all"][2] = {
        "id": "spouse_derived_stay",
        "op": "gte",
        "fact": "days_derived",
        "value": minimum,
        "label": {"en": "Derived stay", "zh": "派生居住"},
    }
    return doc


@pytest.mark.parametrize(
    ("aggregate", "years", "rows", "value"),
    [
        ("last", 1, [100, 300, 300], 100),
        ("average", 3, [100, 300, 301], 233),
        ("minimum", 3, [300, 250, 280, 10], 250),
        ("maximum", 2, [300, 350, 10], 350),
        ("total", 2, [100, 200, 300], 300),
    ],
)
def test_a_derived_fact_aggregates_the_most_recent_years(aggregate, years, rows, value):
    policy = load_policy(_with_derived(aggregate, years, value))
    facts = {**FAMILY_SPOUSE, "days_in_china_by_year": rows}

    result = evaluate(policy, channel="family", facts=facts, as_of=AS_OF)
    (rule,) = [c for c in result.criteria if c.id == "spouse_derived_stay"]

    assert rule.values["days_derived"] == value
    assert rule.outcome == "met"


def test_a_derived_fact_over_more_years_than_given_is_unknown_not_guessed():
    policy = load_policy(_with_derived("average", 5, 200))
    facts = {**FAMILY_SPOUSE, "days_in_china_by_year": [300, 300]}

    result = evaluate(policy, channel="family", facts=facts, as_of=AS_OF)

    assert result.outcome == "needs_judgement"


def test_a_derived_fact_must_come_from_a_days_per_year_fact():
    doc = _with_derived("last", 1, 100)
    doc["facts"]["family"]["days_derived"]["derive"]["from"] = "marriage_date"

    errors = validate_policy(doc)

    assert [e.path for e in errors] == ["facts.family.days_derived.derive.from"]

"""Shared policy and applicant profiles for the pure engine tests (no database, no Django)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from eligibility.engine import Result, evaluate, load_policy, read_policy_document

POLICY = load_policy(read_policy_document())
AS_OF = date(2025, 3, 1)
# Beijing's 2023 figure applies in 2025: the prior year (2024) is not in the table yet.
BEIJING_AVERAGE_WAGE = Decimal(218_300)


def check(channel: str, facts: dict[str, Any], *, as_of: date = AS_OF) -> Result:
    return evaluate(POLICY, channel=channel, facts=facts, as_of=as_of)


def criterion(result: Result, criterion_id: str) -> Any:
    return next(item for item in result.criteria if item.id == criterion_id)


def spouse(**changes: Any) -> dict[str, Any]:
    """Alice: married to a Chinese citizen exactly five years on AS_OF, meets every spouse rule."""
    return {
        "birth_date": date(1988, 6, 1),
        "nationality": "CA",
        "province": "CN-BJ",
        "relationship": "spouse",
        "sponsor_kind": "citizen",
        "marriage_date": date(2020, 3, 1),
        "relatives_abroad": True,
        "days_in_china_by_year": [300, 290, 280, 275, 270],
        "stable_income": True,
        "housing": True,
        "marital_status": "married",
        **changes,
    }


def parent(**changes: Any) -> dict[str, Any]:
    """Bob: turns 60 on AS_OF, joining his daughter, no relatives abroad."""
    return spouse(
        **{
            "relationship": "parent",
            "birth_date": date(1965, 3, 1),
            "marriage_date": None,
            "relatives_abroad": False,
            "marital_status": "widowed",
            **changes,
        }
    )


def minor_child(**changes: Any) -> dict[str, Any]:
    """Charlie: 17, unmarried, joining his parents."""
    return spouse(
        **{
            "relationship": "minor_child",
            "birth_date": date(2007, 3, 2),
            "marriage_date": None,
            "marital_status": "single",
            "days_in_china_by_year": [],
            **changes,
        }
    )


def investor(**changes: Any) -> dict[str, Any]:
    """Dana: USD 2,000,000 held exactly three years in the eastern region."""
    return {
        "birth_date": date(1970, 1, 1),
        "nationality": "SG",
        "province": "CN-SH",
        "amount_usd": Decimal(2_000_000),
        "method": "direct",
        "first_investment_date": date(2022, 3, 1),
        "region_class": "eastern",
        "encouraged_industry": False,
        "tax_record_good": True,
        **changes,
    }


def market_talent(**changes: Any) -> dict[str, Any]:
    """Erin: exactly 6 × Beijing's average wage, tax exactly 20%, four years of 183 days, working in China since 2015."""
    salary = 6 * BEIJING_AVERAGE_WAGE
    return {
        "birth_date": date(1990, 1, 1),
        "nationality": "GB",
        "province": "CN-BJ",
        "talent_program_registered": False,
        "talent_program_code": "",
        "annual_salary_cny": salary,
        "annual_income_tax_cny": salary / 5,
        "work_province": "CN-BJ",
        "education": "none",
        "experience_years": 0,
        "hsk_level": 0,
        "priority_industry": False,
        "days_in_china_by_year": [183, 183, 183, 183],
        "work_in_china_since": date(2015, 3, 1),
        **changes,
    }


def points_talent(**changes: Any) -> dict[str, Any]:
    """Frank: exactly 80 points (the pass mark) and fails the market route on salary.

    salary 4 × (20) + tax 20% (10) + doctorate (15) + 10 years' experience (15) + age 35 (10)
    + 3 consecutive years in China (10) = 80.
    """
    salary = 4 * BEIJING_AVERAGE_WAGE
    return market_talent(
        **{
            "annual_salary_cny": salary,
            "annual_income_tax_cny": salary / 5,
            "education": "doctorate",
            "experience_years": 10,
            "days_in_china_by_year": [200, 200, 200],
            **changes,
        }
    )


def worker(**changes: Any) -> dict[str, Any]:
    """Grace: four years in post to the day, 183 days a year, tax exactly 20%, in Chengdu."""
    return {
        "birth_date": date(1985, 5, 5),
        "nationality": "FR",
        "province": "CN-SC",
        "employer_type": "private",
        "work_province": "CN-SC",
        "start_date": date(2021, 3, 1),
        "annual_salary_cny": Decimal(300_000),
        "annual_income_tax_cny": Decimal(60_000),
        "days_in_china_by_year": [183, 183, 183, 183],
        "priority_industry": False,
        "education": "bachelor",
        "hsk_level": 0,
        "outstanding_graduate": False,
        "chinese_degree": False,
        "graduation_date": None,
        **changes,
    }

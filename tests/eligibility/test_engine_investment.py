"""Investment (R10): amount thresholds by region and industry, and three years held."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.eligibility.engine_profiles import check, investor


@pytest.mark.parametrize(
    ("amount", "region", "encouraged", "expected"),
    [
        (499_999, "eastern", True, "not_eligible"),
        (500_000, "eastern", True, "eligible"),
        (499_999, "western", False, "not_eligible"),
        (500_000, "western", False, "eligible"),
        (500_000, "poverty_county", False, "eligible"),
        (999_999, "central", False, "not_eligible"),
        (1_000_000, "central", False, "eligible"),
        (1_000_000, "eastern", False, "not_eligible"),
        (1_999_999, "eastern", False, "not_eligible"),
        (2_000_000, "eastern", False, "eligible"),
        (2_000_000, "central", False, "eligible"),
    ],
)
def test_investment_amount_thresholds_depend_on_region_and_industry(amount, region, encouraged, expected):
    facts = investor(amount_usd=Decimal(amount), region_class=region, encouraged_industry=encouraged)

    assert check("investment", facts).outcome == expected


@pytest.mark.parametrize(
    ("first_investment", "expected"),
    [(date(2022, 3, 1), "eligible"), (date(2022, 3, 2), "not_eligible")],
)
def test_investment_held_exactly_three_years_passes_and_a_day_less_fails(first_investment, expected):
    assert check("investment", investor(first_investment_date=first_investment)).outcome == expected


def test_investment_with_a_bad_tax_record_is_not_eligible():
    assert check("investment", investor(tax_record_good=False)).outcome == "not_eligible"


def test_amount_given_as_float_text_is_read_exactly():
    assert check("investment", investor(amount_usd="2000000.00")).outcome == "eligible"

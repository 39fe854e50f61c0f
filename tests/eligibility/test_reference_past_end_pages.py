"""A wage table past its last year says so where people read the result (issue 14).

The shipped local average wage table ends at 2023; the salary rules read the prior year's figure,
so from 2025 on every check uses the 2023 figure. The self-check and the officer's eligibility
panel both say which figure was used, instead of a silently stale "prior year".
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.applications.factories import ProfileFactory, submitted

pytestmark = pytest.mark.django_db

PRIOR_YEAR = timezone.localdate().year - 1


@pytest.mark.skipif(PRIOR_YEAR <= 2023, reason="the shipped table covers the prior year")
def test_the_self_check_shows_that_the_latest_wage_figure_is_used(client):
    response = client.post(
        reverse("eligibility:self_check", args=["talent"]),
        {"annual_salary_cny": "1500000", "annual_income_tax_cny": "400000", "work_province": "CN-BJ"},
    )
    page = response.content.decode()
    assert 'data-testid="warning"' in page
    assert f"published up to 2023; the {PRIOR_YEAR} figure is not yet available" in page
    response = client.post(
        reverse("eligibility:self_check", args=["talent"]),
        {"annual_salary_cny": "1500000", "annual_income_tax_cny": "400000", "work_province": "CN-BJ"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "仅公布至2023年" in response.content.decode()


@pytest.mark.skipif(PRIOR_YEAR <= 2023, reason="the shipped table covers the prior year")
def test_the_officers_eligibility_panel_shows_the_warning_kept_with_the_case(client, ivan):
    application = submitted(ProfileFactory())  # work, Guangdong
    assert any("2023" in warning["en"] for warning in application.eligibility_snapshot["warnings"])
    client.force_login(ivan)
    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
    assert "published up to 2023" in page

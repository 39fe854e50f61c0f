"""The public self-check speaks plainly: a blank form asks for the facts, points read as points."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_blank_form_asks_for_the_facts_instead_of_answering(client):
    # What a browser sends for an untouched form: every field, empty.
    blank = {"annual_salary_cny": "", "annual_income_tax_cny": "", "education": "", "talent_program_code": ""}
    response = client.post(reverse("eligibility:self_check", args=["talent"]), blank)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter at least one fact" in page
    assert 'data-testid="outcome"' not in page
    assert "judgement" not in page


def test_points_read_as_points_of_the_pass_mark(client):
    response = client.post(
        reverse("eligibility:self_check", args=["talent"]),
        {"annual_salary_cny": "600000", "annual_income_tax_cny": "150000", "education": "doctorate"},
    )
    page = response.content.decode()
    assert 'data-testid="outcome"' in page
    assert "points needed" in page
    assert "</span> / " not in page


def test_an_eligible_or_judgement_result_links_to_starting_that_application(client):
    response = client.post(
        reverse("eligibility:self_check", args=["talent"]),
        {"annual_salary_cny": "600000", "annual_income_tax_cny": "150000", "education": "doctorate"},
    )
    assert response.context["result"]["outcome"] in ("eligible", "needs_judgement")
    start = reverse("applications:new_profile", args=["talent"])
    assert f'href="{start}"' in response.content.decode()

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
    assert 'data-testid="start-application"' in response.content.decode()
    # Pressing it goes to the application's first page (the answers travel in the session).
    response = client.post(
        reverse("eligibility:self_check", args=["talent"]),
        {
            "annual_salary_cny": "600000",
            "annual_income_tax_cny": "150000",
            "education": "doctorate",
            "start": "1",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("applications:new_profile", args=["talent"])


WORK_ELIGIBLE = {
    "start_date": "2019-03-01",
    "days_in_china_by_year": "300, 300, 300, 300",
    "annual_salary_cny": "600000",
    "annual_income_tax_cny": "150000",
    "work_province": "CN-GD",
    "education": "master",
}


def _main(response) -> str:
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


@pytest.mark.parametrize(
    ("language", "headline"),
    [("en", "Eligible through 4 years of continuous employment"), ("zh-hans", "符合条件：在华连续任职满4年")],
)
def test_the_eligible_headline_names_the_route_that_makes_the_person_eligible(client, language, headline):
    client.cookies["django_language"] = language
    response = client.post(reverse("eligibility:self_check", args=["work"]), WORK_ELIGIBLE)
    assert response.context["result"]["outcome"] == "eligible"
    page = _main(response)
    assert headline in page
    # Points only as points: not "Eligible (60/70 points)" beside them.
    points = response.context["result"]["points"]
    assert f"{points}/70" not in page
    assert 'data-testid="points"' in page


@pytest.mark.parametrize(
    ("facts", "route"),
    [
        (
            {
                "annual_salary_cny": "900000",
                "annual_income_tax_cny": "200000",
                "work_province": "CN-GD",
                "days_in_china_by_year": "300, 300, 300, 300",
                "work_in_china_since": "2016-09-01",
            },
            "Eligible through a salary of at least 6 times the local average wage",
        ),
    ],
)
def test_the_talent_market_route_is_named_too(client, facts, route):
    response = client.post(reverse("eligibility:self_check", args=["talent"]), facts)
    assert route in _main(response)


def test_explanations_name_the_province_and_the_band_not_their_codes(client):
    response = client.post(reverse("eligibility:self_check", args=["work"]), WORK_ELIGIBLE)
    page = _main(response)
    assert "Guangdong" in page
    assert "CN-GD (" not in page and "of CN-GD" not in page and "for CN-GD" not in page
    assert "20 % or more" in page
    assert "band " not in page
    client.cookies["django_language"] = "zh-hans"
    page = _main(client.post(reverse("eligibility:self_check", args=["work"]), WORK_ELIGIBLE))
    assert "广东省" in page and "20%及以上" in page and "区间" not in page


def test_route_pages_name_bands_values_and_answers(client):
    page = _main(client.get(reverse("eligibility:route_detail", args=["talent"])))
    for shown in (
        "20 % or more",
        "Under 10 %",
        "2 to under 4 times",
        "Eastern region",
        "Western region",
        "Doctorate",
        "Yes: 10 points",
        "No: 0 points",
    ):
        assert shown in page, shown
    for code in ("eastern:", "False", "True", "0.2", "none:"):
        assert code not in page, code
    # The percentage of a rule reads as a whole number.
    assert "Income tax at least 20% of salary" in page
    client.cookies["django_language"] = "zh-hans"
    page = _main(client.get(reverse("eligibility:route_detail", args=["talent"])))
    assert "东部地区：0分" in page and "是：10分" in page and "20%及以上：10分" in page

"""An eligible self-check result starts that application with the answers already filled in (issue 12)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application
from tests.factories import UserFactory

from .test_views_applicant import PROFILE_POST

pytestmark = pytest.mark.django_db

WORK_CHECK = {
    "start_date": "2019-03-01",
    "days_in_china_by_year": "300, 290, 280, 270",
    "annual_salary_cny": "600000",
    "annual_income_tax_cny": "150000",
    "work_province": "CN-GD",
    "education": "master",
    "birth_date": "1984-05-06",
    "province": "CN-GD",
}


def _value(page: str, name: str) -> str | None:
    tag = re.search(rf"<(?:input|select)[^>]*name=\"{re.escape(name)}\"[^>]*>", page)
    assert tag, f"no field {name}"
    if tag.group(0).startswith("<select"):
        rest = page[tag.end() :]
        chosen = re.search(r"<option value=\"([^\"]*)\"[^>]*selected", rest[: rest.index("</select>")])
        return chosen.group(1) if chosen else None
    found = re.search(r"value=\"([^\"]*)\"", tag.group(0))
    return found.group(1) if found else None


def _start_from_the_self_check(client, facts=WORK_CHECK, channel="work"):
    response = client.post(reverse("eligibility:self_check", args=[channel]), facts | {"start": "1"})
    assert response.status_code == 302, response.content.decode()[:1500]
    assert response.url == reverse("applications:new_profile", args=[channel])
    return response


def test_the_result_offers_to_start_the_application(client):
    response = client.post(reverse("eligibility:self_check", args=["work"]), WORK_CHECK)
    page = response.content.decode()
    assert response.context["result"]["outcome"] == "eligible"
    start = re.search(r"<button[^>]*data-testid=\"start-application\"[^>]*>", page).group(0)
    # The button sends the form's answers with it.
    assert 'form="self-check-form"' in start and 'name="start"' in start
    assert 'id="self-check-form"' in page


def test_the_facts_form_is_filled_in_from_the_self_check_and_can_still_be_changed(client):
    _start_from_the_self_check(client)
    # Not logged in yet: a new applicant registers (login keeps the session's answers).
    dana = UserFactory(email="dana@example.org", full_name="Dana Novak", roles=["applicant"])
    client.force_login(dana)

    profile_page = client.get(reverse("applications:new_profile", args=["work"])).content.decode()
    assert _value(profile_page, "birth_date") == "1984-05-06"
    assert _value(profile_page, "province") == "CN-GD"

    client.post(reverse("applications:new_profile", args=["work"]), PROFILE_POST | {"then": "next"})
    application = Application.objects.get(applicant__owner=dana)
    facts_url = reverse("applications:step", args=[application.pk, "facts"])
    page = client.get(facts_url).content.decode()
    assert 'data-testid="prefilled"' in page
    assert _value(page, "start_date") == "2019-03-01"
    assert _value(page, "annual_salary_cny") == "600000"
    assert _value(page, "annual_income_tax_cny") == "150000"
    assert _value(page, "work_province") == "CN-GD"
    assert _value(page, "education") == "master"
    last_year = timezone.localdate().year - 1
    assert _value(page, "years-0-year") == str(last_year)
    assert _value(page, "years-0-days") == "300"
    assert _value(page, "years-3-year") == str(last_year - 3)
    assert _value(page, "years-3-days") == "270"
    # Nothing is saved until the applicant saves: the draft's facts are still empty.
    application.refresh_from_db()
    assert application.facts.annual_salary_cny is None

    # The applicant changes one answer and saves: what they typed is stored, not the self-check's.
    post = {
        "employer_name": "Canton Robotics Ltd",
        "employer_credit_code": "91440101MA5C000010",
        "employer_type": "private",
        "work_province": "CN-GD",
        "position": "Engineer",
        "start_date": "2019-03-01",
        "annual_salary_cny": "650000",
        "annual_income_tax_cny": "150000",
        "education": "master",
        "years-TOTAL_FORMS": "1",
        "years-INITIAL_FORMS": "0",
        "years-0-year": str(last_year),
        "years-0-days": "300",
    }
    response = client.post(facts_url, post)
    assert response.status_code == 302, response.content.decode()[:2000]
    application.refresh_from_db()
    assert application.facts.annual_salary_cny == 650000
    assert application.facts.start_date == dt.date(2019, 3, 1)
    # Once saved, the page shows the saved facts, no longer the self-check's.
    page = client.get(facts_url).content.decode()
    assert 'data-testid="prefilled"' not in page
    assert _value(page, "annual_salary_cny") == "650000.00"


def test_answers_for_another_route_are_not_carried(client):
    _start_from_the_self_check(client)
    dana = UserFactory(email="dana@example.org", full_name="Dana Novak", roles=["applicant"])
    client.force_login(dana)
    client.post(reverse("applications:new_profile", args=["talent"]), PROFILE_POST | {"then": "next"})
    application = Application.objects.get(applicant__owner=dana)
    page = client.get(reverse("applications:step", args=[application.pk, "facts"])).content.decode()
    assert 'data-testid="prefilled"' not in page
    assert _value(page, "annual_salary_cny") is None


def test_a_result_without_eligibility_starts_nothing(client):
    response = client.post(
        reverse("eligibility:self_check", args=["investment"]),
        {"amount_usd": "100", "method": "direct", "tax_record_good": "no", "start": "1"},
    )
    assert response.status_code == 200
    assert response.context["result"]["outcome"] == "not_eligible"
    assert "eligibility.self_check" not in client.session

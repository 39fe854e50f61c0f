"""Agencies are asked only about facts the applicant gave, and the officer's panel shows only those
(and what the agency returns): never a value invented for the query (issue 12)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from applications import services as application_services
from applications.models import Application
from tests.applications.factories import intake_done
from verification import services
from verification.models import VerificationCheck

from .conftest import submitted_case

pytestmark = pytest.mark.django_db

WORK_WITHOUT_EDUCATION = {
    "employer_name": "Canton Robotics Ltd",
    "employer_credit_code": "914401010000000010",
    "employer_type": "private",
    "work_province": "CN-GD",
    "position": "Engineer",
    "start_date": dt.date(2016, 3, 1),
    "annual_salary_cny": "600000",
    "annual_income_tax_cny": "150000",
}


def accept(application, officer, capture):
    with capture(execute=True):
        intake_done(application, officer)
        application_services.application_accept(actor=officer, application=application)
    return Application.objects.get(pk=application.pk)


def _stated_by_applicant(application) -> dict:
    facts = application.facts
    given = {
        name: value
        for name, value in {**facts.to_engine_facts(), **vars(facts)}.items()
        if value not in (None, "", [])
    }
    given["days_in_china_by_year"] = facts.days_in_china()
    return given


def test_no_query_carries_a_fact_the_application_did_not_collect(
    ivan, simulator, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks)
    given = _stated_by_applicant(application)
    for check in VerificationCheck.objects.filter(application=application):
        for name, value in check.stated.items():
            assert value not in (None, "", []), (check.kind, name)
            assert name in given, (check.kind, name)
        for name, fact in check.answer_fields.items():
            # A fact either was stated by the applicant (and is compared) or is only the agency's record.
            if fact["stated"] is not None:
                assert name in check.stated or (check.kind, name) == ("talent_program", "registered")
            else:
                # Only the agency's record: shown, and not compared, except a record's own
                # condition (no convictions), which needs nothing stated.
                assert fact["matches"] is None or (check.kind, name) == ("criminal_record", "convictions")


def test_the_employment_check_does_not_state_months_of_social_insurance(
    ivan, rita, simulator, client, django_capture_on_commit_callbacks
):
    application = accept(submitted_case(), ivan, django_capture_on_commit_callbacks)
    employment = VerificationCheck.objects.get(application=application, kind="employment")
    assert set(employment.stated) == {"employer_credit_code", "annual_salary_cny"}
    months = employment.answer_fields["social_insurance_months"]
    assert months == {"stated": None, "record": 12, "matches": None}
    client.force_login(rita)
    page = client.get(f"/verification/applications/{application.pk}/").content.decode()
    row = re.search(r"Months of social insurance in the last year</th>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert cells[0] == "—" and cells[1] == "12" and "Not compared" in cells[2]


def test_a_fact_the_applicant_left_out_is_not_asked_for(ivan, simulator, django_capture_on_commit_callbacks):
    application = submitted_case(facts=WORK_WITHOUT_EDUCATION)
    # No education given: the Ministry of Education has nothing to confirm.
    assert "degree" not in services.checks_required_for(application)
    application = accept(application, ivan, django_capture_on_commit_callbacks)
    kinds = set(VerificationCheck.objects.filter(application=application).values_list("kind", flat=True))
    assert kinds == {"employment", "income_tax", "criminal_record", "days_in_china"}


def _family_case(relationship: str, **facts):
    from tests.applications.factories import ProfileFactory, submitted

    return submitted(
        ProfileFactory(passport_number="TESTMATCH1"),
        channel="family",
        facts={"relationship": relationship, "marital_status": "married", **facts},
    )


def test_a_former_chinese_national_is_not_checked_for_a_family_tie(
    ivan, simulator, django_capture_on_commit_callbacks
):
    application = _family_case("former_national")
    assert services.checks_required_for(application) == ["criminal_record", "days_in_china"]
    application = accept(application, ivan, django_capture_on_commit_callbacks)
    assert not VerificationCheck.objects.filter(application=application, kind="family_tie").exists()
    days = VerificationCheck.objects.get(application=application, kind="days_in_china")
    assert days.stated["days_in_china_by_year"] == application.facts.days_in_china()


def test_a_spouse_is_checked_for_the_marriage_with_the_sponsor_named(
    ivan, simulator, django_capture_on_commit_callbacks
):
    application = _family_case(
        "spouse",
        sponsor_kind="citizen",
        sponsor_id_number="11010519491231002X",
        sponsor_name="Li Hua",
        marriage_date=dt.date(2015, 5, 1),
    )
    application = accept(application, ivan, django_capture_on_commit_callbacks)
    tie = VerificationCheck.objects.get(application=application, kind="family_tie")
    assert tie.stated == {
        "relationship": "spouse",
        "marriage_date": "2015-05-01",
        "sponsor_id_number": "11010519491231002X",
    }
    assert tie.answer_fields["relationship"]["matches"] is True
    assert tie.answer_fields["marriage_date"]["stated"] == "2015-05-01"

"""The market regulator's enterprise check returns the registered industry and address codes (issue 13)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from applications import selectors
from applications import services as application_services
from applications.models import Application
from simulator.records import record_for
from tests.applications.factories import intake_done
from verification.models import CheckStatus, VerificationCheck

from .conftest import submitted_case

pytestmark = pytest.mark.django_db

INVESTMENT = {
    "enterprise_name": "Pearl River Components Ltd",
    "enterprise_credit_code": "91440101MA5C000028",
    "amount_usd": Decimal("600000"),
    "method": "direct",
    "first_investment_date": dt.date(2018, 1, 1),
    "tax_record_good": True,
    "industry_code": "C3973",  # integrated circuits: encouraged
    "enterprise_address_code": "440106",
}


def investment_case(passport: str):
    return submitted_case(passport, channel="investment", facts=INVESTMENT)


def accept(application, officer, capture):
    with capture(execute=True):
        intake_done(application, officer)
        application_services.application_accept(actor=officer, application=application)
    return Application.objects.get(pk=application.pk)


@pytest.mark.parametrize(
    ("passport", "industry", "address"),
    [("TESTMATCH1", "C3973", "440106"), ("TESTMISMATCH", "C3011", "110105")],
)
def test_the_simulator_answers_the_registered_codes(passport, industry, address):
    record = record_for(
        "samr", {"passport_number": passport}, {"industry_code": "C3973", "enterprise_address_code": "440106"}
    )

    assert (record["registered_industry_code"], record["registered_address_code"]) == (industry, address)
    assert record_for("samr", {"passport_number": "TESTNOTFOUND"}, {}) is None


def test_matching_codes_are_confirmed_by_the_agency(ivan, simulator, django_capture_on_commit_callbacks):
    application = accept(investment_case("TESTMATCH1"), ivan, django_capture_on_commit_callbacks)

    codes = selectors.registered_codes(application)
    assert codes["state"] == "answered"
    assert codes["facts"]["industry_code"] == {"stated": "C3973", "record": "C3973", "matches": True}
    assert selectors.eligibility_with_registered_codes(application, codes) is None


def test_a_different_registered_code_is_a_finding_and_eligibility_uses_it(
    ivan, rita, simulator, django_capture_on_commit_callbacks, client
):
    application = accept(investment_case("TESTMISMATCH"), ivan, django_capture_on_commit_callbacks)
    check = VerificationCheck.objects.get(application=application, kind="enterprise")
    assert check.status == CheckStatus.MISMATCH and check.is_flagged

    codes = selectors.registered_codes(application)
    assert codes["facts"]["industry_code"] == {"stated": "C3973", "record": "C3011", "matches": False}
    assert codes["facts"]["enterprise_address_code"] == {
        "stated": "440106",
        "record": "110105",
        "matches": False,
    }
    other = selectors.eligibility_with_registered_codes(application, codes)
    # Cement in Guangzhou at USD 600,000: not eligible, where the declared code was.
    assert application.eligibility_snapshot["outcome"] == "eligible"
    assert other["snapshot"]["outcome"] == "not_eligible"
    source = other["snapshot"]["fact_sources"]["industry_code"]
    assert source["source"] == "agency" and source["agency"] == "samr"

    client.force_login(rita)
    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
    assert "C3011" in page and "C3973" in page and "Finding: differs" in page


def test_an_agency_that_is_down_leaves_the_codes_not_yet_verified(
    ivan, rita, simulator, django_capture_on_commit_callbacks, client
):
    simulator.control(outage=True)
    application = accept(investment_case("TESTMATCH1"), ivan, django_capture_on_commit_callbacks)

    codes = selectors.registered_codes(application)
    assert codes["state"] in ("pending", "unavailable")
    assert codes["facts"] == {}
    assert selectors.eligibility_with_registered_codes(application, codes) is None
    client.force_login(rita)
    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
    assert "Not yet verified" in page


def test_no_record_at_the_agency_is_said_so(ivan, simulator, django_capture_on_commit_callbacks):
    application = accept(investment_case("TESTNOTFOUND"), ivan, django_capture_on_commit_callbacks)

    assert selectors.registered_codes(application)["state"] == "not_found"

"""The talent visa (R7, issue 13): the R visa given is checked with the immigration records; when it
matches, its talent category and approval reference fill the case, with their source."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import services as application_services
from applications.models import Application, TalentFacts
from residence.audit.models import AuditEntry
from simulator.records import record_for
from tests.applications.factories import intake_done
from verification.models import CheckStatus, VerificationCheck

from .conftest import submitted_case

pytestmark = pytest.mark.django_db

TALENT = {
    "talent_visa_number": "R12345678",
    "employer_name": "Guangzhou Institute of Biomedicine",
    "work_province": "CN-GD",
    "annual_salary_cny": Decimal("600000"),
    "annual_income_tax_cny": Decimal("120000"),
    "education": "doctorate",
}


def talent_case(passport: str, ivan, capture, **facts):
    application = submitted_case(passport, channel="talent", facts=TALENT | facts)
    with capture(execute=True):
        intake_done(application, ivan)
        application_services.application_accept(actor=ivan, application=application)
    return Application.objects.get(pk=application.pk)


def visa_check(application) -> VerificationCheck:
    return VerificationCheck.objects.get(application=application, kind="talent_visa")


@pytest.mark.parametrize(
    ("passport", "visa_type", "found"),
    [("TESTMATCH1", "R", True), ("TESTVISAOFF", "Z", True), ("TESTVISANONE", None, False)],
)
def test_the_simulator_answers_the_talent_visa_on_each_branch(passport, visa_type, found):
    record = record_for("nia", {"passport_number": passport}, {"talent_visa_number": "R1"}, "talent-visa")

    assert (record is not None) == found
    if found:
        assert record["visa_type"] == visa_type and record["visa_number"] == "R1"
        assert bool(record["talent_category"]) == (visa_type == "R")


def test_a_matching_visa_fills_its_category_and_approval_reference_with_the_source(
    ivan, rita, simulator, django_capture_on_commit_callbacks, client
):
    application = talent_case("TESTMATCH1", ivan, django_capture_on_commit_callbacks)

    check = visa_check(application)
    assert check.agency == "nia" and check.status == CheckStatus.VERIFIED
    assert check.stated == {"talent_visa_number": "R12345678"}
    facts = TalentFacts.objects.get(application=application)
    assert facts.talent_visa_category in ("A-high-end", "A-urgently-needed")
    assert facts.talent_visa_approval_ref.startswith("FEA-")
    assert facts.talent_visa_source == "nia" and facts.talent_visa_verified_at == check.completed_at
    entry = AuditEntry.objects.get(action="applications.talent_visa_record")
    assert entry.after["source"] == "nia" and entry.after["check"] == check.pk

    client.force_login(rita)
    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
    assert facts.talent_visa_approval_ref in page
    assert "Source: National Immigration Administration" in page


@pytest.mark.parametrize(
    ("passport", "status"),
    [("TESTVISAOFF", CheckStatus.MISMATCH), ("TESTVISANONE", CheckStatus.NOT_FOUND)],
)
def test_a_visa_that_does_not_match_fills_nothing(
    ivan, simulator, django_capture_on_commit_callbacks, passport, status
):
    application = talent_case(passport, ivan, django_capture_on_commit_callbacks)

    check = visa_check(application)
    assert check.status == status and check.is_flagged
    if status == CheckStatus.MISMATCH:
        assert check.answer_fields["visa_type"] == {"stated": "R", "record": "Z", "matches": False}
    facts = TalentFacts.objects.get(application=application)
    assert (facts.talent_visa_category, facts.talent_visa_approval_ref, facts.talent_visa_verified_at) == (
        "",
        "",
        None,
    )


def test_an_agency_that_is_down_leaves_the_visa_not_yet_verified(
    ivan, rita, simulator, django_capture_on_commit_callbacks, client
):
    application = talent_case("TESTVISADOWN", ivan, django_capture_on_commit_callbacks)

    assert visa_check(application).status in (CheckStatus.PENDING, CheckStatus.ERROR)
    assert TalentFacts.objects.get(application=application).talent_visa_verified_at is None
    client.force_login(rita)
    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
    assert "not yet verified with the immigration records" in page


def test_no_visa_number_no_visa_check(ivan, simulator, django_capture_on_commit_callbacks):
    application = talent_case("TESTMATCH1", ivan, django_capture_on_commit_callbacks, talent_visa_number="")

    assert not VerificationCheck.objects.filter(application=application, kind="talent_visa").exists()


def test_the_applicant_cannot_type_the_visa_facts(ivan):
    application = submitted_case("TESTMATCH1", channel="talent", facts=TALENT)
    Application.objects.filter(pk=application.pk).update(status="draft")
    draft = Application.objects.get(pk=application.pk)

    with pytest.raises(ValidationError) as error:
        application_services.application_update(
            actor=draft.applicant.owner, application=draft, facts={"talent_visa_category": "A-high-end"}
        )
    assert "talent_visa_category" in error.value.message_dict


def test_a_re_run_that_no_longer_matches_takes_the_filled_facts_back(
    ivan, simulator, django_capture_on_commit_callbacks
):
    from verification.services import check_rerun

    application = talent_case("TESTMATCH1", ivan, django_capture_on_commit_callbacks)
    assert TalentFacts.objects.get(application=application).talent_visa_verified_at is not None
    # The immigration record changed since (the simulator now answers another visa type for it).
    check = visa_check(application)
    VerificationCheck.objects.filter(pk=check.pk).update(
        subject=check.subject | {"passport_number": "TESTVISAOFF"}
    )

    with django_capture_on_commit_callbacks(execute=True):
        check_rerun(actor=ivan, check=visa_check(application), reason="The visa was cancelled.")

    assert visa_check(application).status == CheckStatus.MISMATCH
    facts = TalentFacts.objects.get(application=application)
    assert (facts.talent_visa_category, facts.talent_visa_verified_at, facts.talent_visa_source) == (
        "",
        None,
        "",
    )
    assert AuditEntry.objects.filter(action="applications.talent_visa_record").count() == 2

"""Daily management (R21, issue 13): the study check, the credit check, and a finding taken to revocation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cards.models import RevocationCase
from residence.audit.models import AuditEntry
from tests.cards.factories import issued_card
from tests.factories import OfficeFactory, UserFactory
from verification import services
from verification.checks import CheckKind
from verification.models import CheckStatus, HolderReview, ManagementCase, VerificationCheck

pytestmark = pytest.mark.django_db


@pytest.fixture
def mona(db):
    """A management officer at the national administration (every holder is in her area)."""
    return UserFactory(email="mona@example.org", roles=["management_officer"], office=OfficeFactory())


def holder_card(passport: str, *, permit: str = "work", capture=None):
    owner = UserFactory(roles=["applicant"])
    with capture(execute=True):
        return issued_card(owner, passport_number=passport, residence_permit_type=permit)


def review(capture):
    with capture(execute=True):
        started = services.management_rechecks_start()
    return started


def checks_of(card) -> dict[str, VerificationCheck]:
    return {c.kind: c for c in VerificationCheck.objects.filter(application_id=card.application_id)}


def test_the_study_check_is_asked_only_where_the_stay_rests_on_study(
    simulator, django_capture_on_commit_callbacks
):
    student = holder_card("TESTMATCH1", permit="study", capture=django_capture_on_commit_callbacks)
    worker = holder_card("TESTMATCH2X", permit="work", capture=django_capture_on_commit_callbacks)

    assert review(django_capture_on_commit_callbacks) == 2

    assert CheckKind.STUDY in checks_of(student) and CheckKind.STUDY not in checks_of(worker)
    assert CheckKind.CREDIT in checks_of(student) and CheckKind.CREDIT in checks_of(worker)
    study = checks_of(student)[CheckKind.STUDY]
    assert study.agency == "moe" and study.status == CheckStatus.VERIFIED
    assert study.answer_fields["enrolled"]["record"] is True
    assert (
        HolderReview.objects.get(application_id=student.application_id).outcome == HolderReview.Outcome.CLEAR
    )
    assert not ManagementCase.objects.exists()


@pytest.mark.parametrize(
    ("passport", "status"), [("TESTSTUDYOFF", CheckStatus.MISMATCH), ("TESTSTUDYNO", CheckStatus.NOT_FOUND)]
)
def test_a_student_no_longer_enrolled_or_unknown_to_the_ministry_is_a_finding(
    simulator, django_capture_on_commit_callbacks, passport, status
):
    card = holder_card(passport, permit="study", capture=django_capture_on_commit_callbacks)
    review(django_capture_on_commit_callbacks)

    assert checks_of(card)[CheckKind.STUDY].status == status
    case = ManagementCase.objects.get(application_id=card.application_id)
    assert [f["finding"] for f in case.findings] == ["study"]
    assert case.findings[0]["agency"] == "moe" and case.findings[0]["completed_at"]


def test_serious_untrustworthiness_on_the_credit_platform_opens_a_management_case(
    simulator, django_capture_on_commit_callbacks
):
    card = holder_card("TESTCREDBAD", capture=django_capture_on_commit_callbacks)
    review(django_capture_on_commit_callbacks)

    credit = checks_of(card)[CheckKind.CREDIT]
    assert credit.agency == "credit" and credit.status == CheckStatus.MISMATCH
    case = ManagementCase.objects.get(application_id=card.application_id)
    (finding,) = case.findings
    assert finding["finding"] == "credit"
    assert [e["kind"] for e in finding["entries"]] == ["judgment_defaulter"]  # the general entry is not one
    assert AuditEntry.objects.filter(action="verification.management_case_open").count() == 1


def test_general_entries_or_no_credit_record_are_no_finding(simulator, django_capture_on_commit_callbacks):
    clean = holder_card("TESTMATCH1", capture=django_capture_on_commit_callbacks)
    unknown = holder_card("TESTCREDNONE", capture=django_capture_on_commit_callbacks)
    review(django_capture_on_commit_callbacks)

    assert checks_of(clean)[CheckKind.CREDIT].status == CheckStatus.VERIFIED
    assert checks_of(clean)[CheckKind.CREDIT].answer_fields["other_entries"]["record"]  # shown, not a finding
    assert checks_of(unknown)[CheckKind.CREDIT].status == CheckStatus.NOT_FOUND
    assert not ManagementCase.objects.exists()


@pytest.mark.parametrize("passport", ["TESTCREDDOWN", "TESTSTUDYDWN"])
def test_an_agency_that_is_down_leaves_the_review_unverified_never_clear(
    simulator, settings, django_capture_on_commit_callbacks, passport
):
    settings.VERIFICATION_AUTO_RERUNS = 0  # no re-run by the sweeper: the failure is final here
    card = holder_card(passport, permit="study", capture=django_capture_on_commit_callbacks)
    review(django_capture_on_commit_callbacks)

    kind = CheckKind.CREDIT if "CRED" in passport else CheckKind.STUDY
    assert checks_of(card)[kind].status == CheckStatus.ERROR
    assert (
        HolderReview.objects.get(application_id=card.application_id).outcome
        == HolderReview.Outcome.UNVERIFIED
    )
    assert not ManagementCase.objects.exists()


def test_a_failed_check_the_sweeper_will_re_run_keeps_the_review_open(
    simulator, django_capture_on_commit_callbacks
):
    card = holder_card("TESTCREDDOWN", capture=django_capture_on_commit_callbacks)
    review(django_capture_on_commit_callbacks)

    assert HolderReview.objects.get(application_id=card.application_id).completed_at is None


def test_a_finding_opens_a_revocation_case_in_one_step_with_the_finding_as_evidence(
    simulator, mona, django_capture_on_commit_callbacks
):
    card = holder_card("TESTCREDBAD", capture=django_capture_on_commit_callbacks)
    review(django_capture_on_commit_callbacks)
    case = ManagementCase.objects.get()

    revocation = services.management_finding_revoke(actor=mona, case=case, finding_index=0, ground="fraud")

    assert revocation.card == card and revocation.ground == "fraud" and revocation.opened_by == mona
    assert "Serious untrustworthiness entry: Judgment defaulter who refuses to comply" in revocation.evidence
    assert "late_tax_filing" not in revocation.evidence  # a general entry is no ground
    assert "National Credit Information Sharing Platform" in revocation.evidence
    case.refresh_from_db()
    assert case.revocation == revocation and case.revocation_finding == 0
    assert case.status == ManagementCase.Status.OPEN  # closed by the officer when it is dealt with
    assert AuditEntry.objects.filter(action="cards.revocation_open").count() == 1
    entry = AuditEntry.objects.get(action="verification.management_finding_revoke")
    assert entry.after == {"revocation": revocation.pk, "finding": "credit", "ground": "fraud"}

    with pytest.raises(ValidationError):  # once per management case
        services.management_finding_revoke(actor=mona, case=case, finding_index=0, ground="fraud")
    assert RevocationCase.objects.count() == 1


def test_only_a_management_officer_may_take_a_finding_to_revocation_and_with_a_real_ground(
    simulator, mona, django_capture_on_commit_callbacks
):
    holder_card("TESTCREDBAD", capture=django_capture_on_commit_callbacks)
    review(django_capture_on_commit_callbacks)
    case = ManagementCase.objects.get()
    clerk = UserFactory(roles=["intake_officer"], office=OfficeFactory())

    with pytest.raises(PermissionDenied):
        services.management_finding_revoke(actor=clerk, case=case, finding_index=0, ground="fraud")
    with pytest.raises(ValidationError):
        services.management_finding_revoke(actor=mona, case=case, finding_index=0, ground="bad-luck")
    with pytest.raises(ValidationError):
        services.management_finding_revoke(actor=mona, case=case, finding_index=7, ground="fraud")
    assert not RevocationCase.objects.exists()
    case.refresh_from_db()
    assert case.revocation is None


def test_the_page_opens_the_revocation_from_the_finding_and_a_missing_ground_is_an_error(
    simulator, mona, client, django_capture_on_commit_callbacks
):
    holder_card("TESTSTUDYOFF", permit="study", capture=django_capture_on_commit_callbacks)
    review(django_capture_on_commit_callbacks)
    case = ManagementCase.objects.get()
    client.force_login(mona)
    url = f"/verification/management/{case.pk}/findings/0/revoke/"

    page = client.get(f"/verification/management/{case.pk}/")
    assert b"Open a revocation case on this finding" in page.content

    refused = client.post(url, {"finding-finding": "0", "finding-ground": ""})
    assert refused.status_code == 400 and b"There is a problem" in refused.content
    assert not RevocationCase.objects.exists()

    opened = client.post(url, {"finding-0-finding": "0", "finding-0-ground": "fraud"})
    revocation = RevocationCase.objects.get()
    assert opened.status_code == 302 and opened["Location"] == f"/cards/revocations/{revocation.pk}/"
    assert (
        "education ministry" in revocation.evidence.lower() or "Ministry of Education" in revocation.evidence
    )


def test_a_finding_the_case_does_not_have_is_not_found(
    simulator, mona, client, django_capture_on_commit_callbacks
):
    holder_card("TESTCREDBAD", capture=django_capture_on_commit_callbacks)
    review(django_capture_on_commit_callbacks)
    case = ManagementCase.objects.get()
    client.force_login(mona)

    response = client.post(
        f"/verification/management/{case.pk}/findings/3/revoke/",
        {"finding-3-finding": "3", "finding-3-ground": "fraud"},
    )

    assert response.status_code == 404 and not RevocationCase.objects.exists()

"""Decisions with their reasons (R6): the policy version, the criteria relied on, the grounds and the text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from applications import services
from applications.models import Application, Status, StatusChange
from residence.audit.models import AuditEntry

from .factories import ProfileFactory, accept_and_verify, officer, submitted

pytestmark = pytest.mark.django_db


def _with_a_failed_requirement(application: Application) -> Application:
    """The stored result says the tax share was not met (as it would for a lower tax payment)."""
    snapshot = application.eligibility_snapshot
    for criterion in snapshot["criteria"]:
        if criterion["id"] == "work_tax_share":
            criterion["outcome"] = "not_met"
    Application.objects.filter(pk=application.pk).update(eligibility_snapshot=snapshot)
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def in_review(ivan):
    return accept_and_verify(submitted(ProfileFactory()), ivan)


@pytest.fixture
def recommended_refusal(in_review, rita):
    application = _with_a_failed_requirement(in_review)
    services.application_recommend(
        actor=rita,
        application=application,
        recommendation="refuse",
        reason="The tax paid is too low.",
        criteria=["work_tax_share"],
    )
    return Application.objects.get(pk=application.pk)


def test_a_refusal_records_the_policy_version_the_criteria_and_the_text(recommended_refusal, nadia):
    services.application_refuse(
        actor=nadia,
        application=recommended_refusal,
        reason="Income tax is 10% of salary.",
        criteria=["work_tax_share"],
        grounds=["facts_not_confirmed"],
    )
    application = Application.objects.get(pk=recommended_refusal.pk)
    assert application.status == Status.REFUSED
    reasons = StatusChange.objects.get(application=application, to_status=Status.REFUSED).reasons
    assert reasons["policy_version"] == "2016.1-default"
    assert [c["id"] for c in reasons["criteria"]] == ["work_tax_share"]
    assert reasons["criteria"][0]["outcome"] == "not_met"
    assert reasons["criteria"][0]["label"]["zh"] == "年缴纳个人所得税不低于工资性年收入的20%"
    assert [g["id"] for g in reasons["grounds"]] == ["facts_not_confirmed"]
    assert reasons["text"] == "Income tax is 10% of salary."
    entry = AuditEntry.objects.get(action="applications.refuse")
    assert entry.after["reasons"] == reasons


def test_a_refusal_without_a_criterion_not_met_or_a_ground_is_refused_and_changes_nothing(
    recommended_refusal, nadia
):
    for criteria in ([], ["work_years_in_post"], ["points_region"]):
        # Nothing, a requirement the case meets, or a points line (which only adds to the score).
        with pytest.raises(ValidationError) as refused:
            services.application_refuse(
                actor=nadia, application=recommended_refusal, reason="No.", criteria=criteria
            )
        assert "at least one requirement the case does not meet" in " ".join(refused.value.messages)
    assert Application.objects.get(pk=recommended_refusal.pk).status == Status.RECOMMENDED_REFUSAL
    assert not AuditEntry.objects.filter(action="applications.refuse").exists()
    assert not StatusChange.objects.filter(to_status=Status.REFUSED).exists()


def test_criteria_the_case_was_not_assessed_on_and_unlisted_grounds_are_refused(recommended_refusal, nadia):
    with pytest.raises(ValidationError) as refused:
        services.application_refuse(
            actor=nadia,
            application=recommended_refusal,
            reason="No.",
            criteria=["work_tax_share", "invented_rule"],
            grounds=["dislike"],
        )
    assert set(refused.value.message_dict) == {"criteria", "grounds"}
    assert "invented_rule" in refused.value.message_dict["criteria"][0]
    assert Application.objects.get(pk=recommended_refusal.pk).status == Status.RECOMMENDED_REFUSAL


def test_recommending_refusal_needs_the_same_basis(in_review, rita):
    with pytest.raises(ValidationError):
        services.application_recommend(
            actor=rita, application=in_review, recommendation="refuse", reason="Not convinced."
        )
    assert Application.objects.get(pk=in_review.pk).status == Status.IN_REVIEW
    services.application_recommend(
        actor=rita,
        application=in_review,
        recommendation="refuse",
        reason="The contract looks forged.",
        grounds=["false_information"],
    )
    change = StatusChange.objects.get(application=in_review, to_status=Status.RECOMMENDED_REFUSAL)
    assert change.reasons["grounds"][0]["label"]["en"].startswith("False or misleading")


def test_an_approval_and_a_return_record_the_criteria_relied_on(ivan, rita, nadia):
    returned = submitted(ProfileFactory())
    services.application_return(
        actor=ivan, application=returned, reason="The passport scan is blurred.", criteria=["work_residence"]
    )
    change = StatusChange.objects.get(application=returned, to_status=Status.RETURNED)
    assert change.reasons["policy_version"] == "2016.1-default"
    assert [c["id"] for c in change.reasons["criteria"]] == ["work_residence"]

    application = accept_and_verify(submitted(ProfileFactory()), ivan)
    services.application_recommend(
        actor=rita, application=application, recommendation="approve", criteria=["work_points_pass"]
    )
    services.application_approve(
        actor=nadia,
        application=Application.objects.get(pk=application.pk),
        reason="All met.",
        criteria=["work_years_in_post", "work_points_pass"],
    )
    change = StatusChange.objects.get(application=application, to_status=Status.APPROVED)
    assert [c["id"] for c in change.reasons["criteria"]] == ["work_years_in_post", "work_points_pass"]
    with pytest.raises(ValidationError):
        # Grounds are for refusals only.
        services.application_return(
            actor=ivan, application=submitted(ProfileFactory()), reason="Blurred.", criteria=["nope"]
        )


def test_an_approver_of_another_area_gets_a_404_and_nothing_changes(recommended_refusal, office_tree):
    sichuan = officer("approver", office_tree["sc"], email="sichuan.approver@example.org")
    with pytest.raises(Http404):
        services.application_refuse(
            actor=sichuan, application=recommended_refusal, reason="No.", criteria=["work_tax_share"]
        )
    assert Application.objects.get(pk=recommended_refusal.pk).status == Status.RECOMMENDED_REFUSAL


def test_the_case_page_offers_the_criteria_as_checkboxes_and_shows_the_reasons(
    client, recommended_refusal, nadia
):
    client.force_login(nadia)
    url = reverse("applications:case", args=[recommended_refusal.pk])
    page = client.get(url).content.decode()
    assert 'name="refuse-criteria" value="work_tax_share"' in page
    assert "Income tax at least 20% of salary (not met)" in page
    assert 'name="refuse-grounds" value="criminal_record"' in page
    assert "(policy version 2016.1-default)" in page
    # The reviewer's recommendation shows what it relied on.
    assert "Policy version 2016.1-default" in page

    action = reverse("applications:case_action", args=[recommended_refusal.pk, "refuse"])
    response = client.post(action, {"refuse-reason": "Too little tax."})
    assert response.status_code == 400
    assert "at least one requirement the case does not meet" in response.content.decode()
    # The error summary links to the group of checkboxes.
    assert 'href="#id_refuse-criteria"' in response.content.decode()
    assert 'id="id_refuse-criteria"' in response.content.decode()
    assert Application.objects.get(pk=recommended_refusal.pk).status == Status.RECOMMENDED_REFUSAL

    response = client.post(
        action, {"refuse-reason": "Too little tax.", "refuse-criteria": ["work_tax_share"]}
    )
    assert response.status_code == 302
    application = Application.objects.get(pk=recommended_refusal.pk)
    assert application.status == Status.REFUSED
    page = client.get(url).content.decode()
    assert "Refused by" in page and "Income tax at least 20% of salary" in page


def test_the_case_page_speaks_chinese_to_a_chinese_reader(client, recommended_refusal, nadia):
    nadia.preferred_language = "zh-hans"
    nadia.save()
    client.force_login(nadia)
    page = client.get(
        reverse("applications:case", args=[recommended_refusal.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "年缴纳个人所得税不低于工资性年收入的20%" in page
    assert "有犯罪记录" in page


def test_the_refusal_letter_prints_the_policy_version_and_the_criteria_in_both_languages(
    recommended_refusal, nadia, django_capture_on_commit_callbacks
):
    from cards.models import CardDocument
    from tests.cards.pdftools import pdf_pages_png, pdf_text
    from tests.conftest import ARTIFACTS

    with django_capture_on_commit_callbacks(execute=True):
        services.application_refuse(
            actor=nadia,
            application=recommended_refusal,
            reason="Income tax is 10% of salary.",
            criteria=["work_tax_share"],
            grounds=["facts_not_confirmed"],
        )
    letter = CardDocument.objects.get(kind=CardDocument.Kind.REFUSAL_LETTER)
    assert letter.state == CardDocument.State.READY
    with letter.file.open("rb") as handle:
        pdf = handle.read()
    text = " ".join(pdf_text(pdf).split())
    assert "Policy version applied: 2016.1-default" in text and "适用政策版本：2016.1-default" in text
    assert "Income tax at least 20% of salary" in text and "年缴纳个人所得税不低于工资性年收入的20%" in text
    assert "not confirmed by the agencies" in text and "申请所依据的事实未经有关部门核实确认" in text
    # The points lines the case did not reach are not reasons: only what the approver cited is printed.
    assert "Region of work" not in text
    folder = ARTIFACTS / "decision-reasons"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("page*.png"):
        old.unlink()
    assert pdf_pages_png(pdf, folder, dpi=80)


def test_a_revocation_records_the_policy_version_and_its_ground_and_the_letter_prints_the_version(
    django_capture_on_commit_callbacks, office_tree
):
    from cards.models import CardDocument, RevocationCase
    from cards.services import revocation_decide, revocation_open
    from tests.cards.factories import issued_card
    from tests.cards.pdftools import pdf_text

    card = issued_card()
    opener = officer("management_officer", office_tree["gd"], email="opener@example.org")
    decider = officer("approver", office_tree["gd"], email="decider@example.org")
    case = revocation_open(actor=opener, card=card, ground="fraud", evidence="Forged degree.")
    with django_capture_on_commit_callbacks(execute=True):
        revocation_decide(actor=decider, case=case, decision="revoke", reason="The degree was forged.")
    case = RevocationCase.objects.get(pk=case.pk)
    assert case.reasons["policy_version"] == card.policy_version.label == "2016.1-default"
    assert case.reasons["grounds"][0]["id"] == "fraud"
    assert case.reasons["text"] == "The degree was forged."
    assert AuditEntry.objects.get(action="cards.revocation_decide").after["reasons"] == case.reasons
    letter = CardDocument.objects.get(kind=CardDocument.Kind.REVOCATION_LETTER)
    with letter.file.open("rb") as handle:
        text = " ".join(pdf_text(handle.read()).split())
    assert "Policy version applied: 2016.1-default" in text and "适用政策版本：2016.1-default" in text


def test_the_api_refuses_a_refusal_without_a_basis_and_takes_the_criteria(client, recommended_refusal, nadia):
    client.force_login(nadia)
    url = reverse("api_application_action", args=[recommended_refusal.pk, "refuse"])
    response = client.post(url, {"reason": "No."}, content_type="application/json")
    assert response.status_code == 400
    assert "criteria" in response.json()["errors"]
    assert Application.objects.get(pk=recommended_refusal.pk).status == Status.RECOMMENDED_REFUSAL
    response = client.post(
        url, {"reason": "Tax too low.", "criteria": ["work_tax_share"]}, content_type="application/json"
    )
    assert response.status_code == 200
    change = StatusChange.objects.get(application=recommended_refusal, to_status=Status.REFUSED)
    assert [c["id"] for c in change.reasons["criteria"]] == ["work_tax_share"]


def test_the_approval_letter_prints_the_policy_version_and_the_criteria_relied_on(
    in_review, rita, nadia, django_capture_on_commit_callbacks
):
    from cards.models import CardDocument
    from tests.cards.pdftools import pdf_text

    services.application_recommend(actor=rita, application=in_review, recommendation="approve")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(
            actor=nadia,
            application=Application.objects.get(pk=in_review.pk),
            reason="All conditions met.",
            criteria=["work_years_in_post", "work_points_pass"],
        )
    letter = CardDocument.objects.get(kind=CardDocument.Kind.APPROVAL_LETTER)
    with letter.file.open("rb") as handle:
        text = " ".join(pdf_text(handle.read()).split())
    assert "Policy version applied: 2016.1-default" in text
    assert "Criteria relied on" in text and "所依据的条件" in text
    assert "Points at or above the pass mark" in text and "积分达到合格线" in text

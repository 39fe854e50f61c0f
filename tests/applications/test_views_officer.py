"""The officers' HTML pages: queue, case page, actions with their refusals, claims and workload."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, Status
from residence.audit.models import AuditEntry
from tests.applications.factories import intake_done
from tests.factories import UserFactory

from .factories import ProfileFactory, png_upload, submitted

pytestmark = pytest.mark.django_db


def accept_and_verify(application, intake_officer):
    """Intake accepts; the verification stage then ends as the verification app ends it when its checks have results."""
    intake_done(application, intake_officer)
    services.application_accept(actor=intake_officer, application=application)
    application.refresh_from_db()
    if application.status == Status.VERIFYING:
        services.application_verification_completed(application=application)
    application.refresh_from_db()
    return application


def _action(client, application, code, reason=""):
    return client.post(
        reverse("applications:case_action", args=[application.pk, code]), {f"{code}-reason": reason}
    )


def test_officers_take_a_case_from_intake_to_approval_through_the_case_page(client, ivan, rita, nadia):
    application = submitted(ProfileFactory())
    intake_done(application, ivan)
    client.force_login(ivan)
    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
    assert "Accept: the application is complete" in page
    assert "Approve" not in page
    assert _action(client, application, "accept").status_code == 302
    application.refresh_from_db()
    if application.status == Status.VERIFYING:
        # The verification app ends this stage when every check has its result.
        page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
        assert "Verification checks" in page
        services.application_verification_completed(application=application)
    assert Application.objects.get(pk=application.pk).status == Status.IN_REVIEW

    client.force_login(rita)
    assert _action(client, application, "request_evidence", "Send the tax record.").status_code == 302
    services.application_answer_evidence(
        actor=application.applicant.owner, application=application, answer="Here."
    )
    assert _action(client, application, "recommend_approval", "Meets the rules.").status_code == 302

    client.force_login(nadia)
    assert _action(client, application, "approve").status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
    assert "Meets the rules." in page
    assert "There is nothing for you to do on this case at this stage." in page


def test_an_applicant_posting_an_officer_action_gets_a_403_and_nothing_changes(client):
    profile = ProfileFactory()
    application = submitted(profile)
    client.force_login(profile.owner)
    response = _action(client, application, "accept")
    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    assert client.get(reverse("applications:case", args=[application.pk])).status_code == 404
    assert client.get(reverse("applications:queue")).status_code == 404


def test_an_officer_of_another_area_gets_a_404(client, sam):
    application = submitted(ProfileFactory())
    client.force_login(sam)
    assert client.get(reverse("applications:case", args=[application.pk])).status_code == 404
    assert _action(client, application, "accept").status_code == 404
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_a_return_without_a_reason_is_refused_next_to_the_field(client, ivan):
    application = submitted(ProfileFactory())
    client.force_login(ivan)
    response = _action(client, application, "return", "")
    assert response.status_code == 400
    assert 'id="id_return-reason_error"' in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_an_action_the_role_may_not_take_is_a_403_with_a_message_not_a_500(client, rita):
    application = submitted(ProfileFactory())
    client.force_login(rita)
    response = _action(client, application, "accept")
    assert response.status_code == 403
    assert "intake officer" in response.content.decode().lower()
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_a_stale_action_is_a_409_with_a_message(client, ivan):
    application = submitted(ProfileFactory())
    accept_and_verify(application, ivan)
    client.force_login(ivan)
    # The officer's page was opened before the case moved on; they press "Return" anyway.
    response = _action(client, application, "return", "Missing page")
    assert response.status_code in (403, 409)
    assert Application.objects.get(pk=application.pk).status == Status.IN_REVIEW


def test_a_reviewer_who_is_also_an_approver_cannot_approve_their_own_recommendation(
    client, ivan, office_tree
):
    both = UserFactory(email="both@example.org", roles=["reviewer", "approver"], office=office_tree["nia"])
    application = submitted(ProfileFactory())
    accept_and_verify(application, ivan)
    services.application_recommend(actor=both, application=application, recommendation="approve", reason="ok")
    client.force_login(both)
    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
    assert f'action="/cases/{application.pk}/actions/approve/"' not in page
    response = _action(client, application, "approve")
    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).status == Status.RECOMMENDED_APPROVAL


def test_claim_and_release_are_recorded(client, ivan):
    application = submitted(ProfileFactory())
    client.force_login(ivan)
    client.post(reverse("applications:case_claim", args=[application.pk]))
    application.refresh_from_db()
    assert application.claimed_by == ivan
    assert (
        "Release this case"
        in client.get(reverse("applications:case", args=[application.pk])).content.decode()
    )
    client.post(reverse("applications:case_release", args=[application.pk]))
    application.refresh_from_db()
    assert application.claimed_by is None
    assert AuditEntry.objects.filter(action="applications.release").exists()


def test_the_queue_shows_counts_filters_and_a_next_page_link(client, ivan):
    for _ in range(3):
        submitted(ProfileFactory())
    client.force_login(ivan)
    url = reverse("applications:queue")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("applications.views.officer.PAGE_SIZE", 2)
        response = client.get(url, {"stage": "intake"})
        page = response.content.decode()
        assert page.count("PR-") == 2
        assert 'rel="next"' in page
        next_url = response.context["next_url"]
        page2 = client.get(url + next_url).content.decode()
        assert page2.count("PR-") == 1
    assert "Intake" in page
    assert client.get(url, {"stage": "intake", "channel": "family"}).context["rows"] == []
    # A forged cursor is a clear message, not a 500.
    response = client.get(url, {"stage": "intake", "cursor": "not-a-cursor"})
    assert response.status_code == 200
    assert "not valid" in response.content.decode()


def test_the_officer_sees_a_document_inline_on_the_case_page(client, ivan):
    application = submitted(ProfileFactory())
    client.force_login(ivan)
    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
    document = application.documents.first()
    assert reverse("applications:document", args=[application.pk, document.pk]) in page
    response = client.get(reverse("applications:document", args=[application.pk, document.pk]))
    assert response.status_code == 200


def test_the_workload_page_is_for_reviewers_and_approvers(client, ivan, nadia):
    application = submitted(ProfileFactory())
    accept_and_verify(application, ivan)
    client.force_login(ivan)
    assert client.get(reverse("applications:workload")).status_code == 404
    client.force_login(nadia)
    response = client.get(reverse("applications:workload"))
    assert response.status_code == 200
    assert ivan.full_name in response.content.decode()


def test_the_officer_home_page_shows_the_queue_counts(client, ivan):
    submitted(ProfileFactory())
    client.force_login(ivan)
    page = client.get(reverse("home")).content.decode()
    assert "Open the case queue" in page


def test_a_supervisor_assigns_ticked_cases_and_filters_the_queue_by_officer(client, ivan, nadia):
    first, second = submitted(ProfileFactory()), submitted(ProfileFactory())
    client.force_login(nadia)
    page = client.get(reverse("applications:queue"), {"stage": "intake"}).content.decode()
    assert "Give the ticked cases to" in page
    response = client.post(
        reverse("applications:queue_assign"),
        {"cases": [first.pk], "officer": ivan.pk, "back": "/cases/?stage=intake"},
    )
    assert response.status_code == 302
    assert response.url == "/cases/?stage=intake"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.claimed_by == ivan
    assert second.claimed_by is None
    rows = client.get(reverse("applications:queue"), {"stage": "intake", "assigned": ivan.pk}).context["rows"]
    assert [row.id for row in rows] == [first.pk]


def test_an_intake_officer_cannot_assign_cases(client, ivan, rita):
    application = submitted(ProfileFactory())
    client.force_login(ivan)
    assert "Give the ticked cases to" not in client.get(reverse("applications:queue")).content.decode()
    client.post(reverse("applications:queue_assign"), {"cases": [application.pk], "officer": ivan.pk})
    application.refresh_from_db()
    assert application.claimed_by is None


def test_a_pdf_is_offered_for_download_on_the_case_page_and_never_framed(client, ivan):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import complete_draft, pdf_bytes

    profile = ProfileFactory()
    application = complete_draft(profile)
    pdf = SimpleUploadedFile("passport.pdf", pdf_bytes(), content_type="application/pdf")
    document = services.document_upload(
        actor=profile.owner, application=application, document_type="passport", file=pdf
    )
    services.application_submit(actor=profile.owner, application=application, declaration=True)
    client.force_login(ivan)
    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
    url = reverse("applications:document", args=[application.pk, document.pk])
    assert f'<a href="{url}" download>' in page
    assert "<iframe" not in page
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_approver_decides_each_family_member_on_the_approval_form(client, ivan, rita, nadia):
    import datetime as dt

    from django.utils import timezone

    from applications.models import Dependant

    from .factories import complete_draft

    profile = ProfileFactory()
    application = complete_draft(profile)
    child = ProfileFactory(owner=profile.owner, birth_date=timezone.localdate() - dt.timedelta(days=8 * 365))
    dependant = services.dependant_add(
        actor=profile.owner, application=application, profile=child, relationship="child"
    )
    for doc in ("passport", "photo"):
        services.document_upload(
            actor=profile.owner,
            application=application,
            document_type=doc,
            file=png_upload(),
            dependant=dependant,
        )
    services.application_submit(actor=profile.owner, application=application, declaration=True)
    accept_and_verify(Application.objects.get(pk=application.pk), ivan)
    services.application_recommend(
        actor=rita,
        application=Application.objects.get(pk=application.pk),
        recommendation="approve",
        reason="Fine.",
    )

    client.force_login(nadia)
    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
    assert f'name="approve-dependant-{dependant.pk}"' in page
    response = client.post(
        reverse("applications:case_action", args=[application.pk, "approve"]),
        {"approve-reason": "", f"approve-dependant-{dependant.pk}": "refused"},
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == Status.APPROVED
    assert Dependant.objects.get(pk=dependant.pk).decision == Dependant.Decision.REFUSED

"""Who decides a case: the approval queue says so to an officer who cannot, and the case page credits each step."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, Status

from .factories import ProfileFactory, accept_and_verify, officer, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommended(ivan, rita):
    application = accept_and_verify(submitted(ProfileFactory()), ivan)
    services.application_recommend(
        actor=rita, application=application, recommendation="approve", reason="Fine."
    )
    return Application.objects.get(pk=application.pk)


def test_a_provincial_approver_is_told_that_the_national_administration_decides(
    client, recommended, office_tree
):
    provincial = officer("approver", office_tree["gd"], email="paula@example.org")
    client.force_login(provincial)
    page = client.get(reverse("applications:queue"), {"stage": "approval"}).content.decode()
    assert recommended.reference in page
    assert "Decided by a national office" in page
    case_page = client.get(reverse("applications:case", args=[recommended.pk])).content.decode()
    assert "Decided by a national office" in case_page


def test_a_national_approver_sees_no_such_note(client, recommended, nadia):
    client.force_login(nadia)
    page = client.get(reverse("applications:queue"), {"stage": "approval"}).content.decode()
    assert recommended.reference in page
    assert "Decided by a national office" not in page


def test_the_recommendation_panel_credits_the_reviewer_and_the_decision_the_approver(
    client, recommended, rita, nadia
):
    services.application_approve(actor=nadia, application=recommended, reason="Agreed.")
    assert Application.objects.get(pk=recommended.pk).status in (Status.APPROVED, Status.CARD_ISSUED)
    client.force_login(nadia)
    page = client.get(reverse("applications:case", args=[recommended.pk])).content.decode()
    assert f"Recommended for approval by {rita}" in page
    assert f"Approved by {nadia}" in page
    assert f"· {rita}</p>" not in page

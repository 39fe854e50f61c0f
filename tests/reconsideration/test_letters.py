from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Status
from reconsideration.models import Reconsideration
from reconsideration.services import reconsideration_decide, reconsideration_lodge
from tests.cards.factories import approved_application, profile_for
from tests.cards.pdftools import pdf_text
from tests.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lodged(holder):
    application = approved_application(profile_for(holder), status=Status.REFUSED)
    application.decided_by = UserFactory(roles=["approver"], office=application.office)
    application.decided_at = timezone.now()
    application.save()
    return reconsideration_lodge(actor=holder, application=application, grounds="My salary was misread.")


def test_the_outcome_letter_is_written_in_both_languages_citing_the_rules(
    lodged, client, holder, django_capture_on_commit_callbacks
):
    approver = UserFactory(roles=["approver"], office=OfficeFactory())
    with django_capture_on_commit_callbacks(execute=True):
        reconsideration_decide(actor=approver, case=lodged, outcome="overturned", reason="Salary met.")
    case = Reconsideration.objects.get(pk=lodged.pk)
    assert case.letter and len(case.letter_sha256) == 64
    client.force_login(holder)
    response = client.get(reverse("reconsideration:letter", args=[case.pk]))
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content))
    assert "行政复议决定书" in text and "Decision on administrative reconsideration" in text
    assert "The decision is overturned" in text and "撤销原决定" in text
    assert "Administrative Reconsideration Law" in text and "Salary met." in text


def test_no_letter_before_the_decision_and_none_for_strangers(lodged, client):
    client.force_login(UserFactory(roles=["applicant"]))
    assert client.get(reverse("reconsideration:letter", args=[lodged.pk])).status_code == 404

"""The case page's summary badges the checks that did not match (issue 12)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from applications import services as application_services
from tests.applications.factories import intake_done

from .conftest import submitted_case

pytestmark = pytest.mark.django_db


def test_the_case_summary_badges_the_checks_that_did_not_match(
    client, ivan, rita, simulator, django_capture_on_commit_callbacks
):
    application = submitted_case("TESTMISMATCH")
    with django_capture_on_commit_callbacks(execute=True):
        intake_done(application, ivan)
        application_services.application_accept(actor=ivan, application=application)
    client.force_login(rita)
    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
    summary = re.search(r'<section class="panel case-summary".*?</section>', page, re.S).group(0)
    assert re.search(r'class="badge bad"[^>]*>[^<]*Income-tax record', summary)
    assert "Mismatch" in summary
    assert reverse("verification:application_checks", args=[application.pk]) in summary

"""The officer's case page: a summary at the top, and documents listed, loaded only when asked (issue 12)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from .factories import ProfileFactory, submitted

pytestmark = pytest.mark.django_db


def _page(client, application) -> str:
    return client.get(reverse("applications:case", args=[application.pk])).content.decode()


def _summary(page: str) -> str:
    match = re.search(r'<section class="panel case-summary".*?</section>', page, re.S)
    assert match, "the case page has no summary"
    return match.group(0)


def test_the_summary_comes_first_and_says_stage_deadline_and_what_this_officer_may_do(client, ivan, rita):
    application = submitted(ProfileFactory())
    client.force_login(ivan)
    page = _page(client, application)
    summary = _summary(page)
    assert page.index("case-summary") < page.index('id="actions-heading"')
    assert "Intake" in summary
    assert re.search(r"\d{4}-\d{2}-\d{2}", summary), "the deadline's date"
    assert "left" in summary  # the time left, as the deadline badge says it
    # Ivan (intake) may accept it: the summary links to the action below.
    assert 'href="#action-accept"' in summary and "Accept: the application is complete" in summary
    # The reviewer of the province may not act at intake: the summary says so.
    client.force_login(rita)
    summary = _summary(_page(client, application))
    assert "There is nothing for you to do on this case at this stage." in summary


def test_documents_are_a_list_and_no_preview_loads_with_the_page(client, ivan):
    application = submitted(ProfileFactory())
    client.force_login(ivan)
    page = _page(client, application)
    docs = re.search(r'aria-labelledby="docs-heading".*?</section>', page, re.S).group(0)
    # Every document is a row with its link; no preview is open, and none is fetched before it is shown.
    assert "<table" in docs
    assert "<details open" not in docs and "<details  open" not in docs
    for img in re.findall(r"<img[^>]*>", docs):
        assert 'loading="lazy"' in img, img
    for pk in application.documents.values_list("pk", flat=True):
        assert reverse("applications:document", args=[application.pk, pk]) in docs

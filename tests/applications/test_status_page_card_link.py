"""The applicant's status page links to the card once it is issued."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import Application, Status
from tests.cards.factories import issued_card
from tests.factories import UserFactory

from .factories import ProfileFactory, complete_draft

pytestmark = pytest.mark.django_db


def test_the_status_page_links_to_the_issued_card(client, django_capture_on_commit_callbacks, tmp_path):
    holder = UserFactory(roles=["applicant"])
    with django_capture_on_commit_callbacks(execute=True):
        card = issued_card(holder)
    application = Application.objects.get(pk=card.application_id)
    assert application.status == Status.CARD_ISSUED
    client.force_login(holder)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert f'<a class="button" href="{reverse("cards:my_card")}">See your card</a>' in page


def test_a_draft_has_no_card_link(client):
    profile = ProfileFactory()
    application = complete_draft(profile)
    client.force_login(profile.owner)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "See your card" not in page

"""Revocation tells the holder in the portal, as every other decision does (and a cancelled case does not)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import Notification
from cards.services import revocation_decide, revocation_open

pytestmark = pytest.mark.django_db


def test_revoking_writes_an_inbox_row_for_the_holder(card, mona, arthur, client):
    owner = card.profile.owner
    before = Notification.objects.filter(recipient=owner).count()
    case = revocation_open(actor=mona, card=card, ground="fraud", evidence="Forged tax records.")
    revocation_decide(actor=arthur, case=case, decision="revoke", reason="The tax certificates were forged.")
    rows = Notification.objects.filter(recipient=owner).order_by("-id")
    assert rows.count() == before + 1
    assert "revoked" in rows[0].message
    client.force_login(owner)
    page = client.get(reverse("applications:inbox")).content.decode()
    assert rows[0].message in page


def test_cancelling_a_case_writes_no_inbox_row(card, mona, arthur):
    owner = card.profile.owner
    before = Notification.objects.filter(recipient=owner).count()
    case = revocation_open(actor=mona, card=card, ground="fraud", evidence="Forged tax records.")
    revocation_decide(actor=arthur, case=case, decision="cancel", reason="The records were genuine.")
    assert Notification.objects.filter(recipient=owner).count() == before

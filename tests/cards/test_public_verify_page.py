"""The public card check: a revoked or expired card shows its status and date; a bad code says it could not be verified."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cards.models import Card
from cards.services import revocation_decide, revocation_open
from cards.tokens import verification_token

pytestmark = pytest.mark.django_db


def _page(client, token):
    return client.get(reverse("cards:public_verify", kwargs={"token": token}))


def test_a_valid_card_shows_valid_until(client, card):
    page = _page(client, verification_token(card.number)).content.decode()
    assert "Valid until" in page
    assert card.expires_on.isoformat() in page


def test_a_revoked_card_shows_the_revocation_and_its_date_not_valid_until(client, card, mona, arthur):
    case = revocation_open(actor=mona, card=card, ground="fraud", evidence="Forged tax records.")
    revocation_decide(actor=arthur, case=case, decision="revoke", reason="Forged.")
    page = _page(client, verification_token(card.number)).content.decode()
    assert "Valid until" not in page
    assert f"Revoked on {timezone.localdate().isoformat()}" in page


def test_an_expired_card_shows_when_it_expired(client, card):
    ended = timezone.localdate() - dt.timedelta(days=3)
    Card.objects.filter(pk=card.pk).update(issued_on=ended - dt.timedelta(days=3650), expires_on=ended)
    page = _page(client, verification_token(card.number)).content.decode()
    assert "Valid until" not in page
    assert f"Expired on {ended.isoformat()}" in page


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: t.split(":")[0], lambda t: "garbage"])
def test_a_tampered_or_unsigned_code_gets_a_page_saying_the_card_could_not_be_verified(client, card, mangle):
    response = _page(client, mangle(verification_token(card.number)))
    assert response.status_code == 400
    page = response.content.decode()
    assert "This card could not be verified" in page
    assert card.latin_name not in page

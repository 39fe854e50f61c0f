"""A card request's new photo goes through the portal's one upload checker, and photos are served sandboxed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cards.models import Card, CardRequest
from cards.services import card_request_create, card_request_issue
from residence.audit.models import AuditEntry
from tests.applications import hostile_files

pytestmark = pytest.mark.django_db


def test_a_new_photo_with_a_web_page_appended_is_refused_and_no_card_is_made(card, holder, mona):
    request = card_request_create(actor=holder, card=card, kind="replacement", reason="lost")
    cards, audits = Card.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="web page code"):
        card_request_issue(actor=mona, request=request, photo=hostile_files.jpeg_with_html_appended())
    assert Card.objects.count() == cards
    assert AuditEntry.objects.count() == audits
    assert CardRequest.objects.get(pk=request.pk).state == CardRequest.State.REQUESTED


def test_a_new_photo_is_stored_re_encoded_without_its_metadata(card, holder, mona):
    request = card_request_create(actor=holder, card=card, kind="replacement", reason="lost")
    sent = hostile_files.jpeg_bytes((420, 540), exif_gps=True) + b"\x00trailing-bytes"
    new = card_request_issue(actor=mona, request=request, photo=sent)
    stored = new.photo.open("rb").read()
    assert stored.startswith(b"\xff\xd8\xff")
    assert b"SpyCam" not in stored and b"trailing-bytes" not in stored


def test_the_holder_sees_the_card_photo_inline_under_a_sandbox(client, card, holder):
    client.force_login(holder)
    response = client.get(reverse("cards:card_photo", args=[card.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"

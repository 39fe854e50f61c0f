from __future__ import annotations

from urllib.parse import urlparse

import pytest

from cards.models import Card, CardDocument
from cards.services import card_document_render

from .pdftools import pdf_text, qr_codes

pytestmark = pytest.mark.django_db


def read(document: CardDocument) -> bytes:
    document.refresh_from_db()
    assert document.state == CardDocument.State.READY, document.error
    with document.file.open("rb") as handle:
        return handle.read()


def test_the_card_shows_number_both_names_and_dates(card):
    pdf = read(card.documents.get(kind=CardDocument.Kind.CARD))
    text = pdf_text(pdf)
    assert card.number in text
    assert "MARTIN Alice Claire" in text
    assert "马丽丝" in text
    assert "1985-04-12" in text
    assert f"{card.issued_on:%Y-%m-%d} – {card.expires_on:%Y-%m-%d}" in text
    assert "中华人民共和国外国人永久居留身份证" in text


def test_the_card_qr_code_opens_the_public_page_that_says_valid(card, client):
    pdf = read(card.documents.get(kind=CardDocument.Kind.CARD))
    (url,) = qr_codes(pdf)
    response = client.get(urlparse(url).path)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Valid" in body
    assert "MARTIN Alice Claire" in body
    assert card.passport_number not in body


def test_the_approval_letter_names_the_card_and_its_validity(card):
    pdf = read(card.documents.get(kind=CardDocument.Kind.APPROVAL_LETTER))
    text = pdf_text(pdf)
    assert card.number in text
    assert "MARTIN Alice Claire" in text and "马丽丝" in text
    assert "外国人永久居留批准通知书" in text
    assert card.expires_on.isoformat() in text


def test_rendering_the_same_record_twice_gives_the_same_text(card):
    document = card.documents.get(kind=CardDocument.Kind.CARD)
    first = pdf_text(read(document))
    CardDocument.objects.filter(pk=document.pk).update(state=CardDocument.State.PENDING)
    second = pdf_text(read(card_document_render(document_id=document.pk)))
    assert first == second


def test_an_adult_card_is_valid_for_ten_years_from_policy_data(card):
    assert (card.expires_on.year - card.issued_on.year) == 10
    assert card.status == Card.Status.ISSUED

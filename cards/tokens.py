"""The code in a card's QR code: it names the card and cannot be forged or altered.

Cards printed since the offline check carry a COSE_Sign1 payload signed with Ed25519
(cards/offline.py): a counter verifies it without a network, and the public card check reads the
number from it. Cards printed before carry Django's HMAC signature of the number; the public check
still accepts those (a printed card keeps its code for its whole life).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from . import offline

SALT = "cards.verify"


def verification_token(number: str) -> str:
    """The code of cards printed before signed payloads (kept so their codes still open the check)."""
    return signing.Signer(salt=SALT).sign(number)


def signed_token(card, *, photo: bytes) -> str:
    return offline.card_token(card, photo=photo, keys=settings.CARDS_KEYS)


def number_from_token(token: str) -> str | None:
    if ":" not in token:
        try:
            return offline.card_from_token(token, keys=settings.CARDS_KEYS).number
        except offline.NotVerifiable:
            return None
    try:
        return signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None


def verification_url(token: str) -> str:
    path = reverse("cards:public_verify", kwargs={"token": token})
    return settings.SITE_URL.rstrip("/") + path

"""The signed token in a card's QR code: it names the card and cannot be forged or altered."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "cards.verify"


def verification_token(number: str) -> str:
    # No timestamp: the card is printed once, its code must stay the same for its whole life.
    return signing.Signer(salt=SALT).sign(number)


def number_from_token(token: str) -> str | None:
    try:
        return signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None


def verification_url(number: str) -> str:
    path = reverse("cards:public_verify", kwargs={"token": verification_token(number)})
    return settings.SITE_URL.rstrip("/") + path

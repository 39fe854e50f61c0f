"""Deploy checks of the cards app (registered when CardsConfig.ready imports this module).

The ids stay residence.E003/E004, as the operators' documentation names them (docs/security.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from .offline import DEV_KEY_ID as CARD_DEV_KEY_ID


@register(Tags.security, deploy=True)
def card_signing_key_check(app_configs, **kwargs):
    """Cards' QR codes are signed: production needs its own Ed25519 key, not the development one."""
    keys = getattr(settings, "CARDS_KEYS", None)
    if keys is None:
        return [
            Error(
                "CARDS_SIGNING_KEYS is not set: cards' QR codes and the revocation list cannot be signed.",
                hint="Set CARDS_SIGNING_KEYS=id:base64seed (`manage.py card_signing_key` prints one). "
                "See docs/security.md.",
                id="residence.E003",
            )
        ]
    if CARD_DEV_KEY_ID in keys.private:
        return [
            Error(
                "The development card signing key is configured: it lives beside the database.",
                hint="Configure CARDS_SIGNING_KEYS with a production key (docs/security.md).",
                id="residence.E004",
            )
        ]
    return []

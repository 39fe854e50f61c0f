"""System checks of the deployment that Django's own deploy checks do not cover."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from residence.encryption import DEV_KEY_ID


@register(Tags.security, deploy=True)
def storage_encryption_key_check(app_configs, **kwargs):
    """Stored files are encrypted: production needs its own key-encryption key, outside the database."""
    keyring = getattr(settings, "STORAGE_KEYRING", None)
    if keyring is None:
        return [
            Error(
                "STORAGE_ENCRYPTION_KEYS is not set: uploaded and generated files cannot be encrypted.",
                hint="Set STORAGE_ENCRYPTION_KEYS=id:base64key (32 random bytes; "
                "`manage.py storage_rewrap --new-key` prints one). See docs/security.md.",
                id="residence.E001",
            )
        ]
    if DEV_KEY_ID in keyring.keys:
        return [
            Error(
                "The development storage key is configured: it lives beside the database, not outside it.",
                hint="Configure STORAGE_ENCRYPTION_KEYS with production keys and re-wrap (docs/security.md).",
                id="residence.E002",
            )
        ]
    return []
